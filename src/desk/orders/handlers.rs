//! The desk actor's handlers for work orders and estimates: the shared record messages
//! (`crate::records::messages`) and the estimate's conversion. Lines are priced from
//! the catalog inside the write's transaction (the catalog rows are key-share locked, so they
//! cannot go away before the lines refer to them) and totalled by `totals::compute`.

use actix::prelude::*;
use bigdecimal::BigDecimal;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

use super::messages::*;
use super::model::{Document, DocumentView, Estimate, Estimates, Line, LineOwner, LineRequest, LineRow, WorkOrders};
use super::totals::{self, LineInput, Totals};
use crate::access::{Action, Module, Scope};
use crate::audit::{self, Target};
use crate::db::atomically;
use crate::desk::actor::{Deps, DeskActor};
use crate::desk::references;
use crate::desk::tickets::model::Tickets;
use crate::error::Error;
use crate::http::page::Page;
use crate::http::validate::Validator;
use crate::records::audited::Audited;
use crate::records::messages::{BulkDelete, BulkOutcome, BulkUpdate, Create, Delete, Get, List, Update};
use crate::records::operations::{each_on_its_own, list};
use crate::records::routes::BulkChanges;
use crate::records::store::{self, find_visible};
use crate::records::RecordStore;
use crate::schema::desk::{estimates, order_lines, parts, services, taxes};

/// What a body refers to outside its own table.
#[derive(Debug, Clone, Copy)]
struct References {
    contact: Option<Uuid>,
    account: Option<Uuid>,
    ticket: Option<Uuid>,
    owner: Option<Uuid>,
}

/// 422 naming `ticketId` unless it is a ticket the caller can see.
async fn check_ticket(conn: &mut AsyncPgConnection, scope: &Scope, ticket: Option<Uuid>) -> Result<(), Error> {
    let Some(id) = ticket else { return Ok(()) };
    match store::find_readable::<Tickets>(conn, scope, id).await {
        Ok(Some(_)) => Ok(()),
        Ok(None) | Err(Error::Forbidden(_)) => {
            Err(Error::invalid("ticketId", "no ticket with this id that you can see"))
        }
        Err(other) => Err(other),
    }
}

/// `(id, amount)` of the catalog rows with these ids, key-share locked until the transaction ends.
async fn prices(conn: &mut AsyncPgConnection, of: &str, ids: Vec<Uuid>) -> Result<HashMap<Uuid, BigDecimal>, Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, BigDecimal)> = match of {
        "service" => {
            let query = services::table.filter(services::id.eq_any(ids)).select((services::id, services::net_price));
            query.for_key_share().load(conn).await?
        }
        "part" => {
            parts::table
                .filter(parts::id.eq_any(ids))
                .select((parts::id, parts::price))
                .for_key_share()
                .load(conn)
                .await?
        }
        _ => {
            taxes::table
                .filter(taxes::id.eq_any(ids))
                .select((taxes::id, taxes::percentage))
                .for_key_share()
                .load(conn)
                .await?
        }
    };
    Ok(rows.into_iter().collect())
}

