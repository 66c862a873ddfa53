//! When an archive was made, in the viewer's own time: the server renders
//! UTC (it knows no viewer's time zone, and hydration must find the same
//! text), then the browser switches each time to local time. Also the
//! viewer's time-zone offset, which the filter form sends along so that
//! "from" and "to" days are the viewer's days.

use leptos::prelude::*;
use time::macros::format_description;
use time::OffsetDateTime;

/// `24 Nov 2026, 14:05 UTC`.
pub fn utc_text(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|at| {
            at.format(format_description!(
                "[day padding:none] [month repr:short] [year], [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_else(|| "?".into())
}

/// `ms` in the browser's locale and time zone (e.g. `Nov 24, 2026, 3:05 PM`).
#[cfg(feature = "hydrate")]
fn local_text(ms: i64) -> Option<String> {
    use wasm_bindgen::JsValue;
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into()).ok()?;
    js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into()).ok()?;
    let locale = web_sys::window()
        .and_then(|window| window.navigator().language())
        .unwrap_or_else(|| "en".into());
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    date.to_locale_string(&locale, &options).as_string()
}

/// The browser's offset from UTC in minutes east (`60` in Paris in winter).
#[cfg(feature = "hydrate")]
pub fn browser_offset_minutes() -> i32 {
    // `getTimezoneOffset` counts minutes west of UTC.
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// A creation time: UTC from the server, local once in the browser.
#[component]
pub fn When(ms: i64) -> impl IntoView {
    let text = RwSignal::new(utc_text(ms));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(local) = local_text(ms) {
            text.set(local);
        }
    });
    let iso = OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|at| {
            at.format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .ok()
        });
    view! { <time datetime=iso title=utc_text(ms)>{text}</time> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_read_naturally() {
        // 2026-11-24 14:05:30 UTC.
        assert_eq!(utc_text(1_795_529_130_000), "24 Nov 2026, 14:05 UTC");
        assert_eq!(utc_text(0), "1 Jan 1970, 00:00 UTC");
        assert_eq!(utc_text(i64::MAX), "?");
    }
}
