//! The `claims-exchange` server binary: configuration, telemetry, commands, sandbox seeding.

pub mod cli;
pub mod config;
pub mod sandbox;
pub mod server;
pub mod telemetry;
