//! User lifecycle events of the accounts domain, written to the outbox in the transaction of
//! the change: `user.created`, `user.updated`, `user.deleted`.

use ::actors::bus::Envelope;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use uuid::Uuid;

use super::models::{self, NewUser, User};
use crate::error::Error;
use crate::schema::accounts::outbox;

/// A user was registered (or created by an administrator).
pub const USER_CREATED: &str = "user.created";
/// A user's fields changed.
pub const USER_UPDATED: &str = "user.updated";
/// A user was deleted; `data.version` is one past their last version.
pub const USER_DELETED: &str = "user.deleted";

/// The `data` of a user event: every field of the user except the password hash.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserData {
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
    /// Increases with every change; consumers apply an event only if it is newer.
    pub version: i64,
    pub date_joined: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&User> for UserData {
    fn from(user: &User) -> Self {
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
            version: user.version,
            date_joined: user.date_joined,
            updated_at: user.updated_at,
        }
    }
}

/// Writes the event `kind` about `data` into the outbox; call inside the change's transaction.
pub async fn record(conn: &mut AsyncPgConnection, node: &str, kind: &str, data: UserData) -> Result<(), Error> {
    let data = serde_json::to_value(data).map_err(|e| Error::Internal(format!("encoding event: {e}")))?;
    let envelope = Envelope::new(kind, node, data);
    let json = serde_json::to_value(&envelope).map_err(|e| Error::Internal(format!("encoding envelope: {e}")))?;
    diesel::insert_into(outbox::table)
        .values((outbox::id.eq(envelope.id), outbox::event_type.eq(kind), outbox::envelope.eq(json)))
        .execute(conn)
        .await?;
    Ok(())
}

/// Inserts a user and records `user.created` in one transaction (registration and the CLI).
pub async fn create_user(conn: &mut AsyncPgConnection, node: &str, user: &NewUser) -> Result<User, Error> {
    conn.transaction(async |conn| {
        let created = models::insert(conn, user).await?;
        record(conn, node, USER_CREATED, UserData::from(&created)).await?;
        Ok(created)
    })
    .await
}
