//! The desk's per-node cache of the CRM contacts and accounts tickets refer to (name and owner,
//! or gone). Entries live a few seconds and are dropped at once when the CRM announces a change
//! (`RecordChanged`, locally and through the mesh), so a ticket shows current names without a
//! message to the CRM on every read.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

use crate::access::{Module, Scope};
use crate::crm::api::{link, Linked, Named, Reference};

/// How long an entry is trusted without an announcement (a safety net for lost broadcasts).
const TTL: Duration = Duration::from_secs(5);
/// Entries kept at most; beyond it the cache starts over.
const CAPACITY: usize = 100_000;

/// One cached record (`None`: gone) and when the CRM said so.
type Entry = (Option<Named>, Instant);

/// Contacts and accounts by id, as last heard from the CRM.
#[derive(Debug, Default)]
pub struct LinkCache {
    entries: Mutex<HashMap<(Module, Uuid), Entry>>,
}

/// What the caller may see of the records a write or a page refers to.
#[derive(Debug, Default)]
pub struct Links {
    pub contacts: HashMap<Uuid, Reference>,
    pub accounts: HashMap<Uuid, Reference>,
    /// The asked users that are CRM users.
    pub users: HashSet<Uuid>,
}

impl LinkCache {
    /// The ids of `ids` not cached (or expired).
    pub fn misses(&self, module: Module, ids: &[Uuid]) -> Vec<Uuid> {
        let Ok(entries) = self.entries.lock() else { return ids.to_vec() };
        ids.iter()
            .filter(|id| entries.get(&(module, **id)).is_none_or(|(_, at)| at.elapsed() >= TTL))
            .copied()
            .collect()
    }

    /// Remembers what the CRM answered.
    pub fn remember(&self, linked: &Linked) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len() > CAPACITY {
            entries.clear();
        }
        let now = Instant::now();
        for (module, records) in [(Module::Contacts, &linked.contacts), (Module::Accounts, &linked.accounts)] {
            for (id, record) in records {
                entries.insert((module, *id), (record.clone(), now));
            }
        }
    }

    /// Forgets one record (it changed).
    pub fn forget(&self, module: Module, id: Uuid) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(&(module, id));
        }
    }

    /// What `scope` may see of these records, from the cache (call after remembering the misses).
    pub fn links(&self, scope: &Scope, contacts: &[Uuid], accounts: &[Uuid]) -> Links {
        let Ok(entries) = self.entries.lock() else { return Links::default() };
        let view = |module: Module, ids: &[Uuid]| -> HashMap<Uuid, Reference> {
            ids.iter()
                .map(|id| (*id, link(scope, module, entries.get(&(module, *id)).and_then(|(r, _)| r.as_ref()))))
                .collect()
        };
        Links {
            contacts: view(Module::Contacts, contacts),
            accounts: view(Module::Accounts, accounts),
            users: HashSet::new(),
        }
    }
}
