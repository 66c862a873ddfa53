//! Staff sign-in for the representatives' pages (`/rep`, `/rep/metrics`):
//! the server functions that open and close a session (the
//! `rendezvous_staff` cookie, set by the server, HttpOnly) and tell who is
//! signed in; [`signed_in`], which other server functions call first; the
//! [`StaffSignIn`] form (Enter submits, errors in words, a spinner while
//! checking; without JavaScript it posts straight to the server function,
//! which sets the cookie and sends the browser back); and the [`StaffBar`]
//! that says who is signed in, links the staff pages and signs out.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::accounts::{Account, Username};
use crate::components::failure::failure_text;

/// The account of the running server function's session cookie or bearer
/// token, and the accounts service; 401 (via
/// [`refused`](crate::server_errors::refused)) when nobody is signed in.
#[cfg(feature = "ssr")]
pub async fn signed_in(
) -> Result<(Account, crate::accounts::backend::SharedAccounts), ServerFnError> {
    use crate::server_errors::{refused, request_headers};
    let accounts = accounts()?;
    let headers = request_headers().await?;
    let account = accounts.authenticate(&headers).await.map_err(refused)?;
    Ok((account, accounts))
}

/// The server's accounts service, or 503.
#[cfg(feature = "ssr")]
fn accounts() -> Result<crate::accounts::backend::SharedAccounts, ServerFnError> {
    use crate::accounts::backend::{AuthError, SharedAccounts};
    use_context::<SharedAccounts>().ok_or_else(|| {
        crate::server_errors::refused(AuthError::Unavailable(
            "staff accounts are not running on this server".into(),
        ))
    })
}

/// Adds a `Set-Cookie` header to the server function's response.
#[cfg(feature = "ssr")]
fn set_cookie(value: &str) -> Result<(), ServerFnError> {
    let value = http::HeaderValue::from_str(value)
        .map_err(|err| ServerFnError::new(format!("bad cookie: {err}")))?;
    let response = use_context::<leptos_axum::ResponseOptions>()
        .ok_or_else(|| ServerFnError::new("no response to set the cookie on"))?;
    response.insert_header(http::header::SET_COOKIE, value);
    Ok(())
}

/// Checks a username and password and opens a session (the cookie).
/// Wrong credentials: 400 with one message for both cases.
#[server(endpoint = "staff/sign_in")]
pub async fn sign_in(username: String, password: String) -> Result<Account, ServerFnError> {
    use crate::accounts::backend::AuthError;
    use crate::server_errors::refused;
    if username.trim().is_empty() || password.is_empty() {
        return Err(refused(AuthError::Invalid(
            "Enter your username and password.".into(),
        )));
    }
    let signed_in = accounts()?
        .sign_in(&username, &password)
        .await
        .map_err(refused)?;
    set_cookie(&signed_in.set_cookie)?;
    Ok(signed_in.account)
}

/// Ends the browser's session (removes the cookie).
#[server(endpoint = "staff/sign_out")]
pub async fn sign_out() -> Result<(), ServerFnError> {
    set_cookie(&accounts()?.sign_out_cookie())
}

/// Who is signed in, if anyone (never a 401: `None` instead).
#[server(endpoint = "staff/current_account")]
pub async fn current_account() -> Result<Option<Account>, ServerFnError> {
    use crate::accounts::backend::AuthError;
    use crate::server_errors::{refused, request_headers};
    let headers = request_headers().await?;
    match accounts()?.authenticate(&headers).await {
        Ok(account) => Ok(Some(account)),
        Err(AuthError::NotSignedIn) => Ok(None),
        Err(err) => Err(refused(err)),
    }
}

/// What is wrong with the form before asking the server, if anything.
fn form_problem(username: &str, password: &str) -> Option<String> {
    if let Err(problem) = Username::parse(username) {
        return Some(problem.to_string());
    }
    password
        .is_empty()
        .then(|| "Enter your password.".to_owned())
}

