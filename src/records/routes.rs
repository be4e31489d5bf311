//! HTTP routes of every record module `K`, mounted under `/{K::DOMAIN}/{K::PATH}` and answered by
//! the domain actor `A` that serves the module's messages.

use actix::{Actor, Addr, Handler};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::marker::PhantomData;
use utoipa::ToSchema;
use uuid::Uuid;

use super::list::RecordList;
use super::messages::*;
use super::{RecordBody, RecordKind, Rules};
use crate::access::Scoped;
use crate::audit::Trail;
use crate::error::Error;
use crate::http::body::{Intent, Valid, Validate};

/// A domain actor that answers every record message of module `K`.
pub trait Serves<K: RecordKind>:
    Actor<Context = actix::Context<Self>>
    + Handler<List<K>>
    + Handler<Get<K>>
    + Handler<Create<K>>
    + Handler<Update<K>>
    + Handler<Delete<K>>
    + Handler<BulkUpdate<K>>
    + Handler<BulkDelete<K>>
{
}

impl<K: RecordKind, A> Serves<K> for A where
    A: Actor<Context = actix::Context<A>>
        + Handler<List<K>>
        + Handler<Get<K>>
        + Handler<Create<K>>
        + Handler<Update<K>>
        + Handler<Delete<K>>
        + Handler<BulkUpdate<K>>
        + Handler<BulkDelete<K>>
{
}

type Host<A> = web::Data<Addr<A>>;

/// Most ids one bulk request may name.
pub const BULK_MAX: usize = 500;

/// `POST /{domain}/{module}/bulk-update` body: the same changes for every id.
#[derive(Debug, Deserialize)]
#[serde(bound = "")]
pub struct BulkUpdateRequest<K: Rules> {
    pub ids: Vec<Uuid>,
    pub changes: RecordBody<K>,
}

/// A checked [`BulkUpdateRequest`]: 1 to [`BULK_MAX`] ids and changes valid for an update.
#[derive(Debug)]
pub struct BulkChanges<K: Rules> {
    pub ids: Vec<Uuid>,
    pub changes: K::Changes,
}

impl<K: Rules> Validate for BulkUpdateRequest<K> {
    type Valid = BulkChanges<K>;

    fn validate(self, _: &Intent) -> Result<BulkChanges<K>, Error> {
        check_ids(&self.ids)?;
        let changes = self.changes.validate(&Intent::outside_http(false))?;
        Ok(BulkChanges { ids: self.ids, changes })
    }
}

/// `POST /{domain}/{module}/bulk-delete` body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkDeleteRequest {
    pub ids: Vec<Uuid>,
}

impl Validate for BulkDeleteRequest {
    type Valid = Vec<Uuid>;

    fn validate(self, _: &Intent) -> Result<Vec<Uuid>, Error> {
        check_ids(&self.ids)?;
        Ok(self.ids)
    }
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
pub fn mount<K: RecordKind, A: Serves<K>>(cfg: &mut web::ServiceConfig, extra: impl FnOnce(&mut web::ServiceConfig)) {
    let base = format!("/{}/{}", K::DOMAIN, K::PATH);
    cfg.route(&base, web::get().to(list::<K, A>))
        .route(&base, web::post().to(create::<K, A>))
        .route(&format!("{base}/bulk-update"), web::post().to(bulk_update::<K, A>))
        .route(&format!("{base}/bulk-delete"), web::post().to(bulk_delete::<K, A>));
    extra(cfg);
    let one = format!("{base}/{{id}}");
    cfg.route(&one, web::get().to(get::<K, A>))
        .route(&one, web::patch().to(update::<K, A>))
        .route(&one, web::delete().to(delete::<K, A>));
}

async fn list<K: RecordKind, A: Serves<K>>(
    host: Host<A>,
    Scoped(scope): Scoped,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, Error> {
    let list = RecordList::parse::<K>(query.into_inner())?;
    Ok(HttpResponse::Ok().json(host.send(List::<K> { scope, list, kind: PhantomData }).await??))
}

async fn create<K: RecordKind, A: Serves<K>>(
    host: Host<A>,
    Scoped(scope): Scoped,
    Valid(changes): Valid<RecordBody<K>>,
) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Created().json(host.send(Create::<K> { scope, changes }).await??))
}

async fn get<K: RecordKind, A: Serves<K>>(
    host: Host<A>,
    Scoped(scope): Scoped,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Error> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(host.send(Get::<K> { scope, id, kind: PhantomData }).await??))
}

async fn update<K: RecordKind, A: Serves<K>>(
    host: Host<A>,
    Scoped(scope): Scoped,
    id: web::Path<Uuid>,
    Valid(changes): Valid<RecordBody<K>>,
) -> Result<HttpResponse, Error> {
    Ok(HttpResponse::Ok().json(host.send(Update::<K> { scope, id: id.into_inner(), changes }).await??))
}

async fn delete<K: RecordKind, A: Serves<K>>(
    host: Host<A>,
    Scoped(scope): Scoped,
    id: web::Path<Uuid>,
    query: web::Query<DeleteQuery>,
    trail: Trail,
) -> Result<HttpResponse, Error> {
    let (id, cascade, trail) = (id.into_inner(), query.cascade, trail.by(scope.user_id));
    host.send(Delete::<K> { scope, id, cascade, trail, kind: PhantomData }).await??;
    Ok(HttpResponse::NoContent().finish())
}

async fn bulk_update<K: RecordKind, A: Serves<K>>(
    host: Host<A>,
    Scoped(scope): Scoped,
    Valid(request): Valid<BulkUpdateRequest<K>>,
) -> Result<HttpResponse, Error> {
    let results = host.send(BulkUpdate::<K> { scope, request }).await??;
    Ok(HttpResponse::Ok().json(BulkAnswer { results }))
}

async fn bulk_delete<K: RecordKind, A: Serves<K>>(
    host: Host<A>,
    Scoped(scope): Scoped,
    trail: Trail,
    Valid(ids): Valid<BulkDeleteRequest>,
) -> Result<HttpResponse, Error> {
    let (ids, trail) = (ids.into_inner(), trail.by(scope.user_id));
    let results = host.send(BulkDelete::<K> { scope, ids, trail, kind: PhantomData }).await??;
    Ok(HttpResponse::Ok().json(BulkAnswer { results }))
}
