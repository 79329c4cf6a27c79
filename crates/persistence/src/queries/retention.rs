//! Purging: claims whose retention period has passed lose every personal field, their form,
//! lifecycle, attachments and data-subject requests; the row stays as an anonymous tombstone.

use chrono::{DateTime, NaiveDate, Utc};
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::ClaimType;
use claims_domain::ids::ClaimId;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use crate::error::StoreError;
use crate::models::{parse_code, parse_word};
use crate::records::Tombstone;
use crate::schema::{attachments, claims, data_subject_requests, organisations};
use crate::sql_types::{DbInstant, DbJson, DbUuid};

/// The codes of the organisations on legal hold at `now` (a hold with no end lasts until lifted).
fn held(now: DbInstant) -> organisations::BoxedQuery<'static, super::Db, diesel::sql_types::Text> {
    organisations::table
        .filter(organisations::legal_hold)
        .filter(organisations::legal_hold_until.is_null().or(organisations::legal_hold_until.gt(now)))
        .select(organisations::code)
        .into_boxed()
}

/// Places an organisation on legal hold until `until`, or lifts its hold (`None`); whether the
/// organisation exists.
pub(crate) async fn set_legal_hold(
    conn: &mut Conn,
    code: &str,
    until: Option<DateTime<Utc>>,
) -> Result<bool, StoreError> {
    let changed = diesel::update(organisations::table.find(code))
        .set((
            organisations::legal_hold.eq(until.is_some()),
            organisations::legal_hold_until.eq(until.map(DbInstant::from)),
        ))
        .execute(conn)
        .await?;
    Ok(changed == 1)
}

/// The legal hold in force at `now` on any of these organisations: `None` if there is none,
/// `Some(None)` for a hold without an end, else the latest end.
pub(crate) async fn legal_hold_of(
    conn: &mut Conn,
    codes: &[String],
    now: DateTime<Utc>,
) -> Result<Option<Option<DateTime<Utc>>>, StoreError> {
    let now = DbInstant::from(now);
    let holds: Vec<Option<DbInstant>> = organisations::table
        .filter(organisations::legal_hold)
        .filter(organisations::legal_hold_until.is_null().or(organisations::legal_hold_until.gt(now)))
        .filter(organisations::code.eq_any(codes))
        .select(organisations::legal_hold_until)
        .load(conn)
        .await?;
    if holds.is_empty() {
        return Ok(None);
    }
    if holds.iter().any(Option::is_none) {
        return Ok(Some(None));
    }
    Ok(Some(holds.into_iter().flatten().map(|until| until.0).max()))
}

/// Claims due for purging by `now`, oldest due first.
pub(crate) async fn purgeable_claims(
    conn: &mut Conn,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<ClaimId>, StoreError> {
    let rows: Vec<DbUuid> = claims::table
        .filter(claims::purged_at.is_null())
        .filter(claims::purge_at.le(DbInstant::from(now)))
        .filter(diesel::dsl::not(claims::claimant_rep_code.eq_any(held(now.into()))))
        .filter(diesel::dsl::not(claims::compensator_code.eq_any(held(now.into()))))
        .order(claims::purge_at.asc())
        .limit(limit)
        .select(claims::id)
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|id| ClaimId::from_uuid(id.0)).collect())
}

