//! The typed messages the accounts actor answers. The caller is resolved at the edge: a message
//! for a signed-in user carries their [`AuthUser`]; administrators' messages are only sent after
//! the route checked the caller is one.

use actix::Message;
use uuid::Uuid;

use super::input::{Credentials, NewAccount, ProfileUpdate};
use super::models::User;
use crate::auth::AuthUser;
use crate::error::Error;
use crate::http::body::Checked;
use crate::http::page::{Page, PageRequest};

/// Registers a new user.
#[derive(Debug, Message)]
#[rtype(result = "Result<User, Error>")]
pub struct Register(pub Checked<NewAccount>);

/// Checks credentials and issues a token; throttled per email and client address.
#[derive(Debug, Message)]
#[rtype(result = "Result<(String, User), Error>")]
pub struct Login {
    pub credentials: Checked<Credentials>,
    pub address: String,
}

/// Updates the caller's own profile (and password, given the current one).
#[derive(Debug, Message)]
#[rtype(result = "Result<User, Error>")]
pub struct UpdateMe {
    pub user: AuthUser,
    pub update: Checked<ProfileUpdate>,
}

/// Lists users (administrators).
#[derive(Debug, Message)]
#[rtype(result = "Result<Page<User>, Error>")]
pub struct ListUsers {
    pub page: PageRequest,
}

/// Reads one user (administrators).
#[derive(Debug, Message)]
#[rtype(result = "Result<User, Error>")]
pub struct GetUser {
    pub id: Uuid,
}

/// Updates any user (administrators).
#[derive(Debug, Message)]
#[rtype(result = "Result<User, Error>")]
pub struct UpdateUser {
    pub id: Uuid,
    pub update: Checked<ProfileUpdate>,
}

/// Deletes a user (administrators); their tokens stop working at once.
#[derive(Debug, Message)]
#[rtype(result = "Result<(), Error>")]
pub struct DeleteUser {
    pub id: Uuid,
}
