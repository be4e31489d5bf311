//! The CRM actor's handlers for its user directory.

use actix::prelude::*;

use super::messages::*;
use super::model::{self, CrmUser};
use crate::crm::actor::CrmActor;
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
            let user = model::assign(&mut *deps.pool.get().await?, msg.id, &msg.assignment).await?;
            deps.access_changed();
            Ok(user)
        })
    }
}
