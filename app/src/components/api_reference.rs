//! A compact reference of the HTTP APIs this server offers, so a developer
//! landing here knows where to point an OpenTok SDK or a web sample.

use leptos::prelude::*;

use crate::platform::PlatformInfo;

/// One documented route.
struct Endpoint {
    method: &'static str,
    path: &'static str,
    what: &'static str,
}

const ROOM_ROUTES: &[Endpoint] = &[
    Endpoint {
        method: "GET",
        path: "/room/{name}",
        what: "apiKey, sessionId and a fresh token for a named room",
    },
    Endpoint {
        method: "GET",
        path: "/session",
        what: "redirects to the room called “session”",
    },
    Endpoint {
        method: "POST",
        path: "/archive/start",
        what: "start recording {sessionId}",
    },
    Endpoint {
        method: "POST",
        path: "/archive/{id}/stop",
        what: "stop a recording",
    },
    Endpoint {
        method: "GET",
        path: "/archive/{id}",
        what: "one archive",
    },
    Endpoint {
        method: "GET",
        path: "/archive/{id}/view",
        what: "watch a recording when it is ready",
    },
    Endpoint {
        method: "GET",
        path: "/archive?count&offset&sessionId",
        what: "list archives, newest first",
    },
];

const ENGINE_ROUTES: &[Endpoint] = &[
    Endpoint {
        method: "POST",
        path: "/session/create",
        what: "create a session (JSON or XML by Accept)",
    },
    Endpoint {
        method: "*",
        path: "/v2/project/{apiKey}/archive…",
        what: "archives: start, stop, get, list, delete, layout",
    },
    Endpoint {
        method: "POST",
        path: "/v2/project/{apiKey}/session/{id}/signal",
        what: "signal a session or one connection",
    },
    Endpoint {
        method: "DELETE",
        path: "/v2/project/{apiKey}/session/{id}/connection/{cid}",
        what: "force a client out",
    },
    Endpoint {
        method: "GET",
        path: "/v2/project/{apiKey}/session/{id}/stream",
        what: "list live streams",
    },
];

/// `info` fills the SDK snippet with this server's API key and public URL.
#[component]
pub fn ApiReference(info: Option<PlatformInfo>) -> impl IntoView {
    let (api_key, api_url) = match &info {
        Some(info) => (
            format!("\"{}\"", info.api_key),
            format!("\"{}\"", info.public_url.trim_end_matches('/')),
        ),
        None => ("apiKey".to_owned(), "location.origin".to_owned()),
    };
    let snippet = format!("new OpenTok({api_key}, apiSecret, {{ apiUrl: {api_url} }})");
    view! {
        <section class="grid-2">
            <article class="card">
                <h2>"Rooms & archives API"</h2>
                <p class="muted">"The learning-opentok-node contract, CORS enabled."</p>
                <EndpointList endpoints=ROOM_ROUTES/>
            </article>
            <article class="card">
                <h2>"OpenTok-compatible REST"</h2>
                <p class="muted">
                    "The embedded engine speaks the OpenTok REST API, so the official server SDKs work "
                    "against it: " <code data-testid="sdk-snippet">{snippet}</code>
                    ". Unless set in the environment, the key and secret are generated once into " <code>"engine-credentials.json"</code> " in the data directory."
                </p>
                <EndpointList endpoints=ENGINE_ROUTES/>
            </article>
        </section>
    }
}

#[component]
fn EndpointList(endpoints: &'static [Endpoint]) -> impl IntoView {
    view! {
        <ul class="endpoints">
            {endpoints
                .iter()
                .map(|e| view! {
                    <li>
                        <span class="method">{e.method}</span>
                        <code class="path">{e.path}</code>
                        <span class="what">{e.what}</span>
                    </li>
                })
                .collect_view()}
        </ul>
    }
}
