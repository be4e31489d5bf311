//! The desk catalog: services (`netPrice`), parts (`price`) and taxes (`percentage`) that work
//! order and estimate lines refer to. The three tables have the same shape (id, unique name, one
//! amount), so one implementation serves them, naming the table and amount column from the
//! [`Catalog`] (constants, never client input). Managed by platform administrators and holders of
//! the Administrator profile; read by everyone signed in.

use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{BigInt, Nullable, Numeric, Text, Timestamptz, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Error;
use crate::http::body::{Intent, Validate, RECORD_READ_ONLY};
use crate::http::decimal;
use crate::http::page::{Page, PageRequest};
use crate::http::validate::{non_null, Validator};

/// One of the three catalogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Catalog {
    /// `/desk/services`: labour, priced by `netPrice`.
    Services,
    /// `/desk/parts`: material, priced by `price`.
    Parts,
    /// `/desk/taxes`: rates by `percentage` (0–100).
    Taxes,
}

impl Catalog {
    /// The catalog named by a path segment; 404 for any other.
    pub fn from_path(segment: &str) -> Result<Self, Error> {
        match segment {
            "services" => Ok(Self::Services),
            "parts" => Ok(Self::Parts),
            "taxes" => Ok(Self::Taxes),
            _ => Err(Error::NotFound(format!("no route for /desk/{segment}"))),
        }
    }

    /// The table, amount column, amount field, noun and most decimal places of the amount.
    fn describe(self) -> (&'static str, &'static str, &'static str, &'static str, i64) {
        match self {
            Self::Services => ("desk.services", "net_price", "netPrice", "service", 4),
            Self::Parts => ("desk.parts", "price", "price", "part", 4),
            Self::Taxes => ("desk.taxes", "percentage", "percentage", "tax", 3),
        }
    }

    /// One item, for messages: "service".
    pub fn noun(self) -> &'static str {
        self.describe().3
    }

    /// `SELECT` list of a row of this catalog.
    fn columns(self) -> String {
        format!("id, name, {} AS amount, created_at, updated_at", self.describe().1)
    }
}

/// A catalog row as read (the amount column under one name).
#[derive(Debug, Clone, QueryableByName)]
pub struct CatalogRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Numeric)]
    pub amount: BigDecimal,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    pub updated_at: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// A catalog item as the API answers it: exactly one of the amounts, as a decimal string.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CatalogItem {
    pub id: Uuid,
    pub name: String,
    /// Services only.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "decimal::show")]
    #[schema(value_type = Option<String>)]
    pub net_price: Option<BigDecimal>,
    /// Parts only.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "decimal::show")]
    #[schema(value_type = Option<String>)]
    pub price: Option<BigDecimal>,
    /// Taxes only.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "decimal::show")]
    #[schema(value_type = Option<String>)]
    pub percentage: Option<BigDecimal>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CatalogItem {
    /// The view of `row` of `catalog`.
    fn new(catalog: Catalog, row: CatalogRow) -> Self {
        let amount = |of: Catalog| (catalog == of).then(|| row.amount.clone());
        Self {
            net_price: amount(Catalog::Services),
            price: amount(Catalog::Parts),
            percentage: amount(Catalog::Taxes),
            id: row.id,
            name: row.name,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// A required decimal that may be absent (but not `null`).
fn some_decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<BigDecimal>, D::Error> {
    decimal::required(deserializer).map(Some)
}

/// Serializes an exact amount as a plain decimal string (`"12.30"`).
pub fn plain<S: Serializer>(value: &BigDecimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_plain_string())
}

/// A create/update body of any catalog: `name` and the catalog's own amount field; absent fields
/// stay. Sending another catalog's amount field is 422.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CatalogChanges {
    /// Unique (case-insensitive) within the catalog; required when creating.
    #[serde(default, deserialize_with = "non_null")]
    pub name: Option<String>,
    /// Services: a decimal ≥ 0 with at most 4 places, as a number or a string.
    #[serde(default, deserialize_with = "some_decimal")]
    #[schema(value_type = Option<String>)]
    pub net_price: Option<BigDecimal>,
    /// Parts: a decimal ≥ 0 with at most 4 places.
    #[serde(default, deserialize_with = "some_decimal")]
    #[schema(value_type = Option<String>)]
    pub price: Option<BigDecimal>,
    /// Taxes: a percentage from 0 to 100 with at most 3 places.
    #[serde(default, deserialize_with = "some_decimal")]
    #[schema(value_type = Option<String>)]
    pub percentage: Option<BigDecimal>,
}

/// A validated catalog write: `None` leaves the column alone.
#[derive(Debug, Clone)]
pub struct CatalogWrite {
    pub name: Option<String>,
    pub amount: Option<BigDecimal>,
}

impl Validate for CatalogChanges {
    type Valid = CatalogWrite;
    const READ_ONLY: &'static [&'static str] = RECORD_READ_ONLY;

    /// Checks the body against the catalog of the path (`{catalog}`); `POST` makes name and
    /// amount required.
    fn validate(self, intent: &Intent) -> Result<CatalogWrite, Error> {
        let catalog = Catalog::from_path(intent.path("catalog").unwrap_or_default())?;
        let creating = intent.creating();
        let mut v = Validator::default();
        let mut name = self.name;
        v.require("name", &mut name, 200, creating);
        let (_, _, field, noun, scale) = catalog.describe();
        let mut amount = None;
        for (of, given) in
            [(Catalog::Services, self.net_price), (Catalog::Parts, self.price), (Catalog::Taxes, self.percentage)]
        {
            match (of == catalog, given) {
                (true, given) => amount = given,
                (false, Some(_)) => v.error(of.describe().2, format!("is not a field of a {noun}")),
                (false, None) => {}
            }
        }
        let hundred = BigDecimal::from(100);
        match &amount {
            None if creating => v.error(field, "is required"),
            None => {}
            Some(value) if catalog == Catalog::Taxes && *value > hundred => v.error(field, "must be between 0 and 100"),
            Some(value) => v.decimal(field, Some(&value.normalized()), scale, &BigDecimal::from(0), 12),
        }
        v.finish()?;
        Ok(CatalogWrite { name, amount })
    }
}

