//! This person's invitation while it rings: "Calling X…" with a spinner and
//! Cancel ([`cancel_invitation`]). How it ended (declined, busy, no answer…)
//! comes from the server and shows as the page's notice.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::controller::PresenceController;
use crate::presence::{Invitation, InvitationId};

/// The inviter withdraws their invitation.
#[server(input = Json)]
pub async fn cancel_invitation(invitation: InvitationId) -> Result<(), ServerFnError> {
    use super::caller::{refused, Caller};
    let caller = Caller::identify().await?;
    caller
        .presence
        .cancel(caller.user.id, invitation)
        .await
        .map_err(refused)
}

/// What the inviter sees while waiting.
pub fn calling_text(invitation: &Invitation) -> String {
    let kind = if invitation.options.audio_only {
        "audio call"
    } else {
        "video call"
    };
    match invitation.options.accept_after {
        Some(seconds) => format!(
            "Calling {} ({kind}, answered automatically after {seconds} s)…",
            invitation.to_name
        ),
        None => format!("Calling {} ({kind})…", invitation.to_name),
    }
}

/// The ringing outgoing invitation.
#[component]
pub fn OutgoingCall(presence: PresenceController, invitation: Invitation) -> impl IntoView {
    let id = invitation.id;
    let cancel = move |_| presence.act(cancel_invitation(id), |()| {});
    view! {
        <section class="card call-prompt outgoing" data-testid="outgoing" aria-live="polite">
            <p class="status">
                <span class="spinner" aria-hidden="true"></span>
                <span>{calling_text(&invitation)}</span>
            </p>
            <button type="button" on:click=cancel disabled=move || presence.busy.get()>"Cancel"</button>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::presence::fixtures::invitation;
    use crate::presence::CallOptions;

    #[test]
    fn calling_text_names_the_invitee_and_the_options() {
        let mut invitation = invitation(1, 1, 2);
        assert_eq!(calling_text(&invitation), "Calling U2 (video call)…");
        invitation.options = CallOptions {
            audio_only: true,
            accept_after: Some(5),
        };
        assert_eq!(
            calling_text(&invitation),
            "Calling U2 (audio call, answered automatically after 5 s)…"
        );
    }
}
