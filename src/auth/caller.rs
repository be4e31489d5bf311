//! Who the caller is, resolved once at the edge: a Bearer token's signature and expiry are checked
//! in-process; its user and its session are read from a per-node cache ([`Callers`]) and, on a
//! miss, from the accounts tables. A token is refused when its session has ended or when it was
//! issued under an older credential version (a password change). Handlers receive [`Caller`] (any
//! signed-in user) or [`Admin`] (a platform administrator): a slim [`AuthUser`], never the stored
//! user with its password hash.

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use futures_util::future::LocalBoxFuture;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use uuid::Uuid;

use super::{Claims, JwtKeys};
use crate::accounts::models::Account;
use crate::accounts::sessions;
use crate::db::DbPool;
use crate::error::Error;
use crate::schema::accounts::users;

/// How long a cached user or session is trusted without hearing of a change (the mesh may be down).
const TTL: Duration = Duration::from_secs(5);
/// Cache size at which expired users are purged.
const PURGE_AT: usize = 100_000;

/// The signed-in user behind a request: what every domain may know of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    pub id: Uuid,
    pub email: String,
    /// A platform administrator (user management, inspection).
    pub is_admin: bool,
    /// The session the request's token belongs to.
    pub session: Uuid,
}

impl AuthUser {
    /// 403 unless the user is a platform administrator: the one admin check.
    pub fn require_admin(&self) -> Result<(), Error> {
        if self.is_admin {
            Ok(())
        } else {
            Err(Error::Forbidden("this needs a platform administrator".into()))
        }
    }
}

/// 401 when the token was issued under an older credential version (the password changed since).
fn admit(account: Arc<Account>, claims: &Claims) -> Result<Arc<Account>, Error> {
    if claims.ver != account.credential_version {
        return Err(Error::Unauthorized("the token was revoked; sign in again".into()));
    }
    Ok(account)
}

impl AuthUser {
    /// The caller behind a verified token whose user is `account`.
    fn new(account: &Account, claims: &Claims) -> Self {
        Self { id: account.id, email: account.email.clone(), is_admin: account.is_admin, session: claims.sid }
    }
}

/// A signed-in caller: their stored account and the session of their token.
#[derive(Debug, Clone)]
pub struct Signed {
    pub account: Arc<Account>,
    pub user: AuthUser,
}

#[derive(Default)]
struct Entries {
    users: HashMap<Uuid, (Arc<Account>, Instant)>,
    /// Session id → its owner while it is live (`None`: ended, expired or unknown).
    sessions: HashMap<Uuid, (Option<Uuid>, Instant)>,
    /// Bumped on every eviction: a load that started before it does not fill the cache.
    generation: u64,
}

/// This node's cache of token users and sessions, shared by every HTTP worker. Accounts drops a
/// user or a session from it after a change commits here, and every node drops it on the mesh's
/// `accounts.user.changed` / `accounts.session.ended`.
pub struct Callers {
    pool: DbPool,
    jwt: JwtKeys,
    entries: RwLock<Entries>,
}

impl Callers {
    /// An empty cache verifying tokens with `jwt` and reading users from `pool`.
    pub fn new(pool: DbPool, jwt: JwtKeys) -> Arc<Self> {
        Arc::new(Self { pool, jwt, entries: RwLock::default() })
    }

    /// The caller a token names: 401 when the token is invalid or revoked, its session ended, or
    /// the user is gone.
    pub async fn resolve(&self, token: &str) -> Result<Signed, Error> {
        let claims = self.jwt.verify(token)?;
        if let Some(signed) = self.cached(&claims)? {
            return Ok(signed);
        }
        let account = self.account(&claims).await?;
        if self.session_owner(claims.sid).await? != Some(account.id) {
            return Err(Error::Unauthorized("the session has ended; sign in again".into()));
        }
        Ok(Signed { user: AuthUser::new(&account, &claims), account })
    }

    /// The caller from the cache alone, under one read lock: `None` when the user or the session
    /// is not cached (or too old), so the slow path reads them.
    fn cached(&self, claims: &Claims) -> Result<Option<Signed>, Error> {
        let entries = self.entries.read().map_err(|_| Error::Internal("caller cache poisoned".into()))?;
        let fresh = |at: &Instant| at.elapsed() < TTL;
        let (Some((account, _)), Some((owner, _))) = (
            entries.users.get(&claims.sub).filter(|(_, at)| fresh(at)),
            entries.sessions.get(&claims.sid).filter(|(_, at)| fresh(at)),
        ) else {
            return Ok(None);
        };
        let account = admit(account.clone(), claims)?;
        if *owner != Some(account.id) {
            return Err(Error::Unauthorized("the session has ended; sign in again".into()));
        }
        Ok(Some(Signed { user: AuthUser::new(&account, claims), account }))
    }

