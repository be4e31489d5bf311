//! The accounts actor's session handlers: refresh (rotation, and the end of a session whose
//! rotated token came back), logout, the session list and ending one session. Every end is
//! broadcast, so the session's access tokens die on every node at once.

use actix::prelude::*;

use super::actor::AccountsActor;
use super::messages::*;
use super::sessions::{self, Exchange, Session};
use super::views::Tokens;
use crate::audit::{self, Target, Trail};
use crate::db::atomically;
use crate::error::Error;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

/// Ends `session` (only if it is `user`'s, when given) and records who ended it and why; answers
/// whether it was live. Run in a transaction.
async fn revoke(
    conn: &mut AsyncPgConnection,
    node: &str,
    trail: &Trail,
    session: Uuid,
    user: Option<Uuid>,
    why: &str,
) -> Result<bool, Error> {
    let ended = match user {
        Some(user) => sessions::end_own(conn, user, session).await?,
        None => sessions::end(conn, session).await?,
    };
    if ended {
        audit::record(conn, node, trail, "session.revoked", Target::of("session", session), &[why]).await?;
    }
    Ok(ended)
}

impl Handler<Refresh> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<Tokens, Error>>;

    fn handle(&mut self, msg: Refresh, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let (presented, node, trail) = (msg.refresh_token.into_inner(), deps.node.clone(), msg.trail);
            let mut conn = deps.pool.get().await?;
            match sessions::exchange(&mut conn, &presented, deps.sessions.refresh_ttl).await? {
                Exchange::Rotated { session, holder, token } => deps.tokens(&holder, session, token),
                Exchange::Reused { session } => {
                    // The refusal is committed: the session ends, and the end is recorded.
                    let why = "refreshTokenReused";
                    atomically(&mut conn, async |conn| revoke(conn, &node, &trail, session, None, why).await).await?;
                    deps.sessions_ended(vec![session]);
                    Err(Error::Unauthorized("this refresh token was already used; its session has ended".into()))
                }
                Exchange::Refused => Err(Error::Unauthorized("invalid or expired refresh token".into())),
            }
        })
    }
}

impl Handler<Logout> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<(), Error>>;

    fn handle(&mut self, msg: Logout, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let (session, node) = (msg.user.session, deps.node.clone());
            let mut conn = deps.pool.get().await?;
            atomically(&mut conn, async |conn| revoke(conn, &node, &msg.trail, session, None, "logout").await).await?;
            deps.sessions_ended(vec![session]);
            Ok(())
        })
    }
}

impl Handler<ListSessions> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<Vec<Session>, Error>>;

    fn handle(&mut self, msg: ListSessions, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { sessions::live(&mut *deps.pool.get().await?, msg.user.id).await })
    }
}

impl Handler<EndSession> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<(), Error>>;

    fn handle(&mut self, msg: EndSession, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let (user, node) = (Some(msg.user.id), deps.node.clone());
            let mut conn = deps.pool.get().await?;
            let ended =
                atomically(&mut conn, async |conn| revoke(conn, &node, &msg.trail, msg.id, user, "ended").await)
                    .await?;
            if !ended {
                return Err(Error::NotFound("no live session of yours with this id".into()));
            }
            deps.sessions_ended(vec![msg.id]);
            Ok(())
        })
    }
}
