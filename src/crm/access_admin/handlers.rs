//! The CRM actor's handlers for profiles and roles. Every change empties the scope caches of this
//! node at once and of every node through the mesh.

use actix::prelude::*;
use diesel_async::AsyncConnection;

use super::messages::*;
use super::profiles::{self, Profile};
use super::roles::{self, Role, RoleNode};
use crate::audit::{self, Target};
use crate::crm::actor::CrmActor;
use crate::db::atomically;
use crate::error::Error;
use crate::http::page::Page;

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
            let (id, trail) = (msg.id, msg.trail);
            let fields = msg.changes.fields();
            let mut conn = deps.pool.get().await?;
            let profile = atomically(&mut conn, async |conn| {
                let profile = profiles::update(conn, id, &msg.changes).await?;
                audit::record(conn, &deps.node, &trail, "crm.profile.updated", Target::of("profile", id), &fields)
                    .await?;
                Ok(profile)
            })
            .await?;
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
            let (id, trail) = (msg.id, msg.trail);
            let mut conn = deps.pool.get().await?;
            atomically(&mut conn, async |conn| {
                roles::delete(conn, id).await?;
                audit::record(conn, &deps.node, &trail, "crm.role.deleted", Target::of("role", id), &[]).await
            })
            .await?;
            deps.access_changed();
            Ok(())
        })
    }
}
