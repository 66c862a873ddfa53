//! The browser entry point: a WASM `cdylib` whose only job is to hydrate the
//! server-rendered page with the `app` crate's root component.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
