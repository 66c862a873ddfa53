//! Loads OpenTok.js into the page the first time a session connects. The
//! file is npm `@opentok/client`, pinned in `package.json` and copied by
//! `scripts/build.sh` into `target/site/vendor/opentok/`, so our own server
//! serves it — never a CDN. Concurrent connects share one `<script>`; a
//! failed load may be retried by the next connect.

use std::cell::RefCell;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlScriptElement;

use crate::video::VideoError;

/// Where our server serves OpenTok.js.
pub(super) const SCRIPT_URL: &str = "/vendor/opentok/opentok.min.js";

type Loading = Shared<LocalBoxFuture<'static, Result<(), VideoError>>>;

thread_local! {
    /// The load in progress (or done), shared by concurrent callers.
    static LOADING: RefCell<Option<Loading>> = const { RefCell::new(None) };
}

/// Whether `window.OT` exists.
fn is_loaded() -> bool {
    web_sys::window()
        .and_then(|window| Reflect::get(&window, &JsValue::from_str("OT")).ok())
        .is_some_and(|ot| !ot.is_undefined() && !ot.is_null())
}

/// Makes sure `window.OT` exists, loading [`SCRIPT_URL`] if it does not.
pub(super) async fn ensure_loaded() -> Result<(), VideoError> {
    if is_loaded() {
        return Ok(());
    }
    let loading = LOADING.with(|slot| {
        slot.borrow_mut()
            .get_or_insert_with(|| load().boxed_local().shared())
            .clone()
    });
    let outcome = loading.await;
    if outcome.is_err() {
        // Forget the failure so that the next connect tries again.
        LOADING.with(|slot| slot.borrow_mut().take());
    }
    outcome
}

fn unavailable(detail: &str) -> VideoError {
    VideoError::Unsupported(format!(
        "OpenTok.js could not be loaded from {SCRIPT_URL}: {detail}"
    ))
}

/// Appends the `<script>` and waits for its `load` (or `error`) event.
async fn load() -> Result<(), VideoError> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| unavailable("no document"))?;
    let head = document.head().ok_or_else(|| unavailable("no <head>"))?;
    let script: HtmlScriptElement = document
        .create_element("script")
        .ok()
        .and_then(|element| element.dyn_into().ok())
        .ok_or_else(|| unavailable("cannot create a <script>"))?;
    script.set_src(SCRIPT_URL);
    script.set_async(true);
    let settled = Promise::new(&mut |resolve, reject| {
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
    });
    head.append_child(&script)
        .map_err(|_| unavailable("cannot add the <script>"))?;
    let loaded = JsFuture::from(settled).await;
    script.set_onload(None);
    script.set_onerror(None);
    match loaded {
        Ok(_) if is_loaded() => Ok(()),
        Ok(_) => {
            script.remove();
            Err(unavailable("the script did not define window.OT"))
        }
        Err(_) => {
            script.remove();
            Err(unavailable("the request failed"))
        }
    }
}
