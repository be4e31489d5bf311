//! Request bodies of the accounts routes as clients send them ([`Validate`]), and the validated
//! inputs the accounts actor receives. Validation collects every invalid field into one 422.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::models::UserChanges;
use crate::error::Error;
use crate::http::body::{Intent, Validate};
use crate::http::validate::{patch_field, Validator};

const NAME_MAX: usize = 200;
const SHORT_MAX: usize = 64;

/// `POST /accounts/register` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    #[schema(example = "E-1001")]
    pub work_id: Option<String>,
    #[schema(example = "Ada Lovelace")]
    pub name: Option<String>,
    #[schema(example = "ada@example.com")]
    pub email: Option<String>,
    #[schema(example = "London")]
    pub work_location: Option<String>,
    /// 8–128 characters that zxcvbn rates at least 3 of 4 (see `Validator::new_password`).
    #[schema(example = "Quiet-Harbor-42")]
    pub password: Option<String>,
    pub timezone: Option<String>,
    pub department: Option<String>,
    pub dept_manager: Option<String>,
    /// `YYYY-MM-DD`.
    pub birthday: Option<String>,
}

/// A valid registration.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub work_id: String,
    pub name: String,
    pub email: String,
    pub work_location: String,
    pub password: String,
    pub timezone: Option<String>,
    pub department: Option<String>,
    pub dept_manager: Option<String>,
    pub birthday: Option<NaiveDate>,
}

impl Validate for RegisterRequest {
    type Valid = NewAccount;

    fn validate(self, _: &Intent) -> Result<NewAccount, Error> {
        let raw = self;
        let mut v = Validator::default();
        let related: Vec<String> = [&raw.email, &raw.name, &raw.work_id].into_iter().flatten().cloned().collect();
        let related: Vec<&str> = related.iter().map(String::as_str).collect();
        let account = NewAccount {
            work_id: v.required_text("workId", raw.work_id, SHORT_MAX),
            name: v.required_text("name", raw.name, NAME_MAX),
            email: v.email("email", raw.email),
            work_location: v.required_text("workLocation", raw.work_location, NAME_MAX),
            password: v.new_password("password", raw.password, &related),
            timezone: v.optional_text("timezone", raw.timezone, SHORT_MAX),
            department: v.optional_text("department", raw.department, NAME_MAX),
            dept_manager: v.optional_text("deptManager", raw.dept_manager, NAME_MAX),
            birthday: v.optional_past_date("birthday", raw.birthday),
        };
        v.finish()?;
        Ok(account)
    }
}

/// `POST /accounts/login` body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(example = "ada@example.com")]
    pub email: Option<String>,
    #[schema(example = "Quiet-Harbor-42")]
    pub password: Option<String>,
}

/// Valid login credentials (not yet checked).
#[derive(Debug, Clone)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

impl Validate for LoginRequest {
    type Valid = Credentials;

    fn validate(self, _: &Intent) -> Result<Credentials, Error> {
        let raw = self;
        let mut v = Validator::default();
        let credentials = Credentials {
            email: v.required_text("email", raw.email, 254).to_lowercase(),
            password: v.secret("password", raw.password),
        };
        v.finish()?;
        Ok(credentials)
    }
}

/// `POST /accounts/validate` body (the Bearer header works too).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ValidateRequest {
    pub token: Option<String>,
}

impl Validate for ValidateRequest {
    type Valid = Option<String>;

    fn validate(self, _: &Intent) -> Result<Option<String>, Error> {
        Ok(self.token)
    }
}

/// `POST /accounts/refresh` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    /// The refresh token of the last login or refresh.
    pub refresh_token: Option<String>,
}

impl Validate for RefreshRequest {
    type Valid = String;

    fn validate(self, _: &Intent) -> Result<String, Error> {
        let mut v = Validator::default();
        let token = v.secret("refreshToken", self.refresh_token);
        v.finish()?;
        Ok(token)
    }
}

