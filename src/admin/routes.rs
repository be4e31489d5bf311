//! Admin routes; every one needs a platform administrator.

use actix::Addr;
use actix_web::{get, post, web, HttpResponse};
use actors::bus::{BusState, Link};
use actors::{InjectFault, NodeSnapshot, Registry};
use serde::Serialize;
use std::sync::Arc;
use utoipa::ToSchema;

use crate::auth::Admin;
use crate::config::AdminConfig;
use crate::db::DbPool;
use crate::error::{Error, Problem};
use crate::events::outbox;
use crate::events::presence::{ListNodes, NodeView, Presence};

/// Mounts the admin routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(actors_snapshot).service(nodes).service(inject_fault);
}

/// The node's event bus as inspection shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BusView {
    /// `rabbitmq` or `in-process`.
    pub kind: &'static str,
    /// `connected`, `disconnected` or `inProcess`.
    #[schema(value_type = String)]
    pub link: Link,
    /// Committed events not yet confirmed by the bus (all nodes' outbox rows).
    pub outbox_depth: i64,
}

/// `GET /admin/actors`: the registry snapshot plus the bus.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorsView {
    #[serde(flatten)]
    pub node: NodeSnapshot,
    pub bus: BusView,
}

/// Every actor running on this node with its counters (monotonic; compute rates client-side),
/// the broker connection state and the outbox depth.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Snapshot of the node's actors", body = Object),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/actors")]
async fn actors_snapshot(
    registry: web::Data<Arc<Registry>>,
    bus: web::Data<Arc<BusState>>,
    pool: web::Data<DbPool>,
    _: Admin,
) -> Result<web::Json<ActorsView>, Error> {
    let outbox_depth = outbox::depth(&mut *pool.get().await?).await?;
    let bus = BusView { kind: bus.kind(), link: bus.link(), outbox_depth };
    Ok(web::Json(ActorsView { node: registry.snapshot(), bus }))
}

/// The live nodes of the mesh: each with its last heartbeat, version, uptime and domains.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Nodes heard within three heartbeat periods", body = Vec<NodeView>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/nodes")]
async fn nodes(presence: web::Data<Addr<Presence>>, _: Admin) -> Result<web::Json<Vec<NodeView>>, Error> {
    Ok(web::Json(presence.send(ListNodes).await?))
}

/// Outcome of a supervision drill.
#[derive(Debug, Serialize, ToSchema)]
pub struct FaultOutcome {
    /// The actor that was made to panic.
    pub actor: String,
    /// What its handler reported.
    pub detail: String,
}

/// Makes the named actor panic inside a handler so its supervisor restarts it. Answers 404
/// unless `admin.fault_injection` is enabled.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("name" = String, Path, description = "Actor name, as listed by /admin/actors")),
    responses(
        (status = 202, description = "The actor panicked and is being restarted", body = FaultOutcome),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Fault injection disabled, or no such actor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/actors/{name}/fault")]
async fn inject_fault(
    registry: web::Data<Arc<Registry>>,
    admin: web::Data<AdminConfig>,
    _: Admin,
    name: web::Path<String>,
) -> Result<HttpResponse, Error> {
    if !admin.fault_injection {
        return Err(Error::NotFound("fault injection is disabled on this node".into()));
    }
    let name = name.into_inner();
    let recipient = registry
        .fault_recipient(&name)
        .ok_or_else(|| Error::NotFound(format!("no actor named {name} accepts faults")))?;
    let detail = match recipient.send(InjectFault).await? {
        Ok(()) => "handled without a fault".to_string(),
        Err(panic) => panic.0,
    };
    Ok(HttpResponse::Accepted().json(FaultOutcome { actor: name, detail }))
}
