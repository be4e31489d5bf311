//! The typed messages the accounts actor answers. The caller is resolved at the edge: a message
//! for a signed-in user carries their [`AuthUser`]; administrators' messages are only sent after
//! the route checked the caller is one.

use actix::Message;
use uuid::Uuid;

use super::input::{Credentials, NewAccount, ProfileUpdate};
use super::models::User;
use super::sessions::{Origin, Session};
use super::views::Tokens;
use crate::audit::Trail;
use crate::auth::AuthUser;
use crate::error::Error;
use crate::http::body::Checked;
use crate::http::page::{Page, PageRequest};

/// Registers a new user.
#[derive(Debug, Message)]
#[rtype(result = "Result<User, Error>")]
pub struct Register(pub Checked<NewAccount>);

/// Checks credentials and opens a session with its tokens; throttled per email and client address.
#[derive(Debug, Message)]
#[rtype(result = "Result<(Tokens, User), Error>")]
pub struct Login {
    pub credentials: Checked<Credentials>,
    pub origin: Origin,
    pub trail: Trail,
}

/// Exchanges a refresh token for new tokens of its session; a token already exchanged ends the
/// session (401).
#[derive(Debug, Message)]
#[rtype(result = "Result<Tokens, Error>")]
pub struct Refresh {
    pub refresh_token: Checked<String>,
    pub trail: Trail,
}

/// Ends the caller's session (every token of it, on every node).
#[derive(Debug, Message)]
#[rtype(result = "Result<(), Error>")]
pub struct Logout {
    pub user: AuthUser,
    pub trail: Trail,
}

/// The caller's live sessions.
#[derive(Debug, Message)]
#[rtype(result = "Result<Vec<Session>, Error>")]
pub struct ListSessions {
    pub user: AuthUser,
}

/// Ends one of the caller's sessions; 404 when it is not a live session of theirs.
#[derive(Debug, Message)]
#[rtype(result = "Result<(), Error>")]
pub struct EndSession {
    pub user: AuthUser,
    pub id: Uuid,
    pub trail: Trail,
}

/// Updates the caller's own profile (and password, given the current one). A password change ends
/// the caller's other sessions and answers new tokens for theirs.
#[derive(Debug, Message)]
#[rtype(result = "Result<(User, Option<Tokens>), Error>")]
pub struct UpdateMe {
    pub user: AuthUser,
    pub update: Checked<ProfileUpdate>,
    pub trail: Trail,
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

/// Updates any user (administrators); a new password ends all their sessions.
#[derive(Debug, Message)]
#[rtype(result = "Result<User, Error>")]
pub struct UpdateUser {
    pub id: Uuid,
    pub update: Checked<ProfileUpdate>,
    pub trail: Trail,
}

/// Deletes a user (administrators); their tokens stop working at once.
#[derive(Debug, Message)]
#[rtype(result = "Result<(), Error>")]
pub struct DeleteUser {
    pub id: Uuid,
    pub trail: Trail,
}
