//! OpenTok.js reports the outcome of `connect`, `initPublisher`, `publish`,
//! `subscribe` and `signal` through a Node-style completion handler
//! (`callback(error?)`). [`with_completion`] hands such a handler to a call
//! and turns it into a future, so the backend can simply `.await` it.

use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Settles once OpenTok.js has called the completion handler: `Ok` when it
/// was called without an error, `Err(error)` otherwise.
pub(super) struct Completion(JsFuture);

impl Completion {
    /// Waits for the completion handler.
    pub(super) async fn done(self) -> Result<(), JsValue> {
        self.0.await.map(drop)
    }
}

/// Calls `start` with a fresh completion handler and returns what `start`
/// returned together with the [`Completion`] of that handler. When `start`
/// throws, its exception is returned and the handler is never awaited.
pub(super) fn with_completion<T>(
    start: impl FnOnce(&Function) -> Result<T, JsValue>,
) -> Result<(T, Completion), JsValue> {
    let mut settle = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    let (resolve, reject): (Function, Function) =
        settle.expect("a Promise runs its executor synchronously");
    // Freed by wasm-bindgen once OpenTok.js has called it.
    let handler = Closure::once_into_js(move |error: JsValue| {
        // Calling resolve / reject of a fresh promise cannot throw.
        let _ = if error.is_null() || error.is_undefined() {
            resolve.call0(&JsValue::UNDEFINED)
        } else {
            reject.call1(&JsValue::UNDEFINED, &error)
        };
    });
    let value = start(handler.unchecked_ref())?;
    Ok((value, Completion(JsFuture::from(promise))))
}
