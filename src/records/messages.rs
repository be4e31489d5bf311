//! The typed messages a domain actor answers for every record module `K` it serves. Each carries
//! the caller's scope (profile + role), resolved at the edge; the handler checks it before
//! touching a record.

use actix::Message;
use serde::Serialize;
use std::marker::PhantomData;
use utoipa::ToSchema;
use uuid::Uuid;

use super::list::RecordList;
use super::routes::BulkChanges;
use super::RecordKind;
use crate::access::Scope;
use crate::audit::Trail;
use crate::error::Error;
use crate::http::body::Checked;
use crate::http::page::Page;
use std::sync::Arc;

/// Lists the records of `K` the caller may read.
#[derive(Debug)]
pub struct List<K> {
    pub scope: Arc<Scope>,
    pub list: RecordList,
    pub kind: PhantomData<K>,
}

/// Reads one record; 404 when missing or not visible.
#[derive(Debug)]
pub struct Get<K> {
    pub scope: Arc<Scope>,
    pub id: Uuid,
    pub kind: PhantomData<K>,
}

/// Creates a record from checked changes.
#[derive(Debug)]
pub struct Create<K: RecordKind> {
    pub scope: Arc<Scope>,
    pub changes: Checked<K::Changes>,
}

/// Updates one record with checked changes.
#[derive(Debug)]
pub struct Update<K: RecordKind> {
    pub scope: Arc<Scope>,
    pub id: Uuid,
    pub changes: Checked<K::Changes>,
}

/// Deletes one record; `cascade` takes its dependants along where the module has any.
#[derive(Debug)]
pub struct Delete<K> {
    pub scope: Arc<Scope>,
    pub id: Uuid,
    pub cascade: bool,
    /// Recorded in the audit log with the delete.
    pub trail: Trail,
    pub kind: PhantomData<K>,
}

/// Applies the same checked changes to many records, each on its own.
#[derive(Debug)]
pub struct BulkUpdate<K: RecordKind> {
    pub scope: Arc<Scope>,
    pub request: Checked<BulkChanges<K>>,
}

/// Deletes many records, each on its own.
#[derive(Debug)]
pub struct BulkDelete<K> {
    pub scope: Arc<Scope>,
    pub ids: Vec<Uuid>,
    /// Recorded in the audit log with each delete.
    pub trail: Trail,
    pub kind: PhantomData<K>,
}

impl<K: RecordKind> Message for List<K> {
    type Result = Result<Page<K::Listed>, Error>;
}

impl<K: RecordKind> Message for Get<K> {
    type Result = Result<K::Shown, Error>;
}

impl<K: RecordKind> Message for Create<K> {
    type Result = Result<K::Saved, Error>;
}

impl<K: RecordKind> Message for Update<K> {
    type Result = Result<K::Saved, Error>;
}

impl<K: RecordKind> Message for Delete<K> {
    type Result = Result<(), Error>;
}

impl<K: RecordKind> Message for BulkUpdate<K> {
    type Result = Result<Vec<BulkOutcome>, Error>;
}

impl<K: RecordKind> Message for BulkDelete<K> {
    type Result = Result<Vec<BulkOutcome>, Error>;
}

/// What happened to one id of a bulk request.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkOutcome {
    pub id: Uuid,
    /// True when this id was changed.
    pub ok: bool,
    /// The status a single request for this id would have answered.
    pub status: u16,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl BulkOutcome {
    /// The outcome of one id from its result.
    pub fn of<T>(id: Uuid, result: Result<T, Error>) -> Self {
        match result {
            Ok(_) => Self { id, ok: true, status: 200, detail: None },
            Err(error) => {
                let problem = error.problem();
                Self { id, ok: false, status: problem.status, detail: Some(problem.detail) }
            }
        }
    }
}
