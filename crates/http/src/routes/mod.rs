//! The HTTP endpoints. Each handler carries its own OpenAPI description; `crate::api` registers
//! handler and description together.

pub mod actions;
pub mod admin;
pub mod attachments;
pub mod auth;
pub mod calculations;
pub mod calendar;
pub mod claims;
pub mod data_protection;
pub mod documents;
pub mod events;
pub mod operations;
pub mod organisations;
pub mod transfers;
