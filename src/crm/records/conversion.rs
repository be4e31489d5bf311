//! Lead conversion: `POST /crm/leads/{id}/convert` creates the account (unless an existing one is
//! given), the contact and optionally the deal, and marks the lead converted — all in one
//! transaction, so a failure anywhere leaves nothing behind.

use actix::prelude::*;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::accounts::{Account, AccountChanges, Accounts};
use super::contacts::{Contact, ContactChanges, Contacts};
use super::deals::{Deal, DealChanges, Deals};
use super::leads::{Lead, Leads, CONVERTED};
use crate::access::{Action, Module, Scope};
use crate::audit::{self, Target, Trail};
use crate::crm::actor::CrmActor;
use crate::db::atomically;
use crate::error::{Error, FieldError};
use crate::http::body::Checked;
use crate::http::body::{Intent, Validate};
use crate::http::validate::Validator;
use crate::records::operations::create_one;
use crate::records::store::find_visible;
use crate::records::{references, RecordStore, Rules};
use crate::schema::crm::leads;
use std::sync::Arc;

/// `POST /crm/leads/{id}/convert` body; every field optional.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConvertRequest {
    /// An existing account (one the caller can see) for the contact and deal.
    pub account_id: Option<Uuid>,
    /// Create an account from the lead's company and billing address (default: true unless
    /// `accountId` is given).
    pub create_account: Option<bool>,
    /// Also create a deal (name required; stage, amount, closingDate…) for the new contact.
    pub create_deal: Option<DealChanges>,
}

impl Validate for ConvertRequest {
    type Valid = ConvertRequest;

    /// Checks the body alone, naming nested fields `createDeal.name`.
    fn validate(mut self, _: &Intent) -> Result<ConvertRequest, Error> {
        let mut v = Validator::default();
        if self.account_id.is_some() && self.create_account == Some(true) {
            v.error("createAccount", "cannot be true together with accountId");
        }
        if let Some(deal) = &mut self.create_deal {
            let mut inner = Validator::default();
            deal.check_fields(&mut inner, true);
            let set = [("accountId", deal.account_id.is_some()), ("leadId", deal.lead_id.is_some())];
            for (field, given) in set.into_iter().chain([("contactId", deal.contact_id.is_some())]) {
                if given {
                    inner.error(field, "is set by the conversion");
                }
            }
            if let Err(Error::Invalid(errors)) = inner.finish() {
                for FieldError { field, message } in errors {
                    v.error(&format!("createDeal.{field}"), message);
                }
            }
        }
        v.finish()?;
        Ok(self)
    }
}

/// What a conversion created.
#[derive(Debug, Serialize, ToSchema)]
pub struct Conversion {
    pub lead: Lead,
    pub contact: Contact,
    pub account: Option<Account>,
    pub deal: Option<Deal>,
}

/// Converts a lead (typed message to the CRM actor).
#[derive(Debug, Message)]
#[rtype(result = "Result<Conversion, Error>")]
pub struct ConvertLead {
    pub scope: Arc<Scope>,
    pub id: Uuid,
    pub request: Checked<ConvertRequest>,
    /// Recorded in the audit log with the change.
    pub trail: Trail,
}

/// The account to create from the lead: its company and billing address.
fn account_from(lead: &Lead) -> Result<AccountChanges, Error> {
    let mut v = Validator::default();
    for (field, value) in
        [("company", &lead.company), ("billingStreet", &lead.billing_street), ("billingCity", &lead.billing_city)]
    {
        if value.is_none() {
            v.error(field, "the lead has none to create the account from; give accountId or createAccount: false");
        }
    }
    v.finish()?;
    let mut account = AccountChanges {
        name: lead.company.clone(),
        phone: Some(Some(lead.phone.clone())),
        billing_street: lead.billing_street.clone(),
        billing_city: lead.billing_city.clone(),
        billing_state: Some(lead.billing_state.clone()),
        billing_zip: Some(lead.billing_zip.clone()),
        billing_country: Some(lead.billing_country.clone()),
        shipping_street: Some(lead.shipping_street.clone()),
        shipping_city: Some(lead.shipping_city.clone()),
        shipping_state: Some(lead.shipping_state.clone()),
        shipping_zip: Some(lead.shipping_zip.clone()),
        shipping_country: Some(lead.shipping_country.clone()),
        owner_id: Some(lead.owner_id),
        ..Default::default()
    };
    <Accounts as Rules>::validate(&mut account, true)?;
    Ok(account)
}

