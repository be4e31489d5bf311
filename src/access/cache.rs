//! The per-node access actor (`crm.access`): resolves and caches each user's [`Scope`] (profile,
//! and the roles whose records they see). Any change to profiles, roles or assignments is
//! broadcast to every node as `crm.access.changed`, which empties every node's cache; entries
//! also expire after a minute in case a broadcast was lost while the broker was away.

use ::actors::bus::{Deliver, Rejection};
use ::actors::{guarded, ActorEntry};
use actix::prelude::*;
use diesel::prelude::*;
use diesel::sql_types::Uuid as SqlUuid;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

use super::model::{Permissions, Scope, ADMINISTRATOR_PROFILE};
use crate::accounts::actor::AccountsActor;
use crate::accounts::messages::Authenticate;
use crate::auth::Claims;
use crate::db::DbPool;
use crate::error::Error;
use crate::schema::crm::{profiles, roles, users};

/// The broadcast event type that empties every node's access cache.
pub const ACCESS_CHANGED: &str = "crm.access.changed";
/// How long a cached scope is trusted without a broadcast.
const CACHE_TTL: Duration = Duration::from_secs(60);

/// 403 unless the caller manages the CRM (and desk catalog): a platform administrator, or a
/// holder of the Administrator profile.
pub async fn require_manager(
    accounts: &Addr<AccountsActor>,
    access: &Recipient<ResolveScope>,
    claims: Claims,
) -> Result<(), Error> {
    let user = accounts.send(Authenticate(claims)).await??;
    if user.is_admin || access.send(ResolveScope(user.id)).await??.administrator {
        return Ok(());
    }
    Err(Error::Forbidden("this needs a platform administrator or the Administrator profile".into()))
}

/// Resolves a user's scope (from the cache when fresh).
#[derive(Debug, Message)]
#[rtype(result = "Result<Arc<Scope>, Error>")]
pub struct ResolveScope(pub Uuid);

/// Empties this node's cache (a local change; other nodes hear the broadcast).
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Invalidate;

/// The access actor.
pub struct Access {
    entry: Arc<ActorEntry>,
    pool: DbPool,
    cache: HashMap<Uuid, (Arc<Scope>, Instant)>,
    generation: u64,
}

impl Access {
    /// An empty cache over `pool`.
    pub fn new(entry: Arc<ActorEntry>, pool: DbPool) -> Self {
        Self { entry, pool, cache: HashMap::new(), generation: 0 }
    }

    fn invalidate(&mut self) {
        self.cache.clear();
        self.generation += 1;
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
    Ok(Scope { user_id, administrator, permissions, visible_roles, visible_users })
}

impl Handler<ResolveScope> for Access {
    type Result = ResponseActFuture<Self, Result<Arc<Scope>, Error>>;

    fn handle(&mut self, ResolveScope(user_id): ResolveScope, _: &mut Self::Context) -> Self::Result {
        if let Some((scope, _)) = self.cache.get(&user_id).filter(|(_, cached_at)| cached_at.elapsed() < CACHE_TTL) {
            return guarded(self, std::future::ready(Ok(scope.clone())).into_actor(self));
        }
        let (pool, generation) = (self.pool.clone(), self.generation);
        let work = async move { Ok(Arc::new(load(&mut *pool.get().await?, user_id).await?)) };
        let work = work.into_actor(self).map(move |result: Result<Arc<Scope>, Error>, access: &mut Self, _| {
            if let Ok(scope) = &result {
                if access.generation == generation {
                    access.cache.insert(user_id, (scope.clone(), Instant::now()));
                }
            }
            result
        });
        guarded(self, work)
    }
}

impl Handler<Invalidate> for Access {
    type Result = ();

    fn handle(&mut self, _: Invalidate, _: &mut Self::Context) {
        self.invalidate();
    }
}

impl Handler<Deliver> for Access {
    type Result = Result<(), Rejection>;

    fn handle(&mut self, Deliver(envelope): Deliver, _: &mut Self::Context) -> Self::Result {
        if envelope.kind == ACCESS_CHANGED {
            self.invalidate();
        }
        Ok(())
    }
}
