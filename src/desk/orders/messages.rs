//! The typed messages the desk actor answers for work orders and estimates. Each carries the
//! caller's scope, resolved at the edge.

use actix::Message;
use std::marker::PhantomData;
use uuid::Uuid;

use super::model::{Document, DocumentView, Estimate, WorkOrder};
use crate::access::Scope;
use crate::error::Error;
use crate::http::page::Page;
use crate::records::list::RecordList;
use std::sync::Arc;

/// Lists the documents of `D` the caller may read (without their lines).
#[derive(Debug)]
pub struct ListDocuments<D> {
    pub scope: Arc<Scope>,
    pub list: RecordList,
    pub kind: PhantomData<D>,
}

impl<D: Document> Message for ListDocuments<D> {
    type Result = Result<Page<D::Row>, Error>;
}

/// Reads one document with its lines; 404 when missing, deleted or not visible.
#[derive(Debug)]
pub struct GetDocument<D> {
    pub scope: Arc<Scope>,
    pub id: Uuid,
    pub kind: PhantomData<D>,
}

impl<D: Document> Message for GetDocument<D> {
    type Result = Result<DocumentView<D::Row>, Error>;
}

/// Creates a document (or, with `id`, changes one) from a validated body: references checked,
/// lines priced from the catalog, totals computed, all in one transaction.
#[derive(Debug)]
pub struct SaveDocument<D: Document> {
    pub scope: Arc<Scope>,
    pub id: Option<Uuid>,
    pub changes: D::Changes,
}

impl<D: Document> Message for SaveDocument<D> {
    type Result = Result<DocumentView<D::Row>, Error>;
}

/// Deletes a document (softly: it answers 404 from then on).
#[derive(Debug)]
pub struct DeleteDocument<D> {
    pub scope: Arc<Scope>,
    pub id: Uuid,
    pub kind: PhantomData<D>,
}

impl<D: Document> Message for DeleteDocument<D> {
    type Result = Result<(), Error>;
}

/// Converts an estimate into a new work order with the same fields and lines, and marks it
/// accepted, in one transaction; a second conversion is 409.
#[derive(Debug, Message)]
#[rtype(result = "Result<Conversion, Error>")]
pub struct ConvertEstimate {
    pub scope: Arc<Scope>,
    pub id: Uuid,
}

/// The answer to [`ConvertEstimate`].
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Conversion {
    pub work_order: DocumentView<WorkOrder>,
    pub estimate: DocumentView<Estimate>,
}
