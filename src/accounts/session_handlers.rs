//! The accounts actor's session handlers: refresh (rotation, and the end of a session whose
//! rotated token came back), logout, the session list and ending one session. Every end is
//! broadcast, so the session's access tokens die on every node at once.

use actix::prelude::*;
use diesel_async::AsyncConnection;

use super::actor::AccountsActor;
use super::messages::*;
use super::models;
use super::sessions::{self, Exchange, Session};
use super::views::Tokens;
use crate::error::Error;

impl Handler<Refresh> for AccountsActor {
    type Result = ResponseActFuture<Self, Result<Tokens, Error>>;

    fn handle(&mut self, msg: Refresh, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let ttl = deps.sessions.refresh_ttl;
            let mut conn = deps.pool.get().await?;
            let presented = msg.refresh_token.into_inner();
            // The refusal of a reused token is committed: it ends the session.
            let exchange = conn.transaction(async |conn| sessions::exchange(conn, &presented, ttl).await).await?;
            match exchange {
                Exchange::Rotated { session, user, token } => {
                    let user = models::find(&mut conn, user)
                        .await?
                        .ok_or_else(|| Error::Unauthorized("the session's user no longer exists".into()))?;
                    deps.tokens(&user, session, token)
                }
                Exchange::Reused { session } => {
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
            sessions::end(&mut *deps.pool.get().await?, msg.user.session).await?;
            deps.sessions_ended(vec![msg.user.session]);
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
            if !sessions::end_own(&mut *deps.pool.get().await?, msg.user.id, msg.id).await? {
                return Err(Error::NotFound("no live session of yours with this id".into()));
            }
            deps.sessions_ended(vec![msg.id]);
            Ok(())
        })
    }
}
