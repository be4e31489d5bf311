//! The desk actor's ticket handlers: the shared record messages (`crate::records::messages`) and
//! the comments and activity. Every write runs in one transaction with its activity entry;
//! references to CRM records are checked through the CRM before the write.

use actix::prelude::*;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Map, Value};
use std::sync::Arc;
use uuid::Uuid;

use super::activity::{self, Activity};
use super::comments::{self, Comment, NewComment};
use super::messages::*;
use super::model::{Ticket, TicketChanges, Tickets};
use super::sla;
use super::views::TicketView;
use crate::access::{Action, Module, Scope};
use crate::db::atomically;
use crate::desk::actor::{Deps, DeskActor};
use crate::desk::link_cache::Links;
use crate::desk::references;
use crate::desk::transitions;
use crate::error::Error;
use crate::http::page::Page;
use crate::records::audited::Audited;
use crate::records::messages::{BulkDelete, BulkOutcome, BulkUpdate, Create, Delete, Get, List, Update};
use crate::records::operations::{each_on_its_own, list};
use crate::records::routes::BulkChanges;
use crate::records::store::find_visible;
use crate::records::RecordStore;
use crate::schema::desk::tickets;

/// The views of `tickets`, their links resolved with one message.
async fn views(deps: &Deps, scope: &Arc<Scope>, tickets: Vec<Ticket>) -> Result<Vec<TicketView>, Error> {
    let contacts = tickets.iter().filter_map(|t| t.contact_id).collect();
    let accounts = tickets.iter().filter_map(|t| t.account_id).collect();
    let links = deps.links(scope, contacts, accounts, Vec::new()).await?;
    let now = Utc::now();
    Ok(tickets.into_iter().map(|ticket| TicketView::new(ticket, &links, now)).collect())
}

/// The SLA columns a status change moves: hold start, closing time and due date.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tickets)]
struct Clock {
    on_hold_since: Option<Option<DateTime<Utc>>>,
    closed_at: Option<Option<DateTime<Utc>>>,
    due_date: Option<Option<DateTime<Utc>>>,
}

impl Clock {
    /// What moving `before` to status `to` at `now` changes; `due_given` keeps a due date the
    /// client sent.
    fn on_move(before: &Ticket, to: &str, now: DateTime<Utc>, due_given: bool) -> Self {
        let mut clock = Self::default();
        if to == "onHold" && before.status != "onHold" {
            clock.on_hold_since = Some(Some(now));
        }
        if let (Some(since), true) = (before.on_hold_since, to != "onHold") {
            clock.on_hold_since = Some(None);
            if !due_given {
                clock.due_date = Some(before.due_date.map(|due| sla::resume(due, since, now)));
            }
        }
        if to == "closed" && before.status != "closed" {
            clock.closed_at = Some(Some(now));
        }
        if to != "closed" && before.status == "closed" {
            clock.closed_at = Some(None);
        }
        clock
    }

    fn is_empty(&self) -> bool {
        self.on_hold_since.is_none() && self.closed_at.is_none() && self.due_date.is_none()
    }
}

/// `{field: {before, after}}` for every field the client sees that changed.
fn changed_fields(before: &Ticket, after: &Ticket) -> Map<String, Value> {
    let (Ok(Value::Object(old)), Ok(Value::Object(new))) = (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Map::new();
    };
    new.into_iter()
        .filter(|(field, value)| {
            !["updatedAt", "modifiedBy"].contains(&field.as_str()) && old.get(field) != Some(value)
        })
        .map(|(field, value)| {
            let was = old.get(&field).cloned().unwrap_or(Value::Null);
            (field, json!({"before": was, "after": value}))
        })
        .collect()
}

