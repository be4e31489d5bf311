//! CRM deals: opportunities with an account, moving through a pipeline of stages. A deal comes
//! from exactly one lead or contact; entering a stage sets its default probability unless one is
//! given. `GET /crm/deals/pipeline` sums the deals the caller can see per stage.

use actix::prelude::*;
use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::{count_star, sum};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::accounts::Accounts;
use super::contacts::Contacts;
use super::leads::Leads;
use crate::access::{Action, Module, Scope};
use crate::crm::actor::CrmActor;
use crate::error::Error;
use crate::http::decimal;
use crate::http::validate::{non_null, patch_field, Validator};
use crate::records::store::record_store;
use crate::records::{references, Filter, Listing, OperationHooks, RecordKind, RecordStore, Rules};
use crate::schema::crm::deals;
use std::sync::Arc;

/// The pipeline's stages in order, with the probability (%) entering each one sets.
pub const STAGES: [(&str, i32); 8] = [
    ("Qualification", 10),
    ("Needs Analysis", 20),
    ("Value Proposition", 40),
    ("Identify Decision Makers", 60),
    ("Proposal/Price Quote", 75),
    ("Negotiation/Review", 90),
    ("Closed Won", 100),
    ("Closed Lost", 0),
];
const STAGE_NAMES: [&str; 8] =
    [STAGES[0].0, STAGES[1].0, STAGES[2].0, STAGES[3].0, STAGES[4].0, STAGES[5].0, STAGES[6].0, STAGES[7].0];

/// The deals module.
#[derive(Debug, Clone, Copy)]
pub struct Deals;

/// A deal as stored and as shown.
#[derive(Debug, Clone, Serialize, Queryable, Selectable, ToSchema)]
#[diesel(table_name = deals, check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct Deal {
    pub id: Uuid,
    pub name: String,
    /// An exact decimal, as a string.
    #[serde(serialize_with = "decimal::show")]
    #[schema(value_type = Option<String>)]
    pub amount: Option<BigDecimal>,
    pub closing_date: Option<NaiveDate>,
    pub currency: Option<String>,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub stage: String,
    pub probability: i32,
    pub lead_source: Option<String>,
    pub description: Option<String>,
    pub campaign_source: Option<String>,
    pub account_id: Uuid,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub created_by: Uuid,
    pub modified_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A deal create/update body: absent fields stay, `null` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema, Insertable, AsChangeset)]
#[diesel(table_name = deals)]
#[serde(rename_all = "camelCase")]
pub struct DealChanges {
    /// Required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub name: Option<String>,
    /// A decimal ≥ 0 with at most 2 places, as a number or a string.
    #[serde(default, deserialize_with = "decimal::patch")]
    #[schema(value_type = Option<String>)]
    pub amount: Option<Option<BigDecimal>>,
    /// `YYYY-MM-DD`.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<NaiveDate>)]
    pub closing_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub currency: Option<Option<String>>,
    #[serde(default, rename = "type", deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub type_: Option<Option<String>>,
    /// A pipeline stage (default Qualification).
    #[serde(default, deserialize_with = "non_null")]
    pub stage: Option<String>,
    /// 0–100; default: the stage's.
    #[serde(default, deserialize_with = "non_null")]
    pub probability: Option<i32>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub lead_source: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub campaign_source: Option<Option<String>>,
    /// Required when creating: an account the caller can see.
    #[serde(default, deserialize_with = "non_null")]
    pub account_id: Option<Uuid>,
    /// Exactly one of leadId and contactId, each a record the caller can see.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub lead_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub contact_id: Option<Option<Uuid>>,
    /// The owning CRM user (default: the caller); you or a user whose records you see.
    #[serde(default, deserialize_with = "non_null")]
    pub owner_id: Option<Uuid>,
}

record_store!(Deals, deals, Deal, DealChanges);

impl DealChanges {
    /// Checks the fields that need no database, collecting errors into `v`.
    pub(crate) fn check_fields(&mut self, v: &mut Validator, creating: bool) {
        v.require("name", &mut self.name, 200, creating);
        v.choice("stage", self.stage.as_deref(), &STAGE_NAMES);
        v.calendar("closingDate", self.closing_date.flatten());
        if self.probability.is_some_and(|p| !(0..=100).contains(&p)) {
            v.error("probability", "must be an integer from 0 to 100");
        }
        v.decimal("amount", self.amount.as_ref().and_then(Option::as_ref), 2, &BigDecimal::from(0), 16);
        for (field, value, max) in [
            ("currency", &mut self.currency, 3),
            ("type", &mut self.type_, 100),
            ("leadSource", &mut self.lead_source, 100),
            ("campaignSource", &mut self.campaign_source, 200),
        ] {
            v.optional(field, value, max);
        }
        v.optional_lines("description", &mut self.description, 4000);
    }
}