/// The lines of a request priced from the catalog (figures not yet computed); 422 naming
/// `lines[i].itemId` or `lines[i].taxId` for a catalog item that does not exist.
async fn price(conn: &mut AsyncPgConnection, requests: &[LineRequest]) -> Result<Vec<LineRow>, Error> {
    let ids =
        |kind: &str| requests.iter().filter(|l| l.kind.as_deref() == Some(kind)).filter_map(|l| l.item_id).collect();
    let services = prices(conn, "service", ids("service")).await?;
    let parts = prices(conn, "part", ids("part")).await?;
    let taxes = prices(conn, "tax", requests.iter().filter_map(|l| l.tax_id).collect()).await?;
    let mut v = Validator::default();
    let mut rows = Vec::with_capacity(requests.len());
    for (index, line) in requests.iter().enumerate() {
        let kind = line.kind.clone().unwrap_or_default();
        let item = line.item_id.unwrap_or_default();
        let catalog = if kind == "service" { &services } else { &parts };
        let Some(list_price) = catalog.get(&item) else {
            v.error(&format!("lines[{index}].itemId"), format!("no {kind} with this id"));
            continue;
        };
        let tax_percentage = line.tax_id.and_then(|tax| taxes.get(&tax).cloned());
        if line.tax_id.is_some() && tax_percentage.is_none() {
            v.error(&format!("lines[{index}].taxId"), "no tax with this id");
        }
        let zero = BigDecimal::from(0);
        rows.push(LineRow {
            id: Uuid::new_v4(),
            work_order_id: None,
            estimate_id: None,
            position: i32::try_from(index).unwrap_or(i32::MAX),
            service_id: (kind == "service").then_some(item),
            part_id: (kind == "part").then_some(item),
            kind,
            quantity: line.quantity.clone().unwrap_or_default(),
            unit_price: line.unit_price.clone().unwrap_or_else(|| list_price.clone()),
            discount: line.discount.clone().unwrap_or_else(|| zero.clone()),
            tax_id: line.tax_id,
            tax_percentage,
            line_subtotal: zero.clone(),
            line_discount: zero.clone(),
            line_tax: zero.clone(),
            line_total: zero,
        });
    }
    v.finish()?;
    Ok(rows)
}

/// The stored lines of document `id`, in order.
async fn stored_lines(conn: &mut AsyncPgConnection, owner: LineOwner, id: Uuid) -> Result<Vec<LineRow>, Error> {
    let query = order_lines::table.into_boxed().filter(owner.lines_of(id)).order(order_lines::position);
    Ok(query.select(LineRow::as_select()).load(conn).await?)
}

/// Replaces the lines of document `id` with `lines` (given new ids) after computing their
/// figures in `currency`; 422 naming the first refused line field. Answers the totals.
async fn write_lines(
    conn: &mut AsyncPgConnection,
    owner: LineOwner,
    id: Uuid,
    currency: &str,
    mut lines: Vec<LineRow>,
) -> Result<Totals, Error> {
    let inputs: Vec<LineInput> = lines
        .iter()
        .map(|l| LineInput {
            quantity: l.quantity.clone(),
            unit_price: l.unit_price.clone(),
            discount: l.discount.clone(),
            tax_percentage: l.tax_percentage.clone(),
        })
        .collect();
    let totals =
        totals::compute(&inputs, currency).map_err(|refused| Error::invalid(&refused.path(), refused.message()))?;
    for (line, figures) in lines.iter_mut().zip(&totals.lines) {
        line.id = Uuid::new_v4();
        owner.adopt(line, id);
        line.line_subtotal = figures.subtotal.clone();
        line.line_discount = figures.discount.clone();
        line.line_tax = figures.tax.clone();
        line.line_total = figures.total.clone();
    }
    diesel::delete(order_lines::table.filter(owner.lines_of(id))).execute(conn).await?;
    if !lines.is_empty() {
        diesel::insert_into(order_lines::table).values(&lines).execute(conn).await?;
    }
    Ok(totals)
}

/// The document with its lines.
async fn view<D: Document>(conn: &mut AsyncPgConnection, mut record: D::Row) -> Result<DocumentView<D::Row>, Error> {
    D::rescale(&mut record);
    let scale = i64::from(totals::minor_unit(D::currency(&record)));
    let mut lines = stored_lines(conn, D::LINES, D::id(&record)).await?;
    for line in &mut lines {
        for figure in [&mut line.line_subtotal, &mut line.line_discount, &mut line.line_tax, &mut line.line_total] {
            *figure = figure.with_scale(scale);
        }
    }
    Ok(DocumentView { record, lines: lines.into_iter().map(Line::from).collect() })
}

