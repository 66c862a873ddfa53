//! What the metrics page's charts share: the card around a chart (heading,
//! the SVG with `role="img"` and a summary it is labelled by, and a
//! "Show as a table" fallback with the same numbers), the coordinate width,
//! and number formatting for SVG attributes. The charts themselves
//! ([`super::hours`], [`super::outcomes`]) are plain SVG elements in the
//! view, rendered on the server: no chart library, no script.

use leptos::prelude::*;

/// Width of every chart's coordinate space (charts scale to their box).
pub const WIDTH: f64 = 480.0;

/// A coordinate for an SVG attribute.
pub fn n(value: f64) -> String {
    format!("{value:.1}")
}

/// "1 call", "3 calls".
pub fn plural(count: u32, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// A chart in a card: `id` names its heading and summary, `height` is its
/// coordinate height; `children` are the SVG's shapes, `columns` and
/// `rows` the fallback table's.
#[component]
pub fn ChartCard(
    id: &'static str,
    title: &'static str,
    summary: String,
    height: f64,
    caption: &'static str,
    columns: &'static [&'static str],
    rows: AnyView,
    children: Children,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    let summary_id = format!("{id}-summary");
    let head = columns
        .iter()
        .map(|column| view! { <th scope="col">{*column}</th> })
        .collect_view();
    view! {
        <figure class="card chart-card">
            <figcaption><h2 id=title_id.clone()>{title}</h2></figcaption>
            <svg
                class="chart"
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-labelledby=format!("{title_id} {summary_id}")
            >
                <desc>{summary.clone()}</desc>
                {children()}
            </svg>
            <p id=summary_id class="muted chart-summary">{summary}</p>
            <details class="chart-table">
                <summary>"Show as a table"</summary>
                <table>
                    <caption class="sr-only">{caption}</caption>
                    <thead><tr>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
    // Type-erased: the figure's full view type is too deep for rustc.
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_attributes_and_people() {
        assert_eq!(n(12.345), "12.3");
        assert_eq!(n(0.0), "0.0");
        assert_eq!(plural(1, "call", "calls"), "1 call");
        assert_eq!(plural(0, "call", "calls"), "0 calls");
    }
}