impl Listing for Deals {
    const MODULE: Module = Module::Deals;
    const NOUN: &'static str = "deal";
    const SEARCH: &'static str = "name";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("createdAt", "created_at"),
        ("updatedAt", "updated_at"),
        ("name", "name"),
        ("amount", "amount"),
        ("closingDate", "closing_date"),
        ("stage", "stage"),
        ("probability", "probability"),
    ];
    const FILTERS: &'static [Filter] = &[
        Filter::Id { param: "accountId", column: "account_id" },
        Filter::Choice { param: "stage", column: "stage", values: &STAGE_NAMES },
    ];
}

impl RecordKind for Deals {
    const DOMAIN: &'static str = "crm";
    const PATH: &'static str = "deals";
    type Listed = Deal;
    type Shown = Deal;
    type Saved = Deal;
}

impl OperationHooks for Deals {
    const UNIQUE: &'static [(&'static str, &'static str)] = &[];

    /// References must be visible; exactly one of lead and contact remains; a new stage brings
    /// its probability.
    async fn check(
        conn: &mut AsyncPgConnection,
        scope: &Scope,
        changes: &mut DealChanges,
        existing: Option<&Deal>,
    ) -> Result<(), Error> {
        let lead = changes.lead_id.unwrap_or(existing.and_then(|deal| deal.lead_id));
        let contact = changes.contact_id.unwrap_or(existing.and_then(|deal| deal.contact_id));
        if lead.is_some() == contact.is_some() {
            let field = if changes.contact_id.is_some() { "contactId" } else { "leadId" };
            return Err(Error::invalid(field, "a deal needs exactly one of leadId and contactId"));
        }
        references::check::<Accounts>(conn, scope, "accountId", changes.account_id.map(Some)).await?;
        references::check::<Leads>(conn, scope, "leadId", changes.lead_id).await?;
        references::check::<Contacts>(conn, scope, "contactId", changes.contact_id).await?;
        if existing.is_none() && changes.stage.is_none() {
            changes.stage = Some(STAGES[0].0.to_string());
        }
        if changes.probability.is_none() {
            changes.probability = changes.stage.as_deref().and_then(default_probability);
        }
        Ok(())
    }

    async fn show(_conn: &mut AsyncPgConnection, _scope: &Scope, row: Deal) -> Result<Deal, Error> {
        Ok(row)
    }
}

impl Rules for Deals {
    fn validate(changes: &mut DealChanges, creating: bool) -> Result<(), Error> {
        let mut v = Validator::default();
        changes.check_fields(&mut v, creating);
        if creating && changes.account_id.is_none() {
            v.error("accountId", "is required");
        }
        v.finish()
    }
}

/// The probability entering `stage` sets.
fn default_probability(stage: &str) -> Option<i32> {
    STAGES.iter().find(|(name, _)| *name == stage).map(|(_, probability)| *probability)
}

/// One stage of the pipeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageTotal {
    pub stage: String,
    pub probability: i32,
    pub count: i64,
    /// The sum of the amounts, an exact decimal as a string.
    #[schema(value_type = String)]
    pub amount: String,
}

/// The pipeline: every stage in order, and the total.
#[derive(Debug, Serialize, ToSchema)]
pub struct Pipeline {
    pub stages: Vec<StageTotal>,
    pub total: StageTotal,
}

/// Sums amount and count per stage over the deals the caller can see.
#[derive(Debug, Message)]
#[rtype(result = "Result<Pipeline, Error>")]
pub struct DealPipeline {
    pub scope: Arc<Scope>,
}

/// The pipeline over the deals `scope` may read, summed in SQL.
async fn pipeline(conn: &mut AsyncPgConnection, scope: &Scope) -> Result<Pipeline, Error> {
    let grant = scope.require(Module::Deals, Action::Read)?;
    let mut query =
        deals::table.group_by(deals::stage).select((deals::stage, count_star(), sum(deals::amount))).into_boxed();
    if let Some(condition) = Deals::readable(scope, grant) {
        query = query.filter(condition);
    }
    let rows: Vec<(String, i64, Option<BigDecimal>)> = query.load(conn).await?;
    let stages: Vec<StageTotal> = STAGES
        .iter()
        .map(|(stage, probability)| {
            let row = rows.iter().find(|(name, _, _)| name == stage);
            StageTotal {
                stage: stage.to_string(),
                probability: *probability,
                count: row.map_or(0, |(_, count, _)| *count),
                amount: row.and_then(|(_, _, amount)| amount.clone()).unwrap_or_default().to_plain_string(),
            }
        })
        .collect();
    let total_amount: BigDecimal = rows.iter().filter_map(|(_, _, amount)| amount.as_ref()).sum();
    let total = StageTotal {
        stage: "Total".into(),
        probability: 0,
        count: rows.iter().map(|(_, count, _)| count).sum(),
        amount: total_amount.to_plain_string(),
    };
    Ok(Pipeline { stages, total })
}

impl Handler<DealPipeline> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Pipeline, Error>>;

    fn handle(&mut self, msg: DealPipeline, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            pipeline(&mut *deps.pool.get().await?, &scope).await
        })
    }
}