/// Creates (`id` absent) or changes a document with its lines and totals; run in a transaction.
async fn save<D: Document>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Option<Uuid>,
    mut changes: D::Changes,
    refs: References,
) -> Result<DocumentView<D::Row>, Error> {
    check_ticket(conn, scope, refs.ticket).await?;
    // A new document gets its totals even without lines (zeros in the currency's minor unit).
    let lines = D::common(&mut changes).lines.clone().or_else(|| id.is_none().then(Vec::new));
    let (row, currency_changed) = match id {
        None => {
            *D::owner_field(&mut changes) = Some(refs.owner.unwrap_or(scope.user_id));
            (D::insert(conn, &changes, scope.user_id).await?, false)
        }
        Some(id) => {
            // Writers of one document (and its conversion) take turns: the transition is
            // checked against the status written.
            D::lock(conn, id).await?;
            let before = find_visible::<D>(conn, scope, id).await?;
            scope.require_on(D::MODULE, Action::Update, D::owner(&before))?;
            if let Some(to) = D::requested_status(&changes) {
                D::transition(D::status(&before), to)
                    .map_err(|illegal| Error::conflict("status", illegal.to_string()))?;
            }
            let after = D::update(conn, id, &changes, scope.user_id).await?;
            let changed = D::currency(&before) != D::currency(&after);
            (after, changed)
        }
    };
    let id = D::id(&row);
    let lines = match lines {
        Some(requests) => price(conn, &requests).await?,
        None if currency_changed => stored_lines(conn, D::LINES, id).await?,
        None => return view::<D>(conn, row).await,
    };
    let totals = write_lines(conn, D::LINES, id, D::currency(&row), lines).await?;
    let row = D::set_totals(conn, id, &totals).await?;
    view::<D>(conn, row).await
}

/// What `changes` refers to, checked through the CRM (contact, account, owner): 422 naming each
/// reference the caller may not make.
async fn check_references<D: Document>(
    deps: &Deps,
    scope: &Arc<Scope>,
    changes: &mut D::Changes,
) -> Result<References, Error> {
    let common = D::common(changes);
    let refs = References {
        contact: common.contact_id,
        account: common.account_id,
        ticket: common.ticket_id,
        owner: common.owner_id,
    };
    references::check(deps, scope, refs.contact, refs.account, refs.owner).await?;
    Ok(refs)
}

/// Soft-deletes a visible document the caller may delete and records it in the audit log.
async fn delete<D: Document>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    audited: Audited<'_>,
) -> Result<(), Error> {
    let record = find_visible::<D>(conn, scope, id).await?;
    scope.require_on(D::MODULE, Action::Delete, D::owner(&record))?;
    D::soft_delete(conn, id).await?;
    audited.deleted::<D>(conn, id).await
}

impl<D: Document> Handler<List<D>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<Page<D::Row>, Error>>;

    fn handle(&mut self, msg: List<D>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let mut page = list::<D>(&mut *deps.pool.get().await?, &msg.scope, &msg.list).await?;
            page.items.iter_mut().for_each(D::rescale);
            Ok(page)
        })
    }
}

impl<D: Document> Handler<Get<D>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<DocumentView<D::Row>, Error>>;

    fn handle(&mut self, msg: Get<D>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let mut conn = deps.pool.get().await?;
            let record = find_visible::<D>(&mut conn, &scope, msg.id).await?;
            view::<D>(&mut conn, record).await
        })
    }
}

impl<D: Document> Handler<Create<D>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<DocumentView<D::Row>, Error>>;

    fn handle(&mut self, msg: Create<D>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            scope.require(D::MODULE, Action::Create)?;
            let mut changes = msg.changes.into_inner();
            let refs = check_references::<D>(&deps, &scope, &mut changes).await?;
            let mut conn = deps.pool.get().await?;
            atomically(&mut conn, async |conn| save::<D>(conn, &scope, None, changes, refs).await).await
        })
    }
}

impl<D: Document> Handler<Update<D>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<DocumentView<D::Row>, Error>>;

    fn handle(&mut self, msg: Update<D>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let mut changes = msg.changes.into_inner();
            let refs = check_references::<D>(&deps, &scope, &mut changes).await?;
            let mut conn = deps.pool.get().await?;
            atomically(&mut conn, async |conn| save::<D>(conn, &scope, Some(msg.id), changes, refs).await).await
        })
    }
}