/// Applies changes to a visible ticket, records them, answers the ticket after.
async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    changes: &TicketChanges,
) -> Result<Ticket, Error> {
    // Writers of one ticket take turns, so the transition is checked against the status written.
    Tickets::lock(conn, id).await?;
    let before = find_visible::<Tickets>(conn, scope, id).await?;
    scope.require_on(Module::Tickets, Action::Update, before.owner_id)?;
    let to = changes.status.clone().unwrap_or_else(|| before.status.clone());
    transitions::ticket(&before.status, &to).map_err(|illegal| Error::conflict("status", illegal.to_string()))?;
    let clock = Clock::on_move(&before, &to, Utc::now(), changes.due_date.is_some());
    let mut after = if changes == &TicketChanges::default() {
        before.clone()
    } else {
        Tickets::update(conn, id, changes, scope.user_id).await?
    };
    if !clock.is_empty() {
        after = diesel::update(tickets::table.find(id))
            .set(&clock)
            .returning(Ticket::as_returning())
            .get_result(conn)
            .await?;
    }
    let mut fields = changed_fields(&before, &after);
    if let Some(status) = fields.remove("status") {
        activity::record(conn, id, "statusChanged", scope.user_id, json!({"status": status})).await?;
    }
    if !fields.is_empty() {
        activity::record(conn, id, "updated", scope.user_id, Value::Object(fields)).await?;
    }
    Ok(after)
}

/// Opens a ticket (due by its priority's SLA unless a due date is given) and records it.
async fn create(
    conn: &mut AsyncPgConnection,
    deps: &Deps,
    scope: &Scope,
    changes: &TicketChanges,
) -> Result<Ticket, Error> {
    let now = Utc::now();
    let mut changes = changes.clone();
    if changes.due_date.is_none() {
        let priority = changes.priority.as_deref().unwrap_or("medium");
        changes.due_date = Some(Some(sla::due_on_open(&deps.sla, now, priority)));
    }
    let mut ticket = Tickets::insert(conn, &changes, scope.user_id).await?;
    let clock = Clock {
        on_hold_since: (ticket.status == "onHold").then_some(Some(now)),
        closed_at: (ticket.status == "closed").then_some(Some(now)),
        due_date: None,
    };
    if !clock.is_empty() {
        ticket = diesel::update(tickets::table.find(ticket.id))
            .set(&clock)
            .returning(Ticket::as_returning())
            .get_result(conn)
            .await?;
    }
    activity::record(conn, ticket.id, "created", scope.user_id, json!({})).await?;
    Ok(ticket)
}

/// Soft-deletes a visible ticket the caller may delete and records it in its activity and in
/// the audit log (`fields`: how it was asked for).
async fn delete(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid, audited: Audited<'_>) -> Result<(), Error> {
    let ticket = find_visible::<Tickets>(conn, scope, id).await?;
    scope.require_on(Module::Tickets, Action::Delete, ticket.owner_id)?;
    diesel::update(tickets::table.find(id)).set(tickets::deleted_at.eq(Utc::now())).execute(conn).await?;
    activity::record(conn, id, "deleted", scope.user_id, json!({})).await?;
    audited.deleted::<Tickets>(conn, id).await
}

/// 422 naming each CRM record or owner in `changes` the caller may not refer to; answers the links.
async fn check_references(deps: &Deps, scope: &Arc<Scope>, changes: &TicketChanges) -> Result<Links, Error> {
    let (contact, account) = (changes.contact_id.flatten(), changes.account_id.flatten());
    references::check(deps, scope, contact, account, changes.owner_id).await
}

impl Handler<List<Tickets>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<Page<TicketView>, Error>>;

    fn handle(&mut self, msg: List<Tickets>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let Page { items, total, page, limit } =
                list::<Tickets>(&mut *deps.pool.get().await?, &scope, &msg.list).await?;
            let items = views(&deps, &scope, items).await?;
            Ok(Page { items, total, page, limit })
        })
    }
}

impl Handler<Get<Tickets>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<TicketView, Error>>;

    fn handle(&mut self, msg: Get<Tickets>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let ticket = find_visible::<Tickets>(&mut *deps.pool.get().await?, &scope, msg.id).await?;
            Ok(views(&deps, &scope, vec![ticket]).await?.remove(0))
        })
    }
}

