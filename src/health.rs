//! Liveness and readiness.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

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
    /// `ready` or `unavailable`.
    pub status: &'static str,
    pub database: Check,
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

/// The node can serve: the database answers.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Ready", body = Readiness),
        (status = 503, description = "A dependency is down", body = Readiness),
    )
)]
#[get("/health/ready")]
async fn ready(pool: web::Data<DbPool>) -> HttpResponse {
    let database = match db::ping(&pool).await {
        Ok(()) => Check::Up,
        Err(_) => Check::Down,
    };
    match database {
        Check::Up => HttpResponse::Ok().json(Readiness { status: "ready", database }),
        Check::Down => HttpResponse::ServiceUnavailable().json(Readiness { status: "unavailable", database }),
    }
}
