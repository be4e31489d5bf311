//! The accounts actor: users, credentials and tokens. Handlers return futures, so one actor
//! serves many requests at once; its own state (the login throttle) is touched only
//! synchronously inside handlers.

use ::actors::bus::{Broadcast, Deliver, Envelope, Rejection};
use ::actors::{guarded, ActorEntry, InjectFault, Panicked};
use actix::prelude::*;
use std::future::{ready, Future};
use std::sync::Arc;

use uuid::Uuid;

use super::events::{self, UserData, USER_DELETED, USER_UPDATED};
use super::input::ProfileUpdate;
use super::messages::*;
use super::models::{self, NewUser, User};
use super::sessions::{self, Holder, RefreshToken};
use super::views::Tokens;
use crate::audit::{self, Target, Trail};
use crate::auth::hasher::{is_legacy, HashPassword, Hasher, VerifyPassword};
use crate::auth::throttle::LoginThrottle;
use crate::auth::{Callers, JwtKeys};
use crate::config::SessionsConfig;
use crate::db::DbPool;
use crate::error::Error;
use crate::events::relay::Kick;
use crate::http::page::Page;
use diesel_async::AsyncConnection;

/// What the accounts handlers' futures need, cheap to clone into each of them.
#[derive(Clone)]
pub struct Deps {
    pub pool: DbPool,
    pub hasher: Addr<Hasher>,
    pub jwt: JwtKeys,
    /// This node's id, stamped on the events it writes.
    pub node: Arc<str>,
    /// The outbox relay, woken after every commit that wrote an event.
    pub relay: Recipient<Kick>,
    /// The mesh, told about every changed user so that all nodes drop their cached copy.
    pub broadcast: Recipient<Broadcast>,
    /// This node's cache of token users.
    pub callers: Arc<Callers>,
    /// How long sessions last.
    pub sessions: SessionsConfig,
}

impl Deps {
    /// After a change to `id` committed: drop the cached copy here (at once) and everywhere.
    pub(super) fn user_changed(&self, id: Uuid) {
        self.callers.forget(id);
        let data = serde_json::json!({ "id": id });
        self.broadcast.do_send(Broadcast(Envelope::new(USER_CHANGED, self.node.to_string(), data)));
    }

    /// After sessions ended: drop their cached state here (at once) and everywhere, so their
    /// access tokens die on every node.
    pub(super) fn sessions_ended(&self, ids: Vec<Uuid>) {
        if ids.is_empty() {
            return;
        }
        self.callers.forget_sessions(&ids);
        let data = serde_json::json!({ "ids": ids });
        self.broadcast.do_send(Broadcast(Envelope::new(SESSIONS_ENDED, self.node.to_string(), data)));
    }

    /// The tokens of `session` for `holder`: a new access token and the session's refresh token.
    pub(super) fn tokens(&self, holder: &Holder, session: Uuid, refresh: RefreshToken) -> Result<Tokens, Error> {
        Ok(Tokens {
            access_token: self.jwt.issue(holder.id, &holder.email, session, holder.credential_version)?,
            refresh_token: refresh.token,
            expires_in: self.jwt.ttl().as_secs(),
        })
    }
}

/// The broadcast event type naming a user whose cached copy every node must drop.
pub const USER_CHANGED: &str = "accounts.user.changed";
/// The broadcast event type naming sessions that ended: every node refuses their tokens at once.
pub const SESSIONS_ENDED: &str = "accounts.session.ended";
/// The accounts actor.
pub struct AccountsActor {
    entry: Arc<ActorEntry>,
    deps: Deps,
    throttle: LoginThrottle,
}

impl AccountsActor {
    /// An actor answering with `deps`, registered as `entry`.
    pub fn new(entry: Arc<ActorEntry>, deps: Deps, throttle: LoginThrottle) -> Self {
        Self { entry, deps, throttle }
    }

    /// Runs `work` with the dependencies as one counted, panic-guarded message.
    pub(super) fn serve<T, F>(&self, work: impl FnOnce(Deps) -> F) -> ResponseActFuture<Self, Result<T, Error>>
    where
        T: 'static,
        F: Future<Output = Result<T, Error>> + 'static,
    {
        guarded(self, work(self.deps.clone()).into_actor(self))
    }
}

::actors::supervised_actor!(AccountsActor);

/// 409 when `user` is the last platform administrator: the platform must keep one.
async fn keep_last_admin(deps: &Deps, user: &User, field: &str) -> Result<(), Error> {
    if user.is_admin && !models::other_admin_exists(&mut *deps.pool.get().await?, user.id).await? {
        return Err(Error::conflict(field, "the last platform administrator cannot be removed"));
    }
    Ok(())
}

