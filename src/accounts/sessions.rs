//! Server-side sessions and their rotating refresh tokens (`accounts.sessions`,
//! `accounts.refresh_tokens`). A login opens a session; a refresh exchanges the session's current
//! refresh token for a new one; a rotated token presented again is taken as stolen and ends the
//! whole session. Refresh tokens are 256 random bits, stored only as their SHA-256.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::time::Duration;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Error;
use crate::schema::accounts::{refresh_tokens, sessions};

/// A session as its owner sees it in the session list.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = sessions, check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub id: Uuid,
    #[serde(skip)]
    pub user_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The `User-Agent` of the login.
    pub user_agent: Option<String>,
    /// The client address of the login.
    pub address: Option<String>,
}

/// Where a login comes from, kept with its session.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub user_agent: Option<String>,
    pub address: Option<String>,
}

/// A new refresh token: what the client gets once, and the hash that is stored.
pub struct RefreshToken {
    pub token: String,
    hash: Vec<u8>,
}

impl RefreshToken {
    /// 256 random bits from the operating system's generator.
    fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let hash = digest(&token);
        Self { token, hash }
    }
}

/// The stored form of a refresh token.
fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The longest a refresh token can be: anything longer is not one of ours.
const TOKEN_LENGTH: usize = 43;

/// Stores `token` as the current refresh token of `session`.
async fn give(conn: &mut AsyncPgConnection, session: Uuid, token: &RefreshToken) -> Result<(), Error> {
    diesel::insert_into(refresh_tokens::table)
        .values((refresh_tokens::hash.eq(&token.hash), refresh_tokens::session_id.eq(session)))
        .execute(conn)
        .await?;
    Ok(())
}

/// Opens a session for `user` lasting `ttl`; answers its id and its first refresh token.
pub async fn open(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    origin: Origin,
    ttl: Duration,
) -> Result<(Uuid, RefreshToken), Error> {
    let id = Uuid::new_v4();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(id),
            sessions::user_id.eq(user),
            sessions::expires_at.eq(Utc::now() + ttl),
            sessions::user_agent.eq(origin.user_agent),
            sessions::address.eq(origin.address),
        ))
        .execute(conn)
        .await?;
    let token = RefreshToken::generate();
    give(conn, id, &token).await?;
    Ok((id, token))
}

/// The user a session's new access token is for.
#[derive(Debug, Clone)]
pub struct Holder {
    pub id: Uuid,
    pub email: String,
    /// The user's credential version, carried in the access token.
    pub credential_version: i32,
}

impl From<&crate::accounts::models::User> for Holder {
    fn from(user: &crate::accounts::models::User) -> Self {
        Self { id: user.id, email: user.email.clone(), credential_version: user.credential_version }
    }
}

/// What presenting a refresh token did.
pub enum Exchange {
    /// The token was current: the session goes on with a new token.
    Rotated { session: Uuid, holder: Holder, token: RefreshToken },
    /// The token had already been exchanged and its session is live: it was stolen, or the
    /// client replayed it; the session must end.
    Reused { session: Uuid },
    /// Not a token of a live session.
    Refused,
}

/// Exchanges a presented refresh token in one statement: it locks the token's and its session's
/// rows, and when the token is current and its session live, retires it, stores the new token
/// and slides the session's expiry to now + `ttl`; it answers what it found with the user's
/// email and credential version. Two exchanges of one token are serialised by the locks: the
/// second sees the first's rotation.
const EXCHANGE: &str = "
    WITH presented AS (
        SELECT t.hash, t.session_id, t.rotated_at, s.user_id, s.ended_at, s.expires_at
        FROM accounts.refresh_tokens t JOIN accounts.sessions s ON s.id = t.session_id
        WHERE t.hash = $1
        FOR NO KEY UPDATE
    ), live AS (
        SELECT * FROM presented WHERE rotated_at IS NULL AND ended_at IS NULL AND expires_at > now()
    ), retired AS (
        UPDATE accounts.refresh_tokens t SET rotated_at = now() FROM live WHERE t.hash = live.hash
        RETURNING t.hash
    ), given AS (
        INSERT INTO accounts.refresh_tokens (hash, session_id) SELECT $2, session_id FROM live
        RETURNING hash
    ), slid AS (
        UPDATE accounts.sessions s SET last_used_at = now(), expires_at = now() + $3 * interval '1 second'
        FROM live WHERE s.id = live.session_id
        RETURNING s.id
    )
    SELECT p.session_id, p.user_id, p.rotated_at IS NOT NULL AS was_rotated,
           p.ended_at IS NULL AND p.expires_at > now() AS session_live,
           u.email, u.credential_version, (SELECT count(*) FROM slid) AS slid
    FROM presented p JOIN accounts.users u ON u.id = p.user_id";

