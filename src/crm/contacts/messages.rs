//! The typed messages the CRM actor answers for contacts. Each carries the caller's claims; the
//! handler resolves their scope (profile + role) before touching a record.

use actix::Message;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::input::ContactChanges;
use super::store::ContactList;
use super::Contact;
use crate::auth::Claims;
use crate::error::Error;
use crate::http::page::Page;

/// Lists the contacts the caller may read.
#[derive(Debug, Message)]
#[rtype(result = "Result<Page<Contact>, Error>")]
pub struct ListContacts {
    pub claims: Claims,
    pub list: ContactList,
}

/// Reads one contact; 404 when missing or not visible.
#[derive(Debug, Message)]
#[rtype(result = "Result<Contact, Error>")]
pub struct GetContact {
    pub claims: Claims,
    pub id: Uuid,
}

/// Creates a contact.
#[derive(Debug, Message)]
#[rtype(result = "Result<Contact, Error>")]
pub struct CreateContact {
    pub claims: Claims,
    pub changes: ContactChanges,
}

/// Updates one contact.
#[derive(Debug, Message)]
#[rtype(result = "Result<Contact, Error>")]
pub struct UpdateContact {
    pub claims: Claims,
    pub id: Uuid,
    pub changes: ContactChanges,
}

/// Deletes one contact.
#[derive(Debug, Message)]
#[rtype(result = "Result<(), Error>")]
pub struct DeleteContact {
    pub claims: Claims,
    pub id: Uuid,
}

/// Applies the same changes to many contacts, each on its own.
#[derive(Debug, Message)]
#[rtype(result = "Result<Vec<BulkOutcome>, Error>")]
pub struct BulkUpdateContacts {
    pub claims: Claims,
    pub ids: Vec<Uuid>,
    pub changes: ContactChanges,
}

/// Deletes many contacts, each on its own.
#[derive(Debug, Message)]
#[rtype(result = "Result<Vec<BulkOutcome>, Error>")]
pub struct BulkDeleteContacts {
    pub claims: Claims,
    pub ids: Vec<Uuid>,
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
