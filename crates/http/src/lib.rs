//! The HTTP face of Claims Exchange: actix-web handlers, authentication, problem+json errors and
//! the OpenAPI document generated from the handlers themselves.

mod api;
pub mod auth;
pub mod calendar_cache;
pub mod clock;
mod context;
mod contract;
pub mod directory;
pub mod documents;
pub mod dto;
pub mod error;
mod examples;
pub mod feed;
mod idempotency;
mod json;
pub mod limits;
pub mod metrics;
mod middleware;
mod routes;
pub mod service;
pub mod state;
pub mod sweeper;

pub use api::{app, openapi, openapi_json};
