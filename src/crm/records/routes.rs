//! HTTP routes of every record module `K`, mounted under `/crm/{K::PATH}`.

use actix::Addr;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::marker::PhantomData;
use utoipa::ToSchema;
use uuid::Uuid;

use super::list::RecordList;
use super::messages::*;
use super::RecordKind;
use crate::auth::Principal;
use crate::crm::actor::CrmActor;
use crate::error::Error;
use crate::http::json::Json;

type Crm = web::Data<Addr<CrmActor>>;

/// Most ids one bulk request may name.
pub const BULK_MAX: usize = 500;

/// `POST /crm/{module}/bulk-update` body.
#[derive(Debug, Deserialize)]
pub struct BulkUpdateRequest<C> {
    pub ids: Vec<Uuid>,
    pub changes: C,
}

/// `POST /crm/{module}/bulk-delete` body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkDeleteRequest {
    pub ids: Vec<Uuid>,
}

/// The answer of a bulk request: one outcome per id, in the order given.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkAnswer {
    pub results: Vec<BulkOutcome>,
}

/// `DELETE` query: `cascade=true` takes dependants along (accounts).
#[derive(Debug, Default, Deserialize)]
pub struct DeleteQuery {
    #[serde(default)]
    pub cascade: bool,
}

/// 422 unless `ids` names 1 to [`BULK_MAX`] records.
fn check_ids(ids: &[Uuid]) -> Result<(), Error> {
    if ids.is_empty() || ids.len() > BULK_MAX {
        return Err(Error::invalid("ids", format!("must list 1 to {BULK_MAX} ids")));
    }
    Ok(())
}

/// Mounts the module's routes; `extra` mounts module-specific ones before `/{id}` so that
/// fixed paths like `/crm/deals/pipeline` win.
pub fn mount<K: RecordKind>(cfg: &mut web::ServiceConfig, extra: impl FnOnce(&mut web::ServiceConfig)) {
    let base = format!("/crm/{}", K::PATH);
    cfg.route(&base, web::get().to(list::<K>))
        .route(&base, web::post().to(create::<K>))
        .route(&format!("{base}/bulk-update"), web::post().to(bulk_update::<K>))
        .route(&format!("{base}/bulk-delete"), web::post().to(bulk_delete::<K>));
    extra(cfg);
    let one = format!("{base}/{{id}}");
    cfg.route(&one, web::get().to(get::<K>))
        .route(&one, web::patch().to(update::<K>))
        .route(&one, web::delete().to(delete::<K>));
}

async fn list<K: RecordKind>(
    crm: Crm,
    Principal(claims): Principal,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, Error> {
    let list = RecordList::parse::<K>(query.into_inner())?;
    Ok(HttpResponse::Ok().json(crm.send(List::<K> { claims, list, kind: PhantomData }).await??))
}

async fn create<K: RecordKind>(
    crm: Crm,
    Principal(claims): Principal,
    body: Json<K::Changes>,
) -> Result<HttpResponse, Error> {
    let mut changes = body.0;
    K::validate(&mut changes, true)?;
    Ok(HttpResponse::Created().json(crm.send(Create::<K> { claims, changes }).await??))
}

async fn get<K: RecordKind>(
    crm: Crm,
    Principal(claims): Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Error> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(crm.send(Get::<K> { claims, id, kind: PhantomData }).await??))
}

async fn update<K: RecordKind>(
    crm: Crm,
    Principal(claims): Principal,
    id: web::Path<Uuid>,
    body: Json<K::Changes>,
) -> Result<HttpResponse, Error> {
    let mut changes = body.0;
    K::validate(&mut changes, false)?;
    Ok(HttpResponse::Ok().json(crm.send(Update::<K> { claims, id: id.into_inner(), changes }).await??))
}

async fn delete<K: RecordKind>(
    crm: Crm,
    Principal(claims): Principal,
    id: web::Path<Uuid>,
    query: web::Query<DeleteQuery>,
) -> Result<HttpResponse, Error> {
    let (id, cascade) = (id.into_inner(), query.cascade);
    crm.send(Delete::<K> { claims, id, cascade, kind: PhantomData }).await??;
    Ok(HttpResponse::NoContent().finish())
}

async fn bulk_update<K: RecordKind>(
    crm: Crm,
    Principal(claims): Principal,
    body: Json<BulkUpdateRequest<K::Changes>>,
) -> Result<HttpResponse, Error> {
    let BulkUpdateRequest { ids, mut changes } = body.0;
    check_ids(&ids)?;
    K::validate(&mut changes, false)?;
    let results = crm.send(BulkUpdate::<K> { claims, ids, changes }).await??;
    Ok(HttpResponse::Ok().json(BulkAnswer { results }))
}

async fn bulk_delete<K: RecordKind>(
    crm: Crm,
    Principal(claims): Principal,
    body: Json<BulkDeleteRequest>,
) -> Result<HttpResponse, Error> {
    let ids = body.0.ids;
    check_ids(&ids)?;
    let results = crm.send(BulkDelete::<K> { claims, ids, kind: PhantomData }).await??;
    Ok(HttpResponse::Ok().json(BulkAnswer { results }))
}
