//! `Application::build`: a running node from a `Config`. Shared by `main` and the tests.

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use actors::Registry;
use std::net::TcpListener;
use std::sync::Arc;

use crate::auth::{hasher, JwtKeys};
use crate::config::Config;
use crate::{accounts, admin, db, health, http, openapi, telemetry};

/// A node: its actor systems are started and its HTTP server is bound.
pub struct Application {
    port: u16,
    server: Server,
    registry: Arc<Registry>,
}

impl Application {
    /// Migrates the database, starts the actor systems and binds the listener. Must run
    /// inside an actix `System`.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        db::migrate(&config.database.url).await?;
        let pool = db::pool(&config.database)?;
        let registry = Registry::new(format!("node-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]));
        let jwt = JwtKeys::new(&config.jwt);

        let hasher_threads = Config::threads_or_cores(config.hasher.threads);
        let hasher = hasher::start(hasher_threads, &registry)?;
        let deps = accounts::actor::Deps { pool: pool.clone(), hasher, jwt: jwt.clone() };
        let accounts = accounts::start(deps, &config.login, &registry);
        tracing::info!(system = "accounts", actors = 1 + hasher_threads, "actor system started");

        let listener = TcpListener::bind((config.server.host.as_str(), config.server.port))?;
        let address = listener.local_addr()?;
        let body_limit = config.server.body_limit;
        let admin_config = config.admin.clone();
        let app_registry = registry.clone();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(telemetry::trace_requests))
                .app_data(web::Data::new(pool.clone()))
                .app_data(web::Data::new(jwt.clone()))
                .app_data(web::Data::new(accounts.clone()))
                .app_data(web::Data::new(app_registry.clone()))
                .app_data(web::Data::new(admin_config.clone()))
                .configure(|cfg| http::extractor_config(cfg, body_limit))
                .configure(health::configure)
                .configure(accounts::routes::configure)
                .configure(admin::routes::configure)
                .service(openapi::service())
                .default_service(web::to(http::not_found))
        })
        .workers(Config::threads_or_cores(config.server.workers))
        .shutdown_timeout(config.server.shutdown_timeout.as_secs())
        .listen(listener)?
        .run();
        tracing::info!(%address, node = registry.node_id(), "listening");
        Ok(Self { port: address.port(), server, registry })
    }

    /// The port the node listens on (useful with `server.port = 0`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle that stops the HTTP server (gracefully with `stop(true)`).
    pub fn server_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// The node's actor registry.
    pub fn registry(&self) -> Arc<Registry> {
        self.registry.clone()
    }

    /// Serves until the server is stopped (SIGTERM/SIGINT drain in-flight requests first).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
