//! The typed messages the accounts actor answers. Every request that needs a signed-in user
//! carries the token's [`Claims`]; the actor checks the user still exists and the token is
//! not revoked before acting.

use actix::Message;
use uuid::Uuid;

use super::input::{Credentials, NewAccount, ProfileUpdate};
use super::models::User;
use crate::auth::Claims;
use crate::error::Error;
use crate::http::page::{Page, PageRequest};

/// Registers a new user.
#[derive(Debug, Message)]
#[rtype(result = "Result<User, Error>")]
pub struct Register(pub NewAccount);

/// Checks credentials and issues a token; throttled per email and client address.
#[derive(Debug, Message)]
#[rtype(result = "Result<(String, User), Error>")]
pub struct Login {
    pub credentials: Credentials,
    pub address: String,
}

/// Resolves a token's claims to the current user: 401 when the user is gone or the token
/// was revoked.
#[derive(Debug, Message)]
#[rtype(result = "Result<User, Error>")]
pub struct Authenticate(pub Claims);

/// Updates the caller's own profile (and password, given the current one).
#[derive(Debug, Message)]
#[rtype(result = "Result<User, Error>")]
pub struct UpdateMe {
    pub claims: Claims,
    pub update: ProfileUpdate,
}

/// Lists users (administrators).
#[derive(Debug, Message)]
#[rtype(result = "Result<Page<User>, Error>")]
pub struct ListUsers {
    pub claims: Claims,
    pub page: PageRequest,
}

/// Reads one user (administrators).
#[derive(Debug, Message)]
#[rtype(result = "Result<User, Error>")]
pub struct GetUser {
    pub claims: Claims,
    pub id: Uuid,
}

/// Updates any user (administrators).
#[derive(Debug, Message)]
#[rtype(result = "Result<User, Error>")]
pub struct UpdateUser {
    pub claims: Claims,
    pub id: Uuid,
    pub update: ProfileUpdate,
}

/// Deletes a user (administrators); their tokens stop working at once.
#[derive(Debug, Message)]
#[rtype(result = "Result<(), Error>")]
pub struct DeleteUser {
    pub claims: Claims,
    pub id: Uuid,
}