/// The user with this id, or 404.
async fn existing_user(deps: &Deps, id: uuid::Uuid) -> Result<User, Error> {
    models::find(&mut *deps.pool.get().await?, id).await?.ok_or_else(|| Error::NotFound("user not found".into()))
}

/// Applies a profile update to the stored `user`. A password change hashes the new password,
/// bumps the credential version (every access token issued before dies) and ends every session
/// of the user but `keep`, which gets new tokens.
async fn apply_update(
    deps: &Deps,
    user: &User,
    update: ProfileUpdate,
    keep: Option<Uuid>,
    trail: &Trail,
) -> Result<(User, Option<Tokens>), Error> {
    let mut changes = update.changes;
    if let Some(password) = update.password {
        if let Some(current) = password.current {
            let matched = deps
                .hasher
                .send(VerifyPassword { password: current, hash: Some(user.password_hash.clone()) })
                .await??;
            if !matched {
                return Err(Error::invalid("currentPassword", "is not the current password"));
            }
        }
        changes.password_hash = Some(deps.hasher.send(HashPassword(password.new)).await??);
    }
    if changes.is_empty() {
        return Ok((user.clone(), None));
    }
    let node = deps.node.clone();
    let new_password = changes.password_hash.is_some();
    let (updated, ended, renewed) = deps
        .pool
        .get()
        .await?
        .transaction(async |conn| {
            let updated = models::update(conn, user.id, &changes).await?;
            events::record(conn, &node, USER_UPDATED, UserData::from(&updated)).await?;
            let target = Target::of("user", user.id);
            audit::record(conn, &node, trail, "user.updated", target, &changes.fields()).await?;
            let (mut ended, mut renewed) = (Vec::new(), None);
            if new_password {
                audit::record(conn, &node, trail, "password.changed", target, &[]).await?;
                ended = sessions::end_all(conn, user.id, keep).await?;
                if let Some(session) = keep {
                    renewed = Some((session, sessions::renew(conn, session).await?));
                }
            }
            Ok::<_, Error>((updated, ended, renewed))
        })
        .await?;
    deps.relay.do_send(Kick);
    deps.user_changed(updated.id);
    deps.sessions_ended(ended);
    let tokens =
        renewed.map(|(session, refresh)| deps.tokens(&Holder::from(&updated), session, refresh)).transpose()?;
    Ok((updated, tokens))
}

impl Handler<Register> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<User, Error>>;

    fn handle(&mut self, Register(account): Register, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            // Answer a taken email or workId without paying for a hash; the unique indexes
            // still decide races.
            if let Some(conflict) =
                models::taken(&mut *deps.pool.get().await?, &account.email, &account.work_id).await?
            {
                return Err(conflict);
            }
            let password_hash = deps.hasher.send(HashPassword(account.password.clone())).await??;
            let user = NewUser::from_account(account.into_inner(), password_hash, false);
            let created = events::create_user(&mut *deps.pool.get().await?, &deps.node, &user).await?;
            deps.relay.do_send(Kick);
            Ok(created)
        })
    }
}

impl Handler<Login> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<(Tokens, User), Error>>;

    fn handle(&mut self, msg: Login, _: &mut Self::Context) -> Self::Result {
        let Login { credentials, origin, trail } = msg;
        let email = credentials.email.clone();
        let address = origin.address.clone().unwrap_or_default();
        if let Some(retry_after_secs) = self.throttle.blocked(&email, &address) {
            return guarded(self, ready(Err(Error::RateLimited { retry_after_secs })).into_actor(self));
        }
        self.throttle.charge(&email, &address);
        let deps = self.deps.clone();
        let work = async move {
            let user = models::find_by_email(&mut *deps.pool.get().await?, &credentials.email).await?;
            let matched = deps
                .hasher
                .send(VerifyPassword {
                    password: credentials.password.clone(),
                    hash: user.as_ref().map(|u| u.password_hash.clone()),
                })
                .await??;
            let user = match user {
                Some(user) if matched => user,
                known => {
                    // Who was tried, never with what: the user when the email exists.
                    let target = Target { kind: "user", id: known.map(|user| user.id) };
                    let conn = &mut *deps.pool.get().await?;
                    audit::record(conn, &deps.node, &trail, "login.failed", target, &[]).await?;
                    return Err(Error::Unauthorized("invalid email or password".into()));
                }
            };
            if is_legacy(&user.password_hash) {
                // The old system's bcrypt: the password is known right now, so store it as argon2id.
                let hash = deps.hasher.send(HashPassword(credentials.password.clone())).await??;
                models::rehash(&mut *deps.pool.get().await?, user.id, &hash).await?;
            }
            let (ttl, node, trail) = (deps.sessions.refresh_ttl, deps.node.clone(), trail.by(user.id));
            let (session, refresh) = deps
                .pool
                .get()
                .await?
                .transaction(async |conn| {
                    let opened = sessions::open(conn, user.id, origin, ttl).await?;
                    let target = Target::of("session", opened.0);
                    audit::record(conn, &node, &trail, "login.succeeded", target, &[]).await?;
                    Ok::<_, Error>(opened)
                })
                .await?;
            Ok((deps.tokens(&Holder::from(&user), session, refresh)?, user))
        };
        let work = work.into_actor(self).map(move |result, actor: &mut Self, _| {
            match &result {
                Ok(_) => actor.throttle.succeeded(&email, &address),
                Err(Error::Unauthorized(_)) => {}
                Err(_) => actor.throttle.refund(&email, &address),
            }
            result
        });
        guarded(self, work)
    }
}

