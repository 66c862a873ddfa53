//! The console's server functions: the representative's hub credentials,
//! "next customer", "stop waiting", ending a call and skipping a customer
//! whose video never came. Each identifies the signed-in representative
//! (session cookie) and asks the server's [`HelpBackend`]; refusals carry
//! their HTTP status and a message for people.
//!
//! [`HelpBackend`]: crate::help::backend::HelpBackend

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::help::Assignment;
use crate::models::RoomCredentials;

/// The signed-in representative and the server's customer service.
#[cfg(feature = "ssr")]
struct Rep {
    help: crate::help::backend::SharedHelp,
    account: crate::accounts::Account,
}

#[cfg(feature = "ssr")]
impl Rep {
    /// Identifies the caller of the running server function (401 when not
    /// signed in, 503 when customer service is not running).
    async fn identify() -> Result<Rep, ServerFnError> {
        use crate::help::backend::{HelpError, SharedHelp};
        use crate::server_errors::refused;

        let (account, _) = crate::pages::rep::sign_in::signed_in().await?;
        let help = use_context::<SharedHelp>().ok_or_else(|| {
            refused(HelpError::Unavailable(
                "it is not running on this server".into(),
            ))
        })?;
        Ok(Rep { help, account })
    }
}

/// Credentials for the help hub session, where the server tells this
/// representative the queue length and pushes their next customer.
#[server(endpoint = "rep/hub")]
pub async fn rep_hub() -> Result<RoomCredentials, ServerFnError> {
    let rep = Rep::identify().await?;
    rep.help
        .rep_hub(&rep.account)
        .await
        .map_err(crate::server_errors::refused)
}

/// The next customer now, or `None`: the representative is ready and the
/// next customer to arrive is pushed over the hub
/// ([`HelpEvent::Assigned`](crate::help::HelpEvent::Assigned)).
#[server(endpoint = "rep/next_customer")]
pub async fn next_customer() -> Result<Option<Assignment>, ServerFnError> {
    use crate::help::backend::NextCustomer as Answer;

    let rep = Rep::identify().await?;
    match rep.help.next_customer(&rep.account).await {
        Ok(Answer::Assigned(assignment)) => Ok(Some(assignment)),
        Ok(Answer::Ready) => Ok(None),
        Err(error) => Err(crate::server_errors::refused(error)),
    }
}

/// The representative no longer waits for a customer.
#[server(endpoint = "rep/stop_waiting")]
pub async fn stop_waiting() -> Result<(), ServerFnError> {
    let rep = Rep::identify().await?;
    rep.help
        .stop_waiting(&rep.account)
        .await
        .map_err(crate::server_errors::refused)
}

/// The representative ends the call in `session_id` (served).
#[server(input = Json, endpoint = "rep/end_call")]
pub async fn end_call(session_id: String) -> Result<(), ServerFnError> {
    let rep = Rep::identify().await?;
    rep.help
        .end_call(&rep.account, &session_id)
        .await
        .map_err(crate::server_errors::refused)
}

/// The customer in `session_id` did not show their video in time (skipped).
#[server(input = Json, endpoint = "rep/skip_customer")]
pub async fn skip_customer(session_id: String) -> Result<(), ServerFnError> {
    let rep = Rep::identify().await?;
    rep.help
        .skip(&rep.account, &session_id)
        .await
        .map_err(crate::server_errors::refused)
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::server_fn::ServerFn;

    #[test]
    fn the_server_functions_have_stable_urls() {
        assert_eq!(RepHub::url(), "/api/rep/hub");
        assert_eq!(NextCustomer::url(), "/api/rep/next_customer");
        assert_eq!(StopWaiting::url(), "/api/rep/stop_waiting");
        assert_eq!(EndCall::url(), "/api/rep/end_call");
        assert_eq!(SkipCustomer::url(), "/api/rep/skip_customer");
    }
}
