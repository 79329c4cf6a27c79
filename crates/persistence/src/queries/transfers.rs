//! Transfers: offers of a claim to another representative, and bulk transfers.

use chrono::NaiveDate;
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::ClaimType;
use claims_domain::events::{AuditAction, EventType};
use claims_domain::ids::ClaimId;
use claims_domain::lifecycle::TransferNote;
use claims_domain::party::Side;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{Conn, insert_audit_rows, insert_event_rows, insert_recipient_rows};
use crate::error::StoreError;
use crate::models::{NewAuditRow, NewEventRow, RecipientRow, TransferOfferRow, parse_code, parse_word};
use crate::records::{BulkOutcome, BulkTransfer, TransferOfferSummary};
use crate::schema::{claims, transfer_offers};
use crate::sql_types::{DbInstant, DbJson, DbUuid};

/// Records what a claim change did to a transfer offer (in the change's transaction).
pub(crate) async fn write_transfer_note(
    conn: &mut Conn,
    claim_id: ClaimId,
    note: &TransferNote,
    at: DbInstant,
) -> Result<(), StoreError> {
    match note {
        TransferNote::Offered { id, from, to } => {
            diesel::insert_into(transfer_offers::table)
                .values(TransferOfferRow {
                    id: DbUuid(*id),
                    claim_id: DbUuid(claim_id.as_uuid()),
                    from_code: from.to_string(),
                    to_code: to.to_string(),
                    status: "open".to_owned(),
                    offered_at: at,
                    answered_at: None,
                })
                .execute(conn)
                .await?;
        }
        TransferNote::Closed { id, outcome } => {
            diesel::update(transfer_offers::table.find(DbUuid(*id)))
                .set((
                    transfer_offers::status.eq(outcome.as_str()),
                    transfer_offers::answered_at.eq(Some(at)),
                ))
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

/// Transfer offers made to (`incoming`) or by an organisation, newest first, with a summary of
/// each claim.
pub(crate) async fn transfer_offers_of(
    conn: &mut Conn,
    organisation: &str,
    incoming: bool,
    only_open: bool,
) -> Result<Vec<TransferOfferSummary>, StoreError> {
    let mut select = transfer_offers::table
        .inner_join(claims::table)
        .select((
            TransferOfferRow::as_select(),
            claims::claim_type,
            claims::status,
            claims::notification_date,
        ))
        .into_boxed();
    select = if incoming {
        select.filter(transfer_offers::to_code.eq(organisation.to_owned()))
    } else {
        select.filter(transfer_offers::from_code.eq(organisation.to_owned()))
    };
    if only_open {
        select = select.filter(transfer_offers::status.eq("open"));
    }
    let rows: Vec<(TransferOfferRow, String, String, NaiveDate)> =
        select.order(transfer_offers::offered_at.desc()).limit(500).load(conn).await?;
    rows.into_iter()
        .map(|(offer, claim_type, status, notified)| {
            Ok(TransferOfferSummary {
                id: offer.id.0,
                claim_id: ClaimId::from_uuid(offer.claim_id.0),
                from: parse_code(&offer.from_code)?,
                to: parse_code(&offer.to_code)?,
                status: offer.status,
                offered_at: offer.offered_at.0,
                answered_at: offer.answered_at.map(|t| t.0),
                claim_type: parse_word(&claim_type, ClaimType::parse)?,
                claim_status: parse_word(&status, ClaimStatus::parse)?,
                notification_date: notified,
            })
        })
        .collect()
}

/// One transfer offer: `(claim id, receiving organisation, status)`.
pub(crate) async fn transfer_offer(
    conn: &mut Conn,
    id: uuid::Uuid,
) -> Result<Option<(ClaimId, String, String)>, StoreError> {
    Ok(transfer_offers::table
        .find(DbUuid(id))
        .select((transfer_offers::claim_id, transfer_offers::to_code, transfer_offers::status))
        .first::<(DbUuid, String, String)>(conn)
        .await
        .optional()?
        .map(|(claim, to, status)| (ClaimId::from_uuid(claim.0), to, status)))
}

/// Moves claims from one organisation to another of the same kind, all in one transaction:
/// every open claim listed (or every open claim of `from`) moves, with a `claim.transferred` event
/// to the organisation it leaves, the one it joins and the other party, and an audit entry.
/// Deadlines and the claims' creator are untouched.
pub(crate) async fn bulk_transfer(
    conn: &mut Conn,
    transfer: &BulkTransfer,
) -> Result<BulkOutcome, StoreError> {
    let from = transfer.from.to_string();
    let to = transfer.to.to_string();
    let at = DbInstant::from(transfer.at);
    transaction!(conn, async |conn| {
        let mut candidates = claims::table.select((claims::id, claims::status)).into_boxed();
        candidates = match transfer.side {
            Side::ClaimantRepresentative => candidates.filter(claims::claimant_rep_code.eq(from.clone())),
            Side::Compensator => candidates.filter(claims::compensator_code.eq(from.clone())),
        };
        let listed: Option<Vec<DbUuid>> =
            transfer.claim_ids.as_ref().map(|ids| ids.iter().map(|id| DbUuid(id.as_uuid())).collect());
        if let Some(ids) = &listed {
            candidates = candidates.filter(claims::id.eq_any(ids.clone()));
        }
        let found: Vec<(DbUuid, String)> = candidates.load(conn).await?;
        let mut outcome = BulkOutcome::default();
        if let Some(ids) = &listed {
            for id in ids {
                if !found.iter().any(|(candidate, _)| candidate == id) {
                    outcome.skipped.push((ClaimId::from_uuid(id.0), "not_found"));
                }
            }
        }
        let terminal: Vec<&str> =
            ClaimStatus::ALL.iter().filter(|s| s.is_terminal()).map(|s| s.as_str()).collect();
        let mut movable = Vec::new();
        for (id, status) in &found {
            if terminal.contains(&status.as_str()) {
                outcome.skipped.push((ClaimId::from_uuid(id.0), "terminal"));
            } else {
                movable.push(*id);
            }
        }
        // Move them; claims that ended meanwhile stay (the status is checked again here).
        let mut moved: Vec<(DbUuid, i64, String, String)> = Vec::new();
        for chunk in movable.chunks(5_000) {
            let rows: Vec<(DbUuid, i64, String, String)> = match transfer.side {
                Side::ClaimantRepresentative => {
                    diesel::update(claims::table)
                        .filter(claims::id.eq_any(chunk.to_vec()))
                        .filter(claims::claimant_rep_code.eq(from.clone()))
                        .filter(claims::status.ne_all(terminal.clone()))
                        .set((
                            claims::claimant_rep_code.eq(to.clone()),
                            claims::version.eq(claims::version + 1),
                            claims::updated_at.eq(at),
                        ))
                        .returning((claims::id, claims::version, claims::status, claims::compensator_code))
                        .get_results(conn)
                        .await?
                }
                Side::Compensator => {
                    diesel::update(claims::table)
                        .filter(claims::id.eq_any(chunk.to_vec()))
                        .filter(claims::compensator_code.eq(from.clone()))
                        .filter(claims::status.ne_all(terminal.clone()))
                        .set((
                            claims::compensator_code.eq(to.clone()),
                            claims::version.eq(claims::version + 1),
                            claims::updated_at.eq(at),
                        ))
                        .returning((claims::id, claims::version, claims::status, claims::claimant_rep_code))
                        .get_results(conn)
                        .await?
                }
            };
            moved.extend(rows);
        }
        for id in &movable {
            if !moved.iter().any(|(m, ..)| m == id) {
                outcome.skipped.push((ClaimId::from_uuid(id.0), "changed"));
            }
        }
        let actor = &transfer.actor;
        let events: Vec<NewEventRow> = moved
            .iter()
            .map(|(id, version, status, _)| NewEventRow {
                claim_id: *id,
                event_type: EventType::Transferred.as_str().to_owned(),
                occurred_at: at,
                actor_org: actor.organisation.as_ref().map(ToString::to_string),
                actor_client: actor.client_id.clone(),
                acting_user: actor.acting_user.clone(),
                data: DbJson(serde_json::json!({
                    "side": transfer.side, "from": from, "to": to, "at": transfer.at,
                    "status": status, "version": version, "bulk": true,
                })),
            })
            .collect();
        let ids = insert_event_rows(conn, &events).await?;
        let mut recipients = Vec::with_capacity(ids.len() * 3);
        for (event_id, claim) in &ids {
            let other = moved
                .iter()
                .find(|(id, ..)| id == claim)
                .map(|(.., other)| other.clone())
                .unwrap_or_default();
            for code in [from.clone(), to.clone(), other] {
                recipients.push(RecipientRow { organisation_code: code, event_id: *event_id });
            }
        }
        insert_recipient_rows(conn, &recipients).await?;
        let audits: Vec<NewAuditRow> = moved
            .iter()
            .map(|(id, version, status, _)| NewAuditRow {
                claim_id: *id,
                occurred_at: at,
                action: AuditAction::Transferred.as_str().to_owned(),
                actor_org: actor.organisation.as_ref().map(ToString::to_string),
                actor_client: actor.client_id.clone(),
                acting_user: actor.acting_user.clone(),
                detail: DbJson(serde_json::json!({ "from": from, "to": to, "bulk": true, "status": status, "version": version })),
            })
            .collect();
        insert_audit_rows(conn, &audits).await?;
        outcome.moved = moved.iter().map(|(id, ..)| ClaimId::from_uuid(id.0)).collect();
        Ok(outcome)
    })
}
