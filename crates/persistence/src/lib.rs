//! Storage for Claims Exchange on PostgreSQL (production) or SQLite (the embedded sandbox), with
//! the same queries and embedded migrations for both.

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
mod sql_types;

pub use db::{Backend, Database, PoolOptions, PoolUsage, backend_of};
pub use error::StoreError;
