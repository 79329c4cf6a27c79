//! The application layer: the hub's use cases. Route handlers parse a request, call one of these
//! and render the answer; these check what the caller may do, run the domain's rules and store the
//! outcome. Nothing here knows about HTTP requests or responses beyond the problem type.
//!
//! - [`claims`]: submit a claim, read it, list claims, its history, and record any change of a
//!   claim (the one path every change takes to storage);
//! - [`actions`]: perform a lifecycle action, answer a transfer offer;
//! - [`attachments`]: upload, list and download files;
//! - [`transfers`]: transfer offers, and the operator's bulk transfers;
//! - [`calendar`]: the bank-holiday calendar in use, and changing it;
//! - [`registration`]: organisations and their API clients;
//! - [`credentials`]: tokens for client credentials, and secret rotation;
//! - [`events`]: reading the event feed;
//! - [`documents`]: printing a claim's documents;
//! - [`sandbox`]: moving the sandbox clock;
//! - [`health`]: readiness and metrics;
//! - [`data_protection`]: the duties towards the people claims are about (exports).

pub mod actions;
pub mod attachments;
pub mod calendar;
pub mod claims;
pub mod credentials;
pub mod data_protection;
pub mod documents;
pub mod events;
pub mod health;
pub mod registration;
pub mod sandbox;
pub mod statistics;
pub mod transfers;