/// What [`EXCHANGE`] found.
#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    session_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    user_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    was_rotated: bool,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    session_live: bool,
    #[diesel(sql_type = diesel::sql_types::Text)]
    email: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    credential_version: i32,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    slid: i64,
}

/// Exchanges a refresh token (one statement, [`EXCHANGE`]). A token already exchanged is
/// reported as reused while its session is live; the caller then ends the session.
pub async fn exchange(conn: &mut AsyncPgConnection, presented: &str, ttl: Duration) -> Result<Exchange, Error> {
    if presented.len() != TOKEN_LENGTH {
        return Ok(Exchange::Refused);
    }
    let token = RefreshToken::generate();
    let found: Option<Found> = diesel::sql_query(EXCHANGE)
        .bind::<diesel::sql_types::Bytea, _>(digest(presented))
        .bind::<diesel::sql_types::Bytea, _>(&token.hash)
        .bind::<diesel::sql_types::BigInt, _>(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX))
        .get_result(conn)
        .await
        .optional()?;
    Ok(match found {
        Some(found) if found.slid == 1 => Exchange::Rotated {
            session: found.session_id,
            holder: Holder { id: found.user_id, email: found.email, credential_version: found.credential_version },
            token,
        },
        Some(found) if found.was_rotated && found.session_live => Exchange::Reused { session: found.session_id },
        _ => Exchange::Refused,
    })
}

/// Gives a live session a new refresh token and retires its others (presenting one of them
/// later ends the session, as a reused token does).
pub async fn renew(conn: &mut AsyncPgConnection, session: Uuid) -> Result<RefreshToken, Error> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::session_id.eq(session))
            .filter(refresh_tokens::rotated_at.is_null()),
    )
    .set(refresh_tokens::rotated_at.eq(Utc::now()))
    .execute(conn)
    .await?;
    let token = RefreshToken::generate();
    give(conn, session, &token).await?;
    Ok(token)
}

/// Ends a session; answers whether it was live.
pub async fn end(conn: &mut AsyncPgConnection, session: Uuid) -> Result<bool, Error> {
    let ended = diesel::update(sessions::table.find(session).filter(sessions::ended_at.is_null()))
        .set(sessions::ended_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    Ok(ended == 1)
}

/// Ends `user`'s session `session`; `false` when it is not a live session of theirs.
pub async fn end_own(conn: &mut AsyncPgConnection, user: Uuid, session: Uuid) -> Result<bool, Error> {
    let ended = diesel::update(
        sessions::table.find(session).filter(sessions::user_id.eq(user)).filter(sessions::ended_at.is_null()),
    )
    .set(sessions::ended_at.eq(Utc::now()))
    .execute(conn)
    .await?;
    Ok(ended == 1)
}

/// Ends every live session of `user` but `keep`; answers the ended ones.
pub async fn end_all(conn: &mut AsyncPgConnection, user: Uuid, keep: Option<Uuid>) -> Result<Vec<Uuid>, Error> {
    let live = sessions::table.filter(sessions::user_id.eq(user)).filter(sessions::ended_at.is_null());
    let ended = diesel::update(live.filter(sessions::id.ne(keep.unwrap_or_else(Uuid::nil))))
        .set(sessions::ended_at.eq(Utc::now()))
        .returning(sessions::id)
        .get_results(conn)
        .await?;
    Ok(ended)
}

/// `user`'s live sessions, most recently used first.
pub async fn live(conn: &mut AsyncPgConnection, user: Uuid) -> Result<Vec<Session>, Error> {
    Ok(sessions::table
        .filter(sessions::user_id.eq(user))
        .filter(sessions::ended_at.is_null())
        .filter(sessions::expires_at.gt(Utc::now()))
        .order((sessions::last_used_at.desc(), sessions::id))
        .select(Session::as_select())
        .load(conn)
        .await?)
}

/// The owner of session `id` if it is live.
pub async fn owner(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<Uuid>, Error> {
    Ok(sessions::table
        .find(id)
        .filter(sessions::ended_at.is_null())
        .filter(sessions::expires_at.gt(Utc::now()))
        .select(sessions::user_id)
        .first(conn)
        .await
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_token_is_256_random_bits_and_only_its_digest_is_kept() {
        let (one, two) = (RefreshToken::generate(), RefreshToken::generate());
        assert_eq!(one.token.len(), TOKEN_LENGTH);
        assert_ne!(one.token, two.token);
        assert_eq!(one.hash, digest(&one.token));
        assert_eq!(one.hash.len(), 32);
        assert!(!String::from_utf8_lossy(&one.hash).contains(&one.token));
    }
}
