//! Work orders and estimates: commercial documents with priced lines. Both share their
//! commercial fields, addresses, lines, totals and validation (each one's row and body are
//! written out with the shared fields; `document!` implements their storage); they differ in their statuses and a few
//! fields of their own. The same profiles and role visibility as tickets apply (modules
//! `workOrders` and `estimates`); deletion is soft.

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access::Module;
use crate::db::Condition;
use crate::desk::catalog::model::plain;
use crate::desk::tickets::model::PRIORITIES;
use crate::desk::transitions::{self, IllegalTransition, ESTIMATE_STATUSES, WORK_ORDER_STATUSES};
use crate::error::Error;
use crate::http::decimal;
use crate::http::validate::{non_null, patch_field, Validator};
use crate::records::store::record_store;
use crate::records::{Filter, Listing, RecordKind, RecordStore, Rules};
use crate::schema::desk::{estimates, order_lines, work_orders};

/// Work order billing statuses.
pub const BILLING_STATUSES: [&str; 4] = ["pending", "paid", "overdue", "cancelled"];
/// Line kinds: a catalog service or a catalog part.
pub const LINE_KINDS: [&str; 2] = ["service", "part"];
/// Most lines one document may have.
pub const MAX_LINES: usize = 200;

/// A postal address (stored as jsonb); unknown keys are refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// Serde helper for an address in a PATCH body: absent → `None`, `null` → `Some(None)`, an
/// address → its JSON (only the known keys).
fn address<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<Value>>, D::Error> {
    let address = <Option<Address>>::deserialize(deserializer)?;
    address.map(serde_json::to_value).transpose().map(Some).map_err(serde::de::Error::custom)
}

/// Serde helper for an optional decimal of a line: absent or `null` → `None`.
fn line_decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<BigDecimal>, D::Error> {
    decimal::patch(deserializer).map(Option::flatten)
}

/// One line of a request.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LineRequest {
    /// `service` or `part`.
    pub kind: Option<String>,
    /// The catalog service or part.
    pub item_id: Option<Uuid>,
    /// Greater than 0, at most 3 decimals.
    #[serde(default, deserialize_with = "line_decimal")]
    #[schema(value_type = Option<String>)]
    pub quantity: Option<BigDecimal>,
    /// Default: the catalog price.
    #[serde(default, deserialize_with = "line_decimal")]
    #[schema(value_type = Option<String>)]
    pub unit_price: Option<BigDecimal>,
    /// An amount taken off the line (default 0).
    #[serde(default, deserialize_with = "line_decimal")]
    #[schema(value_type = Option<String>)]
    pub discount: Option<BigDecimal>,
    /// A catalog tax; its percentage is copied onto the line.
    pub tax_id: Option<Uuid>,
}

/// Which document lines belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineOwner {
    /// `order_lines.work_order_id`.
    WorkOrder,
    /// `order_lines.estimate_id`.
    Estimate,
}

impl LineOwner {
    /// The condition selecting the lines of document `id`.
    pub fn lines_of(self, id: Uuid) -> Condition<order_lines::table> {
        match self {
            Self::WorkOrder => Box::new(order_lines::work_order_id.eq(id).assume_not_null()),
            Self::Estimate => Box::new(order_lines::estimate_id.eq(id).assume_not_null()),
        }
    }

    /// Makes `line` a line of document `id`.
    pub fn adopt(self, line: &mut LineRow, id: Uuid) {
        let (work_order, estimate) = match self {
            Self::WorkOrder => (Some(id), None),
            Self::Estimate => (None, Some(id)),
        };
        line.work_order_id = work_order;
        line.estimate_id = estimate;
    }
}