/// The sign-in form. Calls `on_signed_in` once the server has opened the
/// session.
#[component]
pub fn StaffSignIn(
    /// What to do with the signed-in account.
    #[prop(into)]
    on_signed_in: Callback<Account>,
    /// What the page is for, said under the heading.
    #[prop(into, optional)]
    purpose: Option<String>,
) -> impl IntoView {
    // Uncontrolled fields, read on submit: what was typed (or filled in by a
    // password manager) before the page became interactive is kept.
    let username = NodeRef::<leptos::html::Input>::new();
    let password = NodeRef::<leptos::html::Input>::new();
    let value_of = |field: NodeRef<leptos::html::Input>| {
        field
            .get_untracked()
            .map(|input| input.value())
            .unwrap_or_default()
    };
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (name, secret) = (value_of(username), value_of(password));
        if let Some(problem) = form_problem(&name, &secret) {
            error.set(Some(problem));
            return;
        }
        error.set(None);
        pending.set(true);
        leptos::task::spawn_local(async move {
            match sign_in(name, secret).await {
                Ok(account) => {
                    if let Some(field) = password.get_untracked() {
                        field.set_value("");
                    }
                    on_signed_in.run(account);
                }
                Err(failure) => error.set(Some(failure_text(&failure))),
            }
            pending.set(false);
        });
    };
    let clear_error = move || error.set(None);
    view! {
        <form
            class="card staff-sign-in"
            method="post"
            action=SignIn::url()
            aria-labelledby="staff-sign-in-title"
            on:submit=on_submit
            novalidate
        >
            <h1 id="staff-sign-in-title">"Staff sign-in"</h1>
            <p class="muted">
                {purpose.unwrap_or_else(|| "For customer-service representatives and administrators.".into())}
            </p>
            <label for="staff-username">"Username"</label>
            <input
                id="staff-username"
                name="username"
                autocomplete="username"
                autocapitalize="none"
                spellcheck="false"
                maxlength="50"
                node_ref=username
                on:input=move |_| clear_error()
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby="staff-sign-in-error"
                disabled=move || pending.get()
            />
            <label for="staff-password">"Password"</label>
            <input
                id="staff-password"
                name="password"
                type="password"
                autocomplete="current-password"
                maxlength="128"
                node_ref=password
                on:input=move |_| clear_error()
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby="staff-sign-in-error"
                disabled=move || pending.get()
            />
            <p id="staff-sign-in-error" class="error" role="alert">{move || error.get()}</p>
            <button type="submit" class="primary" disabled=move || pending.get()>
                {move || if pending.get() {
                    view! { <span class="spinner" aria-hidden="true"></span>"Signing in…" }.into_any()
                } else {
                    "Sign in".into_any()
                }}
            </button>
        </form>
    }
}

/// "Signed in as ann (rep) · Console · Metrics · Sign out". Calls
/// `on_signed_out` once the server has closed the session.
#[component]
pub fn StaffBar(
    /// Who is signed in.
    account: Account,
    /// What to do after signing out.
    #[prop(into)]
    on_signed_out: Callback<()>,
) -> impl IntoView {
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let on_sign_out = move |_| {
        pending.set(true);
        leptos::task::spawn_local(async move {
            match sign_out().await {
                Ok(()) => on_signed_out.run(()),
                Err(failure) => error.set(Some(failure_text(&failure))),
            }
            pending.set(false);
        });
    };
    let path = leptos_router::hooks::use_location().pathname;
    let current = move |href: &'static str| move || (path.get() == href).then_some("page");
    view! {
        <nav class="staff-bar" aria-label="Staff">
            <span class="staff-who" data-testid="staff-user">
                "Signed in as " <strong>{account.username.to_string()}</strong>
                <span class="badge muted">{account.role.as_str()}</span>
            </span>
            <a href="/rep" aria-current=current("/rep")>"Console"</a>
            <a href="/rep/metrics" aria-current=current("/rep/metrics")>"Metrics"</a>
            <button type="button" class="link" on:click=on_sign_out disabled=move || pending.get()>
                "Sign out"
            </button>
            {move || error.get().map(|message| view! { <span class="error" role="alert">{message}</span> })}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_checked_before_asking_the_server() {
        assert_eq!(form_problem("ann", "secret"), None);
        assert_eq!(
            form_problem(" ", "secret").as_deref(),
            Some("Enter a username.")
        );
        assert_eq!(
            form_problem("ann", "").as_deref(),
            Some("Enter your password.")
        );
        assert!(form_problem("ann lee", "x").is_some());
    }

    #[test]
    fn the_server_functions_have_stable_urls() {
        assert_eq!(SignIn::url(), "/api/staff/sign_in");
        assert_eq!(SignOut::url(), "/api/staff/sign_out");
        assert_eq!(CurrentAccount::url(), "/api/staff/current_account");
    }
}
