//! The small-claims track (`oic_rta`, domain.md §4.4): its permission table, its liability and
//! court steps, its medical evidence and offers, and its periods. It shares the change builder,
//! deadlines, events, withdrawal and transfers with the portal track; the dispatcher
//! (`machine`) and the time module choose it by the claim's track.
//!
//! Leaves first: `periods` (the dated table of periods), `permissions` (who may do what, the court
//! routes open now, the refusals before the table), `liability` (decisions, deemed admission,
//! reassignment, acceptance, court and return), `offers` (medical reports, losses, the tariff
//! valuation, offers, settlement, payment, removal).

pub(super) mod liability;
pub(super) mod offers;
pub mod periods;
pub(super) mod permissions;
