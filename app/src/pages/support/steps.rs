//! The support page's small screens: the introduction, the camera and
//! microphone check (and its refusal, explained, with "Try again"), the
//! connecting spinner, and the end (thanks, or what went wrong) with
//! "Talk to a representative again".

use leptos::prelude::*;

use super::controller::SupportController;
use super::state::{MediaProblem, Phase};

/// What customer service is, and the way in (enabled once the page is
/// interactive: a click before would be lost).
#[component]
pub fn Intro(support: SupportController) -> impl IntoView {
    let ready = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| ready.set(true));
    view! {
        <section class="card support-intro" aria-labelledby="support-title">
            <h1 id="support-title">"Customer service"</h1>
            <p class="lead">"Talk to one of our representatives face to face, right here in your browser."</p>
            <ol class="support-steps">
                <li>"Tell us your name and what you need help with."</li>
                <li>"Allow your camera and microphone."</li>
                <li>"Wait in line — you see your place and an estimate of the wait."</li>
                <li>"A representative joins you by video."</li>
            </ol>
            <button type="button" class="primary" disabled=move || !ready.get() on:click=move |_| support.open_form()>
                "Talk to a representative"
            </button>
        </section>
    }
}

/// Waiting for the browser's camera / microphone prompt.
#[component]
pub fn Checking() -> impl IntoView {
    view! {
        <section class="card support-check" data-testid="media-check">
            <p class="status" role="status">
                <span class="spinner" aria-hidden="true"></span>
                "Please allow access to your camera and microphone."
            </p>
            <p class="muted">"Your browser asks for permission. A representative needs to see and hear you."</p>
        </section>
    }
}

/// The check failed: what happened, what to do, and "Try again".
#[component]
pub fn Blocked(support: SupportController, problem: MediaProblem) -> impl IntoView {
    let heading = match problem {
        MediaProblem::Denied => "Camera and microphone are blocked",
        MediaProblem::NoDevice => "No camera or microphone found",
        MediaProblem::Other(_) => "Your camera could not be started",
    };
    let retry = move |_| {
        #[cfg(feature = "hydrate")]
        support.check_media();
    };
    let cancel = move |_| {
        #[cfg(feature = "hydrate")]
        support.cancel();
    };
    #[cfg(not(feature = "hydrate"))]
    let _ = support;
    view! {
        <section class="card support-blocked" role="alert" data-testid="media-blocked">
            <h1>{heading}</h1>
            <p>{problem.advice()}</p>
            <div class="support-actions">
                <button type="button" class="primary" on:click=retry>"Try again"</button>
                <button type="button" on:click=cancel>"Cancel"</button>
            </div>
        </section>
    }
}

/// Connecting the help session's video.
#[component]
pub fn Connecting(support: SupportController) -> impl IntoView {
    let cancel = move |_| {
        #[cfg(feature = "hydrate")]
        support.cancel();
    };
    #[cfg(not(feature = "hydrate"))]
    let _ = support;
    view! {
        <section class="card support-check">
            <p class="status" role="status">
                <span class="spinner" aria-hidden="true"></span>
                "Connecting you to customer service…"
            </p>
            <button type="button" on:click=cancel>"Cancel"</button>
        </section>
    }
}

/// The help session is over: thanks, or what went wrong.
#[component]
pub fn Over(support: SupportController) -> impl IntoView {
    let failed = move || matches!(support.phase(), Phase::Failed(_));
    let text = move || match support.phase() {
        Phase::Ended(text) | Phase::Failed(text) => text,
        _ => String::new(),
    };
    view! {
        <section class="card goodbye support-over" data-testid="support-over">
            {move || if failed() {
                view! {
                    <h1>"Something went wrong"</h1>
                    <p class="error" role="alert">{text}</p>
                }.into_any()
            } else {
                view! { <div role="status"><h1>{text}</h1></div> }.into_any()
            }}
            <button type="button" class="primary" on:click=move |_| support.open_form()>
                "Talk to a representative again"
            </button>
        </section>
    }
}
