//! The `accounts.users` table and its queries. Functions take any `AsyncPgConnection`, so
//! they run on a pooled connection or inside a transaction alike.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::input::NewAccount;
use crate::error::Error;
use crate::http::page::{Page, PageRequest};
use crate::schema::accounts::users;

/// A stored user, including the password hash (never serialized).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    pub id: Uuid,
    pub work_id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub timezone: Option<String>,
    pub work_location: String,
    pub department: Option<String>,
    pub dept_manager: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub is_admin: bool,
    pub version: i64,
    pub date_joined: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Bumped by a password change or reset: access tokens carry the version they were issued
    /// under, and an older one is refused.
    pub credential_version: i32,
}

/// A stored user without their secrets: what a token check and `/accounts/me` read, and what
/// this node caches per signed-in user.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct Account {
    pub id: Uuid,
    pub work_id: String,
    pub email: String,
    pub name: String,
    pub timezone: Option<String>,
    pub work_location: String,
    pub department: Option<String>,
    pub dept_manager: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub is_admin: bool,
    pub date_joined: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Access tokens issued under another version are refused.
    pub credential_version: i32,
}

impl From<User> for Account {
    fn from(user: User) -> Self {
        Self {
            id: user.id,
            work_id: user.work_id,
            email: user.email,
            name: user.name,
            timezone: user.timezone,
            work_location: user.work_location,
            department: user.department,
            dept_manager: user.dept_manager,
            birthday: user.birthday,
            is_admin: user.is_admin,
            date_joined: user.date_joined,
            updated_at: user.updated_at,
            credential_version: user.credential_version,
        }
    }
}

/// A user to insert.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub id: Uuid,
    pub work_id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub timezone: Option<String>,
    pub work_location: String,
    pub department: Option<String>,
    pub dept_manager: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub is_admin: bool,
}

impl NewUser {
    /// A new user from a validated registration and the hash of its password.
    pub fn from_account(account: NewAccount, password_hash: String, is_admin: bool) -> Self {
        Self {
            id: Uuid::new_v4(),
            work_id: account.work_id,
            email: account.email,
            name: account.name,
            password_hash,
            timezone: account.timezone,
            work_location: account.work_location,
            department: account.department,
            dept_manager: account.dept_manager,
            birthday: account.birthday,
            is_admin,
        }
    }
}

/// Column changes; `None` leaves a column alone, `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default, PartialEq, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub work_id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub password_hash: Option<String>,
    pub timezone: Option<Option<String>>,
    pub work_location: Option<String>,
    pub department: Option<Option<String>>,
    pub dept_manager: Option<Option<String>>,
    pub birthday: Option<Option<NaiveDate>>,
    pub is_admin: Option<bool>,
}

impl UserChanges {
    /// True when nothing would change.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The API names of the fields these changes set (for the audit log; never their values).
    pub fn fields(&self) -> Vec<&'static str> {
        [
            ("workId", self.work_id.is_some()),
            ("email", self.email.is_some()),
            ("name", self.name.is_some()),
            ("password", self.password_hash.is_some()),
            ("timezone", self.timezone.is_some()),
            ("workLocation", self.work_location.is_some()),
            ("department", self.department.is_some()),
            ("deptManager", self.dept_manager.is_some()),
            ("birthday", self.birthday.is_some()),
            ("isAdmin", self.is_admin.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, set)| set.then_some(field))
        .collect()
    }
}

/// Maps a unique violation to a 409 naming the field; other errors pass through.
fn conflict(error: DieselError) -> Error {
    match &error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => match info.constraint_name() {
            Some("users_email_key") => Error::conflict("email", "email is already registered"),
            Some("users_work_id_key") => Error::conflict("workId", "workId is already registered"),
            _ => Error::Conflict { detail: "user already exists".into(), field: None },
        },
        _ => error.into(),
    }
}

/// The user with this id.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<User>, Error> {
    Ok(users::table.find(id).select(User::as_select()).first(conn).await.optional()?)
}

/// The user with this (normalized) email.
pub async fn find_by_email(conn: &mut AsyncPgConnection, email: &str) -> Result<Option<User>, Error> {
    Ok(users::table.filter(users::email.eq(email)).select(User::as_select()).first(conn).await.optional()?)
}

/// The 409 a new user with this email or workId would meet, if any.
pub async fn taken(conn: &mut AsyncPgConnection, email: &str, work_id: &str) -> Result<Option<Error>, Error> {
    let found: Vec<(String, String)> = users::table
        .filter(users::email.eq(email).or(users::work_id.eq(work_id)))
        .select((users::email, users::work_id))
        .load(conn)
        .await?;
    Ok(found.iter().find_map(|(e, w)| {
        if e == email {
            Some(Error::conflict("email", "email is already registered"))
        } else if w == work_id {
            Some(Error::conflict("workId", "workId is already registered"))
        } else {
            None
        }
    }))
}

/// Inserts a user; 409 when the email or workId is taken.
pub async fn insert(conn: &mut AsyncPgConnection, user: &NewUser) -> Result<User, Error> {
    diesel::insert_into(users::table)
        .values(user)
        .returning(User::as_returning())
        .get_result(conn)
        .await
        .map_err(conflict)
}

/// Applies changes and bumps the version; 404 when the user is gone, 409 on a taken email/workId.
pub async fn update(conn: &mut AsyncPgConnection, id: Uuid, changes: &UserChanges) -> Result<User, Error> {
    if changes.is_empty() {
        return find(conn, id).await?.ok_or_else(|| Error::NotFound("user not found".into()));
    }
    // A new password bumps the credential version: every access token issued before dies.
    let credentials = users::credential_version + i32::from(changes.password_hash.is_some());
    diesel::update(users::table.find(id))
        .set((
            changes,
            users::version.eq(users::version + 1),
            users::credential_version.eq(credentials),
            users::updated_at.eq(Utc::now()),
        ))
        .returning(User::as_returning())
        .get_result(conn)
        .await
        .optional()
        .map_err(conflict)?
        .ok_or_else(|| Error::NotFound("user not found".into()))
}

/// Replaces a legacy password hash with `hash` of the same password: not a password change (no
/// new credential version, no event).
pub async fn rehash(conn: &mut AsyncPgConnection, id: Uuid, hash: &str) -> Result<(), Error> {
    diesel::update(users::table.find(id)).set(users::password_hash.eq(hash)).execute(conn).await?;
    Ok(())
}

/// Whether any platform administrator other than `id` exists.
pub async fn other_admin_exists(conn: &mut AsyncPgConnection, id: Uuid) -> Result<bool, Error> {
    Ok(diesel::select(diesel::dsl::exists(users::table.filter(users::is_admin.and(users::id.ne(id)))))
        .get_result(conn)
        .await?)
}

/// Deletes a user and answers what was deleted; `None` when there was none.
pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<User>, Error> {
    Ok(diesel::delete(users::table.find(id)).returning(User::as_returning()).get_result(conn).await.optional()?)
}

/// One page of users in join order, optionally filtered by a search on name, email and workId.
pub async fn list(conn: &mut AsyncPgConnection, request: &PageRequest) -> Result<Page<User>, Error> {
    let filtered = || {
        let mut query = users::table.into_boxed();
        if let Some(pattern) = request.search_pattern() {
            query = query.filter(crate::db::person_search(pattern));
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn).await?;
    let items = filtered()
        .select(User::as_select())
        .order((users::date_joined, users::id))
        .limit(request.limit)
        .offset(request.offset())
        .load(conn)
        .await?;
    Ok(Page { items, total, page: request.page, limit: request.limit })
}