impl<D: Document> Handler<Delete<D>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<(), Error>>;

    fn handle(&mut self, msg: Delete<D>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let mut conn = deps.pool.get().await?;
            let audited = Audited { node: &deps.node, trail: &msg.trail, fields: &[] };
            atomically(&mut conn, async |conn| delete::<D>(conn, &scope, msg.id, audited).await).await
        })
    }
}

impl<D: Document> Handler<BulkUpdate<D>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<Vec<BulkOutcome>, Error>>;

    fn handle(&mut self, msg: BulkUpdate<D>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let BulkChanges { ids, mut changes } = msg.request.into_inner();
            let refs = check_references::<D>(&deps, &scope, &mut changes).await?;
            let mut conn = deps.pool.get().await?;
            let save_one =
                async |conn: &mut AsyncPgConnection, id| save::<D>(conn, &scope, Some(id), changes.clone(), refs).await;
            Ok(each_on_its_own(&mut conn, ids, save_one).await)
        })
    }
}

impl<D: Document> Handler<BulkDelete<D>> for DeskActor {
    type Result = ResponseActFuture<Self, Result<Vec<BulkOutcome>, Error>>;

    fn handle(&mut self, msg: BulkDelete<D>, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let mut conn = deps.pool.get().await?;
            let audited = Audited { node: &deps.node, trail: &msg.trail, fields: &["bulk"] };
            Ok(each_on_its_own(&mut conn, msg.ids, async |conn, id| delete::<D>(conn, &scope, id, audited).await).await)
        })
    }
}

/// Converts a visible estimate the caller may update into a new work order; run in a
/// transaction that locks the estimate first, so a concurrent conversion waits and then sees
/// this one (409).
async fn convert(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> Result<Conversion, Error> {
    Estimates::lock(conn, id).await?;
    let estimate = find_visible::<Estimates>(conn, scope, id).await?;
    scope.require_on(Module::Estimates, Action::Update, estimate.owner_id)?;
    if let Some(order) = estimate.converted_work_order_id {
        return Err(Error::conflict("status", format!("this estimate was already converted into work order {order}")));
    }
    Estimates::transition(&estimate.status, "accepted")
        .map_err(|illegal| Error::conflict("status", illegal.to_string()))?;
    let order = WorkOrders::insert(conn, &estimate.work_order(), scope.user_id).await?;
    let lines = stored_lines(conn, LineOwner::Estimate, id).await?;
    let totals = write_lines(conn, LineOwner::WorkOrder, order.id, &order.currency, lines).await?;
    let order = <WorkOrders as super::model::DocumentStore>::set_totals(conn, order.id, &totals).await?;
    let estimate: Estimate = diesel::update(estimates::table.find(id))
        .set((
            estimates::status.eq("accepted"),
            estimates::converted_work_order_id.eq(order.id),
            estimates::modified_by.eq(scope.user_id),
            estimates::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Estimate::as_returning())
        .get_result(conn)
        .await?;
    Ok(Conversion {
        work_order: view::<WorkOrders>(conn, order).await?,
        estimate: view::<Estimates>(conn, estimate).await?,
    })
}

impl Handler<ConvertEstimate> for DeskActor {
    type Result = ResponseActFuture<Self, Result<Conversion, Error>>;

    fn handle(&mut self, msg: ConvertEstimate, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            scope.require(Module::Estimates, Action::Update)?;
            scope.require(Module::WorkOrders, Action::Create)?;
            let (id, trail) = (msg.id, msg.trail);
            let mut conn = deps.pool.get().await?;
            atomically(&mut conn, async |conn| {
                let conversion = convert(conn, &scope, id).await?;
                let target = Target::of("estimate", id);
                audit::record(conn, &deps.node, &trail, "desk.estimate.converted", target, &[]).await?;
                Ok(conversion)
            })
            .await
        })
    }
}
