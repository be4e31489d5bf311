//! What other domains may learn about CRM contacts and accounts they refer to: for each id,
//! its current name if the caller can see it, or that it is hidden or gone. Desk asks with one
//! batched message per page instead of reading CRM tables.

use actix::prelude::*;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::{Action, Grant, Module, Scope};
use super::actor::CrmActor;
use crate::error::Error;
use crate::schema::crm::{accounts, contacts, users};

/// How a referenced CRM record looks to the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum Link {
    /// The caller may read it; its current name.
    Visible { name: String },
    /// It exists, but the caller may not read it.
    Hidden,
    /// It does not exist (deleted, or never did).
    Missing,
}

/// Resolves the contacts and accounts with these ids as `scope` sees them, and which of the
/// `users` are CRM users (not deleted).
#[derive(Debug, Message)]
#[rtype(result = "Result<Links, Error>")]
pub struct ResolveLinks {
    pub scope: Arc<Scope>,
    pub contacts: Vec<Uuid>,
    pub accounts: Vec<Uuid>,
    pub users: Vec<Uuid>,
}

/// The answer to [`ResolveLinks`]: every asked contact and account has an entry.
#[derive(Debug, Default)]
pub struct Links {
    pub contacts: HashMap<Uuid, Link>,
    pub accounts: HashMap<Uuid, Link>,
    /// The asked users that exist.
    pub users: HashSet<Uuid>,
}

/// The link of each id from the found `(id, name, owner)` rows.
fn links(scope: &Scope, module: Module, ids: &[Uuid], found: Vec<(Uuid, String, Uuid)>) -> HashMap<Uuid, Link> {
    let grant = scope.require(module, Action::Read).unwrap_or(Grant::None);
    let sees = |owner: Uuid| match grant {
        Grant::None => false,
        Grant::Own => scope.administrator || owner == scope.user_id,
        Grant::All => scope.administrator || owner == scope.user_id || scope.visible_users.contains(&owner),
    };
    let mut links: HashMap<Uuid, Link> = ids.iter().map(|id| (*id, Link::Missing)).collect();
    for (id, name, owner) in found {
        links.insert(id, if sees(owner) { Link::Visible { name } } else { Link::Hidden });
    }
    links
}

async fn resolve(conn: &mut AsyncPgConnection, msg: &ResolveLinks) -> Result<Links, Error> {
    let mut answer = Links::default();
    if !msg.contacts.is_empty() {
        let found = contacts::table
            .filter(contacts::id.eq_any(&msg.contacts))
            .select((contacts::id, contacts::first_name.concat(" ").concat(contacts::last_name), contacts::owner_id))
            .load(conn)
            .await?;
        answer.contacts = links(&msg.scope, Module::Contacts, &msg.contacts, found);
    }
    if !msg.accounts.is_empty() {
        let found = accounts::table
            .filter(accounts::id.eq_any(&msg.accounts))
            .select((accounts::id, accounts::name, accounts::owner_id))
            .load(conn)
            .await?;
        answer.accounts = links(&msg.scope, Module::Accounts, &msg.accounts, found);
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
    type Result = ResponseActFuture<Self, Result<Links, Error>>;

    fn handle(&mut self, msg: ResolveLinks, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { resolve(&mut *deps.pool.get().await?, &msg).await })
    }
}
