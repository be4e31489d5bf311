//! The typed message the desk actor answers for an estimate's conversion (work orders and
//! estimates themselves answer the shared record messages, `crate::records::messages`). It
//! carries the caller's scope, resolved at the edge.

use actix::Message;
use std::sync::Arc;
use uuid::Uuid;

use super::model::{DocumentView, Estimate, WorkOrder};
use crate::access::Scope;
use crate::audit::Trail;
use crate::error::Error;

/// Converts an estimate into a new work order with the same fields and lines, and marks it
/// accepted, in one transaction; a second conversion is 409.
#[derive(Debug, Message)]
#[rtype(result = "Result<Conversion, Error>")]
pub struct ConvertEstimate {
    pub scope: Arc<Scope>,
    pub id: Uuid,
    /// Recorded in the audit log with the change.
    pub trail: Trail,
}

/// The answer to [`ConvertEstimate`].
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Conversion {
    pub work_order: DocumentView<WorkOrder>,
    pub estimate: DocumentView<Estimate>,
}
