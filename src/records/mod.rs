//! The record machinery every domain shares: an owned record whose owner decides who reads it
//! (`crate::access`), with create/read/update/delete, a filtered and sorted list, and bulk
//! update/delete. A module describes itself with [`RecordStore`] (its table, written by
//! [`record_store!`]), [`Listing`] (how it is read), [`Rules`] (its bodies) and [`RecordKind`]
//! (where its routes live and what they answer); the messages, routes and OpenAPI paths here are
//! generic over it, so every module is mounted the same way. [`OperationHooks`] adds what the
//! shared create/update/delete operations need: CRM contacts, accounts, leads and deals use them
//! as they are; desk tickets, work orders and estimates answer the same messages with handlers of
//! their own (activity log, SLA clock, priced lines) on the same store, listing and read rule.

pub mod audited;
pub mod docs;
pub mod list;
pub mod messages;
pub mod operations;
pub mod references;
pub mod routes;
pub mod store;

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt::Debug;
use std::marker::PhantomData;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access::{Grant, Module, Scope};
use crate::db::Condition;
use crate::error::Error;
use crate::http::body::{Intent, Validate, RECORD_READ_ONLY};
pub use list::Filter;

/// How a module's records are stored. Implemented by [`record_store!`] for one table.
// The futures run on the CRM actor's single thread, so they need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait RecordStore: Sized + Send + 'static {
    /// The diesel table.
    type Table: Send + 'static;
    /// A record as stored and listed.
    type Row: Serialize + ToSchema + Debug + Send + 'static;
    /// A validated create/update body: `None` leaves a column alone, `Some(None)` clears it.
    type Changes: DeserializeOwned + ToSchema + Clone + Default + PartialEq + Debug + Send + 'static;

    /// The record's id.
    fn id(row: &Self::Row) -> Uuid;

    /// The record's owner.
    fn owner(row: &Self::Row) -> Uuid;

    /// The owner a write asks for.
    fn owner_field(changes: &mut Self::Changes) -> &mut Option<Uuid>;

    /// The SQL form of the read rule (`crate::access::visibility`) on this table: the records
    /// `scope` may read with `grant`; `None` when everything is readable.
    fn readable(scope: &Scope, grant: Grant) -> Option<Condition<Self::Table>>;

    /// The record with this id if it satisfies `visible` (`None`: any).
    async fn find(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        visible: Option<Condition<Self::Table>>,
    ) -> QueryResult<Option<Self::Row>>;

    /// Locks the record's row until the transaction ends (no-op when it does not exist).
    async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()>;

    /// Inserts a record (its owner set in `changes`) written by `author`.
    async fn insert(conn: &mut AsyncPgConnection, changes: &Self::Changes, author: Uuid) -> QueryResult<Self::Row>;

    /// Applies `changes` and stamps `author` and the time.
    async fn update(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        changes: &Self::Changes,
        author: Uuid,
    ) -> QueryResult<Self::Row>;

    /// Deletes the record; answers how many rows went.
    async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize>;

    /// The number of records satisfying every condition.
    async fn count(conn: &mut AsyncPgConnection, conditions: Vec<Condition<Self::Table>>) -> QueryResult<i64>;

    /// The number of records satisfying every condition, and one page of them in `order`;
    /// `counted_in_page` reads the total in the page's statement (`count(*) OVER ()`).
    async fn page(
        conn: &mut AsyncPgConnection,
        conditions: impl Fn() -> Vec<Condition<Self::Table>>,
        order: &str,
        counted_in_page: bool,
        limit: i64,
        offset: i64,
    ) -> QueryResult<(i64, Vec<Self::Row>)>;
}

/// How a module's records are listed: its grants, search, sorts and filters (used by
/// [`list::RecordList`] and [`operations::list`]).
pub trait Listing: RecordStore {
    /// The module profiles grant actions on.
    const MODULE: Module;
    /// One record, for messages: "contact".
    const NOUN: &'static str;
    /// The SQL text `search` matches, written exactly as the table's trigram index.
    const SEARCH: &'static str;
    /// Sortable fields: (query name, column); the first is the default.
    const SORTS: &'static [(&'static str, &'static str)];
    /// The module's list filters besides `ownerId`.
    const FILTERS: &'static [Filter];

    /// Conditions every list of the module has (for example: not deleted).
    fn always() -> Vec<Condition<Self::Table>> {
        Vec::new()
    }
}

/// A module's rules for the bodies that create and change its records.
pub trait Rules: RecordStore {
    /// Fields of the record a client may send back from what it read although no write sets
    /// them: dropped from bodies (see [`crate::http::body`]).
    const READ_ONLY: &'static [&'static str] = RECORD_READ_ONLY;

    /// Trims and checks every field, collecting all errors; `creating` makes required fields required.
    fn validate(changes: &mut Self::Changes, creating: bool) -> Result<(), Error>;
}

/// The body of a create (`POST`) or change (`PATCH`) of a record of `K`, checked by `K`'s [`Rules`].
#[derive(Debug)]
pub struct RecordBody<K: Rules>(K::Changes, PhantomData<K>);

impl<'de, K: Rules> Deserialize<'de> for RecordBody<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        K::Changes::deserialize(deserializer).map(|changes| Self(changes, PhantomData))
    }
}

impl<K: Rules> Validate for RecordBody<K> {
    type Valid = K::Changes;
    const READ_ONLY: &'static [&'static str] = K::READ_ONLY;

    fn validate(self, intent: &Intent) -> Result<K::Changes, Error> {
        let mut changes = self.0;
        K::validate(&mut changes, intent.creating())?;
        Ok(changes)
    }
}

/// A record module as its routes, messages and OpenAPI paths see it (mounted by
/// [`routes::mount`], described by [`docs::add`]): where it lives and what it answers.
pub trait RecordKind: Listing + Rules {
    /// The domain whose path the module's routes are under (`crm`).
    const DOMAIN: &'static str;
    /// The path segment under `/{DOMAIN}` (`contacts`, `work-orders`).
    const PATH: &'static str;
    /// One item of a list.
    type Listed: Serialize + ToSchema + Send + 'static;
    /// What `GET /{id}` shows.
    type Shown: Serialize + ToSchema + Send + 'static;
    /// What a create or an update answers.
    type Saved: Serialize + ToSchema + Send + 'static;
}

/// The rules a module adds to the shared create/update/delete operations ([`operations`]), for a
/// module whose domain actor runs them (the CRM's); a module whose writes do more (desk tickets and
/// documents) writes its handlers itself on the same store.
#[allow(async_fn_in_trait)]
pub trait OperationHooks: RecordKind {
    /// Unique constraints and the field each conflict names.
    const UNIQUE: &'static [(&'static str, &'static str)];

    /// Checks that need the database (references the caller must see, cycles, derived fields),
    /// run before the write (inside its transaction for updates); `existing` is the record
    /// being updated.
    async fn check(
        conn: &mut AsyncPgConnection,
        scope: &Scope,
        changes: &mut Self::Changes,
        existing: Option<&Self::Row>,
    ) -> Result<(), Error>;

    /// The record as `GET /{id}` shows it to `scope`.
    async fn show(conn: &mut AsyncPgConnection, scope: &Scope, row: Self::Row) -> Result<Self::Shown, Error>;

    /// Deletes a visible record the caller may delete; `cascade` asks to take its dependants along.
    async fn remove(
        conn: &mut AsyncPgConnection,
        _scope: &Scope,
        row: &Self::Row,
        _cascade: bool,
    ) -> Result<(), Error> {
        let id = Self::id(row);
        store::delete::<Self>(conn, id).await
    }
}
