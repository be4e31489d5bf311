//! Response bodies of the accounts routes (camelCase; never the password hash).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::models::{Account, User};

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

/// `POST /accounts/login` answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginView {
    pub access_token: String,
    pub user: LoginUser,
}

impl LoginView {
    /// The answer for a successful login.
    pub fn new(access_token: String, user: User) -> Self {
        Self {
            access_token,
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

/// A page of users.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserView>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
}
