//! The event feed.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use crate::error::StoreError;
use chrono::{DateTime, Utc};

use crate::models::{EventRow, NewEventRow, RecipientRow};
use crate::records::{FeedEvent, OrganisationEvent};
use crate::schema::{claim_events, event_recipients, feed_sequencer};
use crate::sql_types::{DbInstant, DbJson, DbUuid};
use claims_domain::ids::ClaimId;

/// Gives feed positions to every committed event that has none, in one pass under the
/// sequencer row's lock. Events of one pass get `id + offset`, with the offset chosen so that all
/// of them land after every position handed out before: positions therefore become visible in
/// increasing order only, whatever order the writing transactions committed in. Returns the
/// number of events sequenced.
pub(crate) async fn sequence_events(conn: &mut Conn) -> Result<usize, StoreError> {
    // Most passes (every feed read runs one) find nothing to do: look first, through the partial
    // index of unsequenced events, before taking the sequencer's lock in a write transaction. An
    // event committing after this look is left to the next pass, as it would be anyway.
    let waiting: i64 =
        claim_events::table.filter(claim_events::position.is_null()).count().get_result(conn).await?;
    if waiting == 0 {
        return Ok(0);
    }
    transaction!(conn, async |conn| {
        // Taking the row lock first serialises passes across every hub process.
        let last_position: i64 = diesel::update(feed_sequencer::table.find(1))
            .set(feed_sequencer::last_position.eq(feed_sequencer::last_position))
            .returning(feed_sequencer::last_position)
            .get_result(conn)
            .await?;
        let (first, last): (Option<i64>, Option<i64>) = claim_events::table
            .filter(claim_events::position.is_null())
            .select((diesel::dsl::min(claim_events::id), diesel::dsl::max(claim_events::id)))
            .first(conn)
            .await?;
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(0);
        };
        let offset = last_position - first + 1;
        // Only ids in [first, last]: an event committing meanwhile with a smaller id waits for
        // the next pass instead of taking a position below ones already handed out.
        let sequenced = diesel::update(claim_events::table)
            .filter(claim_events::position.is_null())
            .filter(claim_events::id.between(first, last))
            .set(claim_events::position.eq((claim_events::id + offset).nullable()))
            .execute(conn)
            .await?;
        diesel::update(event_recipients::table)
            .filter(event_recipients::position.is_null())
            .filter(event_recipients::event_id.between(first, last))
            .set(event_recipients::position.eq((event_recipients::event_id + offset).nullable()))
            .execute(conn)
            .await?;
        diesel::update(feed_sequencer::table.find(1))
            .set(feed_sequencer::last_position.eq(last + offset))
            .execute(conn)
            .await?;
        Ok(sequenced)
    })
}

/// An organisation's events after a feed position, oldest first.
pub(crate) async fn feed(
    conn: &mut Conn,
    organisation: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<FeedEvent>, StoreError> {
    let rows: Vec<(i64, EventRow)> = event_recipients::table
        .inner_join(claim_events::table)
        .filter(event_recipients::organisation_code.eq(organisation))
        .filter(event_recipients::position.gt(after))
        .order(event_recipients::position.asc())
        .limit(limit)
        .select((event_recipients::position.assume_not_null(), EventRow::as_select()))
        .load(conn)
        .await?;
    rows.into_iter().map(|(position, row)| row.into_feed_event(position)).collect()
}

/// The events of one claim that an organisation was told, oldest first (sequenced ones only).
pub(crate) async fn claim_events_for(
    conn: &mut Conn,
    claim: ClaimId,
    organisation: &str,
) -> Result<Vec<FeedEvent>, StoreError> {
    let rows: Vec<(i64, EventRow)> = event_recipients::table
        .inner_join(claim_events::table)
        .filter(event_recipients::organisation_code.eq(organisation))
        .filter(claim_events::claim_id.eq(DbUuid(claim.as_uuid())))
        .filter(event_recipients::position.is_not_null())
        .order(event_recipients::position.asc())
        .select((event_recipients::position.assume_not_null(), EventRow::as_select()))
        .load(conn)
        .await?;
    rows.into_iter().map(|(position, row)| row.into_feed_event(position)).collect()
}

/// Stores an event about an organisation for its own feed (in the caller's transaction).
pub(crate) async fn insert_organisation_event(
    conn: &mut Conn,
    event: &OrganisationEvent,
) -> Result<(), StoreError> {
    let row = NewEventRow {
        claim_id: None,
        event_type: event.event_type.as_str().to_owned(),
        occurred_at: event.occurred_at.into(),
        actor_org: None,
        actor_client: None,
        acting_user: None,
        data: DbJson(event.data.clone()),
    };
    let id: i64 = diesel::insert_into(claim_events::table)
        .values(&row)
        .returning(claim_events::id)
        .get_result(conn)
        .await?;
    diesel::insert_into(event_recipients::table)
        .values(RecipientRow { organisation_code: event.organisation.to_string(), event_id: id })
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes up to `limit` sequenced events that occurred before `before`, oldest first, with
/// their recipients; how many it deleted.
pub(crate) async fn delete_old_events(
    conn: &mut Conn,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<usize, StoreError> {
    let before = DbInstant::from(before);
    transaction!(conn, async |conn| {
        let ids: Vec<i64> = claim_events::table
            .filter(claim_events::occurred_at.lt(before))
            .filter(claim_events::position.is_not_null())
            .order(claim_events::occurred_at.asc())
            .limit(limit)
            .select(claim_events::id)
            .load(conn)
            .await?;
        if ids.is_empty() {
            return Ok(0);
        }
        diesel::delete(event_recipients::table.filter(event_recipients::event_id.eq_any(&ids)))
            .execute(conn)
            .await?;
        Ok(diesel::delete(claim_events::table.filter(claim_events::id.eq_any(&ids))).execute(conn).await?)
    })
}
