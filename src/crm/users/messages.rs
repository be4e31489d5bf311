//! The typed messages the CRM actor answers about its user directory. Routes send them after
//! resolving the caller (any signed-in user reads, a CRM manager assigns).

use actix::Message;
use uuid::Uuid;

use super::model::{Assignment, CrmUser};
use crate::audit::Trail;
use crate::error::Error;
use crate::http::body::Checked;
use crate::http::page::{Page, PageRequest};

/// Lists the synced users (any signed-in user).
#[derive(Debug, Message)]
#[rtype(result = "Result<Page<CrmUser>, Error>")]
pub struct ListUsers {
    pub page: PageRequest,
}

/// Reads one synced user (any signed-in user); deleted users are 404.
#[derive(Debug, Message)]
#[rtype(result = "Result<CrmUser, Error>")]
pub struct GetUser {
    pub id: Uuid,
}

/// Assigns a user's CRM role and profile (CRM managers).
#[derive(Debug, Message)]
#[rtype(result = "Result<CrmUser, Error>")]
pub struct AssignUser {
    pub id: Uuid,
    pub assignment: Checked<Assignment>,
    /// Recorded in the audit log with the change.
    pub trail: Trail,
}
