//! Storage for Claims Exchange on PostgreSQL (production) or SQLite (the embedded sandbox), with
//! the same queries and embedded migrations for both.

// Each backend module compiles the same query files, on purpose: one query code path, checked
// against both databases.
#[expect(clippy::duplicate_mod, reason = "every query file is compiled once per backend")]
mod backend;
mod db;
mod error;
#[cfg(test)]
mod feed_order_tests;
mod models;
pub mod provisioning;
pub mod records;
mod repository;
mod schema;
#[cfg(test)]
mod schema_drift_tests;
mod sql_types;

pub use db::{Backend, Database, PoolOptions, PoolUsage, backend_of};
pub use error::StoreError;
