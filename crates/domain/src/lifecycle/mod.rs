//! The claim lifecycle as a pure state machine.
//!
//! [`apply`] takes a claim, the acting party, an action, the facts the hub looked up, the
//! calendar and the time, and returns the changed claim with the events to send — or a typed
//! error. [`advance_time`] applies what the passage of time brings (reminders, missed deadlines
//! and their consequences); [`recompute_deadlines`] recounts deadlines after a calendar change.
//! Nothing here reads a clock or a database.

pub mod action;
pub mod deadline;
mod exit;
mod interim;
mod machine;
mod negotiation;
pub mod state;
pub mod transfer;

pub use exit::{ExitWindow, WindowStatus, exit_windows};
pub use machine::{
    ActionError, DomainEvent, Facts, Transition, advance_time, allowed_actions, apply, new_lifecycle,
    recipients, recompute_deadlines,
};
pub use transfer::{TransferNote, TransferOutcome, answer_transfer};

#[cfg(test)]
mod tests;
