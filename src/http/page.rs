//! Pagination: `page` (from 1), `limit` (1–100, default 20) and `search`, parsed from the query
//! string with field-named errors, and the `{items, total, page, limit}` answer.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::validate::Validator;
use crate::error::Error;

/// Largest page a list endpoint returns.
pub const MAX_LIMIT: i64 = 100;
const DEFAULT_LIMIT: i64 = 20;

/// The raw list query as the client sent it.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Page number, from 1.
    pub page: Option<String>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<String>,
    /// Case-insensitive substring to search for.
    pub search: Option<String>,
}

/// A validated page request.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub page: i64,
    pub limit: i64,
    /// Non-empty search text, if any.
    pub search: Option<String>,
}

impl PageRequest {
    /// Rows to skip.
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.limit
    }

    /// The search text as an ILIKE pattern with `%`, `_` and `\` escaped.
    pub fn search_pattern(&self) -> Option<String> {
        self.search.as_ref().map(|s| {
            let escaped = s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            format!("%{escaped}%")
        })
    }
}

impl TryFrom<ListQuery> for PageRequest {
    type Error = Error;

    fn try_from(raw: ListQuery) -> Result<Self, Error> {
        let mut v = Validator::default();
        let page = v.integer_in("page", raw.page.as_deref(), 1, i64::MAX / MAX_LIMIT, 1);
        let limit = v.integer_in("limit", raw.limit.as_deref(), 1, MAX_LIMIT, DEFAULT_LIMIT);
        let search = v.optional_text("search", raw.search, 200);
        v.finish()?;
        Ok(Self { page, limit, search })
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
}

impl<T> Page<T> {
    /// Maps the items, keeping the paging fields.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), total: self.total, page: self.page, limit: self.limit }
    }
}
