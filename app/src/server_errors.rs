//! How a refusal leaves a server function (server side only): its message in
//! a [`ServerFnError`], its status on the HTTP response; and the request's
//! cookies as one header value. Shared by every page's server functions.

use leptos::prelude::*;

/// An error that maps to an HTTP status.
pub trait Refusal: std::fmt::Display {
    /// The HTTP status for this error.
    fn status(&self) -> u16;
}

/// Turns a refusal into the server function's error, setting the response's
/// HTTP status to the error's.
pub fn refused<E: Refusal>(error: E) -> ServerFnError {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
    }
    ServerFnError::new(error)
}

/// The running server function's request headers.
pub async fn request_headers() -> Result<http::HeaderMap, ServerFnError> {
    leptos_axum::extract::<http::HeaderMap>()
        .await
        .map_err(|error| ServerFnError::new(error.to_string()))
}

/// All `Cookie` headers as one value (HTTP/2 may split them).
pub fn cookie_header(headers: &http::HeaderMap) -> String {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::reactive::owner::Owner;

    struct Teapot;

    impl std::fmt::Display for Teapot {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("I am a teapot")
        }
    }

    impl Refusal for Teapot {
        fn status(&self) -> u16 {
            418
        }
    }

    #[test]
    fn refusals_carry_message_and_status() {
        let owner = Owner::new();
        owner.with(|| {
            let response = leptos_axum::ResponseOptions::default();
            provide_context(response.clone());
            assert_eq!(refused(Teapot), ServerFnError::new("I am a teapot"));
            assert_eq!(
                response.0.read().unwrap().status,
                Some(http::StatusCode::IM_A_TEAPOT)
            );
        });
    }

    #[test]
    fn split_cookie_headers_are_joined() {
        let mut headers = http::HeaderMap::new();
        headers.append(http::header::COOKIE, "a=1".parse().unwrap());
        headers.append(http::header::COOKIE, "rendezvous_id=x.y.z".parse().unwrap());
        assert_eq!(cookie_header(&headers), "a=1; rendezvous_id=x.y.z");
        assert_eq!(cookie_header(&http::HeaderMap::new()), "");
    }
}
