//! Offers of a claim to another representative: their record and who may see them.

use chrono::NaiveDate;
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::ClaimType;
use claims_domain::ids::ClaimId;
use claims_domain::lifecycle::TransferNote;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use crate::error::StoreError;
use crate::models::{TransferOfferRow, parse_code, parse_word};
use crate::records::TransferOfferSummary;
use crate::schema::{claims, transfer_offers};
use crate::sql_types::{DbInstant, DbUuid};

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
