//! The claim lifecycle as a pure state machine.
//!
//! [`apply`] takes a claim, the acting party, an action, the facts the hub looked up, the
//! calendar and the time, and returns the changed claim with the events to send — or a typed
//! error. [`advance_time`] applies what the passage of time brings (reminders, missed deadlines
//! and their consequences); [`recompute_deadlines`] recounts deadlines after a calendar change.
//! Nothing here reads a clock or a database.
//!
//! The modules, leaves first: `action`, `state` and `deadline` (the data), `change` (the builder
//! every step writes through, its transitions and refusals), `permissions` (who may do what,
//! when), the stages (`stage1`, `interim`, `negotiation`, with `exit` and `transfer` for what can
//! happen at any stage), `small_claims` (the `oic_rta` track: its own table and steps, on the
//! same builder), `time` (what passing deadlines do), and `machine`, the dispatcher. Each
//! imports only modules listed before it.

pub mod action;
mod change;
pub mod deadline;
pub mod erasure;
mod exit;
mod interim;
mod machine;
mod negotiation;
mod permissions;
mod small_claims;
mod stage1;
pub mod state;
mod time;
pub mod transfer;

pub use change::{ActionError, DomainEvent, Facts, TransferNote, TransferOutcome, Transition, recipients};
pub use exit::{ExitWindow, WindowStatus, exit_windows};
pub use machine::apply;
pub use permissions::allowed_actions;
pub use small_claims::periods::PeriodOverrides;
pub use stage1::new_lifecycle;
pub use time::{advance_time, recompute_deadlines};
pub use transfer::{BulkPlan, BulkSkip, answer_transfer, plan_bulk_transfer};

#[cfg(test)]
mod small_claims_tests;
#[cfg(test)]
mod tests;
