//! The request form: the customer's name (1–50 characters) and problem
//! (1–200, with a character counter), both checked here with the server's
//! own rules ([`DisplayName`], [`ProblemText`]) — each error under its
//! field — and again by the server, whose plain-text refusal shows above
//! the button. The fields are read from the page on submit, so text typed
//! before hydration survives it.

use leptos::prelude::*;
use thiserror::Error;

use super::controller::SupportController;
use super::state::Phase;
use crate::help::{ProblemError, ProblemText};
use crate::models::{DisplayName, NameError};

/// A checked help request: what `POST /help/session` sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRequest {
    /// Who asks.
    pub name: DisplayName,
    /// What for.
    pub problem: ProblemText,
}

/// Why the form was refused: one message per field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Error)]
#[error("the help request is incomplete")]
pub struct FormErrors {
    /// The name's problem.
    pub name: Option<NameError>,
    /// The problem text's problem.
    pub problem: Option<ProblemError>,
}

impl HelpRequest {
    /// Checks both fields, reporting every problem at once.
    pub fn parse(name: &str, problem: &str) -> Result<Self, FormErrors> {
        match (DisplayName::parse(name), ProblemText::parse(problem)) {
            (Ok(name), Ok(problem)) => Ok(HelpRequest { name, problem }),
            (name, problem) => Err(FormErrors {
                name: name.err(),
                problem: problem.err(),
            }),
        }
    }
}

/// "12 / 200": how much of the problem text is used.
pub fn counter_text(used: usize) -> String {
    format!("{used} / {}", ProblemText::MAX_CHARS)
}

/// The form; `Back` returns to the introduction.
#[component]
pub fn RequestForm(support: SupportController) -> impl IntoView {
    let name_field = NodeRef::<leptos::html::Input>::new();
    let problem_field = NodeRef::<leptos::html::Textarea>::new();
    let errors = RwSignal::new(FormErrors::default());
    // Characters typed into the problem field (the counter).
    let used = RwSignal::new(0_usize);
    let requesting = move || support.state.with(|s| s.phase == Phase::Requesting);
    let last = support.last_request.get_value();
    let (name0, problem0) = last
        .map(|r| (r.name.to_string(), r.problem.to_string()))
        .unwrap_or_default();
    let over = move || used.get() > ProblemText::MAX_CHARS;

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(field) = problem_field.get() {
            used.set(field.value().chars().count());
        }
        if let Some(field) = name_field.get() {
            let _ = field.focus();
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let read = |value: Option<String>| value.unwrap_or_default();
        let name = read(name_field.get_untracked().map(|f| f.value()));
        let problem = read(problem_field.get_untracked().map(|f| f.value()));
        support.error.set(None);
        match HelpRequest::parse(&name, &problem) {
            Err(found) => errors.set(found),
            Ok(request) => {
                errors.set(FormErrors::default());
                #[cfg(feature = "hydrate")]
                support.request(request);
                #[cfg(not(feature = "hydrate"))]
                let _ = request;
            }
        }
    };
    let name_error = move || errors.with(|e| e.name.as_ref().map(ToString::to_string));
    let problem_error = move || errors.with(|e| e.problem.as_ref().map(ToString::to_string));

    view! {
        <form class="card support-form" on:submit=on_submit novalidate aria-labelledby="support-form-title">
            <h1 id="support-form-title">"Talk to a representative"</h1>
            <p class="muted">"Tell us who you are and what you need; a representative will join you by video."</p>
            <label for="support-name">"Your name"</label>
            <input
                id="support-name"
                node_ref=name_field
                name="customer_name"
                autocomplete="name"
                value=name0
                aria-invalid=move || name_error().is_some().to_string()
                aria-describedby="support-name-error"
                on:input=move |_| errors.update(|e| e.name = None)
                disabled=requesting
            />
            <p id="support-name-error" class="error field-error" role="alert">{name_error}</p>
            <label for="support-problem">"What do you need help with?"</label>
            <textarea
                id="support-problem"
                node_ref=problem_field
                name="problem_text"
                rows="4"
                aria-invalid=move || problem_error().is_some().to_string()
                aria-describedby="support-problem-count support-problem-error"
                on:input=move |ev| {
                    used.set(event_target_value(&ev).chars().count());
                    errors.update(|e| e.problem = None);
                }
                disabled=requesting
            >{problem0}</textarea>
            <p id="support-problem-count" class="counter" class:over=over data-testid="problem-counter">
                {move || counter_text(used.get())}
            </p>
            <p id="support-problem-error" class="error field-error" role="alert">{problem_error}</p>
            {move || support.error.get().map(|e| view! { <p class="error" role="alert" data-testid="request-error">{e}</p> })}
            <div class="support-actions">
                <button type="submit" class="primary" disabled=requesting>
                    {move || if requesting() {
                        view! { <span class="spinner" aria-hidden="true"></span>"Sending…" }.into_any()
                    } else {
                        "Request a representative".into_any()
                    }}
                </button>
                <button type="button" on:click=move |_| support.state.update(|s| s.phase = Phase::Intro) disabled=requesting>
                    "Back"
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_fields_are_checked_at_once() {
        let errors = HelpRequest::parse(" ", &"x".repeat(201)).unwrap_err();
        assert_eq!(errors.name, Some(NameError::Empty));
        assert_eq!(errors.problem, Some(ProblemError::TooLong));
        let errors = HelpRequest::parse(&"a".repeat(51), "help").unwrap_err();
        assert_eq!(errors.name, Some(NameError::TooLong));
        assert_eq!(errors.problem, None);
    }

    #[test]
    fn a_valid_request_is_trimmed() {
        let request = HelpRequest::parse(" Ann <b> ", " no sound \n").unwrap();
        assert_eq!(request.name.as_str(), "Ann <b>");
        assert_eq!(request.problem.as_str(), "no sound");
    }

    #[test]
    fn the_counter_counts_characters() {
        assert_eq!(counter_text(0), "0 / 200");
        assert_eq!(counter_text("héllo".chars().count()), "5 / 200");
    }
}
