//! Queries on `crm.contacts`. Visibility is part of every query's SQL.

use chrono::Utc;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{Bool, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::input::ContactChanges;
use super::Contact;
use crate::crm::access::{Action, Grant, Module, Scope};
use crate::crm::visibility::readable;
use crate::error::Error;
use crate::http::page::{ListQuery, Page, PageRequest};
use crate::http::validate::Validator;
use crate::schema::crm::{contacts, users};

/// The raw `GET /crm/contacts` query.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct ContactListQuery {
    /// Page number, from 1.
    pub page: Option<String>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<String>,
    /// Case-insensitive substring of first name, last name or email.
    pub search: Option<String>,
    /// Only contacts of this owner.
    pub owner_id: Option<String>,
    /// `field` or `-field`: firstName, lastName, email, createdAt, updatedAt (default createdAt).
    pub sort: Option<String>,
}

/// Sortable columns.
#[derive(Debug, Clone, Copy)]
enum SortField {
    FirstName,
    LastName,
    Email,
    CreatedAt,
    UpdatedAt,
}

/// A validated contact list request.
#[derive(Debug, Clone)]
pub struct ContactList {
    pub page: PageRequest,
    pub owner_id: Option<Uuid>,
    sort: SortField,
    descending: bool,
}

impl TryFrom<ContactListQuery> for ContactList {
    type Error = Error;

    fn try_from(raw: ContactListQuery) -> Result<Self, Error> {
        let page = PageRequest::try_from(ListQuery { page: raw.page, limit: raw.limit, search: raw.search });
        let mut v = Validator::default();
        let owner_id = raw.owner_id.and_then(|o| {
            let parsed = Uuid::parse_str(o.trim()).ok();
            if parsed.is_none() {
                v.error("ownerId", "must be a uuid");
            }
            parsed
        });
        let sort = raw.sort.unwrap_or_else(|| "createdAt".into());
        let (descending, name) = match sort.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, sort.as_str()),
        };
        let field = match name {
            "firstName" => SortField::FirstName,
            "lastName" => SortField::LastName,
            "email" => SortField::Email,
            "createdAt" => SortField::CreatedAt,
            "updatedAt" => SortField::UpdatedAt,
            _ => {
                v.error(
                    "sort",
                    "must be one of firstName, lastName, email, createdAt, updatedAt, optionally prefixed by -",
                );
                SortField::CreatedAt
            }
        };
        match (page, v.finish()) {
            (Ok(page), Ok(())) => Ok(Self { page, owner_id, sort: field, descending }),
            (Err(Error::Invalid(mut a)), Err(Error::Invalid(b))) => {
                a.extend(b);
                Err(Error::Invalid(a))
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }
}

/// A contact row to insert, from validated changes.
#[derive(Insertable)]
#[diesel(table_name = contacts)]
struct NewContact {
    id: Uuid,
    salutation: Option<String>,
    first_name: String,
    last_name: String,
    email: String,
    phone: Option<String>,
    mobile_phone: Option<String>,
    department: Option<String>,
    territory: Option<String>,
    secondary_phone: Option<String>,
    assistant_name: Option<String>,
    currency_code: Option<String>,
    mailing_street: Option<String>,
    mailing_city: Option<String>,
    mailing_state: Option<String>,
    mailing_zip: Option<String>,
    mailing_country: Option<String>,
    owner_id: Uuid,
    created_by: Uuid,
    modified_by: Uuid,
}

impl NewContact {
    fn new(c: &ContactChanges, owner: Uuid, author: Uuid) -> Self {
        Self {
            id: Uuid::new_v4(),
            salutation: c.salutation.clone().flatten(),
            first_name: c.first_name.clone().unwrap_or_default(),
            last_name: c.last_name.clone().unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            phone: c.phone.clone().flatten(),
            mobile_phone: c.mobile_phone.clone().flatten(),
            department: c.department.clone().flatten(),
            territory: c.territory.clone().flatten(),
            secondary_phone: c.secondary_phone.clone().flatten(),
            assistant_name: c.assistant_name.clone().flatten(),
            currency_code: c.currency_code.clone().flatten(),
            mailing_street: c.mailing_street.clone().flatten(),
            mailing_city: c.mailing_city.clone().flatten(),
            mailing_state: c.mailing_state.clone().flatten(),
            mailing_zip: c.mailing_zip.clone().flatten(),
            mailing_country: c.mailing_country.clone().flatten(),
            owner_id: owner,
            created_by: author,
            modified_by: author,
        }
    }
}

fn conflict(error: DieselError) -> Error {
    match &error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            Error::conflict("email", "a contact with this email exists")
        }
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            Error::invalid("ownerId", "no such CRM user")
        }
        _ => error.into(),
    }
}

