//! The landing page's panels: a titled card (its heading names the section
//! for screen readers) with a short explanation and whatever the panel
//! offers — a link, a form.

use leptos::prelude::*;

/// A card headed `title`; `id` names its heading (`{id}-title`).
#[component]
pub fn Card(
    /// Unique on the page; the heading's id is `{id}-title`.
    id: &'static str,
    /// The heading.
    title: &'static str,
    /// The explanation under it.
    children: Children,
) -> impl IntoView {
    let heading = format!("{id}-title");
    let labelled_by = heading.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            {children()}
        </section>
    }
}
