//! `/rep` and `/rep/metrics` — the representatives' side of customer
//! service (seed 002), behind a sign-in. `/rep` is the console
//! ([`console`]): signed out it shows the staff sign-in form, signed in the
//! staff bar (who, the metrics link, sign out) and the console itself.

mod console;
pub mod metrics;
pub mod sign_in;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::accounts::Account;
use crate::components::failure::failure_text;
use crate::components::top_bar::TopBar;
use crate::platform::{get_platform_info, PlatformInfo};
use sign_in::{current_account, StaffBar, StaffSignIn};

/// The `/rep` page.
#[component]
pub fn RepPage() -> impl IntoView {
    let info = OnceResource::new(get_platform_info());
    let loaded = OnceResource::new(current_account());
    view! {
        <Title text="Representative console · Rendezvous"/>
        <TopBar>
            <a class="badge muted" href="/">"Home"</a>
        </TopBar>
        <main class="page wide rep">
            <Suspense fallback=|| view! {
                <p class="status" role="status"><span class="spinner" aria-hidden="true"></span>"Loading…"</p>
            }>
                {move || Suspend::new(async move {
                    match (info.await, loaded.await) {
                        (Ok(info), Ok(account)) => view! { <Gate info account/> }.into_any(),
                        (Err(_), _) => view! {
                            <p class="error" role="alert">"The server's video settings could not be loaded. Reload the page."</p>
                        }.into_any(),
                        (_, Err(error)) => view! {
                            <p class="error" role="alert">{failure_text(&error)}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The sign-in form, or the staff bar and the console.
#[component]
fn Gate(info: PlatformInfo, account: Option<Account>) -> impl IntoView {
    let account = RwSignal::new(account);
    // The console is rebuilt only when someone else signs in.
    let who = Memo::new(move |_| account.get());
    move || match who.get() {
        None => view! {
            <div class="staff-gate">
                <StaffSignIn
                    purpose="Sign in to answer customers' video calls."
                    on_signed_in=move |signed: Account| account.set(Some(signed))
                />
            </div>
        }
        .into_any(),
        Some(signed) => view! {
            <StaffBar account=signed.clone() on_signed_out=move |()| account.set(None)/>
            <console::Console account=signed info=info.clone()/>
        }
        .into_any(),
    }
}