impl Handler<UpdateMe> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<(User, Option<Tokens>), Error>>;

    fn handle(&mut self, msg: UpdateMe, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            // The caller cache may be seconds behind a delete made on another node.
            let user = models::find(&mut *deps.pool.get().await?, msg.user.id)
                .await?
                .ok_or_else(|| Error::Unauthorized("the token's user no longer exists".into()))?;
            apply_update(&deps, &user, msg.update.into_inner(), Some(msg.user.session), &msg.trail).await
        })
    }
}

impl Handler<ListUsers> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<Page<User>, Error>>;

    fn handle(&mut self, msg: ListUsers, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { models::list(&mut *deps.pool.get().await?, &msg.page).await })
    }
}

impl Handler<GetUser> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<User, Error>>;

    fn handle(&mut self, msg: GetUser, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { existing_user(&deps, msg.id).await })
    }
}

impl Handler<UpdateUser> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<User, Error>>;

    fn handle(&mut self, msg: UpdateUser, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let user = existing_user(&deps, msg.id).await?;
            if msg.update.changes.is_admin == Some(false) {
                keep_last_admin(&deps, &user, "isAdmin").await?;
            }
            Ok(apply_update(&deps, &user, msg.update.into_inner(), None, &msg.trail).await?.0)
        })
    }
}

impl Handler<DeleteUser> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<(), Error>>;

    fn handle(&mut self, msg: DeleteUser, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            keep_last_admin(&deps, &existing_user(&deps, msg.id).await?, "id").await?;
            let node = deps.node.clone();
            let deleted = deps
                .pool
                .get()
                .await?
                .transaction(async |conn| {
                    let Some(deleted) = models::delete(conn, msg.id).await? else {
                        return Ok::<_, Error>(None);
                    };
                    let mut data = UserData::from(&deleted);
                    data.version += 1;
                    events::record(conn, &node, USER_DELETED, data).await?;
                    audit::record(conn, &node, &msg.trail, "user.deleted", Target::of("user", msg.id), &[]).await?;
                    Ok(Some(deleted))
                })
                .await?;
            deleted.ok_or_else(|| Error::NotFound("user not found".into()))?;
            deps.relay.do_send(Kick);
            deps.user_changed(msg.id);
            Ok(())
        })
    }
}

impl Handler<InjectFault> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<(), Panicked>>;

    fn handle(&mut self, _: InjectFault, _: &mut Self::Context) -> Self::Result {
        let work = guarded::<_, _, (), Error>(self, async { panic!("injected fault") }.into_actor(self));
        Box::pin(work.map(|result, _, _| result.map_err(|e| Panicked(e.to_string()))))
    }
}

impl Handler<Deliver> for AccountsActor {
    type Result = Result<(), Rejection>;

    /// From any node: `accounts.user.changed` drops the named user's cached copy,
    /// `accounts.session.ended` the named sessions' cached state.
    fn handle(&mut self, Deliver(envelope): Deliver, _: &mut Self::Context) -> Self::Result {
        let uuid = |value: &serde_json::Value| value.as_str().and_then(|v| Uuid::parse_str(v).ok());
        match envelope.kind.as_str() {
            SESSIONS_ENDED => {
                let ids: Vec<Uuid> = envelope
                    .data
                    .get("ids")
                    .and_then(|v| v.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(uuid)
                    .collect();
                self.deps.callers.forget_sessions(&ids);
            }
            _ => {
                if let Some(id) = envelope.data.get("id").and_then(uuid) {
                    self.deps.callers.forget(id);
                }
            }
        }
        Ok(())
    }
}
