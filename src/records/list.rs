//! The list request every record module answers: `page`, `limit`, `search`, `sort`, `ownerId`
//! and the module's own filters, validated with field-named errors and turned into SQL.

use diesel::dsl::sql;
use diesel::sql_types::{Bool, Text, Uuid as SqlUuid};
use std::collections::HashMap;
use uuid::Uuid;

use super::Listing;
use crate::access::{Action, Scope};
use crate::db::Condition;
use crate::error::Error;
use crate::http::page::{ListQuery, PageRequest};
use crate::http::validate::Validator;

/// A module's list filter: a query parameter compared for equality with a column.
#[derive(Debug, Clone, Copy)]
pub enum Filter {
    /// A uuid column (`accountId` → `account_id`).
    Id { param: &'static str, column: &'static str },
    /// A text column holding one of `values`.
    Choice { param: &'static str, column: &'static str, values: &'static [&'static str] },
    /// `true` keeps the records satisfying the SQL condition `sql`, `false` the others.
    Flag { param: &'static str, sql: &'static str },
}

/// Every module can be filtered by owner.
const OWNER: Filter = Filter::Id { param: "ownerId", column: "owner_id" };

/// A bound filter value.
#[derive(Debug, Clone)]
enum Value {
    Id(Uuid),
    Text(String),
    /// The condition holds (`true`) or not (`false`).
    Holds(bool),
}

/// A validated list request.
#[derive(Debug, Clone)]
pub struct RecordList {
    pub page: PageRequest,
    /// (column or SQL condition, value)
    filters: Vec<(&'static str, Value)>,
    order: String,
}

impl RecordList {
    /// Validates the raw query parameters for module `K`; unknown parameters are ignored.
    pub fn parse<K: Listing>(mut raw: HashMap<String, String>) -> Result<Self, Error> {
        let page = PageRequest::try_from(ListQuery {
            page: raw.remove("page"),
            limit: raw.remove("limit"),
            search: raw.remove("search"),
        });
        let mut v = Validator::default();
        let mut filters = Vec::new();
        for filter in std::iter::once(&OWNER).chain(K::FILTERS) {
            match *filter {
                Filter::Id { param, column } => {
                    if let Some(text) = raw.get(param) {
                        match Uuid::parse_str(text.trim()) {
                            Ok(id) => filters.push((column, Value::Id(id))),
                            Err(_) => v.error(param, "must be a uuid"),
                        }
                    }
                }
                Filter::Choice { param, column, values } => {
                    if let Some(text) = raw.get(param) {
                        match values.iter().find(|value| **value == text.trim()) {
                            Some(value) => filters.push((column, Value::Text(value.to_string()))),
                            None => v.error(param, format!("must be one of: {}", values.join(", "))),
                        }
                    }
                }
                Filter::Flag { param, sql } => match raw.get(param).map(|text| text.trim()) {
                    Some("true") => filters.push((sql, Value::Holds(true))),
                    Some("false") => filters.push((sql, Value::Holds(false))),
                    Some(_) => v.error(param, "must be true or false"),
                    None => {}
                },
            }
        }
        let sort = raw.remove("sort").unwrap_or_else(|| K::SORTS[0].0.to_string());
        let (direction, name) = match sort.trim().strip_prefix('-') {
            Some(name) => ("DESC", name.to_string()),
            None => ("ASC", sort.trim().to_string()),
        };
        let column = K::SORTS.iter().find(|(param, _)| *param == name).map(|(_, column)| *column);
        if column.is_none() {
            let names: Vec<_> = K::SORTS.iter().map(|(param, _)| *param).collect();
            v.error("sort", format!("must be one of {} (prefix - for descending)", names.join(", ")));
        }
        let page = match (page, v.finish()) {
            (Ok(page), Ok(())) => page,
            (Err(Error::Invalid(mut first)), Err(Error::Invalid(rest))) => {
                first.extend(rest);
                return Err(Error::Invalid(first));
            }
            (Err(error), _) | (_, Err(error)) => return Err(error),
        };
        // The column comes from the allow-list above, never from the client.
        let column = column.unwrap_or("id");
        let order = if page.search.is_some() {
            // A row value sorts the same but no index provides it: the planner then finds the
            // (few) matches through the trigram index and sorts them, instead of walking a sort
            // index and filtering most of the table, which it prefers when it overestimates
            // the matches (and always under a window count).
            format!("ROW({column}, id) {direction}")
        } else {
            format!("{column} {direction}, id {direction}")
        };
        Ok(Self { page, filters, order })
    }

    /// How the page is read: `ORDER BY` text and whether the total comes in the same statement
    /// (`count(*) OVER ()`). A search reads its matches once, sorted; a list without one walks
    /// the sort index for the page and counts separately.
    pub fn plan(&self) -> (&str, bool) {
        (&self.order, self.page.search.is_some())
    }

    /// The SQL conditions of this request for a caller with `scope`: visibility, filters, search.
    pub fn conditions<K: Listing>(&self, scope: &Scope) -> Result<impl Fn() -> Vec<Condition<K::Table>>, Error> {
        let grant = scope.require(K::MODULE, Action::Read)?;
        let scope = scope.clone();
        let list = self.clone();
        Ok(move || {
            let mut conditions: Vec<Condition<K::Table>> = K::always();
            conditions.extend(K::readable(&scope, grant));
            // Columns and conditions come from the module's constants, values are bound.
            for (column, value) in &list.filters {
                conditions.push(match value {
                    Value::Id(id) => Box::new(sql::<Bool>(&format!("{column} = ")).bind::<SqlUuid, _>(*id)),
                    Value::Text(text) => Box::new(sql::<Bool>(&format!("{column} = ")).bind::<Text, _>(text.clone())),
                    Value::Holds(true) => Box::new(sql::<Bool>(&format!("({column})"))),
                    Value::Holds(false) => Box::new(sql::<Bool>(&format!("NOT ({column})"))),
                });
            }
            if let Some(pattern) = list.page.search_pattern() {
                conditions.push(Box::new(sql::<Bool>(&format!("({}) ILIKE ", K::SEARCH)).bind::<Text, _>(pattern)));
            }
            conditions
        })
    }
}