/// A line as stored: what was asked (quantity, unit price, discount, tax) and its rounded figures.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = order_lines, check_for_backend(diesel::pg::Pg))]
pub struct LineRow {
    pub id: Uuid,
    pub work_order_id: Option<Uuid>,
    pub estimate_id: Option<Uuid>,
    pub position: i32,
    pub kind: String,
    pub service_id: Option<Uuid>,
    pub part_id: Option<Uuid>,
    pub quantity: BigDecimal,
    pub unit_price: BigDecimal,
    pub discount: BigDecimal,
    pub tax_id: Option<Uuid>,
    pub tax_percentage: Option<BigDecimal>,
    pub line_subtotal: BigDecimal,
    pub line_discount: BigDecimal,
    pub line_tax: BigDecimal,
    pub line_total: BigDecimal,
}

/// A line's rounded figures in the document's currency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineTotalsView {
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub subtotal: BigDecimal,
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub discount: BigDecimal,
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub tax: BigDecimal,
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub total: BigDecimal,
}

/// A line as the API answers it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    pub id: Uuid,
    pub kind: String,
    pub item_id: Uuid,
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub quantity: BigDecimal,
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub unit_price: BigDecimal,
    /// The discount amount as given.
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub discount: BigDecimal,
    pub tax_id: Option<Uuid>,
    /// The tax's percentage when the line was written.
    #[serde(serialize_with = "decimal::show")]
    #[schema(value_type = Option<String>)]
    pub tax_percentage: Option<BigDecimal>,
    pub totals: LineTotalsView,
}

impl From<LineRow> for Line {
    fn from(row: LineRow) -> Self {
        Self {
            id: row.id,
            item_id: row.service_id.or(row.part_id).unwrap_or_default(),
            kind: row.kind,
            quantity: row.quantity,
            unit_price: row.unit_price,
            discount: row.discount,
            tax_id: row.tax_id,
            tax_percentage: row.tax_percentage,
            totals: LineTotalsView {
                subtotal: row.line_subtotal,
                discount: row.line_discount,
                tax: row.line_tax,
                total: row.line_total,
            },
        }
    }
}

/// A work order or estimate with its lines.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView<R> {
    #[serde(flatten)]
    pub record: R,
    pub lines: Vec<Line>,
}

/// The shared fields of a body, to validate and check them once for both documents.
pub struct Common<'a> {
    pub title: &'a mut Option<String>,
    pub summary: &'a mut Option<Option<String>>,
    pub contact_id: Option<Uuid>,
    pub account_id: Option<Uuid>,
    pub ticket_id: Option<Uuid>,
    pub service_address: &'a mut Option<Option<Value>>,
    pub billing_address: &'a mut Option<Option<Value>>,
    pub terms_and_conditions: &'a mut Option<Option<String>>,
    pub currency: &'a mut Option<String>,
    pub owner_id: Option<Uuid>,
    pub lines: &'a Option<Vec<LineRequest>>,
}

impl Common<'_> {
    /// Trims and checks the shared fields; `creating` makes the title required.
    pub fn validate(self, v: &mut Validator, creating: bool) {
        v.require("title", self.title, 200, creating);
        v.optional_lines("summary", self.summary, 20_000);
        v.optional_lines("termsAndConditions", self.terms_and_conditions, 20_000);
        if let Some(currency) = self.currency.as_mut() {
            *currency = currency.trim().to_ascii_uppercase();
            if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
                v.error("currency", "must be an ISO 4217 code of 3 letters");
            }
        }
        for (field, address) in [("serviceAddress", &*self.service_address), ("billingAddress", &*self.billing_address)]
        {
            let parts = address.iter().flatten().filter_map(Value::as_object).flat_map(|map| map.iter());
            for (key, value) in parts {
                if let Some(text) = value.as_str() {
                    v.optional_text(&format!("{field}.{key}"), Some(text.to_string()), 200);
                }
            }
        }
        let Some(lines) = self.lines else { return };
        if lines.len() > MAX_LINES {
            v.error("lines", format!("must have at most {MAX_LINES} lines"));
        }
        for (index, line) in lines.iter().enumerate() {
            let at = |field: &str| format!("lines[{index}].{field}");
            match line.kind.as_deref() {
                None => v.error(&at("kind"), "is required"),
                Some(kind) => v.choice(&at("kind"), Some(kind), &LINE_KINDS),
            }
            if line.item_id.is_none() {
                v.error(&at("itemId"), "is required");
            }
            if line.quantity.is_none() {
                v.error(&at("quantity"), "is required");
            }
        }
    }
}

