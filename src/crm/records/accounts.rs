//! CRM accounts: the companies contacts work at and deals are made with. Accounts form a
//! hierarchy through `parentAccountId` (never a cycle); one with contacts or deals is deleted
//! only with `?cascade=true`, by a caller allowed to delete all of them.

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::contacts::Contacts;
use super::deals::Deals;
use crate::access::{Action, Grant, Module, Scope};
use crate::db::Condition;
use crate::error::Error;
use crate::http::validate::{non_null, patch_field, Validator};
use crate::records::store::{self as record_store_fns, record_store};
use crate::records::{references, Filter, Listing, OperationHooks, RecordKind, Rules};
use crate::schema::crm::accounts;

/// The accounts module.
#[derive(Debug, Clone, Copy)]
pub struct Accounts;

/// An account as stored and listed.
#[derive(Debug, Clone, Serialize, Queryable, Selectable, ToSchema)]
#[diesel(table_name = accounts, check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: Uuid,
    pub name: String,
    pub account_number: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub billing_street: String,
    pub billing_city: String,
    pub billing_state: Option<String>,
    pub billing_zip: Option<String>,
    pub billing_country: Option<String>,
    pub shipping_street: Option<String>,
    pub shipping_city: Option<String>,
    pub shipping_state: Option<String>,
    pub shipping_zip: Option<String>,
    pub shipping_country: Option<String>,
    pub parent_account_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub created_by: Uuid,
    pub modified_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An account with how many of its contacts and deals the caller can see.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountDetail {
    #[serde(flatten)]
    pub account: Account,
    pub contact_count: i64,
    pub deal_count: i64,
}

/// An account create/update body: absent fields stay, `null` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema, Insertable, AsChangeset)]
#[diesel(table_name = accounts)]
#[serde(rename_all = "camelCase")]
pub struct AccountChanges {
    /// Required when creating; unique.
    #[serde(default, deserialize_with = "non_null")]
    pub name: Option<String>,
    /// Unique when given.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub account_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub website: Option<Option<String>>,
    /// Required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub billing_street: Option<String>,
    /// Required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub billing_city: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub billing_state: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub billing_zip: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub billing_country: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub shipping_street: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub shipping_city: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub shipping_state: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub shipping_zip: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub shipping_country: Option<Option<String>>,
    /// An account the caller can see; never the account itself or one below it.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub parent_account_id: Option<Option<Uuid>>,
    /// The owning CRM user (default: the caller); you or a user whose records you see.
    #[serde(default, deserialize_with = "non_null")]
    pub owner_id: Option<Uuid>,
}

record_store!(Accounts, accounts, Account, AccountChanges);

/// The records of an account.
fn of_account<T: 'static>(account: Uuid) -> Condition<T> {
    Box::new(sql::<Bool>("account_id = ").bind::<SqlUuid, _>(account))
}

/// How many of the account's records of module `K` the caller can see.
async fn visible_count<K: RecordKind>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    account: Uuid,
) -> Result<i64, Error> {
    let Ok(grant) = scope.require(K::MODULE, Action::Read) else { return Ok(0) };
    Ok(K::count(conn, std::iter::once(of_account(account)).chain(K::readable(scope, grant)).collect()).await?)
}

/// How many of the account's records of module `K` exist, and how many of them the caller may delete.
async fn deletable_count<K: RecordKind>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    account: Uuid,
) -> Result<(i64, i64), Error> {
    let total = K::count(conn, vec![of_account(account)]).await?;
    if total == 0 {
        return Ok((0, 0));
    }
    let read = scope.require(K::MODULE, Action::Read)?;
    let delete = scope.require(K::MODULE, Action::Delete)?;
    let read = if delete == Grant::Own { Grant::Own } else { read };
    let allowed =
        K::count(conn, std::iter::once(of_account(account)).chain(K::readable(scope, read)).collect()).await?;
    Ok((total, allowed))
}

/// True when `ancestor` is `account` or above it in the hierarchy.
async fn is_at_or_above(conn: &mut AsyncPgConnection, ancestor: Uuid, account: Uuid) -> Result<bool, Error> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = Bool)]
        found: bool,
    }
    let query = "WITH RECURSIVE up (id, parent) AS ( \
                   SELECT id, parent_account_id FROM crm.accounts WHERE id = $1 \
                   UNION SELECT a.id, a.parent_account_id FROM crm.accounts a JOIN up ON a.id = up.parent) \
                 SELECT EXISTS (SELECT 1 FROM up WHERE id = $2) AS found";
    let row: Found =
        diesel::sql_query(query).bind::<SqlUuid, _>(account).bind::<SqlUuid, _>(ancestor).get_result(conn).await?;
    Ok(row.found)
}