impl Handler<Create<Tickets>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<TicketView, Error>>;

    fn handle(&mut self, msg: Create<Tickets>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            scope.require(Module::Tickets, Action::Create)?;
            let links = check_references(&deps, &scope, &msg.changes).await?;
            let changes = msg.changes.into_inner();
            let changes = TicketChanges { owner_id: Some(changes.owner_id.unwrap_or(scope.user_id)), ..changes };
            let mut conn = deps.pool.get().await?;
            let ticket = atomically(&mut conn, async |conn| create(conn, &deps, &scope, &changes).await).await?;
            Ok(TicketView::new(ticket, &links, Utc::now()))
        })
    }
}

impl Handler<Update<Tickets>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<TicketView, Error>>;

    fn handle(&mut self, msg: Update<Tickets>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            check_references(&deps, &scope, &msg.changes).await?;
            let (id, changes) = (msg.id, msg.changes);
            let ticket = {
                let mut conn = deps.pool.get().await?;
                atomically(&mut conn, async |conn| update(conn, &scope, id, &changes).await).await?
            };
            Ok(views(&deps, &scope, vec![ticket]).await?.remove(0))
        })
    }
}

impl Handler<Delete<Tickets>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<(), Error>>;

    fn handle(&mut self, msg: Delete<Tickets>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let mut conn = deps.pool.get().await?;
            let audited = Audited { node: &deps.node, trail: &msg.trail, fields: &[] };
            atomically(&mut conn, async |conn| delete(conn, &scope, msg.id, audited).await).await
        })
    }
}

impl Handler<BulkUpdate<Tickets>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<Vec<BulkOutcome>, Error>>;

    fn handle(&mut self, msg: BulkUpdate<Tickets>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let BulkChanges { ids, changes } = msg.request.into_inner();
            check_references(&deps, &scope, &changes).await?;
            let mut conn = deps.pool.get().await?;
            Ok(each_on_its_own(&mut conn, ids, async |conn, id| update(conn, &scope, id, &changes).await).await)
        })
    }
}

impl Handler<BulkDelete<Tickets>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<Vec<BulkOutcome>, Error>>;

    fn handle(&mut self, msg: BulkDelete<Tickets>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let mut conn = deps.pool.get().await?;
            let audited = Audited { node: &deps.node, trail: &msg.trail, fields: &["bulk"] };
            Ok(each_on_its_own(&mut conn, msg.ids, async |conn, id| delete(conn, &scope, id, audited).await).await)
        })
    }
}

impl Handler<AddComment> for DeskActor {
    type Result = ResponseActFuture<Self, Result<Comment, Error>>;

    fn handle(&mut self, msg: AddComment, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let mut conn = deps.pool.get().await?;
            let NewComment { body, public } = msg.comment.into_inner();
            atomically(&mut conn, async |conn| {
                find_visible::<Tickets>(conn, &scope, msg.ticket).await?;
                comments::add(conn, msg.ticket, scope.user_id, body, public).await
            })
            .await
        })
    }
}

impl Handler<ListComments> for DeskActor {
    type Result = ResponseActFuture<Self, Result<Page<Comment>, Error>>;

    fn handle(&mut self, msg: ListComments, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let mut conn = deps.pool.get().await?;
            find_visible::<Tickets>(&mut conn, &scope, msg.ticket).await?;
            comments::comments(&mut conn, msg.ticket, &msg.page).await
        })
    }
}

impl Handler<ListActivity> for DeskActor {
    type Result = ResponseActFuture<Self, Result<Page<Activity>, Error>>;

    fn handle(&mut self, msg: ListActivity, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let mut conn = deps.pool.get().await?;
            find_visible::<Tickets>(&mut conn, &scope, msg.ticket).await?;
            activity::page(&mut conn, msg.ticket, &msg.page).await
        })
    }
}
