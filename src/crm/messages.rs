//! The typed messages the CRM actor answers.

use actix::Message;
use uuid::Uuid;

use super::models::CrmUser;
use crate::auth::Claims;
use crate::error::Error;
use crate::http::page::{Page, PageRequest};

/// Lists the synced users (any signed-in user).
#[derive(Debug, Message)]
#[rtype(result = "Result<Page<CrmUser>, Error>")]
pub struct ListUsers {
    pub claims: Claims,
    pub page: PageRequest,
}

/// Reads one synced user (any signed-in user); deleted users are 404.
#[derive(Debug, Message)]
#[rtype(result = "Result<CrmUser, Error>")]
pub struct GetUser {
    pub claims: Claims,
    pub id: Uuid,
}