/// The contact the lead becomes.
fn contact_from(lead: &Lead, account: Option<Uuid>) -> ContactChanges {
    ContactChanges {
        salutation: Some(lead.salutation.clone()),
        first_name: Some(lead.first_name.clone()),
        last_name: Some(lead.last_name.clone()),
        email: Some(lead.email.clone()),
        phone: Some(Some(lead.phone.clone())),
        currency_code: Some(lead.currency_code.clone()),
        account_id: Some(account),
        mailing_street: Some(lead.billing_street.clone()),
        mailing_city: Some(lead.billing_city.clone()),
        mailing_state: Some(lead.billing_state.clone()),
        mailing_zip: Some(lead.billing_zip.clone()),
        mailing_country: Some(lead.billing_country.clone()),
        owner_id: Some(lead.owner_id),
        ..Default::default()
    }
}

/// Runs a conversion inside the caller's transaction.
async fn convert(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    request: ConvertRequest,
) -> Result<Conversion, Error> {
    // Concurrent conversions of one lead take turns; the second sees it converted.
    Leads::lock(conn, id).await?;
    let lead = find_visible::<Leads>(conn, scope, id).await?;
    scope.require_on(Module::Leads, Action::Update, lead.owner_id)?;
    if lead.status == CONVERTED {
        return Err(Error::conflict("status", "the lead is already converted"));
    }
    let account = match (request.account_id, request.create_account) {
        (Some(account), _) => Some(references::visible::<Accounts>(conn, scope, "accountId", account).await?),
        (None, Some(false)) => None,
        (None, _) => Some(create_one::<Accounts>(conn, scope, &account_from(&lead)?).await?),
    };
    let account_id = account.as_ref().map(|account| account.id);
    let contact = create_one::<Contacts>(conn, scope, &contact_from(&lead, account_id)).await?;
    let deal = match request.create_deal {
        None => None,
        Some(mut deal) => {
            deal.account_id = Some(account_id.ok_or_else(|| {
                Error::invalid("createDeal", "a deal needs an account: do not pass createAccount: false")
            })?);
            deal.contact_id = Some(Some(contact.id));
            deal.owner_id = Some(lead.owner_id);
            deal.lead_source = deal.lead_source.or(Some(lead.lead_source.clone()));
            Some(create_one::<Deals>(conn, scope, &deal).await?)
        }
    };
    let lead = diesel::update(leads::table.find(id))
        .set((
            leads::status.eq(CONVERTED),
            leads::converted_contact_id.eq(contact.id),
            leads::converted_account_id.eq(account_id),
            leads::converted_deal_id.eq(deal.as_ref().map(|deal| deal.id)),
            leads::converted_at.eq(Utc::now()),
            leads::modified_by.eq(scope.user_id),
            leads::updated_at.eq(Utc::now()),
        ))
        .returning(Lead::as_returning())
        .get_result(conn)
        .await?;
    Ok(Conversion { lead, contact, account, deal })
}

impl Handler<ConvertLead> for CrmActor {
    type Result = ResponseActFuture<Self, Result<Conversion, Error>>;

    fn handle(&mut self, msg: ConvertLead, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let scope = msg.scope;
            let (id, request, trail) = (msg.id, msg.request.into_inner(), msg.trail);
            let mut conn = deps.pool.get().await?;
            atomically(&mut conn, async |conn| {
                let conversion = convert(conn, &scope, id, request).await?;
                audit::record(conn, &deps.node, &trail, "crm.lead.converted", Target::of("lead", id), &[]).await?;
                Ok(conversion)
            })
            .await
        })
    }
}