/// A failed write as the client sees it: a taken name is 409 naming `name`, a catalog item still
/// on a line is 409.
fn write_error(catalog: Catalog, error: DieselError) -> Error {
    match &error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            Error::conflict("name", format!("a {} with this name exists", catalog.noun()))
        }
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => Error::Conflict {
            detail: format!("this {} is still used by a work order or estimate line", catalog.noun()),
            field: None,
        },
        _ => error.into(),
    }
}

/// 404 for a missing item.
fn missing(catalog: Catalog) -> Error {
    Error::NotFound(format!("{} not found", catalog.noun()))
}

/// One page of `catalog`, by name, filtered by `search` on the name.
pub async fn list(
    conn: &mut AsyncPgConnection,
    catalog: Catalog,
    page: &PageRequest,
) -> Result<Page<CatalogItem>, Error> {
    let (table, ..) = catalog.describe();
    let filter = "($1::text IS NULL OR name ILIKE $1)";
    let total = diesel::sql_query(format!("SELECT count(*) AS count FROM {table} WHERE {filter}"))
        .bind::<Nullable<Text>, _>(page.search_pattern())
        .get_result::<Count>(conn)
        .await?
        .count;
    let query =
        format!("SELECT {} FROM {table} WHERE {filter} ORDER BY lower(name), id LIMIT $2 OFFSET $3", catalog.columns());
    let rows: Vec<CatalogRow> = diesel::sql_query(query)
        .bind::<Nullable<Text>, _>(page.search_pattern())
        .bind::<BigInt, _>(page.limit)
        .bind::<BigInt, _>(page.offset())
        .load(conn)
        .await?;
    let items = rows.into_iter().map(|row| CatalogItem::new(catalog, row)).collect();
    Ok(Page { items, total, page: page.page, limit: page.limit })
}

/// One item; 404 when missing.
pub async fn get(conn: &mut AsyncPgConnection, catalog: Catalog, id: Uuid) -> Result<CatalogItem, Error> {
    let (table, ..) = catalog.describe();
    let query = format!("SELECT {} FROM {table} WHERE id = $1", catalog.columns());
    let row: Option<CatalogRow> =
        diesel::OptionalExtension::optional(diesel::sql_query(query).bind::<SqlUuid, _>(id).get_result(conn).await)?;
    row.map(|row| CatalogItem::new(catalog, row)).ok_or_else(|| missing(catalog))
}

/// Adds an item (validated for creation: both fields present).
pub async fn create(conn: &mut AsyncPgConnection, catalog: Catalog, write: CatalogWrite) -> Result<CatalogItem, Error> {
    let (table, column, ..) = catalog.describe();
    let query = format!("INSERT INTO {table} (id, name, {column}) VALUES ($1, $2, $3) RETURNING {}", catalog.columns());
    let row: CatalogRow = diesel::sql_query(query)
        .bind::<SqlUuid, _>(Uuid::new_v4())
        .bind::<Nullable<Text>, _>(write.name)
        .bind::<Nullable<Numeric>, _>(write.amount)
        .get_result(conn)
        .await
        .map_err(|e| write_error(catalog, e))?;
    Ok(CatalogItem::new(catalog, row))
}

/// Changes the given fields of an item; 404 when missing.
pub async fn update(
    conn: &mut AsyncPgConnection,
    catalog: Catalog,
    id: Uuid,
    write: CatalogWrite,
) -> Result<CatalogItem, Error> {
    let (table, column, ..) = catalog.describe();
    let query = format!(
        "UPDATE {table} SET name = coalesce($2, name), {column} = coalesce($3, {column}), updated_at = now() \
         WHERE id = $1 RETURNING {}",
        catalog.columns()
    );
    let row: Option<CatalogRow> = diesel::OptionalExtension::optional(
        diesel::sql_query(query)
            .bind::<SqlUuid, _>(id)
            .bind::<Nullable<Text>, _>(write.name)
            .bind::<Nullable<Numeric>, _>(write.amount)
            .get_result(conn)
            .await,
    )
    .map_err(|e| write_error(catalog, e))?;
    row.map(|row| CatalogItem::new(catalog, row)).ok_or_else(|| missing(catalog))
}

/// Deletes an item; 404 when missing, 409 while a line uses it.
pub async fn delete(conn: &mut AsyncPgConnection, catalog: Catalog, id: Uuid) -> Result<(), Error> {
    let (table, ..) = catalog.describe();
    let deleted = diesel::sql_query(format!("DELETE FROM {table} WHERE id = $1"))
        .bind::<SqlUuid, _>(id)
        .execute(conn)
        .await
        .map_err(|e| write_error(catalog, e))?;
    if deleted == 0 {
        return Err(missing(catalog));
    }
    Ok(())
}
