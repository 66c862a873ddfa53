//! The browser's calls to our own HTTP routes (hydrate only), with the
//! server's JSON `{error}` message passed through for display.

use crate::models::{ErrorBody, RoomCredentials};

/// Calls `GET /room/{name}` (with `?name=` when joining under a display
/// name); the error is the server's own message.
pub async fn fetch_room(room: &str, display_name: Option<&str>) -> Result<RoomCredentials, String> {
    let mut url = format!("/room/{}", js_sys::encode_uri_component(room));
    if let Some(name) = display_name {
        url.push_str("?name=");
        url.push_str(&String::from(js_sys::encode_uri_component(name)));
    }
    let response = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|_| {
            "The server could not be reached. Check your connection and try again.".to_owned()
        })?;
    if response.ok() {
        response
            .json::<RoomCredentials>()
            .await
            .map_err(|e| format!("Unexpected answer: {e}"))
    } else {
        let status = response.status();
        match response.json::<ErrorBody>().await {
            Ok(body) => Err(body.error),
            Err(_) => Err(format!("The server answered {status}.")),
        }
    }
}
