//! The console between calls: the camera preview with the device pickers
//! (devices are released when a call starts and the call publishes the
//! ones chosen here), and the desk — "Next customer", the search, and
//! "Waiting for the next customer…" with "Stop waiting".

use leptos::prelude::*;

use super::controller::{HubLink, RepController};
use super::state::Phase;
use crate::components::preview::{Device, DevicePicker, Preview, PreviewScreen};

/// The camera preview and device pickers.
#[component]
pub fn RepPreview(rep: RepController) -> impl IntoView {
    let video = NodeRef::<leptos::html::Video>::new();
    #[cfg(feature = "hydrate")]
    let media = crate::components::preview::PreviewMedia::new(
        rep.call.choice,
        rep.preview,
        rep.cameras,
        rep.microphones,
        video,
    );
    #[cfg(feature = "hydrate")]
    Effect::new(move |started: Option<()>| {
        if started.is_none() {
            // After a call the devices open afresh.
            rep.preview.set(Preview::Starting);
            media.start();
        }
    });
    #[cfg(feature = "hydrate")]
    on_cleanup(move || media.stop());
    let restart = Callback::new(move |()| {
        #[cfg(feature = "hydrate")]
        media.restart();
    });
    let retry = move |_| {
        #[cfg(feature = "hydrate")]
        {
            rep.preview.set(Preview::Starting);
            media.start();
        }
    };
    view! {
        <section class="card rep-preview" aria-label="Your camera">
            <PreviewScreen video preview=rep.preview choice=rep.call.choice/>
            {move || match rep.preview.get() {
                Preview::Blocked(why) => view! {
                    <div class="notice" role="alert">
                        <p>{why}</p>
                        <p>"Customers need to see and hear you: allow the camera and microphone, then try again."</p>
                        <button type="button" on:click=retry>"Try again"</button>
                    </div>
                }.into_any(),
                _ => ().into_any(),
            }}
            <div class="device-pickers">
                <DevicePicker id="rep-camera" device=Device::Camera devices=rep.cameras choice=rep.call.choice on_pick=restart/>
                <DevicePicker id="rep-microphone" device=Device::Microphone devices=rep.microphones choice=rep.call.choice on_pick=restart/>
            </div>
        </section>
    }
}

/// "Next customer", or the wait for one.
#[component]
pub fn DeskPanel(rep: RepController) -> impl IntoView {
    let phase = Memo::new(move |_| rep.desk.with(|d| d.phase.clone()));
    let online = move || rep.hub.get() == HubLink::Online;
    let can_ask = move || online() && rep.media_ready() && !rep.busy.get();
    let why_not = move || {
        if !online() {
            Some("Customers are handed over through the live connection, which is not up.")
        } else if rep.preview.get() == Preview::Starting {
            None
        } else if !rep.media_ready() {
            Some("Your camera or microphone must be on to take a customer.")
        } else {
            None
        }
    };
    view! {
        <section class="card rep-desk" data-testid="rep-desk">
            {move || match phase.get() {
                Phase::Waiting => view! {
                    <p class="status" role="status" data-testid="rep-waiting">
                        <span class="spinner" aria-hidden="true"></span>
                        "Waiting for the next customer…"
                    </p>
                    <p class="muted">"You will be connected as soon as a customer asks for help."</p>
                    <button
                        type="button"
                        disabled=move || rep.busy.get()
                        on:click=move |_| {
                            #[cfg(feature = "hydrate")]
                            rep.stop_waiting();
                        }
                    >
                        "Stop waiting"
                    </button>
                }.into_any(),
                Phase::Asking => view! {
                    <p class="status" role="status">
                        <span class="spinner" aria-hidden="true"></span>"Looking for the next customer…"
                    </p>
                }.into_any(),
                _ => view! {
                    <h2>"Ready to help?"</h2>
                    <p class="muted">"Take the customer who has waited longest. If nobody is waiting, the next one to arrive comes straight to you."</p>
                    <button
                        type="button"
                        class="primary"
                        disabled=move || !can_ask()
                        on:click=move |_| {
                            #[cfg(feature = "hydrate")]
                            rep.next();
                        }
                    >
                        "Next customer"
                    </button>
                    {move || why_not().map(|why| view! { <p class="muted hint">{why}</p> })}
                }.into_any(),
            }}
        </section>
    }
}
