//! The shapes of request and response bodies, with their OpenAPI schemas.

pub mod access;
pub mod attachment;
pub mod calculation;
pub mod calendar;
pub mod claim;
pub mod client;
pub mod data_subject;
pub mod event;
pub mod event_data;
pub mod export;
pub mod operations;
pub mod organisation;
pub mod page;
pub mod statistics;
pub mod token;
pub mod transfer;
