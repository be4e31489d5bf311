//! The per-node scope cache: each user's [`Scope`] (profile, and the users whose records they see),
//! resolved once and shared by every HTTP worker ([`Scopes`]). Any change to profiles, roles or
//! assignments empties this node's cache at once and is broadcast to every node as
//! `crm.access.changed`, which the [`Access`] actor hears and empties theirs; entries also expire
//! after a minute in case a broadcast was lost while the broker was away.

use ::actors::bus::{Deliver, Rejection};
use ::actors::ActorEntry;
use actix::prelude::*;
use diesel::prelude::*;
use diesel::sql_types::Uuid as SqlUuid;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use uuid::Uuid;

use super::model::{Permissions, Scope, ADMINISTRATOR_PROFILE};
use crate::db::DbPool;
use crate::error::Error;
use crate::schema::crm::{profiles, roles, users};

/// The broadcast event type that empties every node's scope cache.
pub const ACCESS_CHANGED: &str = "crm.access.changed";
/// How long a cached scope is trusted without a broadcast.
const CACHE_TTL: Duration = Duration::from_secs(60);

#[derive(Default)]
struct Entries {
    scopes: HashMap<Uuid, (Arc<Scope>, Instant)>,
    /// Bumped on every invalidation: a load that started before it does not fill the cache.
    generation: u64,
}

/// This node's scopes by user, shared by every HTTP worker.
pub struct Scopes {
    pool: DbPool,
    entries: RwLock<Entries>,
}

impl Scopes {
    /// An empty cache over `pool`.
    pub fn new(pool: DbPool) -> Arc<Self> {
        Arc::new(Self { pool, entries: RwLock::default() })
    }

    /// The user's scope, from the cache when fresh. A user the CRM does not know (yet) is 403,
    /// and that answer is not cached.
    pub async fn resolve(&self, user_id: Uuid) -> Result<Arc<Scope>, Error> {
        let generation = {
            let entries = self.entries.read().map_err(|_| Error::Internal("scope cache poisoned".into()))?;
            if let Some((scope, _)) = entries.scopes.get(&user_id).filter(|(_, at)| at.elapsed() < CACHE_TTL) {
                return Ok(scope.clone());
            }
            entries.generation
        };
        let scope = Arc::new(load(&mut *self.pool.get().await?, user_id).await?);
        if let Ok(mut entries) = self.entries.write() {
            if entries.generation == generation {
                entries.scopes.insert(user_id, (scope.clone(), Instant::now()));
            }
        }
        Ok(scope)
    }

    /// Empties this node's cache (other nodes hear the broadcast).
    pub fn invalidate(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.scopes.clear();
            entries.generation += 1;
        }
    }
}

/// The actor that empties [`Scopes`] when the mesh says access changed on any node.
pub struct Access {
    entry: Arc<ActorEntry>,
    scopes: Arc<Scopes>,
}

impl Access {
    /// An actor invalidating `scopes`.
    pub fn new(entry: Arc<ActorEntry>, scopes: Arc<Scopes>) -> Self {
        Self { entry, scopes }
    }
}

::actors::supervised_actor!(Access);

#[derive(QueryableByName)]
struct RoleId {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// A user's profile id and permissions, role id and whether the role shares with peers.
type Assignment = (Option<Uuid>, Option<serde_json::Value>, Option<Uuid>, Option<bool>);

/// Loads a user's scope: their profile's permissions, and every role below theirs plus their own
/// when it shares data with peers. A user the CRM does not know (yet) is refused (403), and
/// that answer is not cached.
pub async fn load(conn: &mut AsyncPgConnection, user_id: Uuid) -> Result<Scope, Error> {
    let found: Option<Assignment> = users::table
        .left_join(profiles::table)
        .left_join(roles::table)
        .filter(users::id.eq(user_id).and(users::deleted_at.is_null()))
        .select((
            users::profile_id,
            profiles::permissions.nullable(),
            users::role_id,
            roles::share_data_with_peers.nullable(),
        ))
        .first(conn)
        .await
        .optional()?;
    // Not cached (errors never are): the user may arrive through the bus a moment later.
    let Some((profile_id, permissions, role_id, share)) = found else {
        return Err(Error::Forbidden("your user is not in the CRM yet; try again in a moment".into()));
    };
    let permissions: Permissions = permissions
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| Error::Internal(format!("unreadable permissions: {e}")))?
        .unwrap_or_default();
    let mut visible_roles = Vec::new();
    if let Some(role) = role_id {
        let below: Vec<RoleId> = diesel::sql_query(
            "WITH RECURSIVE down AS (SELECT id FROM crm.roles WHERE parent_id = $1 \
             UNION ALL SELECT r.id FROM crm.roles r JOIN down d ON r.parent_id = d.id) SELECT id FROM down",
        )
        .bind::<SqlUuid, _>(role)
        .load(conn)
        .await?;
        visible_roles = below.into_iter().map(|r| r.id).collect();
        if share == Some(true) {
            visible_roles.push(role);
        }
    }
    let visible_users = if visible_roles.is_empty() {
        Vec::new()
    } else {
        users::table
            .filter(users::role_id.assume_not_null().eq_any(&visible_roles))
            .select(users::id)
            .load(conn)
            .await?
    };
    let administrator = profile_id == Some(ADMINISTRATOR_PROFILE);
    Ok(Scope { user_id, administrator, permissions, visible_users })
}

impl Handler<Deliver> for Access {
    type Result = Result<(), Rejection>;

    /// `crm.access.changed` from any node: empty the cache.
    fn handle(&mut self, Deliver(envelope): Deliver, _: &mut Self::Context) -> Self::Result {
        if envelope.kind == ACCESS_CHANGED {
            self.scopes.invalidate();
        }
        Ok(())
    }
}