/// Implements `RecordStore` (through `record_store!`) and [`DocumentStore`] for `$kind` on `$table`,
/// whose row is `$row` and body `$changes` (each written out with the shared fields).
macro_rules! document {
    ($kind:ty, $table:ident, $row:ident, $changes:ident) => {
        record_store!($kind, $table, $row, $changes);

        impl DocumentStore for $kind {
            fn common(changes: &mut $changes) -> Common<'_> {
                Common {
                    title: &mut changes.title,
                    summary: &mut changes.summary,
                    contact_id: changes.contact_id.flatten(),
                    account_id: changes.account_id.flatten(),
                    ticket_id: changes.ticket_id.flatten(),
                    service_address: &mut changes.service_address,
                    billing_address: &mut changes.billing_address,
                    terms_and_conditions: &mut changes.terms_and_conditions,
                    currency: &mut changes.currency,
                    owner_id: changes.owner_id,
                    lines: &changes.lines,
                }
            }

            fn status(row: &$row) -> &str {
                &row.status
            }

            fn currency(row: &$row) -> &str {
                &row.currency
            }

            fn rescale(row: &mut $row) {
                let scale = i64::from(super::totals::minor_unit(&row.currency));
                for amount in [&mut row.subtotal, &mut row.discount, &mut row.tax, &mut row.grand_total] {
                    *amount = amount.with_scale(scale);
                }
            }

            fn requested_status(changes: &$changes) -> Option<&str> {
                changes.status.as_deref()
            }

            async fn set_totals(
                conn: &mut diesel_async::AsyncPgConnection,
                id: Uuid,
                totals: &super::totals::Totals,
            ) -> QueryResult<$row> {
                let update = diesel::update($table::table.find(id)).set((
                    $table::subtotal.eq(&totals.subtotal),
                    $table::discount.eq(&totals.discount),
                    $table::tax.eq(&totals.tax),
                    $table::grand_total.eq(&totals.grand_total),
                ));
                diesel_async::RunQueryDsl::get_result(update.returning(<$row>::as_returning()), conn).await
            }

            async fn soft_delete(conn: &mut diesel_async::AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
                let update = diesel::update($table::table.find(id)).set($table::deleted_at.eq(diesel::dsl::now));
                diesel_async::RunQueryDsl::execute(update, conn).await
            }
        }
    };
}

/// What [`document!`] writes for each document: access to the shared fields and the
/// table-specific statements.
#[allow(async_fn_in_trait)]
pub trait DocumentStore: Listing {
    /// The shared fields of a body.
    fn common(changes: &mut Self::Changes) -> Common<'_>;
    /// The record's status.
    fn status(row: &Self::Row) -> &str;
    /// The record's currency.
    fn currency(row: &Self::Row) -> &str;
    /// Gives the record's totals the minor-unit scale of its currency (PostgreSQL answers a
    /// zero without its scale).
    fn rescale(row: &mut Self::Row);
    /// The status a body asks for.
    fn requested_status(changes: &Self::Changes) -> Option<&str>;
    /// Stores the document totals; answers the record after.
    async fn set_totals(
        conn: &mut diesel_async::AsyncPgConnection,
        id: Uuid,
        totals: &super::totals::Totals,
    ) -> QueryResult<Self::Row>;
    /// Marks the record deleted.
    async fn soft_delete(conn: &mut diesel_async::AsyncPgConnection, id: Uuid) -> QueryResult<usize>;
}

