//! The desk actor: tickets, their comments and activity, work orders, estimates and the catalog.
//! The caller and their scope arrive resolved in each message; the contacts and accounts desk
//! records refer to come from the CRM (`ResolveLinks`, one message per page, through a link cache).

use ::actors::bus::{Deliver, Rejection};
use ::actors::{guarded, ActorEntry};
use actix::prelude::*;
use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;

use super::link_cache::{LinkCache, Links};
use crate::access::Module;
use crate::access::Scope;
use crate::config::DeskConfig;
use crate::crm::api::{RecordChanged, ResolveLinks};
use crate::db::DbPool;
use crate::error::Error;
use uuid::Uuid;

/// What the desk handlers' futures need.
#[derive(Clone)]
pub struct Deps {
    pub pool: DbPool,
    pub crm: Recipient<ResolveLinks>,
    /// CRM contacts and accounts heard recently.
    pub cache: Arc<LinkCache>,
    pub sla: DeskConfig,
    /// This node's id, stamped on the audit entries it writes.
    pub node: Arc<str>,
}

impl Deps {
    /// The contacts, accounts and users with these ids, as `scope` sees them: from the link
    /// cache, asking the CRM (one message) only for what it does not hold, and for the users.
    pub(crate) async fn links(
        &self,
        scope: &Arc<Scope>,
        contacts: Vec<Uuid>,
        accounts: Vec<Uuid>,
        users: Vec<Uuid>,
    ) -> Result<Links, Error> {
        let missing_contacts = self.cache.misses(Module::Contacts, &contacts);
        let missing_accounts = self.cache.misses(Module::Accounts, &accounts);
        let mut known_users = HashSet::new();
        if !(missing_contacts.is_empty() && missing_accounts.is_empty() && users.is_empty()) {
            let ask = ResolveLinks { contacts: missing_contacts, accounts: missing_accounts, users };
            let linked = self.crm.send(ask).await??;
            self.cache.remember(&linked);
            known_users = linked.users;
        }
        let mut links = self.cache.links(scope, &contacts, &accounts);
        links.users = known_users;
        Ok(links)
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

impl Handler<RecordChanged> for DeskActor {
    type Result = ();

    fn handle(&mut self, change: RecordChanged, _: &mut Self::Context) {
        self.deps.cache.forget(change.module, change.id);
    }
}

/// The mesh's `crm.record.changed` broadcasts (from every node, this one included).
impl Handler<Deliver> for DeskActor {
    type Result = Result<(), Rejection>;

    fn handle(&mut self, Deliver(envelope): Deliver, _: &mut Self::Context) -> Self::Result {
        if let Ok(change) = serde_json::from_value::<RecordChanged>(envelope.data) {
            self.deps.cache.forget(change.module, change.id);
        }
        Ok(())
    }
}
