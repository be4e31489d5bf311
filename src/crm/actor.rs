//! The CRM actor (`crm.service`): the user directory, profiles and roles, and every record module.
//! The caller arrives resolved (and authorized, for management) in each message.

use ::actors::{guarded, ActorEntry};
use actix::prelude::*;
use std::future::Future;
use std::sync::Arc;

use super::api::{RecordChanged, RecordListeners, RECORD_CHANGED};
use super::messages::*;
use super::models::{self, CrmUser};
use super::profiles::{self, Profile};
use super::roles::{self, Role, RoleNode};
use crate::access::cache::{Scopes, ACCESS_CHANGED};
use crate::access::Module;
use crate::db::DbPool;
use crate::error::Error;
use crate::http::page::Page;
use ::actors::bus::{Broadcast, Envelope};
use diesel_async::AsyncConnection;
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
    fn access_changed(&self) {
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

impl Handler<ListUsers> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Page<CrmUser>, Error>>;

    fn handle(&mut self, msg: ListUsers, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { models::list(&mut *deps.pool.get().await?, &msg.page).await })
    }
}

impl Handler<GetUser> for CrmActor {
    type Result = ResponseActFuture<Self, Result<CrmUser, Error>>;

    fn handle(&mut self, msg: GetUser, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            models::find(&mut *deps.pool.get().await?, msg.id)
                .await?
                .ok_or_else(|| Error::NotFound("user not found".into()))
        })
    }
}

impl Handler<ListProfiles> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Page<Profile>, Error>>;

    fn handle(&mut self, msg: ListProfiles, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { profiles::list(&mut *deps.pool.get().await?, &msg.page).await })
    }
}

impl Handler<GetProfile> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Profile, Error>>;

    fn handle(&mut self, msg: GetProfile, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { profiles::find(&mut *deps.pool.get().await?, msg.id).await })
    }
}

impl Handler<CreateProfile> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Profile, Error>>;

    fn handle(&mut self, msg: CreateProfile, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { profiles::insert(&mut *deps.pool.get().await?, &msg.changes).await })
    }
}

impl Handler<UpdateProfile> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Profile, Error>>;

    fn handle(&mut self, msg: UpdateProfile, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let profile = profiles::update(&mut *deps.pool.get().await?, msg.id, &msg.changes).await?;
            deps.access_changed();
            Ok(profile)
        })
    }
}

impl Handler<DeleteProfile> for CrmActor {
    type Result = ResponseActFuture<Self, Result<(), Error>>;

    fn handle(&mut self, msg: DeleteProfile, _: &mut Self::Context) -> Self::Result {
        self.serve(
            |deps| async move { profiles::delete(&mut *deps.pool.get().await?, msg.id, deps.default_profile).await },
        )
    }
}

impl Handler<ListRoles> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Page<Role>, Error>>;

    fn handle(&mut self, msg: ListRoles, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { roles::list(&mut *deps.pool.get().await?, &msg.page).await })
    }
}

impl Handler<RoleTree> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Vec<RoleNode>, Error>>;

    fn handle(&mut self, _: RoleTree, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { roles::tree(&mut *deps.pool.get().await?).await })
    }
}

impl Handler<GetRole> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Role, Error>>;

    fn handle(&mut self, msg: GetRole, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { roles::find(&mut *deps.pool.get().await?, msg.id).await })
    }
}

impl Handler<CreateRole> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Role, Error>>;

    fn handle(&mut self, msg: CreateRole, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let changes = msg.changes;
            let role = deps.pool.get().await?.transaction(async |conn| roles::insert(conn, &changes).await).await?;
            deps.access_changed();
            Ok(role)
        })
    }
}

impl Handler<UpdateRole> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Role, Error>>;

    fn handle(&mut self, msg: UpdateRole, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let (id, changes) = (msg.id, msg.changes);
            let role = deps.pool.get().await?.transaction(async |conn| roles::update(conn, id, &changes).await).await?;
            deps.access_changed();
            Ok(role)
        })
    }
}

impl Handler<DeleteRole> for CrmActor {
    type Result = ResponseActFuture<Self, Result<(), Error>>;

    fn handle(&mut self, msg: DeleteRole, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let id = msg.id;
            deps.pool.get().await?.transaction(async |conn| roles::delete(conn, id).await).await?;
            deps.access_changed();
            Ok(())
        })
    }
}

impl Handler<AssignUser> for CrmActor {
    type Result = ResponseActFuture<Self, Result<CrmUser, Error>>;

    fn handle(&mut self, msg: AssignUser, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let user = models::assign(&mut *deps.pool.get().await?, msg.id, &msg.assignment).await?;
            deps.access_changed();
            Ok(user)
        })
    }
}