/// A document's own rules.
pub trait Document:
    DocumentStore
    + Copy
    + RecordKind<
        Listed = <Self as RecordStore>::Row,
        Shown = DocumentView<<Self as RecordStore>::Row>,
        Saved = DocumentView<<Self as RecordStore>::Row>,
    >
{
    /// Where its lines point.
    const LINES: LineOwner;
    /// Checks the document's own fields.
    fn validate_own(v: &mut Validator, changes: &Self::Changes);
    /// Checks a status move.
    fn transition(from: &str, to: &str) -> Result<(), IllegalTransition>;
}

/// A document body's rules: its own fields and the shared ones.
impl<D: Document> Rules for D {
    /// A document answers with its totals and lines besides the stored fields.
    const READ_ONLY: &'static [&'static str] = &[
        "id",
        "number",
        "createdAt",
        "updatedAt",
        "createdBy",
        "modifiedBy",
        "subtotal",
        "discount",
        "tax",
        "grandTotal",
    ];

    fn validate(changes: &mut Self::Changes, creating: bool) -> Result<(), Error> {
        let mut v = Validator::default();
        Self::validate_own(&mut v, changes);
        Self::common(changes).validate(&mut v, creating);
        v.finish()
    }
}

/// The work orders module.
#[derive(Debug, Clone, Copy)]
pub struct WorkOrders;

/// The estimates module.
#[derive(Debug, Clone, Copy)]
pub struct Estimates;

/// A work order as stored.
#[derive(Debug, Clone, Serialize, Queryable, Selectable, ToSchema)]
#[diesel(table_name = work_orders, check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct WorkOrder {
    pub id: Uuid,
    pub title: String,
    pub summary: Option<String>,
    pub status: String,
    pub contact_id: Option<Uuid>,
    pub account_id: Option<Uuid>,
    pub ticket_id: Option<Uuid>,
    #[schema(value_type = Option<Address>)]
    pub service_address: Option<Value>,
    #[schema(value_type = Option<Address>)]
    pub billing_address: Option<Value>,
    pub terms_and_conditions: Option<String>,
    pub currency: String,
    /// Sum of the line subtotals.
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub subtotal: BigDecimal,
    /// Sum of the line discounts.
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub discount: BigDecimal,
    /// Sum of the line taxes.
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub tax: BigDecimal,
    /// subtotal − discount + tax.
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub grand_total: BigDecimal,
    pub owner_id: Uuid,
    pub created_by: Uuid,
    pub modified_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip)]
    pub deleted_at: Option<DateTime<Utc>>,
    pub priority: String,
    pub billing_status: String,
    pub due_date: Option<DateTime<Utc>>,
}

/// A work order create/update body: absent fields stay, `null` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema, Insertable, AsChangeset)]
#[diesel(table_name = work_orders)]
#[serde(rename_all = "camelCase")]
pub struct WorkOrderChanges {
    /// Required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub summary: Option<Option<String>>,
    /// A CRM contact the caller can see.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub contact_id: Option<Option<Uuid>>,
    /// A CRM account the caller can see.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub account_id: Option<Option<Uuid>>,
    /// A desk ticket the caller can see.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub ticket_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "address")]
    #[schema(value_type = Option<Address>)]
    pub service_address: Option<Option<Value>>,
    #[serde(default, deserialize_with = "address")]
    #[schema(value_type = Option<Address>)]
    pub billing_address: Option<Option<Value>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub terms_and_conditions: Option<Option<String>>,
    /// ISO 4217 code (default EUR); amounts are rounded to its minor unit.
    #[serde(default, deserialize_with = "non_null")]
    pub currency: Option<String>,
    /// You or a CRM user whose records you see; default you.
    #[serde(default, deserialize_with = "non_null")]
    pub owner_id: Option<Uuid>,
    /// Replaces every line (and recomputes the totals) when given.
    #[serde(default, deserialize_with = "non_null")]
    #[diesel(skip_insertion, skip_update)]
    pub lines: Option<Vec<LineRequest>>,
    /// new (default), scheduled, inProgress, completed, cancelled; completed and cancelled are final.
    #[serde(default, deserialize_with = "non_null")]
    pub status: Option<String>,
    /// low, medium (default), high.
    #[serde(default, deserialize_with = "non_null")]
    pub priority: Option<String>,
    /// pending (default), paid, overdue, cancelled.
    #[serde(default, deserialize_with = "non_null")]
    pub billing_status: Option<String>,
    /// RFC 3339.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub due_date: Option<Option<DateTime<Utc>>>,
}