impl Listing for Accounts {
    const MODULE: Module = Module::Accounts;
    const NOUN: &'static str = "account";
    const SEARCH: &'static str = "name || ' ' || coalesce(account_number, '')";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("createdAt", "created_at"),
        ("updatedAt", "updated_at"),
        ("name", "name"),
        ("accountNumber", "account_number"),
    ];
    const FILTERS: &'static [Filter] = &[Filter::Id { param: "parentAccountId", column: "parent_account_id" }];
}

impl RecordKind for Accounts {
    const DOMAIN: &'static str = "crm";
    const PATH: &'static str = "accounts";
    type Listed = Account;
    type Shown = AccountDetail;
    type Saved = Account;
}

impl OperationHooks for Accounts {
    const UNIQUE: &'static [(&'static str, &'static str)] =
        &[("accounts_name_key", "name"), ("accounts_account_number_key", "accountNumber")];

    /// The parent must be visible and must not be this account or below it; writers that move
    /// accounts take turns so two concurrent moves cannot close a cycle together.
    async fn check(
        conn: &mut AsyncPgConnection,
        scope: &Scope,
        changes: &mut AccountChanges,
        existing: Option<&Account>,
    ) -> Result<(), Error> {
        let Some(Some(parent)) = changes.parent_account_id else { return Ok(()) };
        references::visible::<Accounts>(conn, scope, "parentAccountId", parent).await?;
        if let Some(account) = existing {
            diesel::sql_query("LOCK TABLE crm.accounts IN SHARE ROW EXCLUSIVE MODE").execute(conn).await?;
            if is_at_or_above(conn, account.id, parent).await? {
                return Err(Error::conflict("parentAccountId", "this parent would make a cycle of accounts"));
            }
        }
        Ok(())
    }

    async fn show(conn: &mut AsyncPgConnection, scope: &Scope, account: Account) -> Result<AccountDetail, Error> {
        let contact_count = visible_count::<Contacts>(conn, scope, account.id).await?;
        let deal_count = visible_count::<Deals>(conn, scope, account.id).await?;
        Ok(AccountDetail { account, contact_count, deal_count })
    }

    /// Without `cascade`, 409 while contacts or deals remain; with it, they go too, but only
    /// if the caller may delete every one of them.
    async fn remove(
        conn: &mut AsyncPgConnection,
        scope: &Scope,
        account: &Account,
        cascade: bool,
    ) -> Result<(), Error> {
        let (contacts, allowed_contacts) = deletable_count::<Contacts>(conn, scope, account.id).await?;
        let (deals, allowed_deals) = deletable_count::<Deals>(conn, scope, account.id).await?;
        if contacts + deals > 0 && !cascade {
            return Err(Error::Conflict {
                detail: format!(
                    "this account still has {contacts} contacts and {deals} deals; delete with ?cascade=true to remove them too"
                ),
                field: None,
            });
        }
        if allowed_contacts < contacts || allowed_deals < deals {
            return Err(Error::Forbidden(format!(
                "the cascade would delete {} contacts and {} deals you may not delete",
                contacts - allowed_contacts,
                deals - allowed_deals
            )));
        }
        for table in [Deals::PATH, Contacts::PATH] {
            // The table names are constants, never client input.
            diesel::sql_query(format!("DELETE FROM crm.{table} WHERE account_id = $1"))
                .bind::<SqlUuid, _>(account.id)
                .execute(conn)
                .await
                .map_err(|error| match record_store_fns::referenced::<Accounts>(error) {
                    Error::Conflict { .. } => Error::Conflict {
                        detail: format!("the account's {table} are still referenced by records of other accounts"),
                        field: None,
                    },
                    other => other,
                })?;
        }
        record_store_fns::delete::<Accounts>(conn, account.id).await
    }
}

impl Rules for Accounts {
    /// `GET` answers with counts besides the stored fields.
    const READ_ONLY: &'static [&'static str] =
        &["id", "createdAt", "updatedAt", "createdBy", "modifiedBy", "contactCount", "dealCount"];

    fn validate(c: &mut AccountChanges, creating: bool) -> Result<(), Error> {
        let mut v = Validator::default();
        v.require("name", &mut c.name, 200, creating);
        v.require("billingStreet", &mut c.billing_street, 200, creating);
        v.require("billingCity", &mut c.billing_city, 200, creating);
        for (field, value, max) in [
            ("accountNumber", &mut c.account_number, 40),
            ("phone", &mut c.phone, 40),
            ("website", &mut c.website, 200),
            ("billingState", &mut c.billing_state, 200),
            ("billingZip", &mut c.billing_zip, 20),
            ("billingCountry", &mut c.billing_country, 200),
            ("shippingStreet", &mut c.shipping_street, 200),
            ("shippingCity", &mut c.shipping_city, 200),
            ("shippingState", &mut c.shipping_state, 200),
            ("shippingZip", &mut c.shipping_zip, 20),
            ("shippingCountry", &mut c.shipping_country, 200),
        ] {
            v.optional(field, value, max);
        }
        v.finish()
    }
}
