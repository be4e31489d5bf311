//! The CRM actor's contact handlers: every one resolves the caller's scope, checks the profile's
//! grant for the action, and reaches only records the scope may see.

use actix::prelude::*;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::input::ContactChanges;
use super::messages::*;
use super::{store, Contact};
use crate::crm::access::{Action, Module, Scope};
use crate::crm::actor::CrmActor;
use crate::error::Error;
use crate::http::page::Page;

/// Updates one visible contact the profile lets the caller update.
async fn update_one(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    changes: &ContactChanges,
) -> Result<Contact, Error> {
    let contact = store::find_visible(conn, scope, id).await?;
    scope.require_on(Module::Contacts, Action::Update, contact.owner_id)?;
    if let Some(owner) = changes.owner_id {
        store::check_owner(conn, scope, owner).await?;
    }
    if changes.is_empty() {
        return Ok(contact);
    }
    store::update(conn, scope, id, changes).await
}

/// Deletes one visible contact the profile lets the caller delete.
async fn delete_one(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> Result<(), Error> {
    let contact = store::find_visible(conn, scope, id).await?;
    scope.require_on(Module::Contacts, Action::Delete, contact.owner_id)?;
    store::delete(conn, id).await
}

impl Handler<ListContacts> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Page<Contact>, Error>>;

    fn handle(&mut self, msg: ListContacts, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            store::list(&mut *deps.pool.get().await?, &scope, &msg.list).await
        })
    }
}

impl Handler<GetContact> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Contact, Error>>;

    fn handle(&mut self, msg: GetContact, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            store::find_visible(&mut *deps.pool.get().await?, &scope, msg.id).await
        })
    }
}

impl Handler<CreateContact> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Contact, Error>>;

    fn handle(&mut self, msg: CreateContact, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            scope.require(Module::Contacts, Action::Create)?;
            let mut conn = deps.pool.get().await?;
            if let Some(owner) = msg.changes.owner_id {
                store::check_owner(&mut conn, &scope, owner).await?;
            }
            store::insert(&mut conn, &scope, &msg.changes).await
        })
    }
}

impl Handler<UpdateContact> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Contact, Error>>;

    fn handle(&mut self, msg: UpdateContact, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            update_one(&mut *deps.pool.get().await?, &scope, msg.id, &msg.changes).await
        })
    }
}

impl Handler<DeleteContact> for CrmActor {
    type Result = ResponseActFuture<Self, Result<(), Error>>;

    fn handle(&mut self, msg: DeleteContact, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            delete_one(&mut *deps.pool.get().await?, &scope, msg.id).await
        })
    }
}

impl Handler<BulkUpdateContacts> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Vec<BulkOutcome>, Error>>;

    fn handle(&mut self, msg: BulkUpdateContacts, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            let mut conn = deps.pool.get().await?;
            let mut outcomes = Vec::with_capacity(msg.ids.len());
            for id in msg.ids {
                outcomes.push(BulkOutcome::of(id, update_one(&mut conn, &scope, id, &msg.changes).await));
            }
            Ok(outcomes)
        })
    }
}

impl Handler<BulkDeleteContacts> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Vec<BulkOutcome>, Error>>;

    fn handle(&mut self, msg: BulkDeleteContacts, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = deps.scope(msg.claims).await?;
            let mut conn = deps.pool.get().await?;
            let mut outcomes = Vec::with_capacity(msg.ids.len());
            for id in msg.ids {
                outcomes.push(BulkOutcome::of(id, delete_one(&mut conn, &scope, id).await));
            }
            Ok(outcomes)
        })
    }
}
