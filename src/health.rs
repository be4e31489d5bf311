//! Liveness and readiness.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use ::actors::bus::{BusState, Link};
use std::sync::Arc;

use crate::db::{self, DbPool};

/// State of one dependency.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    Up,
    Down,
}

/// Readiness answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ready`, `degraded` (broker down: requests are served, events wait in the outbox) or
    /// `unavailable` (database down).
    pub status: &'static str,
    pub database: Check,
    /// `connected`, `disconnected`, or `inProcess` with no broker configured.
    #[schema(value_type = String)]
    pub broker: Link,
}

/// Mounts the health routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(live).service(ready);
}

/// The process is up.
#[utoipa::path(tag = "health", responses((status = 200, description = "Alive")))]
#[get("/health/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "live" }))
}

/// The node can serve: the database answers (503 otherwise). A broker that is down makes the
/// node `degraded`, still 200: writes commit and their events wait in the outbox.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Ready or degraded", body = Readiness),
        (status = 503, description = "The database is down", body = Readiness),
    )
)]
#[get("/health/ready")]
async fn ready(pool: web::Data<DbPool>, bus: web::Data<Arc<BusState>>) -> HttpResponse {
    let broker = bus.link();
    match db::ping(&pool).await {
        Ok(()) => {
            let status = if bus.is_up() { "ready" } else { "degraded" };
            HttpResponse::Ok().json(Readiness { status, database: Check::Up, broker })
        }
        Err(_) => {
            HttpResponse::ServiceUnavailable().json(Readiness { status: "unavailable", database: Check::Down, broker })
        }
    }
}
