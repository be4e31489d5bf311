//! The per-node actor registry: the source of truth for "what runs on this node".

use serde::Serialize;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use crate::instrument::{ActorEntry, ActorSnapshot};
use crate::supervise::InjectFault;

/// Identity of an actor as it registers.
#[derive(Debug, Clone)]
pub struct ActorInfo {
    /// Unique name on the node, e.g. `accounts.hasher-0`.
    pub name: String,
    /// What sort of actor it is, e.g. `async`, `sync-pool`.
    pub kind: String,
    /// The actor system (domain) it belongs to, e.g. `accounts`.
    pub system: String,
    /// The supervisor that restarts it.
    pub supervisor: String,
}

struct Registered {
    entry: Arc<ActorEntry>,
    fault: Option<actix::Recipient<InjectFault>>,
}

/// All actors of one node. Cheap to share behind an `Arc`.
pub struct Registry {
    node_id: String,
    started: Instant,
    actors: RwLock<Vec<Registered>>,
}

/// A snapshot of a whole node.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSnapshot {
    pub node_id: String,
    pub uptime_seconds: u64,
    pub actors: Vec<ActorSnapshot>,
}

impl Registry {
    /// An empty registry for the node `node_id`.
    pub fn new(node_id: impl Into<String>) -> Arc<Self> {
        Arc::new(Self { node_id: node_id.into(), started: Instant::now(), actors: RwLock::new(Vec::new()) })
    }

    /// The id of the node this registry describes.
    pub fn node_id(&self) -> &str {
        &self.node_id
    }

    /// Seconds since the registry (and so the node) was created.
    pub fn uptime_seconds(&self) -> u64 {
        self.started.elapsed().as_secs()
    }

    /// Registers an actor and returns the entry it updates on every message.
    pub fn register(&self, info: ActorInfo) -> Arc<ActorEntry> {
        let entry = Arc::new(ActorEntry::new(info));
        self.write().push(Registered { entry: entry.clone(), fault: None });
        entry
    }

    /// Lets the named actor receive [`InjectFault`] (used by supervision drills and tests).
    pub fn accept_faults(&self, name: &str, recipient: actix::Recipient<InjectFault>) {
        if let Some(found) = self.write().iter_mut().find(|r| r.entry.info().name == name) {
            found.fault = Some(recipient);
        }
    }

    /// The fault recipient of the named actor, if it accepts faults.
    pub fn fault_recipient(&self, name: &str) -> Option<actix::Recipient<InjectFault>> {
        self.read().iter().find(|r| r.entry.info().name == name).and_then(|r| r.fault.clone())
    }

    /// Copies every actor's counters.
    pub fn snapshot(&self) -> NodeSnapshot {
        NodeSnapshot {
            node_id: self.node_id.clone(),
            uptime_seconds: self.uptime_seconds(),
            actors: self.read().iter().map(|r| r.entry.snapshot()).collect(),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<Registered>> {
        self.actors.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Vec<Registered>> {
        self.actors.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
