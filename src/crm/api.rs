//! What other domains may learn about CRM contacts and accounts they refer to. `ResolveLinks`
//! answers each record's name and owner (or that it is gone); [`link`] turns that into what a
//! caller may see of it. Desk asks with one batched message per page, keeps the answers briefly,
//! and drops them when the CRM announces a change ([`RecordChanged`]), instead of reading CRM
//! tables.

use actix::prelude::*;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};
use utoipa::ToSchema;
use uuid::Uuid;

use super::actor::CrmActor;
use crate::access::visibility::can_read;
use crate::access::{Action, Grant, Module, Scope};
use crate::error::Error;
use crate::schema::crm::{accounts, contacts, users};

/// The mesh broadcast announcing that a contact or account changed or went (data: [`RecordChanged`]).
pub const RECORD_CHANGED: &str = "crm.record.changed";

/// How a referenced CRM record looks to the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum Reference {
    /// The caller may read it; its current name.
    Visible { name: String },
    /// It exists, but the caller may not read it.
    Hidden,
    /// It does not exist (deleted, or never did).
    Missing,
}

/// A contact's or account's name and owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub owner: Uuid,
}

/// Looks up contacts and accounts by id, and which of `users` are CRM users (not deleted).
#[derive(Debug, Message)]
#[rtype(result = "Result<Linked, Error>")]
pub struct ResolveLinks {
    pub contacts: Vec<Uuid>,
    pub accounts: Vec<Uuid>,
    pub users: Vec<Uuid>,
}

/// The answer to [`ResolveLinks`]: every asked contact and account has an entry (`None`: gone).
#[derive(Debug, Default)]
pub struct Linked {
    pub contacts: HashMap<Uuid, Option<Named>>,
    pub accounts: HashMap<Uuid, Option<Named>>,
    /// The asked users that exist.
    pub users: HashSet<Uuid>,
}

/// A contact or account changed (name, owner) or was deleted: cached links to it are stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Message)]
#[rtype(result = "()")]
pub struct RecordChanged {
    pub module: Module,
    pub id: Uuid,
}

/// The local listeners of [`RecordChanged`] (other domains' caches on this node), registered
/// after they start; other nodes hear the [`RECORD_CHANGED`] broadcast.
pub type RecordListeners = Arc<RwLock<Vec<Recipient<RecordChanged>>>>;

/// What `scope` may see of a record of `module` (`None`: it is gone).
pub fn link(scope: &Scope, module: Module, record: Option<&Named>) -> Reference {
    let Some(record) = record else { return Reference::Missing };
    if can_read(scope, scope.require(module, Action::Read).unwrap_or(Grant::None), record.owner) {
        Reference::Visible { name: record.name.clone() }
    } else {
        Reference::Hidden
    }
}

/// Every id of `ids` with its row from `found`, or `None`.
fn by_id(ids: &[Uuid], found: Vec<(Uuid, String, Uuid)>) -> HashMap<Uuid, Option<Named>> {
    let mut answer: HashMap<Uuid, Option<Named>> = ids.iter().map(|id| (*id, None)).collect();
    for (id, name, owner) in found {
        answer.insert(id, Some(Named { name, owner }));
    }
    answer
}

async fn resolve(conn: &mut AsyncPgConnection, msg: &ResolveLinks) -> Result<Linked, Error> {
    let mut answer = Linked::default();
    if !msg.contacts.is_empty() {
        let found = contacts::table
            .filter(contacts::id.eq_any(&msg.contacts))
            .select((contacts::id, contacts::first_name.concat(" ").concat(contacts::last_name), contacts::owner_id))
            .load(conn)
            .await?;
        answer.contacts = by_id(&msg.contacts, found);
    }
    if !msg.accounts.is_empty() {
        let found = accounts::table
            .filter(accounts::id.eq_any(&msg.accounts))
            .select((accounts::id, accounts::name, accounts::owner_id))
            .load(conn)
            .await?;
        answer.accounts = by_id(&msg.accounts, found);
    }
    if !msg.users.is_empty() {
        let found: Vec<Uuid> = users::table
            .filter(users::id.eq_any(&msg.users).and(users::deleted_at.is_null()))
            .select(users::id)
            .load(conn)
            .await?;
        answer.users = found.into_iter().collect();
    }
    Ok(answer)
}

impl Handler<ResolveLinks> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Linked, Error>>;

    fn handle(&mut self, msg: ResolveLinks, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { resolve(&mut *deps.pool.get().await?, &msg).await })
    }
}
