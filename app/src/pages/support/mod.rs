//! `/support` — the customer's side of customer service (seed 002): an
//! introduction, "Talk to a representative" and a form (name, problem),
//! the camera and microphone check, then the wait in the queue with the
//! live position and an estimate, the video call with the representative,
//! and its end. Cancel, End and closing the tab all leave the queue. The
//! server decides the queue and tells this page over the help hub.

mod controller;
mod form;
mod session_view;
mod state;
mod steps;

#[cfg(feature = "hydrate")]
mod api;
#[cfg(feature = "hydrate")]
mod flow;
#[cfg(feature = "hydrate")]
mod follow;
#[cfg(feature = "hydrate")]
mod leave;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::top_bar::TopBar;
use crate::platform::{get_platform_info, PlatformInfo};
use controller::SupportController;
use form::RequestForm;
use session_view::SessionView;
use state::Phase;
use steps::{Blocked, Checking, Connecting, Intro, Over};

/// The `/support` page.
#[component]
pub fn SupportPage() -> impl IntoView {
    let info = OnceResource::new(get_platform_info());
    let support = SupportController::new();
    // Leaving for another page of the app leaves the queue too.
    #[cfg(feature = "hydrate")]
    on_cleanup(move || support.leave());
    view! {
        <Title text="Customer service · Rendezvous"/>
        <TopBar>
            <a class="badge muted" href="/">"Home"</a>
        </TopBar>
        <main class="page support">
            <Suspense fallback=|| view! {
                <p class="status" role="status"><span class="spinner" aria-hidden="true"></span>"Loading…"</p>
            }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => view! { <Support support info/> }.into_any(),
                        Err(_) => view! {
                            <p class="error" role="alert">"The server's video settings could not be loaded. Reload the page."</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// Which screen shows; the session screen spans every phase with video, so
/// its call view is never rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    Intro,
    Form,
    Checking,
    Blocked,
    Connecting,
    Session,
    Over,
}

impl Screen {
    fn of(phase: &Phase) -> Screen {
        match phase {
            Phase::Intro => Screen::Intro,
            Phase::Form | Phase::Requesting => Screen::Form,
            Phase::Checking => Screen::Checking,
            Phase::Blocked(_) => Screen::Blocked,
            Phase::Connecting => Screen::Connecting,
            Phase::Publishing
            | Phase::Queueing
            | Phase::Waiting
            | Phase::Answered
            | Phase::InCall => Screen::Session,
            Phase::Ended(_) | Phase::Failed(_) => Screen::Over,
        }
    }
}

/// The page once the platform is known.
#[component]
fn Support(support: SupportController, info: PlatformInfo) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        support.start(info);
        // Joining the queue waits for the own video to be live.
        Effect::new(move |_| {
            let live = support.call.publishing.get();
            let failed = support.call.publish_error.get();
            if live {
                support.published();
            } else if let Some(why) = failed {
                let publishing = support
                    .state
                    .with_untracked(|s| s.phase == Phase::Publishing);
                if publishing {
                    support.fail(why);
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = info;
    let screen = Memo::new(move |_| Screen::of(&support.phase()));
    view! {
        <Show when=move || support.hub_reconnecting.get()>
            <p class="banner" role="status">
                <span class="spinner" aria-hidden="true"></span>
                "Connection lost — reconnecting…"
            </p>
        </Show>
        {move || match screen.get() {
            Screen::Intro => view! { <Intro support/> }.into_any(),
            Screen::Form => view! { <RequestForm support/> }.into_any(),
            Screen::Checking => view! { <Checking/> }.into_any(),
            Screen::Blocked => match support.state.with_untracked(|s| s.phase.clone()) {
                Phase::Blocked(problem) => view! { <Blocked support problem/> }.into_any(),
                _ => ().into_any(),
            },
            Screen::Connecting => view! { <Connecting support/> }.into_any(),
            Screen::Session => view! { <SessionView support/> }.into_any(),
            Screen::Over => view! { <Over support/> }.into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phase_with_video_is_one_screen() {
        for phase in [
            Phase::Publishing,
            Phase::Queueing,
            Phase::Waiting,
            Phase::Answered,
            Phase::InCall,
        ] {
            assert_eq!(Screen::of(&phase), Screen::Session, "{phase:?}");
        }
        assert_eq!(Screen::of(&Phase::Requesting), Screen::Form);
        assert_eq!(Screen::of(&Phase::Failed("x".into())), Screen::Over);
        assert_eq!(Screen::of(&Phase::Intro), Screen::Intro);
    }
}
