//! `Application::build`: a running node from a `Config`. Shared by `main` and the tests.

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use actors::Registry;
use std::net::TcpListener;
use std::sync::Arc;

use crate::audit::retention::Retention;
use crate::auth::{self, hasher, JwtKeys};
use crate::config::Config;
use crate::db::DbPool;
use crate::events::presence::{Forward, NodeInfo, Presence, UseBroadcaster};
use crate::events::relay::Relay;
use crate::events::Bus;
use crate::{access, accounts, admin, audit, crm, db, desk, events, health, http, openapi, telemetry};
use ::actors::bus::{Close, Subscription};
use ::actors::ActorInfo;
use actix::{Addr, Arbiter, Supervisor};

/// A node: its actor systems are started and its HTTP server is bound.
pub struct Application {
    port: u16,
    server: Server,
    bus: Bus,
}

fn system_actor(name: &str, system: &str) -> ActorInfo {
    ActorInfo {
        name: name.into(),
        kind: "async".into(),
        system: system.into(),
        supervisor: format!("{system}.supervisor"),
    }
}

fn start_relay(config: &Config, pool: &DbPool, bus: &Bus, registry: &Arc<Registry>, arbiter: &Arbiter) -> Addr<Relay> {
    let entry = registry.register(system_actor("bus.relay", "bus"));
    let (pool, publisher) = (pool.clone(), bus.publish.clone());
    let (batch_size, poll_interval) = (config.outbox.batch_size, config.outbox.poll_interval);
    Supervisor::start_in_arbiter(&arbiter.handle(), move |_| {
        Relay::new(entry, pool, publisher, batch_size, poll_interval)
    })
}

fn start_retention(config: &Config, pool: &DbPool, registry: &Arc<Registry>, arbiter: &Arbiter) {
    let entry = registry.register(system_actor("audit.retention", "audit"));
    let (pool, keep) = (pool.clone(), config.audit.retention);
    Supervisor::start_in_arbiter(&arbiter.handle(), move |_| Retention::new(entry, pool, keep));
}

fn start_presence(config: &Config, node_id: &str, registry: &Arc<Registry>, arbiter: &Arbiter) -> Addr<Presence> {
    let entry = registry.register(system_actor("bus.presence", "bus"));
    let me = NodeInfo {
        node_id: node_id.to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        started_at: chrono::Utc::now(),
        domains: vec!["accounts".into(), "crm".into(), "desk".into()],
    };
    let heartbeat = config.node.heartbeat;
    Supervisor::start_in_arbiter(&arbiter.handle(), move |_| Presence::new(entry, me, heartbeat))
}

impl Application {
    /// Migrates the database, starts the actor systems and binds the listener. Must run
    /// inside an actix `System`.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        db::migrate(&config.database.url).await?;
        let pool = db::pool(&config.database)?;
        let node_id = config.node_id();
        let registry = Registry::new(node_id.clone());
        let jwt = JwtKeys::new(&config.jwt);

        // Start order follows the dependencies: presence, the CRM's consumer and the scope cache's
        // actor, the bus that feeds them, the relay that feeds the bus, accounts (which wakes the
        // relay), the CRM actor, then desk (which asks the CRM about contacts and accounts).
        let bus_arbiter = Arbiter::new();
        // One event loop for the domain actors (accounts, CRM, desk): their typed messages to each
        // other (ResolveLinks) stay on one thread instead of waking another. The caller and their
        // scope are resolved at the edge from shared caches, without a message. The bus and the
        // argon2 hashers keep their own threads.
        let domains = Arbiter::new();
        let presence = start_presence(&config, &node_id, &registry, &bus_arbiter);
        let default_profile = crm::default_profile(&pool, &config.crm.default_profile).await?;
        let user_sync = crm::start_user_sync(pool.clone(), default_profile, &registry, &domains);
        let scopes = access::cache::Scopes::new(pool.clone());
        let access = access::start(scopes.clone(), &registry, &domains);
        let callers = auth::Callers::new(pool.clone(), jwt.clone());
        let subscriptions = vec![Subscription {
            queue: events::qualified(&config.broker, events::CRM_USER_SYNC),
            pattern: "user.*".into(),
            recipient: user_sync.recipient(),
        }];
        let bus = events::start_bus(
            &config.broker,
            &node_id,
            &registry,
            &bus_arbiter,
            subscriptions,
            vec![presence.clone().recipient()],
        );
        presence.do_send(UseBroadcaster(bus.broadcast.clone()));
        presence.do_send(Forward { kind: access::cache::ACCESS_CHANGED, recipient: access.clone().recipient() });
        let relay = start_relay(&config, &pool, &bus, &registry, &bus_arbiter);
        start_retention(&config, &pool, &registry, &bus_arbiter);
        tracing::info!(system = "bus", kind = bus.state.kind(), "actor system started");

