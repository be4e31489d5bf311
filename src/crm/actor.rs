//! The CRM actor (`crm.service`): the user directory, profiles and roles, and every record module.
//! The caller arrives resolved (and authorized, for management) in each message.

use ::actors::{guarded, ActorEntry};
use actix::prelude::*;
use std::future::Future;
use std::sync::Arc;

use super::api::{RecordChanged, RecordListeners, RECORD_CHANGED};
use crate::access::cache::{Scopes, ACCESS_CHANGED};
use crate::access::Module;
use crate::db::DbPool;
use crate::error::Error;
use ::actors::bus::{Broadcast, Envelope};
use uuid::Uuid;

/// What the CRM handlers' futures need.
#[derive(Clone)]
pub struct Deps {
    pub pool: DbPool,
    /// This node's scope cache, emptied when access changes.
    pub scopes: Arc<Scopes>,
    pub broadcast: Recipient<Broadcast>,
    /// This node's id, stamped on broadcasts.
    pub node: Arc<str>,
    /// The profile new users get; it cannot be deleted.
    pub default_profile: Uuid,
    /// Other domains' caches of contacts and accounts on this node.
    pub record_listeners: RecordListeners,
}

impl Deps {
    /// Announces that a contact or account changed or went: to this node's listeners at once,
    /// to every node through the mesh. Other modules are nobody else's business.
    pub(crate) fn record_changed(&self, module: Module, id: Uuid) {
        if !matches!(module, Module::Contacts | Module::Accounts) {
            return;
        }
        let change = RecordChanged { module, id };
        let listeners = self.record_listeners.read().map(|listeners| listeners.clone()).unwrap_or_default();
        for listener in listeners {
            listener.do_send(change);
        }
        let data = serde_json::to_value(change).unwrap_or_default();
        self.broadcast.do_send(Broadcast(Envelope::new(RECORD_CHANGED, self.node.to_string(), data)));
    }

    /// Empties the access caches of this node now and of every node through the mesh.
    pub(crate) fn access_changed(&self) {
        self.scopes.invalidate();
        self.broadcast.do_send(Broadcast(Envelope::new(ACCESS_CHANGED, self.node.to_string(), serde_json::json!({}))));
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

    /// Runs `work` with the dependencies as one counted, panic-guarded message.
    pub(crate) fn serve<T, F>(&self, work: impl FnOnce(Deps) -> F) -> ResponseActFuture<Self, Result<T, Error>>
    where
        T: 'static,
        F: Future<Output = Result<T, Error>> + 'static,
    {
        guarded(self, work(self.deps.clone()).into_actor(self))
    }
}

::actors::supervised_actor!(CrmActor);
