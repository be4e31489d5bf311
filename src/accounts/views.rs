//! Response bodies of the accounts routes (camelCase; never the password hash).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::models::{Account, User};
use super::sessions::Session;

/// A user as clients see it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub id: Uuid,
    pub work_id: String,
    pub email: String,
    pub name: String,
    pub timezone: Option<String>,
    pub work_location: String,
    pub department: Option<String>,
    pub dept_manager: Option<String>,
    pub birthday: Option<NaiveDate>,
    /// A platform administrator.
    pub is_admin: bool,
    pub date_joined: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Account> for UserView {
    fn from(user: &Account) -> Self {
        Self {
            id: user.id,
            work_id: user.work_id.clone(),
            email: user.email.clone(),
            name: user.name.clone(),
            timezone: user.timezone.clone(),
            work_location: user.work_location.clone(),
            department: user.department.clone(),
            dept_manager: user.dept_manager.clone(),
            birthday: user.birthday,
            is_admin: user.is_admin,
            date_joined: user.date_joined,
            updated_at: user.updated_at,
        }
    }
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        Self::from(&Account::from(user))
    }
}

/// The user summary inside a login answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub work_id: String,
    pub work_location: String,
}

/// The tokens of a session: a short-lived access token and the refresh token that renews it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    /// A JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Single-use: `POST /accounts/refresh` exchanges it for new tokens.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

/// `POST /accounts/login` answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginView {
    #[serde(flatten)]
    pub tokens: Tokens,
    pub user: LoginUser,
}

impl LoginView {
    /// The answer for a successful login.
    pub fn new(tokens: Tokens, user: User) -> Self {
        Self {
            tokens,
            user: LoginUser {
                id: user.id,
                email: user.email,
                name: user.name,
                work_id: user.work_id,
                work_location: user.work_location,
            },
        }
    }
}

/// `PATCH /accounts/me` answer: the user, and new tokens for the caller's session when the
/// password changed (the old ones died with the change).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdatedMe {
    #[serde(flatten)]
    pub user: UserView,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<Tokens>,
}

/// One of the caller's sessions in `GET /accounts/sessions`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    #[serde(flatten)]
    pub session: Session,
    /// The session of the token that asked.
    pub current: bool,
}

/// A page of users.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserView>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
}
