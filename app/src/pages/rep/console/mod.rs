//! The representative's console on `/rep` (seed 002's representative page,
//! signed in): a "N waiting" badge and the queue's events over the help hub
//! session, the camera preview, "Next customer" — answered at once or
//! pushed by the server when the next customer arrives (no polling) — then
//! the customer's name, problem and call, with End. A customer whose video
//! does not arrive within 5 s is skipped, as in the seed.

#[cfg(feature = "hydrate")]
mod call;
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
mod controller;
mod customer_view;
mod desk_view;
#[cfg(feature = "hydrate")]
mod hub;
mod requests;
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
mod state;
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
mod watch;

use leptos::prelude::*;

use crate::accounts::Account;
use crate::platform::PlatformInfo;
use controller::{HubLink, RepController};
use customer_view::CustomerCall;
use desk_view::{DeskPanel, RepPreview};

/// The console of the signed-in representative `account`.
#[component]
pub fn Console(account: Account, info: PlatformInfo) -> impl IntoView {
    let rep = RepController::new(account);
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |started: Option<()>| {
            if started.is_none() {
                rep.start(info.clone());
            }
        });
        on_cleanup(move || rep.leave());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = info;
    let customer = Memo::new(move |_| rep.desk.with(|d| d.customer().cloned()));
    let in_call = Memo::new(move |_| customer.with(Option::is_some));
    let notice = Memo::new(move |_| {
        rep.desk
            .with(|d| d.notice.as_ref().map(|n| (n.text(), n.is_problem())))
    });
    view! {
        <section class="rep-console" aria-labelledby="rep-title">
            <div class="rep-head">
                <h1 id="rep-title">"Customer service"</h1>
                <WaitingBadge rep/>
            </div>
            <HubBanner rep/>
            {move || rep.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || notice.get().map(|(text, problem)| view! {
                <p class="notice-bar" class:warn=problem role="status" data-testid="rep-notice">{text}</p>
            })}
            {move || if in_call.get() {
                match customer.get_untracked() {
                    Some(customer) => view! { <CustomerCall rep customer/> }.into_any(),
                    None => ().into_any(),
                }
            } else {
                view! {
                    <div class="rep-idle">
                        <DeskPanel rep/>
                        <RepPreview rep/>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// "N waiting", from the server's `Waiting` events.
#[component]
fn WaitingBadge(rep: RepController) -> impl IntoView {
    let count = Memo::new(move |_| rep.desk.with(|d| d.waiting));
    view! {
        <span
            class=move || match count.get() { Some(n) if n > 0 => "badge waiting-badge busy", _ => "badge waiting-badge" }
            data-testid="waiting-count"
            data-count=move || count.get().map(|n| n.to_string())
            role="status"
            aria-live="polite"
        >
            {move || match count.get() {
                None => "… waiting".to_owned(),
                Some(n) => format!("{n} waiting"),
            }}
        </span>
    }
}

/// The hub link's trouble, if any, with a way back.
#[component]
fn HubBanner(rep: RepController) -> impl IntoView {
    let reconnect = move |_| {
        #[cfg(feature = "hydrate")]
        rep.connect_hub();
    };
    move || {
        match rep.hub.get() {
        HubLink::Online => ().into_any(),
        HubLink::Connecting => view! {
            <p class="banner" role="status"><span class="spinner" aria-hidden="true"></span>"Connecting to the queue…"</p>
        }.into_any(),
        HubLink::Reconnecting => view! {
            <p class="banner" role="status"><span class="spinner" aria-hidden="true"></span>"Connection lost — reconnecting…"</p>
        }.into_any(),
        HubLink::Offline(why) => view! {
            <div class="banner offline" role="alert">
                <p>{why}</p>
                <button type="button" on:click=reconnect>"Reconnect"</button>
            </div>
        }.into_any(),
    }
    }
}
