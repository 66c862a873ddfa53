//! Invitations to this person: one prompt each with Accept and Decline
//! (declined, busy, no camera — the inviter is told in words), and for an
//! auto-accepting invitation a visible countdown that accepts at zero; the
//! invitee may still decline before. Answers go to the server
//! ([`accept_invitation`], [`decline_invitation`]); the chat starts when it
//! says so.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::controller::PresenceController;
use crate::presence::{Chat, DeclineReason, Invitation, InvitationId};

/// The invitee accepts.
#[server(input = Json)]
pub async fn accept_invitation(invitation: InvitationId) -> Result<Chat, ServerFnError> {
    use super::caller::{refused, Caller};
    let caller = Caller::identify().await?;
    caller
        .presence
        .accept(caller.user.id, invitation)
        .await
        .map_err(refused)
}

/// The invitee declines, saying why.
#[server(input = Json)]
pub async fn decline_invitation(
    invitation: InvitationId,
    reason: DeclineReason,
) -> Result<(), ServerFnError> {
    use super::caller::{refused, Caller};
    let caller = Caller::identify().await?;
    caller
        .presence
        .decline(caller.user.id, invitation, reason)
        .await
        .map_err(refused)
}

/// What the invitee reads.
pub fn invited_text(invitation: &Invitation) -> String {
    let kind = if invitation.options.audio_only {
        "an audio call"
    } else {
        "a video chat"
    };
    format!("{} invites you to {kind}.", invitation.from_name)
}

/// The countdown's words.
pub fn countdown_text(seconds: u8) -> String {
    match seconds {
        0 => "Accepting…".to_owned(),
        1 => "Accepting automatically in 1 second".to_owned(),
        n => format!("Accepting automatically in {n} seconds"),
    }
}

/// All prompts, oldest first.
#[component]
pub fn IncomingCalls(presence: PresenceController) -> impl IntoView {
    view! {
        <For
            each=move || presence.state.with(|s| s.incoming.clone())
            key=|invitation| invitation.id
            let:invitation
        >
            <IncomingCall presence invitation/>
        </For>
    }
    .into_any()
}

/// One prompt.
#[component]
fn IncomingCall(presence: PresenceController, invitation: Invitation) -> impl IntoView {
    let id = invitation.id;
    let accept = move || presence.act(accept_invitation(id), |_| {});
    let decline = move |reason| presence.act(decline_invitation(id, reason), |()| {});
    let remaining = RwSignal::new(invitation.options.accept_after);
    #[cfg(feature = "hydrate")]
    if remaining.get_untracked().is_some() {
        let tick = gloo_timers::callback::Interval::new(1_000, move || {
            match remaining.try_get_untracked().flatten() {
                Some(1) => {
                    remaining.set(Some(0));
                    accept();
                }
                Some(n) if n > 1 => remaining.set(Some(n - 1)),
                _ => {}
            }
        });
        let tick = StoredValue::new_local(Some(tick));
        on_cleanup(move || {
            if let Some(Some(tick)) = tick.try_update_value(Option::take) {
                tick.cancel();
            }
        });
    }
    let name = invitation.from_name.to_string();
    view! {
        <section class="card call-prompt incoming" data-testid="incoming" data-from=name.clone() role="alertdialog"
            aria-label=format!("Invitation from {name}")>
            <p class="prompt-text"><span class="ring-mark" aria-hidden="true"></span>{invited_text(&invitation)}</p>
            {move || remaining.get().map(|s| view! { <p class="countdown" role="timer">{countdown_text(s)}</p> })}
            <div class="prompt-actions">
                <button type="button" class="primary" on:click=move |_| accept() disabled=move || presence.busy.get()>
                    "Accept"
                </button>
                <button type="button" class="danger" on:click=move |_| decline(DeclineReason::Declined)
                    disabled=move || presence.busy.get()>
                    "Decline"
                </button>
            </div>
            <p class="decline-reasons muted">
                <span>"Or decline saying:"</span>
                <button type="button" class="link" on:click=move |_| decline(DeclineReason::Busy)>"I'm busy"</button>
                <button type="button" class="link" on:click=move |_| decline(DeclineReason::NoCamera)>"I have no camera"</button>
            </p>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_words() {
        assert_eq!(countdown_text(5), "Accepting automatically in 5 seconds");
        assert_eq!(countdown_text(1), "Accepting automatically in 1 second");
        assert_eq!(countdown_text(0), "Accepting…");
    }
}
