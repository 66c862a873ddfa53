//! The buddy list: everyone else online with their state (available, invite
//! pending, in a chat), updated live from the server's events; an invite
//! (camera) button on available people, disabled while this person is busy;
//! and the options of the next invitation (audio only, auto-accept after a
//! countdown). Inviting asks the server ([`invite`]).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::controller::PresenceController;
use crate::presence::{CallOptions, Invitation, RemoteUser, UserId, UserState};

/// The auto-accept choices offered, in seconds.
const ACCEPT_AFTER_CHOICES: [u8; 3] = [5, 10, 20];

/// `user` invites `to` with `options`.
#[server(input = Json)]
pub async fn invite(to: UserId, options: CallOptions) -> Result<Invitation, ServerFnError> {
    use super::caller::{refused, Caller};
    let caller = Caller::identify().await?;
    caller
        .presence
        .invite(caller.user.id, to, options)
        .await
        .map_err(refused)
}

/// Reads the auto-accept picker's value: seconds, or `None` for "ring".
pub fn parse_accept_after(value: &str) -> Option<u8> {
    value
        .parse::<u8>()
        .ok()
        .filter(|s| (1..=CallOptions::MAX_ACCEPT_AFTER).contains(s))
}

/// A state as a badge: (text, CSS class).
pub fn state_badge(state: UserState) -> (&'static str, &'static str) {
    match state {
        UserState::Available => ("Available", "badge ok"),
        UserState::InvitePending => ("Invite pending", "badge warn"),
        UserState::InChat => ("In a chat", "badge muted"),
    }
}

/// The list of others, with the options of the next invitation.
#[component]
pub fn BuddyList(presence: PresenceController) -> impl IntoView {
    let buddies = move || presence.state.with(|s| s.buddies.clone());
    let complete = move || presence.state.with(|s| s.list_complete);
    view! {
        <section class="card buddies" aria-labelledby="buddies-title">
            <h2 id="buddies-title">"People online"</h2>
            <CallOptionsPicker presence/>
            <Show
                when=move || !buddies().is_empty()
                fallback=move || view! {
                    <p class="empty muted" data-testid="buddies-empty">
                        {move || if complete() {
                            "Nobody else is here yet. Open this page in another window, or send the link to a friend."
                        } else {
                            "Loading who is online…"
                        }}
                    </p>
                }
            >
                <ul class="buddy-list">
                    <For each=buddies key=|b| (b.id, b.state) let:buddy>
                        <Buddy presence buddy/>
                    </For>
                </ul>
            </Show>
        </section>
    }
    .into_any()
}

/// One person in the list.
#[component]
fn Buddy(presence: PresenceController, buddy: RemoteUser) -> impl IntoView {
    let (label, class) = state_badge(buddy.state);
    let name = buddy.name.to_string();
    let to = buddy.id;
    let may_invite = move || presence.state.with(|s| s.can_invite()) && !presence.busy.get();
    let on_invite = move |_| {
        let options = presence.options.get_untracked();
        presence.act(invite(to, options), move |invitation| {
            presence.state.update(|s| {
                s.learn_invitation(invitation);
            });
        });
    };
    view! {
        <li class="buddy" data-testid="buddy" data-name=name.clone() data-state=label>
            <span class="avatar" aria-hidden="true">{name.chars().next().map(|c| c.to_uppercase().to_string())}</span>
            <span class="buddy-name">{name.clone()}</span>
            <span class=class>{label}</span>
            {(buddy.state == UserState::Available).then(|| view! {
                <button
                    type="button"
                    class="primary invite"
                    aria-label=format!("Invite {name}")
                    title=format!("Invite {name} to a video chat")
                    disabled=move || !may_invite()
                    on:click=on_invite
                >
                    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                        <path fill="currentColor" d="M4 6h11a2 2 0 0 1 2 2v1.5l4-2.5v10l-4-2.5V16a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2z"/>
                    </svg>
                    <span>"Invite"</span>
                </button>
            })}
        </li>
    }
    .into_any()
}

/// Audio only, and auto-accept after a countdown.
#[component]
fn CallOptionsPicker(presence: PresenceController) -> impl IntoView {
    let options = presence.options;
    view! {
        <fieldset class="call-options">
            <legend>"Your next call"</legend>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || options.get().audio_only
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        options.update(|o| o.audio_only = on);
                    }
                />
                "Audio only"
            </label>
            <label class="pick">
                <span>"Answer"</span>
                <select
                    aria-label="How the invitation is answered"
                    on:change=move |ev| {
                        let after = parse_accept_after(&event_target_value(&ev));
                        options.update(|o| o.accept_after = after);
                    }
                >
                    <option value="" selected=move || options.get().accept_after.is_none()>"Ring until answered"</option>
                    {ACCEPT_AFTER_CHOICES.map(|s| view! {
                        <option value=s.to_string() selected=move || options.get().accept_after == Some(s)>
                            {format!("Auto-accept after {s} s")}
                        </option>
                    })}
                </select>
            </label>
        </fieldset>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_after_choices_parse() {
        assert_eq!(parse_accept_after(""), None);
        assert_eq!(parse_accept_after("10"), Some(10));
        assert_eq!(parse_accept_after("0"), None);
        assert_eq!(parse_accept_after("61"), None);
        assert!(ACCEPT_AFTER_CHOICES
            .iter()
            .all(|s| parse_accept_after(&s.to_string()) == Some(*s)));
    }

    #[test]
    fn badges() {
        assert_eq!(state_badge(UserState::InChat).0, "In a chat");
        assert_eq!(state_badge(UserState::InvitePending).1, "badge warn");
    }
}
