//! Wiring: opens the store, resolves credentials, builds the media provider
//! and the embedded engine, and merges every router — the Leptos pages and
//! server functions, the engine's OpenTok-compatible REST API, seed 000's
//! presence routes, seed 001's JSON routes and seed 002's customer-service
//! routes — into one axum app served with graceful shutdown.

use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use anyhow::Context;
use app::accounts::backend::SharedAccounts;
use app::archives::backend::SharedArchives;
use app::help::backend::SharedHelp;
use app::presence::backend::SharedPresence;
use app::{shell, App, PlatformInfo};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::accounts::{self, AccountsService};
use crate::config::{engine_credentials, Config, ProviderSettings};
use crate::engine::{self, Engine};
use crate::help::{self, HelpService, HelpTimings};
use crate::presence::{self, IdentityKeys, PresenceService};
use crate::provider::cloud::CloudProvider;
use crate::provider::local::LocalProvider;
use crate::provider::MediaProvider;
use crate::rooms;
use crate::store::accounts::AccountStore;
use crate::store::help::HelpStore;
use crate::store::sqlite::SqliteStore;
use crate::store::Store;

/// The JavaScript / WASM bundle name (`pkg/rendezvous.js`, `pkg/rendezvous_bg.wasm`).
pub const OUTPUT_NAME: &str = "rendezvous";

/// The pages' routes, listed once per process. Listing runs the whole app
/// with Leptos's process-wide "don't load resources" switch on
/// (`leptos_router::RouteList::generate`), so a page that any server of this
/// process was rendering meanwhile would wait forever for its resources and
/// never finish its body. Listed once, before the first server can serve,
/// that overlap cannot happen, however many servers a process builds.
static PAGE_ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    engine: Engine,
    presence: PresenceService,
    help: HelpService,
}

impl Application {
    /// Builds everything and binds the listener (port 0 picks a free port).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let sqlite = SqliteStore::open(&config.data_dir)
            .await
            .with_context(|| format!("opening the store in {}", config.data_dir.display()))?;
        let store: Arc<dyn Store> = Arc::new(sqlite.clone());
        let engine_config = engine::EngineConfig {
            media: config.media(),
            archives: engine::ArchiveConfig {
                dir: config.data_dir.join("archives"),
                public_url: config.public_url.clone(),
                ..engine::ArchiveConfig::default()
            },
            ..engine::EngineConfig::default()
        };
        let engine =
            Engine::with_config(engine_credentials(&config)?, store.clone(), engine_config);
        // Archives the previous run left recording or processing are finished.
        let recovering = engine.clone();
        tokio::spawn(async move {
            if let Err(err) = recovering.recover_archives().await {
                tracing::error!(error = %err, "cannot recover archives");
            }
        });
        let provider: Arc<dyn MediaProvider> = match ProviderSettings::from_config(&config)? {
            ProviderSettings::Local => Arc::new(LocalProvider::new(engine.clone())),
            ProviderSettings::Cloud {
                credentials,
                api_url,
            } => Arc::new(CloudProvider::new(credentials, api_url)),
        };
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("binding {}", config.addr))?;
        let bound = listener.local_addr()?;
        let public_url = config.public_url(bound);
        let identity =
            IdentityKeys::load_or_generate(&config.data_dir, public_url.scheme() == "https")
                .context("loading the identity key")?;
        let presence = PresenceService::start(
            engine.clone(),
            provider.clone(),
            store.clone(),
            identity,
            Duration::from_secs(config.presence_ring_seconds.into()),
        )
        .await
        .context("starting presence")?;
        let backend: SharedPresence = Arc::new(presence.clone());
        let account_store: Arc<dyn AccountStore> = Arc::new(sqlite.clone());
        let accounts_service = AccountsService::start(
            account_store,
            &config.data_dir,
            public_url.scheme() == "https",
            config.first_admin()?,
        )
        .await
        .context("starting staff accounts")?;
        let accounts: SharedAccounts = Arc::new(accounts_service.clone());
        let help_store: Arc<dyn HelpStore> = Arc::new(sqlite.clone());
        let help = HelpService::start(
            engine.clone(),
            provider.clone(),
            store.clone(),
            help_store,
            HelpTimings::default(),
        )
        .await
        .context("starting customer service")?;
        let help_backend: SharedHelp = Arc::new(help.clone());
        let archives: SharedArchives =
            Arc::new(rooms::RoomArchives::new(provider.clone(), store.clone()));
        let info = PlatformInfo {
            provider: provider.kind().as_str().to_owned(),
            api_key: provider.api_key(),
            public_url: public_url.to_string(),
            ice_servers: config.ice_servers.0.clone(),
        };
        tracing::info!(
            provider = info.provider,
            api_key = info.api_key,
            "media provider ready"
        );

        let leptos_options = LeptosOptions::builder()
            .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| OUTPUT_NAME.into()))
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_addr(bound)
            .build();
        let page_accounts = accounts.clone();
        let routes = PAGE_ROUTES.clone();
        let pages = Router::new()
            .leptos_routes_with_context(
                &leptos_options,
                routes,
                move || {
                    provide_context(info.clone());
                    provide_context(backend.clone());
                    provide_context(page_accounts.clone());
                    provide_context(help_backend.clone());
                    provide_context(archives.clone());
                },
                {
                    let options = leptos_options.clone();
                    move || shell(options.clone())
                },
            )
            .fallback(leptos_axum::file_and_error_handler(shell))
            .with_state(leptos_options);

        let router = Router::new()
            .route("/healthz", get(|| async { "ok" }))
            .merge(engine::router(engine.clone()))
            .merge(presence::routes::router(presence.clone()))
            .merge(rooms::router(provider, store))
            .merge(accounts::routes::router(accounts_service))
            .merge(help::routes::router(help.clone(), accounts.clone()))
            .merge(pages);
        let router = presence::routes::serve_presence_info(router, presence.clone())
            .layer(TraceLayer::new_for_http());
        Ok(Self {
            listener,
            router,
            engine,
            presence,
            help,
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The embedded engine (tests use it to inspect or drive live state).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The presence service (tests drive invitations through it, as the
    /// pages' server functions do).
    pub fn presence(&self) -> &PresenceService {
        &self.presence
    }

    /// The customer-service queue (tests drive representatives through it,
    /// as the rep console's server functions do).
    pub fn help(&self) -> &HelpService {
        &self.help
    }

    /// Serves until SIGINT / SIGTERM, then lets in-flight requests finish.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes (tests pass their own future).
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!("listening on http://{}", self.local_addr());
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
            .context("serving HTTP")
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
