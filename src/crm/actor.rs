//! The CRM actor: reads of the CRM domain. Who the caller is comes from the accounts domain
//! through its `Authenticate` message; the CRM never reads accounts tables.

use ::actors::{guarded, ActorEntry};
use actix::prelude::*;
use std::future::Future;
use std::sync::Arc;

use super::messages::*;
use super::models::{self, CrmUser};
use crate::accounts::actor::AccountsActor;
use crate::accounts::messages::Authenticate;
use crate::auth::Claims;
use crate::db::DbPool;
use crate::error::Error;
use crate::http::page::Page;

/// What the CRM handlers' futures need.
#[derive(Clone)]
pub struct Deps {
    pub pool: DbPool,
    pub accounts: Addr<AccountsActor>,
}

impl Deps {
    /// 401 unless the token's user still exists.
    async fn authenticate(&self, claims: Claims) -> Result<(), Error> {
        self.accounts.send(Authenticate(claims)).await??;
        Ok(())
    }
}

/// The CRM actor.
pub struct CrmActor {
    entry: Arc<ActorEntry>,
    deps: Deps,
}

impl CrmActor {
    /// An actor answering with `deps`.
    pub fn new(entry: Arc<ActorEntry>, deps: Deps) -> Self {
        Self { entry, deps }
    }

    fn serve<T, F>(&self, work: impl FnOnce(Deps) -> F) -> ResponseActFuture<Self, Result<T, Error>>
    where
        T: 'static,
        F: Future<Output = Result<T, Error>> + 'static,
    {
        guarded(self, work(self.deps.clone()).into_actor(self))
    }
}

::actors::supervised_actor!(CrmActor);

impl Handler<ListUsers> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Page<CrmUser>, Error>>;

    fn handle(&mut self, msg: ListUsers, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            deps.authenticate(msg.claims).await?;
            models::list(&mut *deps.pool.get().await?, &msg.page).await
        })
    }
}

impl Handler<GetUser> for CrmActor {
    type Result = ResponseActFuture<Self, Result<CrmUser, Error>>;

    fn handle(&mut self, msg: GetUser, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            deps.authenticate(msg.claims).await?;
            models::find(&mut *deps.pool.get().await?, msg.id)
                .await?
                .ok_or_else(|| Error::NotFound("user not found".into()))
        })
    }
}