document!(WorkOrders, work_orders, WorkOrder, WorkOrderChanges);

/// An estimate as stored.
#[derive(Debug, Clone, Serialize, Queryable, Selectable, ToSchema)]
#[diesel(table_name = estimates, check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct Estimate {
    pub id: Uuid,
    pub title: String,
    pub summary: Option<String>,
    pub status: String,
    pub contact_id: Option<Uuid>,
    pub account_id: Option<Uuid>,
    pub ticket_id: Option<Uuid>,
    #[schema(value_type = Option<Address>)]
    pub service_address: Option<Value>,
    #[schema(value_type = Option<Address>)]
    pub billing_address: Option<Value>,
    pub terms_and_conditions: Option<String>,
    pub currency: String,
    /// Sum of the line subtotals.
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub subtotal: BigDecimal,
    /// Sum of the line discounts.
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub discount: BigDecimal,
    /// Sum of the line taxes.
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub tax: BigDecimal,
    /// subtotal − discount + tax.
    #[serde(serialize_with = "plain")]
    #[schema(value_type = String)]
    pub grand_total: BigDecimal,
    pub owner_id: Uuid,
    pub created_by: Uuid,
    pub modified_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip)]
    pub deleted_at: Option<DateTime<Utc>>,
    pub valid_until: Option<NaiveDate>,
    /// The work order it was converted into.
    pub converted_work_order_id: Option<Uuid>,
}

/// An estimate create/update body: absent fields stay, `null` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema, Insertable, AsChangeset)]
#[diesel(table_name = estimates)]
#[serde(rename_all = "camelCase")]
pub struct EstimateChanges {
    /// Required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub summary: Option<Option<String>>,
    /// A CRM contact the caller can see.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub contact_id: Option<Option<Uuid>>,
    /// A CRM account the caller can see.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub account_id: Option<Option<Uuid>>,
    /// A desk ticket the caller can see.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub ticket_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "address")]
    #[schema(value_type = Option<Address>)]
    pub service_address: Option<Option<Value>>,
    #[serde(default, deserialize_with = "address")]
    #[schema(value_type = Option<Address>)]
    pub billing_address: Option<Option<Value>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub terms_and_conditions: Option<Option<String>>,
    /// ISO 4217 code (default EUR); amounts are rounded to its minor unit.
    #[serde(default, deserialize_with = "non_null")]
    pub currency: Option<String>,
    /// You or a CRM user whose records you see; default you.
    #[serde(default, deserialize_with = "non_null")]
    pub owner_id: Option<Uuid>,
    /// Replaces every line (and recomputes the totals) when given.
    #[serde(default, deserialize_with = "non_null")]
    #[diesel(skip_insertion, skip_update)]
    pub lines: Option<Vec<LineRequest>>,
    /// draft (default), sent, accepted, rejected; accepted is final.
    #[serde(default, deserialize_with = "non_null")]
    pub status: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<NaiveDate>)]
    pub valid_until: Option<Option<NaiveDate>>,
}

document!(Estimates, estimates, Estimate, EstimateChanges);

/// What `search` matches in both documents, written as their trigram indexes.
const SEARCH: &str = "title || ' ' || coalesce(summary, '')";

impl RecordKind for WorkOrders {
    const DOMAIN: &'static str = "desk";
    const PATH: &'static str = "work-orders";
    type Listed = WorkOrder;
    type Shown = DocumentView<WorkOrder>;
    type Saved = DocumentView<WorkOrder>;
}

