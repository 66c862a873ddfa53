//! The Leptos pages and plain endpoints served next to the APIs.

use crate::helpers::spawn_app;

#[tokio::test]
async fn landing_page_is_server_rendered_with_hydration_scripts() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Live video, your way."), "{html}");
    assert!(
        html.contains("Embedded engine (offline)"),
        "provider badge missing"
    );
    assert!(
        html.contains("/pkg/rendezvous.js"),
        "hydration script missing"
    );
    assert!(html.contains("/pkg/rendezvous.css"), "stylesheet missing");
}

#[tokio::test]
async fn healthz_answers_ok() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn unknown_page_is_404() {
    let app = spawn_app().await;
    let response = app.get("/definitely/not/here").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page not found"));
}
