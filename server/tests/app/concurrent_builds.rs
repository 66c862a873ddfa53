//! Several servers in one process: building one must not disturb the pages
//! another is rendering. (Leptos's route generation runs the app with a
//! process-wide "don't load resources" switch on; a page rendered while it
//! was on never finished its body.)

use std::time::Duration;

use server::startup::Application;

use crate::helpers::{spawn_app, test_config, TestApp};

/// How many servers are built while pages are rendered.
const BUILDS: usize = 60;
/// Far longer than a page takes: a body still pending then never ends.
const PATIENCE: Duration = Duration::from_secs(10);

#[tokio::test]
async fn pages_render_while_other_servers_are_built() {
    let app = spawn_app().await;
    // Other servers are built on their own thread and runtime, as parallel
    // tests (or several servers embedded in one program) do.
    let builder = std::thread::spawn(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        for _ in 0..BUILDS {
            let (config, _temp) = test_config();
            runtime
                .block_on(Application::build(config))
                .expect("application builds");
        }
    });
    let mut pages = 0_usize;
    while !builder.is_finished() {
        landing_page_finishes(&app, pages).await;
        pages += 1;
    }
    builder.join().expect("the builder thread");
    landing_page_finishes(&app, pages).await;
}

async fn landing_page_finishes(app: &TestApp, page: usize) {
    let html = tokio::time::timeout(PATIENCE, async {
        app.get("/").await.text().await.expect("a page body")
    })
    .await
    .unwrap_or_else(|_| panic!("page {page} never finished"));
    assert!(html.contains("Embedded engine (offline)"), "{html}");
}
