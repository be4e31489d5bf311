//! The CRM actor's handlers for its user directory.

use actix::prelude::*;

use super::messages::*;
use super::model::{self, CrmUser};
use crate::audit::{self, Target};
use crate::crm::actor::CrmActor;
use crate::db::atomically;
use crate::error::Error;
use crate::http::page::Page;

impl Handler<ListUsers> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Page<CrmUser>, Error>>;

    fn handle(&mut self, msg: ListUsers, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { model::list(&mut *deps.pool.get().await?, &msg.page).await })
    }
}

impl Handler<GetUser> for CrmActor {
    type Result = ResponseActFuture<Self, Result<CrmUser, Error>>;

    fn handle(&mut self, msg: GetUser, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            model::find(&mut *deps.pool.get().await?, msg.id)
                .await?
                .ok_or_else(|| Error::NotFound("user not found".into()))
        })
    }
}

impl Handler<AssignUser> for CrmActor {
    type Result = ResponseActFuture<Self, Result<CrmUser, Error>>;

    fn handle(&mut self, msg: AssignUser, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let (id, trail) = (msg.id, msg.trail);
            let fields = msg.assignment.fields();
            let mut conn = deps.pool.get().await?;
            let user = atomically(&mut conn, async |conn| {
                let user = model::assign(conn, id, &msg.assignment).await?;
                audit::record(conn, &deps.node, &trail, "crm.user.assigned", Target::of("user", id), &fields).await?;
                Ok(user)
            })
            .await?;
            deps.access_changed();
            Ok(user)
        })
    }
}
