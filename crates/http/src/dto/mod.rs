//! The shapes of request and response bodies, with their OpenAPI schemas.

pub mod claim;
pub mod client;
pub mod event;
pub mod organisation;
pub mod page;
