//! Connection pools for the two backends and the migrations that set them up.

use std::path::Path;
use std::time::Duration;

use deadpool::Runtime;
use diesel::sqlite::SqliteConnection;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use futures_util::FutureExt;

use crate::error::StoreError;

pub(crate) type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

pub(crate) const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
pub(crate) const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// Settings applied to every SQLite connection: a busy timeout so writers queue rather than fail
/// (first, so that the next settings wait for a lock another process holds too), write-ahead
/// logging so readers do not block the writer, and enforced foreign keys.
const SQLITE_SETUP: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// How many connections to hold and how long one database operation may take.
#[derive(Clone, Copy, Debug)]
pub struct PoolOptions {
    pub max_size: usize,
    /// How long one operation may take, waiting for a free (or new) connection included, before
    /// it fails as unavailable (the hub answers 503).
    pub timeout: Duration,
    /// The same for bulk operations (an operator's bulk transfer).
    pub bulk_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self { max_size: 16, timeout: Duration::from_secs(2), bulk_timeout: Duration::from_secs(120) }
    }
}

#[derive(Clone)]
pub(crate) enum Pools {
    Postgres(Pool<AsyncPgConnection>),
    Sqlite(Pool<SqliteConn>),
}

/// Pool usage, for metrics.
#[derive(Clone, Copy, Debug)]
pub struct PoolUsage {
    pub size: usize,
    pub available: usize,
    pub max_size: usize,
}

/// The hub's database: a pool on PostgreSQL or on an embedded SQLite file. Cheap to clone.
#[derive(Clone)]
pub struct Database {
    pub(crate) pools: Pools,
    url: String,
    pub(crate) timeout: Duration,
    pub(crate) bulk_timeout: Duration,
    /// The retention periods the claims' purge dates are computed with.
    pub(crate) retention: claims_domain::retention::RetentionRules,
}

impl Database {
    /// The same database, with claims' purge dates computed from `rules`.
    pub fn with_retention(mut self, rules: claims_domain::retention::RetentionRules) -> Self {
        self.retention = rules;
        self
    }

    pub fn retention(&self) -> &claims_domain::retention::RetentionRules {
        &self.retention
    }

    /// Opens a pool for `postgres://…` (or `postgresql://…`) or `sqlite://PATH`. No connection is
    /// made until one is needed.
    pub fn connect(url: &str, options: PoolOptions) -> Result<Self, StoreError> {
        let pools = match backend_of(url)? {
            Backend::Postgres => {
                let mut config = ManagerConfig::<AsyncPgConnection>::default();
                // A checked-out connection is not pinged first (the default runs `SELECT 1`
                // every time, a round trip per query): one the server closed is known to be closed
                // and is replaced, and one that does not answer in time is dropped by `dispatch!`
                // (the caller gets a 503).
                config.recycling_method = RecyclingMethod::Fast;
                // The hub stops waiting for a query at its own limit; the server stops working on
                // one abandoned that way at the bulk limit.
                let statement_timeout =
                    format!("SET statement_timeout = {}", options.bulk_timeout.as_millis());
                config.custom_setup = Box::new(move |url| {
                    let statement_timeout = statement_timeout.clone();
                    async move {
                        let mut conn = AsyncPgConnection::establish(url).await?;
                        conn.batch_execute(&statement_timeout)
                            .await
                            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                        Ok(conn)
                    }
                    .boxed()
                });
                let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
                Pools::Postgres(build_pool(manager, options)?)
            }
            Backend::Sqlite => {
                let path = sqlite_path(url)?.to_owned();
                if let Some(parent) = Path::new(&path).parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        StoreError::InvalidUrl(format!("cannot create {}: {e}", parent.display()))
                    })?;
                }
                let mut config = ManagerConfig::<SqliteConn>::default();
                // A local file needs no liveness ping on checkout (and a ping cut short by a
                // timeout would leave a blocking task behind).
                config.recycling_method = RecyclingMethod::Fast;
                config.custom_setup = Box::new(|path| {
                    async move {
                        let mut conn = SqliteConn::establish(path).await?;
                        conn.batch_execute(SQLITE_SETUP)
                            .await
                            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                        Ok(conn)
                    }
                    .boxed()
                });
                let manager = AsyncDieselConnectionManager::<SqliteConn>::new_with_config(path, config);
                Pools::Sqlite(build_pool(manager, options)?)
            }
        };
        Ok(Self {
            pools,
            url: url.to_owned(),
            timeout: options.timeout,
            bulk_timeout: options.bulk_timeout,
            retention: claims_domain::retention::DEFAULT_RULES,
        })
    }

    /// How long one database operation may take before it fails as unavailable.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Postgres(_) => Backend::Postgres,
            Pools::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Applies every embedded migration not yet applied.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let url = self.url.clone();
        let backend = self.backend();
        // Diesel's migration runner is synchronous. On a plain thread (outside any async runtime)
        // the async connection wrapper brings its own small runtime.
        let (sender, receiver) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let _ = sender.send(run_migrations(backend, &url));
        });
        receiver.await.map_err(|_| StoreError::Migration("the migration thread stopped".to_owned()))?
    }

    /// Whether the database answers and every migration is applied.
    pub async fn ready(&self) -> Result<(), StoreError> {
        let expected = match self.backend() {
            Backend::Postgres => migration_count::<diesel::pg::Pg>(&POSTGRES_MIGRATIONS)?,
            Backend::Sqlite => migration_count::<diesel::sqlite::Sqlite>(&SQLITE_MIGRATIONS)?,
        };
        let applied = crate::dispatch!(self, applied_migrations())?;
        if applied >= expected as i64 {
            Ok(())
        } else {
            Err(StoreError::Migration(format!("{applied} of {expected} migrations applied")))
        }
    }

    pub fn pool_usage(&self) -> PoolUsage {
        let status = match &self.pools {
            Pools::Postgres(pool) => pool.status(),
            Pools::Sqlite(pool) => pool.status(),
        };
        PoolUsage { size: status.size, available: status.available, max_size: status.max_size }
    }

    /// Closes every connection; later calls fail.
    pub fn close(&self) {
        match &self.pools {
            Pools::Postgres(pool) => pool.close(),
            Pools::Sqlite(pool) => pool.close(),
        }
    }
}

