//! PostgreSQL access: the diesel-async pool, database creation and embedded migrations.

use diesel::expression::BoxableExpression;
use diesel::pg::Pg;
use diesel::sql_types::{Bool, Text};
use diesel::QueryableByName;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::DatabaseConfig;

/// The migrations in `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Serializes migrations across nodes (an arbitrary, fixed advisory lock key).
const MIGRATION_LOCK: &str = "SELECT pg_advisory_lock(7426011)";

/// The node's connection pool.
pub type DbPool = Pool<AsyncPgConnection>;
/// A connection checked out of the pool.
pub type DbConn = Object<AsyncPgConnection>;

/// Builds the pool; connections are opened lazily.
pub fn pool(config: &DatabaseConfig) -> anyhow::Result<DbPool> {
    // Fast recycling skips the `SELECT 1` the default runs on every checkout (a second round
    // trip per request); connections that broke are still detected and dropped.
    let mut manager_config = ManagerConfig::default();
    manager_config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(&config.url, manager_config);
    Ok(Pool::builder(manager)
        .max_size(config.pool_size)
        .runtime(deadpool::Runtime::Tokio1)
        .wait_timeout(Some(config.acquire_timeout))
        .create_timeout(Some(config.acquire_timeout))
        .build()?)
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Text)]
    datname: String,
}

/// Creates the database named in `url` if it does not exist, through the `postgres` database
/// of the same server. Safe to race with other nodes doing the same.
pub async fn create_database_if_missing(url: &str) -> anyhow::Result<()> {
    let mut parsed = url::Url::parse(url)?;
    let name = parsed.path().trim_start_matches('/').to_string();
    parsed.set_path("/postgres");
    let mut conn = AsyncPgConnection::establish(parsed.as_str()).await?;
    let found: Vec<Exists> = diesel::sql_query("SELECT datname::text AS datname FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(&name)
        .load(&mut conn)
        .await?;
    if found.iter().any(|row| row.datname == name) {
        return Ok(());
    }
    let create = format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\""));
    match diesel::sql_query(create).execute(&mut conn).await {
        Ok(_) => {
            tracing::info!(database = %name, "created database");
            Ok(())
        }
        // Another node created it between our check and our CREATE.
        Err(diesel::result::Error::DatabaseError(_, info)) if info.message().contains("already exists") => Ok(()),
        Err(other) => Err(other.into()),
    }
}

/// Creates the database if needed and applies pending embedded migrations.
pub async fn migrate(url: &str) -> anyhow::Result<()> {
    create_database_if_missing(url).await?;
    let url = url.to_string();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        use diesel::Connection;
        let mut conn = <AsyncConnectionWrapper<AsyncPgConnection> as Connection>::establish(&url)?;
        // Nodes starting together take turns; the lock ends with the session.
        diesel::RunQueryDsl::execute(diesel::sql_query(MIGRATION_LOCK), &mut conn)?;
        let applied =
            conn.run_pending_migrations(MIGRATIONS).map_err(|e| anyhow::anyhow!("running migrations: {e}"))?;
        for version in applied {
            tracing::info!(%version, "applied migration");
        }
        Ok(())
    })
    .await?
}

/// A boolean SQL condition usable in a boxed query on any table `T`.
pub type Condition<T> = Box<dyn BoxableExpression<T, Pg, SqlType = Bool>>;

/// `(name || ' ' || email || ' ' || work_id) ILIKE pattern`: the people search of the user
/// tables, written exactly as their trigram indexes are, so the indexes serve it.
pub fn person_search<T: 'static>(pattern: String) -> Condition<T> {
    Box::new(diesel::dsl::sql::<Bool>("(name || ' ' || email || ' ' || work_id) ILIKE ").bind::<Text, _>(pattern))
}

/// Checks that a pooled connection answers `SELECT 1`.
pub async fn ping(pool: &DbPool) -> Result<(), crate::error::Error> {
    let mut conn = pool.get().await?;
    diesel::sql_query("SELECT 1").execute(&mut conn).await?;
    Ok(())
}

/// Runs `work` in a transaction on this connection: committed when it succeeds, rolled back
/// when it fails. Unlike `AsyncConnection::transaction` the work need not be `Send` (actor
/// handlers run on one thread and hold boxed SQL conditions).
pub async fn atomically<T>(
    conn: &mut AsyncPgConnection,
    work: impl AsyncFnOnce(&mut AsyncPgConnection) -> Result<T, crate::error::Error>,
) -> Result<T, crate::error::Error> {
    use diesel_async::{AnsiTransactionManager, TransactionManager};
    AnsiTransactionManager::begin_transaction(conn).await?;
    match work(conn).await {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(conn).await?;
            Ok(value)
        }
        Err(error) => {
            // A failed rollback leaves the connection marked broken; the pool then drops it.
            if let Err(rollback) = AnsiTransactionManager::rollback_transaction(conn).await {
                tracing::warn!(%rollback, "rollback failed");
            }
            Err(error)
        }
    }
}