        let hasher_threads = Config::threads_or_cores(config.hasher.threads);
        let hasher = hasher::start(hasher_threads, &registry)?;
        let deps = accounts::actor::Deps {
            pool: pool.clone(),
            hasher,
            jwt: jwt.clone(),
            node: node_id.as_str().into(),
            relay: relay.recipient(),
            broadcast: bus.broadcast.clone(),
            callers: callers.clone(),
            sessions: config.sessions.clone(),
        };
        let accounts = accounts::start(deps, &config.login, &registry, &domains);
        for kind in [accounts::actor::USER_CHANGED, accounts::actor::SESSIONS_ENDED] {
            presence.do_send(Forward { kind, recipient: accounts.clone().recipient() });
        }
        tracing::info!(system = "accounts", actors = 1 + hasher_threads, "actor system started");
        let record_listeners = crm::api::RecordListeners::default();
        let crm_deps = crm::actor::Deps {
            pool: pool.clone(),
            scopes: scopes.clone(),
            broadcast: bus.broadcast.clone(),
            node: node_id.as_str().into(),
            default_profile,
            record_listeners: record_listeners.clone(),
        };
        let crm_actor = crm::start(crm_deps, &registry, &domains);
        tracing::info!(system = "crm", actors = 3, "actor system started");
        let desk_deps = desk::actor::Deps {
            pool: pool.clone(),
            crm: crm_actor.clone().recipient(),
            cache: Default::default(),
            node: node_id.as_str().into(),
            sla: config.desk.clone(),
        };
        let desk_actor = desk::start(desk_deps, &registry, &domains);
        if let Ok(mut listeners) = record_listeners.write() {
            listeners.push(desk_actor.clone().recipient());
        }
        presence.do_send(Forward { kind: crm::api::RECORD_CHANGED, recipient: desk_actor.clone().recipient() });
        tracing::info!(system = "desk", actors = 1, "actor system started");

        let listener = TcpListener::bind((config.server.host.as_str(), config.server.port))?;
        let address = listener.local_addr()?;
        let body_limit = config.server.body_limit;
        let admin_config = config.admin.clone();
        let app_registry = registry.clone();
        let bus_state = bus.state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(telemetry::trace_requests))
                .app_data(web::Data::new(pool.clone()))
                .app_data(web::Data::new(callers.clone()))
                .app_data(web::Data::new(scopes.clone()))
                .app_data(web::Data::new(accounts.clone()))
                .app_data(web::Data::new(crm_actor.clone()))
                .app_data(web::Data::new(desk_actor.clone()))
                .app_data(web::Data::new(presence.clone()))
                .app_data(web::Data::new(bus_state.clone()))
                .app_data(web::Data::new(app_registry.clone()))
                .app_data(web::Data::new(admin_config.clone()))
                .configure(|cfg| http::extractor_config(cfg, body_limit))
                .configure(health::configure)
                .configure(accounts::routes::configure)
                .configure(crm::users::routes::configure)
                .configure(crm::access_admin::routes::configure)
                .configure(crm::records::routes::configure)
                .configure(desk::tickets::routes::configure)
                .configure(desk::orders::routes::configure)
                .configure(desk::catalog::routes::configure)
                .configure(admin::routes::configure)
                .configure(audit::routes::configure)
                .configure(openapi::configure)
                .default_service(web::to(http::not_found))
        })
        .workers(Config::threads_or_cores(config.server.workers))
        .shutdown_timeout(config.server.shutdown_timeout.as_secs())
        .listen(listener)?
        .run();
        tracing::info!(%address, node = registry.node_id(), "listening");
        Ok(Self { port: address.port(), server, bus })
    }

    /// The port the node listens on (useful with `server.port = 0`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle that stops the HTTP server (gracefully with `stop(true)`).
    pub fn server_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped: SIGTERM/SIGINT stop accepting, drain in-flight
    /// requests, then close the broker connection cleanly (unacknowledged deliveries return to
    /// their queues; unsent events stay in the outbox).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        let _ = self.bus.close.send(Close).await;
        served
    }
}
