//! Seed 002's method override (Slim's): a `POST` whose form carries
//! `_METHOD=DELETE` — or whose `X-HTTP-Method-Override` header says
//! `DELETE` — is handled as a `DELETE`. Browsers need it where they cannot
//! send `DELETE`, as `navigator.sendBeacon` on a closing tab. It must run
//! before routing picks a handler by method, so it wraps the help router
//! as a service (`from_fn(apply).layer(router)`) for the queue paths. Only form bodies
//! are read, and only up to [`MAX_OVERRIDE_BODY`] bytes (413 beyond).

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{HeaderName, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::form::{fields, is_form};

/// The override header.
pub const OVERRIDE_HEADER: HeaderName = HeaderName::from_static("x-http-method-override");

/// The override form field.
pub const OVERRIDE_FIELD: &str = "_METHOD";

/// The largest form body read for the override.
pub const MAX_OVERRIDE_BODY: usize = 8 * 1024;

/// Turns an overridden `POST` into a `DELETE`, then runs the rest.
pub async fn apply(request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let header = request.headers().get(OVERRIDE_HEADER).map(|value| {
        value
            .to_str()
            .is_ok_and(|method| method.trim().eq_ignore_ascii_case("DELETE"))
    });
    if let Some(delete) = header {
        let mut request = request;
        if delete {
            *request.method_mut() = Method::DELETE;
        }
        return next.run(request).await;
    }
    if !is_form(request.headers()) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_OVERRIDE_BODY).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is too large.",
        )
            .into_response();
    };
    let overridden = fields(&parts.headers, bytes.clone())
        .await
        .ok()
        .and_then(|mut form| form.remove(OVERRIDE_FIELD))
        .is_some_and(|method| method.trim().eq_ignore_ascii_case("DELETE"));
    let mut request = Request::from_parts(parts, Body::from(bytes));
    if overridden {
        *request.method_mut() = Method::DELETE;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::middleware::from_fn;
    use axum::routing::post;
    use axum::Router;
    use tower::{Layer, ServiceExt};

    fn app() -> impl tower::Service<
        Request,
        Response = Response,
        Error = std::convert::Infallible,
        Future = impl Send,
    > + Clone {
        let router: Router = Router::new().route(
            "/q",
            post(|body: String| async move { format!("post {body}") })
                .delete(|| async { "delete" }),
        );
        from_fn(apply).layer(router)
    }

    async fn send(request: Request) -> (StatusCode, String) {
        let response = app().oneshot(request).await.unwrap();
        let status = response.status();
        let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    fn post_form(body: &str) -> Request {
        Request::post("/q")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body.to_owned()))
            .unwrap()
    }

    #[tokio::test]
    async fn a_form_field_or_a_header_turns_a_post_into_a_delete() {
        assert_eq!(send(post_form("_METHOD=DELETE")).await.1, "delete");
        assert_eq!(send(post_form("_METHOD=delete&x=1")).await.1, "delete");
        let header = Request::post("/q")
            .header("x-http-method-override", "DELETE")
            .body(Body::empty())
            .unwrap();
        assert_eq!(send(header).await.1, "delete");
    }

    #[tokio::test]
    async fn other_posts_keep_their_method_and_body() {
        assert_eq!(send(post_form("session_id=s")).await.1, "post session_id=s");
        let json = Request::post("/q")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"_METHOD":"DELETE"}"#))
            .unwrap();
        assert_eq!(send(json).await.1, r#"post {"_METHOD":"DELETE"}"#);
        let big = post_form(&"x".repeat(MAX_OVERRIDE_BODY + 1));
        assert_eq!(send(big).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    }
}
