//! The typed messages the CRM actor answers about profiles and roles. Routes send them only for a
//! CRM manager (a platform administrator or an Administrator-profile holder).

use actix::Message;
use uuid::Uuid;

use super::profiles::{Profile, ProfileChanges};
use super::roles::{Role, RoleChanges, RoleNode};
use crate::audit::Trail;
use crate::error::Error;
use crate::http::body::Checked;
use crate::http::page::{Page, PageRequest};

/// Lists profiles (CRM managers: platform administrators or Administrator-profile holders).
#[derive(Debug, Message)]
#[rtype(result = "Result<Page<Profile>, Error>")]
pub struct ListProfiles {
    pub page: PageRequest,
}

/// Reads a profile (CRM managers).
#[derive(Debug, Message)]
#[rtype(result = "Result<Profile, Error>")]
pub struct GetProfile {
    pub id: Uuid,
}

/// Creates a profile (CRM managers).
#[derive(Debug, Message)]
#[rtype(result = "Result<Profile, Error>")]
pub struct CreateProfile {
    pub changes: Checked<ProfileChanges>,
}

/// Updates a profile (CRM managers); enforced on every node at once.
#[derive(Debug, Message)]
#[rtype(result = "Result<Profile, Error>")]
pub struct UpdateProfile {
    pub id: Uuid,
    pub changes: Checked<ProfileChanges>,
    /// Recorded in the audit log with the change.
    pub trail: Trail,
}

/// Deletes an unused profile (CRM managers).
#[derive(Debug, Message)]
#[rtype(result = "Result<(), Error>")]
pub struct DeleteProfile {
    pub id: Uuid,
}

/// Lists roles (CRM managers).
#[derive(Debug, Message)]
#[rtype(result = "Result<Page<Role>, Error>")]
pub struct ListRoles {
    pub page: PageRequest,
}

/// The role hierarchy (CRM managers).
#[derive(Debug, Message)]
#[rtype(result = "Result<Vec<RoleNode>, Error>")]
pub struct RoleTree;

/// Reads a role (CRM managers).
#[derive(Debug, Message)]
#[rtype(result = "Result<Role, Error>")]
pub struct GetRole {
    pub id: Uuid,
}

/// Creates a role (CRM managers).
#[derive(Debug, Message)]
#[rtype(result = "Result<Role, Error>")]
pub struct CreateRole {
    pub changes: Checked<RoleChanges>,
}

/// Updates or moves a role (CRM managers); a move that would make a cycle is 409.
#[derive(Debug, Message)]
#[rtype(result = "Result<Role, Error>")]
pub struct UpdateRole {
    pub id: Uuid,
    pub changes: Checked<RoleChanges>,
}

/// Deletes a role without children or users (CRM managers).
#[derive(Debug, Message)]
#[rtype(result = "Result<(), Error>")]
pub struct DeleteRole {
    pub id: Uuid,
    /// Recorded in the audit log with the change.
    pub trail: Trail,
}