    /// The owner of a live session, from the cache or the sessions table.
    async fn session_owner(&self, id: Uuid) -> Result<Option<Uuid>, Error> {
        let generation = {
            let entries = self.entries.read().map_err(|_| Error::Internal("caller cache poisoned".into()))?;
            if let Some((owner, _)) = entries.sessions.get(&id).filter(|(_, at)| at.elapsed() < TTL) {
                return Ok(*owner);
            }
            entries.generation
        };
        let owner = sessions::owner(&mut *self.pool.get().await?, id).await?;
        if let Ok(mut entries) = self.entries.write() {
            if entries.generation == generation {
                if entries.sessions.len() >= PURGE_AT {
                    entries.sessions.retain(|_, (_, at)| at.elapsed() < TTL);
                }
                entries.sessions.insert(id, (owner, Instant::now()));
            }
        }
        Ok(owner)
    }

    /// The stored user (without secrets) a verified token names, if the token's credential
    /// version is current.
    async fn account(&self, claims: &Claims) -> Result<Arc<Account>, Error> {
        let generation = {
            let entries = self.entries.read().map_err(|_| Error::Internal("caller cache poisoned".into()))?;
            if let Some((user, _)) = entries.users.get(&claims.sub).filter(|(_, at)| at.elapsed() < TTL) {
                return admit(user.clone(), claims);
            }
            entries.generation
        };
        let user: Arc<Account> = users::table
            .find(claims.sub)
            .select(Account::as_select())
            .first(&mut *self.pool.get().await?)
            .await
            .optional()?
            .map(Arc::new)
            .ok_or_else(|| Error::Unauthorized("the token's user no longer exists".into()))?;
        if let Ok(mut entries) = self.entries.write() {
            if entries.generation == generation {
                if entries.users.len() >= PURGE_AT {
                    entries.users.retain(|_, (_, at)| at.elapsed() < TTL);
                }
                entries.users.insert(user.id, (user.clone(), Instant::now()));
            }
        }
        admit(user, claims)
    }

    /// Drops the cached copy of a user; loads already under way will not cache theirs.
    pub fn forget(&self, id: Uuid) {
        if let Ok(mut entries) = self.entries.write() {
            entries.users.remove(&id);
            entries.generation += 1;
        }
    }

    /// Drops the cached state of sessions that ended; loads already under way will not cache theirs.
    pub fn forget_sessions(&self, ids: &[Uuid]) {
        if let Ok(mut entries) = self.entries.write() {
            for id in ids {
                entries.sessions.remove(id);
            }
            entries.generation += 1;
        }
    }
}

/// The token in an `Authorization: Bearer …` header, if any.
pub fn bearer_token(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
}

/// The caller behind a request's Bearer token, through this node's [`Callers`].
async fn signed(req: &HttpRequest) -> Result<Signed, Error> {
    let callers = req
        .app_data::<web::Data<Arc<Callers>>>()
        .ok_or_else(|| Error::Internal("the caller cache is missing from app data".into()))?;
    let token =
        bearer_token(req).ok_or_else(|| Error::Unauthorized("missing Authorization: Bearer <token> header".into()))?;
    callers.resolve(token).await
}

/// The caller of a request, from its Bearer token through this node's [`Callers`].
pub async fn resolve(req: &HttpRequest) -> Result<AuthUser, Error> {
    Ok(signed(req).await?.user)
}

/// Any signed-in user (401 otherwise).
#[derive(Debug, Clone)]
pub struct Caller(pub AuthUser);

impl FromRequest for Caller {
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { resolve(&req).await.map(Caller) })
    }
}

/// A platform administrator (401 when not signed in, 403 otherwise).
#[derive(Debug, Clone)]
pub struct Admin(pub AuthUser);

impl FromRequest for Admin {
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = resolve(&req).await?;
            user.require_admin()?;
            Ok(Admin(user))
        })
    }
}

/// The signed-in user's own stored account (without secrets) and session, for `/accounts/me`.
#[derive(Debug, Clone)]
pub struct Me(pub Signed);

impl FromRequest for Me {
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { signed(&req).await.map(Me) })
    }
}