/// The role of a (not deleted) CRM user; 422 naming `ownerId` when there is no such user.
async fn owner_role(conn: &mut AsyncPgConnection, owner: Uuid) -> Result<Option<Uuid>, Error> {
    users::table
        .find(owner)
        .filter(users::deleted_at.is_null())
        .select(users::role_id)
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| Error::invalid("ownerId", "no such CRM user"))
}

/// 422 unless the caller may give records to `owner`: themselves, or a user they can see.
pub async fn check_owner(conn: &mut AsyncPgConnection, scope: &Scope, owner: Uuid) -> Result<(), Error> {
    let role = owner_role(conn, owner).await?;
    if scope.sees(owner, role) {
        Ok(())
    } else {
        Err(Error::invalid("ownerId", "must be you or a user whose records you see"))
    }
}

/// The contact if the caller may read it; 404 otherwise (also when it exists but is hidden).
pub async fn find_visible(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> Result<Contact, Error> {
    let grant = scope.require(Module::Contacts, Action::Read)?;
    let found: Option<(Contact, Option<Uuid>)> = contacts::table
        .inner_join(users::table.on(users::id.eq(contacts::owner_id)))
        .filter(contacts::id.eq(id))
        .select((Contact::as_select(), users::role_id))
        .first(conn)
        .await
        .optional()?;
    match found {
        Some((contact, role))
            if scope.sees(contact.owner_id, role) && (grant != Grant::Own || contact.owner_id == scope.user_id) =>
        {
            Ok(contact)
        }
        _ => Err(Error::NotFound("contact not found".into())),
    }
}

/// Creates a contact owned by `changes.owner_id` or the caller.
pub async fn insert(conn: &mut AsyncPgConnection, scope: &Scope, changes: &ContactChanges) -> Result<Contact, Error> {
    let owner = changes.owner_id.unwrap_or(scope.user_id);
    diesel::insert_into(contacts::table)
        .values(NewContact::new(changes, owner, scope.user_id))
        .returning(Contact::as_returning())
        .get_result(conn)
        .await
        .map_err(conflict)
}

/// Applies changes to a contact and stamps who changed it.
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    changes: &ContactChanges,
) -> Result<Contact, Error> {
    diesel::update(contacts::table.find(id))
        .set((changes, contacts::modified_by.eq(scope.user_id), contacts::updated_at.eq(Utc::now())))
        .returning(Contact::as_returning())
        .get_result(conn)
        .await
        .map_err(conflict)
}

/// Deletes a contact.
pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), Error> {
    diesel::delete(contacts::table.find(id)).execute(conn).await?;
    Ok(())
}

/// One page of the contacts the caller may read, filtered and sorted in SQL.
pub async fn list(conn: &mut AsyncPgConnection, scope: &Scope, request: &ContactList) -> Result<Page<Contact>, Error> {
    let grant = scope.require(Module::Contacts, Action::Read)?;
    let filtered = || {
        let mut query = contacts::table.into_boxed();
        if let Some(condition) = readable(scope, grant) {
            query = query.filter(condition);
        }
        if let Some(owner) = request.owner_id {
            query = query.filter(contacts::owner_id.eq(owner));
        }
        if let Some(pattern) = request.page.search_pattern() {
            query = query.filter(
                sql::<Bool>("(first_name || ' ' || last_name || ' ' || email) ILIKE ").bind::<Text, _>(pattern),
            );
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn).await?;
    let query = filtered().select(Contact::as_select());
    let query = match (request.sort, request.descending) {
        (SortField::FirstName, false) => query.order((contacts::first_name.asc(), contacts::id)),
        (SortField::FirstName, true) => query.order((contacts::first_name.desc(), contacts::id)),
        (SortField::LastName, false) => query.order((contacts::last_name.asc(), contacts::id)),
        (SortField::LastName, true) => query.order((contacts::last_name.desc(), contacts::id)),
        (SortField::Email, false) => query.order((contacts::email.asc(), contacts::id)),
        (SortField::Email, true) => query.order((contacts::email.desc(), contacts::id)),
        (SortField::CreatedAt, false) => query.order((contacts::created_at.asc(), contacts::id)),
        (SortField::CreatedAt, true) => query.order((contacts::created_at.desc(), contacts::id)),
        (SortField::UpdatedAt, false) => query.order((contacts::updated_at.asc(), contacts::id)),
        (SortField::UpdatedAt, true) => query.order((contacts::updated_at.desc(), contacts::id)),
    };
    let items = query.limit(request.page.limit).offset(request.page.offset()).load(conn).await?;
    Ok(Page { items, total, page: request.page.page, limit: request.page.limit })
}
