//! The archives page's filter form. It is an ordinary GET form on
//! `/archives`, so it works before (and without) JavaScript and every
//! filtered view is a link; in the browser it navigates to the clean link
//! (empty fields left out) without reloading. Each bad value is named
//! under its field, in the words of [`FilterError`].

use leptos::prelude::*;

use crate::archives::{ArchiveState, FilterError, FilterField, RawFilter};

/// The problems found in the current query, by field.
pub type FieldErrors = Vec<(FilterField, FilterError)>;

/// One text field of the form.
#[component]
fn Field(
    raw: Memo<RawFilter>,
    errors: Memo<FieldErrors>,
    field: FilterField,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] wide: bool,
) -> impl IntoView {
    let id = format!("filter-{}", field.key());
    let value = move || raw.with(|r| r.value(field).to_owned());
    let problem = move || {
        errors.with(|all| {
            all.iter()
                .find(|(f, _)| *f == field)
                .map(|(_, error)| error.to_string())
        })
    };
    let error_id = format!("{id}-error");
    view! {
        <div class=if wide { "filter wide" } else { "filter" }>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=field.key()
                type=kind
                placeholder=placeholder
                value=value
                prop:value=value
                aria-invalid=move || problem().is_some().to_string()
                aria-describedby=error_id.clone()
            />
            <p class="field-error error" id=error_id role="alert">{problem}</p>
        </div>
    }
}

/// The status choice.
#[component]
fn StatusField(raw: Memo<RawFilter>, errors: Memo<FieldErrors>) -> impl IntoView {
    let chosen = move || raw.with(|r| ArchiveState::parse(&r.status));
    let value = move || chosen().map(|s| s.as_str().to_owned()).unwrap_or_default();
    let bad = move || errors.with(|all| all.iter().any(|(f, _)| *f == FilterField::Status));
    let options = ArchiveState::ALL
        .into_iter()
        .map(|state| {
            view! {
                <option value=state.as_str() selected=move || chosen() == Some(state)>
                    {state.label()}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="filter">
            <label for="filter-status">"Status"</label>
            <select id="filter-status" name="status" prop:value=value aria-invalid=move || bad().to_string()>
                <option value="" selected=move || chosen().is_none()>"Any status"</option>
                {options}
            </select>
            <p class="field-error error" role="alert">
                {move || bad().then_some("That is not a status; pick one from the list.")}
            </p>
        </div>
    }
}

/// The filter form over the current query `raw`.
#[component]
pub fn FilterForm(raw: Memo<RawFilter>, errors: Memo<FieldErrors>) -> impl IntoView {
    // The viewer's time zone, so "from" and "to" are their days; a shared
    // link keeps the sharer's.
    let tz = RwSignal::new(raw.get_untracked().tz);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if tz.get_untracked().trim().is_empty() {
            tz.set(super::when::browser_offset_minutes().to_string());
        }
    });
    #[cfg(feature = "hydrate")]
    let navigate = leptos_router::hooks::use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            let Ok(data) = leptos::form::form_data_from_event(&ev) else {
                return; // The browser submits the form itself.
            };
            let Ok(params) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else {
                return;
            };
            ev.prevent_default();
            let chosen = RawFilter::from_lookup(|key| params.get(key));
            navigate(&chosen.href(), Default::default());
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let field = move |field: FilterField, label: &'static str, placeholder: &'static str| {
        view! { <Field raw errors field label placeholder/> }
    };
    let grid = view! {
        <div class="filter-grid">
            <Field raw errors field=FilterField::Name label="Name contains" placeholder="e.g. demo" wide=true/>
            <Field raw errors field=FilterField::Session label="Session id" placeholder="1_MX4…" wide=true/>
            <StatusField raw errors/>
            {field(FilterField::MinDuration, "Shortest", "e.g. 0:30")}
            {field(FilterField::MaxDuration, "Longest", "e.g. 10m")}
            {field(FilterField::MinSize, "Smallest", "e.g. 500 kB")}
            {field(FilterField::MaxSize, "Largest", "e.g. 1.5 GB")}
            <Field raw errors field=FilterField::From label="Created from" kind="date"/>
            <Field raw errors field=FilterField::To label="Created until" kind="date"/>
        </div>
    }
    .into_any();
    view! {
        <form class="card filters" method="get" action="/archives" on:submit=on_submit aria-label="Filter recordings">
            {grid}
            <input type="hidden" name="tz" value=move || tz.get() prop:value=move || tz.get()/>
            <div class="filter-actions">
                <button type="submit" class="primary">"Apply filters"</button>
                <a class="button" href="/archives">"Clear"</a>
                <span class="muted filter-note">
                    "Durations as 90, 1:30 or 2m; sizes as 500 kB or 1.5 MB; days in "
                    {move || if tz.get().trim().is_empty() { "UTC" } else { "your time zone" }} "."
                </span>
            </div>
        </form>
    }
}