/// Purges a claim if it still has `version` (a claim changed meanwhile waits for the next round,
/// with its new purge date); whether it was purged. `facts` are the anonymous facts kept.
pub(crate) async fn purge_claim(
    conn: &mut Conn,
    id: ClaimId,
    version: i64,
    facts: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let key = DbUuid(id.as_uuid());
    let empty = DbJson(serde_json::json!({}));
    transaction!(conn, async |conn| {
        let purged = diesel::update(claims::table.find(key))
            .filter(claims::version.eq(version))
            .filter(claims::purged_at.is_null())
            .filter(diesel::dsl::not(claims::claimant_rep_code.eq_any(held(now.into()))))
            .filter(diesel::dsl::not(claims::compensator_code.eq_any(held(now.into()))))
            .set((
                claims::cnf.eq(&empty),
                claims::lifecycle.eq(&empty),
                claims::cr_reference.eq(""),
                claims::cm_reference.eq(None::<String>),
                claims::next_due_at.eq(None::<DbInstant>),
                claims::next_deadline_date.eq(None::<NaiveDate>),
                claims::dormant.eq(false),
                claims::purge_at.eq(None::<DbInstant>),
                claims::purged_at.eq(Some(DbInstant::from(now))),
                claims::tombstone.eq(Some(DbJson(facts.clone()))),
            ))
            .execute(conn)
            .await?;
        if purged == 0 {
            return Ok(false);
        }
        diesel::delete(attachments::table.filter(attachments::claim_id.eq(key))).execute(conn).await?;
        diesel::delete(data_subject_requests::table.filter(data_subject_requests::claim_id.eq(key)))
            .execute(conn)
            .await?;
        Ok(true)
    })
}

/// The columns of a tombstone, as [`tombstone_of`] reads them.
type TombstoneRow = (
    DbUuid,
    String,
    String,
    String,
    String,
    NaiveDate,
    DbInstant,
    DbInstant,
    Option<DbInstant>,
    Option<DbJson>,
);

#[diesel::dsl::auto_type]
fn tombstone_columns() -> _ {
    (
        claims::id,
        claims::claim_type,
        claims::status,
        claims::claimant_rep_code,
        claims::compensator_code,
        claims::notification_date,
        claims::submitted_at,
        claims::updated_at,
        claims::purged_at,
        claims::tombstone,
    )
}

fn tombstone_of(row: TombstoneRow) -> Result<Tombstone, StoreError> {
    let (id, claim_type, status, cr, cm, notified, submitted, updated, purged, facts) = row;
    Ok(Tombstone {
        id: ClaimId::from_uuid(id.0),
        claim_type: parse_word(&claim_type, ClaimType::parse)?,
        final_status: parse_word(&status, ClaimStatus::parse)?,
        claimant_representative: parse_code(&cr)?,
        compensator: parse_code(&cm)?,
        notification_date: notified,
        submitted_at: submitted.0,
        ended_at: updated.0,
        purged_at: purged.map_or(updated.0, |p| p.0),
        facts: facts.map_or(serde_json::Value::Null, |f| f.0),
    })
}

/// The tombstone of a purged claim.
pub(crate) async fn tombstone(conn: &mut Conn, id: ClaimId) -> Result<Option<Tombstone>, StoreError> {
    claims::table
        .find(DbUuid(id.as_uuid()))
        .filter(claims::purged_at.is_not_null())
        .select(tombstone_columns())
        .first::<TombstoneRow>(conn)
        .await
        .optional()?
        .map(tombstone_of)
        .transpose()
}

/// The tombstones of claims an organisation was a party to when they were purged, latest purge
/// first, after `after` (a purge time and claim id), at most `limit`.
pub(crate) async fn tombstones_of(
    conn: &mut Conn,
    organisation: &str,
    after: Option<(DateTime<Utc>, ClaimId)>,
    limit: i64,
) -> Result<Vec<Tombstone>, StoreError> {
    let mut select = claims::table
        .filter(claims::purged_at.is_not_null())
        .filter(claims::claimant_rep_code.eq(organisation).or(claims::compensator_code.eq(organisation)))
        .select(tombstone_columns())
        .into_boxed();
    if let Some((at, id)) = after {
        let at = DbInstant::from(at);
        select = select.filter(
            claims::purged_at.lt(at).or(claims::purged_at.eq(at).and(claims::id.lt(DbUuid(id.as_uuid())))),
        );
    }
    select
        .order((claims::purged_at.desc(), claims::id.desc()))
        .limit(limit)
        .load::<TombstoneRow>(conn)
        .await?
        .into_iter()
        .map(tombstone_of)
        .collect()
}
