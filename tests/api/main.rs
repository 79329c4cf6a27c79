//! HTTP tests of the hub, each run against SQLite and PostgreSQL.

mod support;

mod claims;
mod contract;
mod conventions;
mod data_protection;
mod documents;
mod events;
mod examples;
mod idempotency;
mod input;
mod instances;
mod isolation;
mod lifecycle;
mod operator;
mod outage;
mod sandbox;
mod settlement;
mod small_claims;
mod tokens;
mod transfers;
mod validation;
