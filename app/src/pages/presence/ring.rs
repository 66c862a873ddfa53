//! The ring of an incoming invitation (browser only): two short beeps made
//! with Web Audio — no sound file to load. Silent when the browser is driven
//! by automation (`navigator.webdriver`), i.e. under test, and when the
//! browser refuses audio before any user gesture.

use wasm_bindgen::JsValue;
use web_sys::{AudioContext, OscillatorType};

/// The beeps: (start, length) in seconds, at 880 Hz.
const BEEPS: [(f64, f64); 2] = [(0.0, 0.18), (0.3, 0.18)];

/// Whether automation drives this browser.
fn under_automation() -> bool {
    web_sys::window()
        .and_then(|window| js_sys::Reflect::get(&window.navigator(), &"webdriver".into()).ok())
        .is_some_and(|value| value.is_truthy())
}

/// Rings once, if allowed.
pub fn ring() {
    if under_automation() {
        return;
    }
    // Failing to make a sound is never worth more than silence.
    let _ = beep();
}

fn beep() -> Result<(), JsValue> {
    let audio = AudioContext::new()?;
    let now = audio.current_time();
    for (start, length) in BEEPS {
        let oscillator = audio.create_oscillator()?;
        oscillator.set_type(OscillatorType::Sine);
        oscillator.frequency().set_value(880.0);
        let gain = audio.create_gain()?;
        gain.gain().set_value(0.15);
        oscillator.connect_with_audio_node(&gain)?;
        gain.connect_with_audio_node(&audio.destination())?;
        oscillator.start_with_when(now + start)?;
        oscillator.stop_with_when(now + start + length)?;
    }
    // Release the audio device once the beeps are over.
    let done = audio.clone();
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(1_000).await;
        let _ = done.close();
    });
    Ok(())
}
