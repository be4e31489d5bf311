//! The desk actor: tickets, their comments and activity. Who the caller is comes from accounts
//! (`Authenticate`), what they may see from the CRM (`ResolveScope`), and the contacts and
//! accounts tickets refer to from the CRM too (`ResolveLinks`, one message per page).

use ::actors::{guarded, ActorEntry};
use actix::prelude::*;
use std::future::Future;
use std::sync::Arc;

use crate::accounts::actor::AccountsActor;
use crate::accounts::messages::Authenticate;
use crate::auth::Claims;
use crate::config::DeskConfig;
use crate::crm::access::Scope;
use crate::crm::links::{Links, ResolveLinks};
use crate::crm::scope::ResolveScope;
use crate::db::DbPool;
use crate::error::Error;
use uuid::Uuid;

/// What the desk handlers' futures need.
#[derive(Clone)]
pub struct Deps {
    pub pool: DbPool,
    pub accounts: Addr<AccountsActor>,
    pub access: Recipient<ResolveScope>,
    pub links: Recipient<ResolveLinks>,
    pub sla: DeskConfig,
}

impl Deps {
    /// The caller's scope (401 when their user is gone).
    pub(crate) async fn scope(&self, claims: Claims) -> Result<Arc<Scope>, Error> {
        let user = self.accounts.send(Authenticate(claims)).await??;
        self.access.send(ResolveScope(user.id)).await?
    }

    /// The contacts, accounts and users with these ids, as `scope` sees them.
    pub(crate) async fn links(
        &self,
        scope: &Arc<Scope>,
        contacts: Vec<Uuid>,
        accounts: Vec<Uuid>,
        users: Vec<Uuid>,
    ) -> Result<Links, Error> {
        if contacts.is_empty() && accounts.is_empty() && users.is_empty() {
            return Ok(Links::default());
        }
        self.links.send(ResolveLinks { scope: scope.clone(), contacts, accounts, users }).await?
    }
}

/// The desk actor.
pub struct DeskActor {
    entry: Arc<ActorEntry>,
    deps: Deps,
}

impl DeskActor {
    /// An actor answering with `deps`.
    pub fn new(entry: Arc<ActorEntry>, deps: Deps) -> Self {
        Self { entry, deps }
    }

    /// Runs `work` with the dependencies as one counted, panic-guarded message.
    pub(crate) fn serve<T, F>(&self, work: impl FnOnce(Deps) -> F) -> ResponseActFuture<Self, Result<T, Error>>
    where
        T: 'static,
        F: Future<Output = Result<T, Error>> + 'static,
    {
        guarded(self, work(self.deps.clone()).into_actor(self))
    }
}

::actors::supervised_actor!(DeskActor);