fn build_pool<C>(
    manager: AsyncDieselConnectionManager<C>,
    options: PoolOptions,
) -> Result<Pool<C>, StoreError>
where
    AsyncDieselConnectionManager<C>: deadpool::managed::Manager<Type = C>,
{
    Pool::builder(manager)
        .max_size(options.max_size)
        .wait_timeout(Some(options.timeout))
        .create_timeout(Some(options.timeout))
        .recycle_timeout(Some(options.timeout))
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|e| StoreError::InvalidUrl(e.to_string()))
}

pub fn backend_of(url: &str) -> Result<Backend, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else if url.starts_with("sqlite://") {
        Ok(Backend::Sqlite)
    } else {
        Err(StoreError::InvalidUrl("expected postgres://… or sqlite://PATH".to_owned()))
    }
}

fn sqlite_path(url: &str) -> Result<&str, StoreError> {
    match url.strip_prefix("sqlite://") {
        Some(path) if !path.is_empty() => Ok(path),
        _ => Err(StoreError::InvalidUrl("sqlite://PATH needs a file path".to_owned())),
    }
}

fn migration_count<DB: diesel::backend::Backend>(
    migrations: &EmbeddedMigrations,
) -> Result<usize, StoreError> {
    diesel::migration::MigrationSource::<DB>::migrations(migrations)
        .map(|list| list.len())
        .map_err(|e| StoreError::Migration(e.to_string()))
}

fn run_migrations(backend: Backend, url: &str) -> Result<(), StoreError> {
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Migration(e.to_string());
    match backend {
        Backend::Postgres => {
            type Wrapper = diesel_async::async_connection_wrapper::AsyncConnectionWrapper<AsyncPgConnection>;
            let mut conn = <Wrapper as diesel::Connection>::establish(url)
                .map_err(|e| StoreError::Unavailable(e.to_string()))?;
            conn.run_pending_migrations(POSTGRES_MIGRATIONS).map_err(failed)?;
        }
        Backend::Sqlite => {
            use diesel::Connection;
            let mut conn = SqliteConnection::establish(sqlite_path(url)?)
                .map_err(|e| StoreError::Unavailable(e.to_string()))?;
            diesel::connection::SimpleConnection::batch_execute(&mut conn, SQLITE_SETUP)?;
            conn.run_pending_migrations(SQLITE_MIGRATIONS).map_err(failed)?;
        }
    }
    Ok(())
}