impl RecordKind for Estimates {
    const DOMAIN: &'static str = "desk";
    const PATH: &'static str = "estimates";
    type Listed = Estimate;
    type Shown = DocumentView<Estimate>;
    type Saved = DocumentView<Estimate>;
}

impl Listing for WorkOrders {
    const MODULE: Module = Module::WorkOrders;
    const NOUN: &'static str = "work order";
    const SEARCH: &'static str = SEARCH;
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("createdAt", "created_at"),
        ("updatedAt", "updated_at"),
        ("dueDate", "due_date"),
        ("title", "title"),
        ("grandTotal", "grand_total"),
    ];
    const FILTERS: &'static [Filter] = &[
        Filter::Choice { param: "status", column: "status", values: &WORK_ORDER_STATUSES },
        Filter::Choice { param: "priority", column: "priority", values: &PRIORITIES },
        Filter::Choice { param: "billingStatus", column: "billing_status", values: &BILLING_STATUSES },
        Filter::Id { param: "contactId", column: "contact_id" },
        Filter::Id { param: "accountId", column: "account_id" },
        Filter::Id { param: "ticketId", column: "ticket_id" },
    ];

    fn always() -> Vec<Condition<work_orders::table>> {
        vec![Box::new(work_orders::deleted_at.is_null())]
    }
}

impl Listing for Estimates {
    const MODULE: Module = Module::Estimates;
    const NOUN: &'static str = "estimate";
    const SEARCH: &'static str = SEARCH;
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("createdAt", "created_at"),
        ("updatedAt", "updated_at"),
        ("validUntil", "valid_until"),
        ("title", "title"),
        ("grandTotal", "grand_total"),
    ];
    const FILTERS: &'static [Filter] = &[
        Filter::Choice { param: "status", column: "status", values: &ESTIMATE_STATUSES },
        Filter::Id { param: "contactId", column: "contact_id" },
        Filter::Id { param: "accountId", column: "account_id" },
        Filter::Id { param: "ticketId", column: "ticket_id" },
    ];

    fn always() -> Vec<Condition<estimates::table>> {
        vec![Box::new(estimates::deleted_at.is_null())]
    }
}

impl Document for WorkOrders {
    const LINES: LineOwner = LineOwner::WorkOrder;

    fn validate_own(v: &mut Validator, changes: &WorkOrderChanges) {
        v.choice("status", changes.status.as_deref(), &WORK_ORDER_STATUSES);
        v.choice("priority", changes.priority.as_deref(), &PRIORITIES);
        v.choice("billingStatus", changes.billing_status.as_deref(), &BILLING_STATUSES);
        v.calendar("dueDate", changes.due_date.flatten());
    }

    fn transition(from: &str, to: &str) -> Result<(), IllegalTransition> {
        transitions::work_order(from, to)
    }
}

impl Document for Estimates {
    const LINES: LineOwner = LineOwner::Estimate;

    fn validate_own(v: &mut Validator, changes: &EstimateChanges) {
        v.choice("status", changes.status.as_deref(), &ESTIMATE_STATUSES);
        v.calendar("validUntil", changes.valid_until.flatten());
    }

    fn transition(from: &str, to: &str) -> Result<(), IllegalTransition> {
        transitions::estimate(from, to)
    }
}

impl Estimate {
    /// The body of a new work order with this estimate's commercial fields (status new).
    pub fn work_order(&self) -> WorkOrderChanges {
        WorkOrderChanges {
            title: Some(self.title.clone()),
            summary: Some(self.summary.clone()),
            contact_id: Some(self.contact_id),
            account_id: Some(self.account_id),
            ticket_id: Some(self.ticket_id),
            service_address: Some(self.service_address.clone()),
            billing_address: Some(self.billing_address.clone()),
            terms_and_conditions: Some(self.terms_and_conditions.clone()),
            currency: Some(self.currency.clone()),
            owner_id: Some(self.owner_id),
            ..WorkOrderChanges::default()
        }
    }
}
