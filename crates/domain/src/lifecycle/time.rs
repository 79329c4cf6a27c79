//! What the passing of time does to a claim: reminders, missed deadlines and their
//! consequences, and recounting deadlines after a calendar change. Applied by the hub, as a
//! change attributed to the system.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::change::{Change, Transition, finish};
use super::deadline::{DeadlineName, DeadlineStatus};
use super::small_claims;
use super::state::{ExitReason, ExitedBy};
use crate::calendar::Calendar;
use crate::claim::Claim;
use crate::claim_status::ClaimStatus;
use crate::claim_type::Track;
use crate::events::{AuditAction, EventType};

/// What a passed deadline does to the claim.
enum Consequence {
    Exit(ExitReason),
    NoAgreement,
    /// Small-claims track: no liability response in time is an admission.
    DeemedAdmission,
    /// Small-claims track: a proposed removal nobody objected to.
    Removed,
}

/// What time has brought by `now`: reminders, missed deadlines and their consequences, as one
/// change by the system. `None` when nothing is due.
pub fn advance_time(claim: &Claim, now: DateTime<Utc>) -> Option<Transition> {
    let status = claim.status;
    let small = claim.claim_type.track() == Track::SmallClaims;
    if claim.lifecycle.next_due_at().is_none_or(|due| due > now) {
        return None;
    }
    let mut next = claim.clone();
    next.version += 1;
    next.updated_at = now;
    let mut events = Vec::new();
    let mut consequence = None;
    {
        let mut change = Change { claim: &mut next, events: &mut events, now };
        let mut notices = Vec::new();
        for deadline in change.claim.lifecycle.deadlines.iter_mut().filter(|d| d.is_open()) {
            for reminder in deadline.reminders.iter_mut().filter(|r| !r.sent && r.at <= now) {
                reminder.sent = true;
                if deadline.due_at > now {
                    notices.push((
                        EventType::DeadlineApproaching,
                        json!({
                            "deadline": deadline.name, "party": deadline.party, "due_date": deadline.due_date,
                            "due_at": deadline.due_at, "business_days_left": reminder.business_days_before,
                        }),
                    ));
                }
            }
            if deadline.due_at <= now {
                deadline.status = DeadlineStatus::Missed;
                notices.push((
                    EventType::DeadlineMissed,
                    json!({ "deadline": deadline.name, "party": deadline.party, "due_date": deadline.due_date, "due_at": deadline.due_at }),
                ));
                consequence = consequence.or(match deadline.name {
                    DeadlineName::LiabilityDecision if small => Some(Consequence::DeemedAdmission),
                    DeadlineName::RemovalObjection if small => Some(Consequence::Removed),
                    // Late offers and answers on the small-claims track are only reported.
                    _ if small => None,
                    DeadlineName::LiabilityDecision => {
                        Some(Consequence::Exit(ExitReason::LiabilityResponseLate))
                    }
                    DeadlineName::InitialConsideration if status == ClaimStatus::SettlementPackSent => {
                        Some(Consequence::Exit(ExitReason::SettlementPackResponseLate))
                    }
                    DeadlineName::TotalConsideration | DeadlineName::FurtherConsideration
                        if status == ClaimStatus::Negotiating =>
                    {
                        Some(Consequence::NoAgreement)
                    }
                    _ => None,
                });
            }
        }
        for (event_type, data) in notices {
            change.event(event_type, data);
        }
        if small && !status.is_terminal() && change.claim.lifecycle.dormant_at.is_some_and(|at| at <= now) {
            change.claim.lifecycle.dormant_at = None;
            change.claim.lifecycle.dormant_since = Some(now);
            change.event(
                EventType::Dormant,
                json!({ "quiet_days": small_claims::periods::DORMANT_AFTER_DAYS }),
            );
        }
        match consequence {
            Some(Consequence::Exit(reason)) => change.exit(reason, None, ExitedBy::System),
            Some(Consequence::NoAgreement) => {
                change.claim.status = ClaimStatus::NoAgreement;
                change.close_deadlines_named(
                    &[
                        DeadlineName::InitialConsideration,
                        DeadlineName::TotalConsideration,
                        DeadlineName::FurtherConsideration,
                    ],
                    DeadlineStatus::Cancelled,
                );
                change.event(EventType::NoAgreement, json!({}));
            }
            Some(Consequence::DeemedAdmission) => small_claims::liability::deem_admitted(&mut change),
            Some(Consequence::Removed) => {
                change.claim.status = ClaimStatus::Withdrawn;
                change.claim.lifecycle.withdrawn_at = Some(now);
                change.close_deadlines(DeadlineStatus::Cancelled);
                change.event(EventType::Withdrawn, json!({ "by": "system", "cause": "removal_not_opposed" }));
            }
            None => {}
        }
        if change.claim.status.is_terminal() {
            change.claim.lifecycle.dormant_at = None;
        }
    }
    Some(finish(next, events, AuditAction::TimePassed))
}

/// Recounts every open deadline on `calendar`; `None` when no due date moved.
pub fn recompute_deadlines(claim: &Claim, calendar: &Calendar, now: DateTime<Utc>) -> Option<Transition> {
    let mut next = claim.clone();
    let mut events = Vec::new();
    {
        let mut change = Change { claim: &mut next, events: &mut events, now };
        let names: Vec<_> = change
            .claim
            .lifecycle
            .deadlines
            .iter()
            .filter(|d| d.is_open())
            .map(|d| (d.name, d.business_days))
            .collect();
        for (name, days) in names {
            change.repoint(name, days, calendar, "calendar");
        }
    }
    if events.is_empty() {
        return None;
    }
    next.version += 1;
    next.updated_at = now;
    Some(finish(next, events, AuditAction::DeadlinesRecomputed))
}