/// `PATCH /accounts/users/{id}` body: profile fields, identity fields, the admin flag and a
/// password reset. Absent fields stay; `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUserRequest {
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub work_location: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub timezone: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub department: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub dept_manager: Option<Option<String>>,
    /// `YYYY-MM-DD`.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub birthday: Option<Option<String>>,
    /// `PATCH /accounts/me` only, required with `newPassword`.
    pub current_password: Option<String>,
    /// A new password (same rules as at registration); signs out older tokens.
    #[serde(alias = "password")]
    pub new_password: Option<String>,
    /// Administrators only.
    pub email: Option<String>,
    /// Administrators only.
    pub work_id: Option<String>,
    /// Administrators only.
    pub is_admin: Option<bool>,
}

/// `PATCH /accounts/me` body: the profile fields a user may change on themselves, and their
/// password given the current one (the fields of [`UpdateUserRequest`] less the administrators').
#[derive(Debug, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct UpdateMeRequest(pub UpdateUserRequest);

/// A password change requested by the user: the current password is checked first.
#[derive(Debug, Clone)]
pub struct PasswordChange {
    pub current: Option<String>,
    pub new: String,
}

/// Validated profile changes, with an optional password change.
#[derive(Debug, Clone)]
pub struct ProfileUpdate {
    pub changes: UserChanges,
    pub password: Option<PasswordChange>,
}

fn profile(v: &mut Validator, raw: UpdateUserRequest) -> ProfileUpdate {
    let name = raw.name.clone().flatten();
    let changes = UserChanges {
        name: v.patch_required("name", raw.name, NAME_MAX),
        work_location: v.patch_required("workLocation", raw.work_location, NAME_MAX),
        timezone: v.patch_optional("timezone", raw.timezone, SHORT_MAX),
        department: v.patch_optional("department", raw.department, NAME_MAX),
        dept_manager: v.patch_optional("deptManager", raw.dept_manager, NAME_MAX),
        birthday: v.patch_past_date("birthday", raw.birthday),
        ..UserChanges::default()
    };
    let related: Vec<&str> = name.iter().map(String::as_str).collect();
    let password = raw.new_password.map(|new| PasswordChange {
        current: raw.current_password,
        new: v.new_password("newPassword", Some(new), &related),
    });
    ProfileUpdate { changes, password }
}

impl Validate for UpdateMeRequest {
    type Valid = ProfileUpdate;

    fn validate(self, _: &Intent) -> Result<ProfileUpdate, Error> {
        let raw = self.0;
        let mut v = Validator::default();
        if raw.new_password.is_some() && raw.current_password.as_deref().unwrap_or("").is_empty() {
            v.error("currentPassword", "is required to change the password");
        }
        for (field, given) in
            [("email", raw.email.is_some()), ("workId", raw.work_id.is_some()), ("isAdmin", raw.is_admin.is_some())]
        {
            if given {
                v.error(field, "only an administrator changes this (PATCH /accounts/users/{id})");
            }
        }
        let update = profile(&mut v, raw);
        v.finish()?;
        Ok(update)
    }
}

impl Validate for UpdateUserRequest {
    type Valid = ProfileUpdate;

    fn validate(self, _: &Intent) -> Result<ProfileUpdate, Error> {
        let mut v = Validator::default();
        if self.current_password.is_some() {
            v.error("currentPassword", "is not needed: an administrator sets newPassword alone");
        }
        let (email, work_id, is_admin) = (self.email.clone(), self.work_id.clone(), self.is_admin);
        let mut update = profile(&mut v, self);
        update.changes.email = email.map(|e| v.email("email", Some(e)));
        update.changes.work_id = work_id.and_then(|w| v.patch_required("workId", Some(Some(w)), SHORT_MAX));
        update.changes.is_admin = is_admin;
        v.finish()?;
        Ok(update)
    }
}
