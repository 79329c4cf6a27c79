//! The storage operations the hub uses. Each forwards to the same query compiled for the backend
//! in use (see `backend.rs`).

use chrono::{DateTime, NaiveDate, Utc};
use claims_domain::claim::Claim;
use claims_domain::ids::ClaimId;
use claims_domain::organisation::Organisation;
use claims_domain::party::Side;

use crate::db::Database;
use crate::error::StoreError;
use crate::records::*;

/// Runs `$query` on a pooled connection of whichever backend the database uses, within the
/// database's time limit (or `within $limit`): waiting for a connection and running the query
/// together may take no longer. A query cut off by the limit leaves its connection in an unknown
/// state, so the connection is discarded rather than returned to the pool.
#[macro_export]
#[doc(hidden)]
macro_rules! dispatch {
    ($db:expr, within $limit:expr, $query:ident($($arg:expr),* $(,)?)) => {
        match &$db.pools {
            $crate::db::Pools::Postgres(pool) => {
                $crate::dispatch!(@run pool, $limit, $crate::backend::pg::$query, $($arg),*)
            }
            $crate::db::Pools::Sqlite(pool) => {
                $crate::dispatch!(@run pool, $limit, $crate::backend::sqlite::$query, $($arg),*)
            }
        }
    };
    // A write: on SQLite it first waits its turn among this process's writers (see
    // `backend::sqlite::WRITERS`), before it takes a connection.
    ($db:expr, writing within $limit:expr, $query:ident($($arg:expr),* $(,)?)) => {
        match &$db.pools {
            $crate::db::Pools::Postgres(pool) => {
                $crate::dispatch!(@run pool, $limit, $crate::backend::pg::$query, $($arg),*)
            }
            $crate::db::Pools::Sqlite(pool) => {
                let deadline = tokio::time::Instant::now() + $limit;
                let Ok(_turn) = tokio::time::timeout_at(deadline, $crate::backend::sqlite::WRITERS.lock()).await
                else {
                    return Err($crate::StoreError::timed_out());
                };
                let left = deadline.saturating_duration_since(tokio::time::Instant::now());
                $crate::dispatch!(@run pool, left, $crate::backend::sqlite::$query, $($arg),*)
            }
        }
    };
    ($db:expr, writing $query:ident($($arg:expr),* $(,)?)) => {
        $crate::dispatch!($db, writing within $db.timeout, $query($($arg),*))
    };
    ($db:expr, $query:ident($($arg:expr),* $(,)?)) => {
        $crate::dispatch!($db, within $db.timeout, $query($($arg),*))
    };
    (@run $pool:expr, $limit:expr, $function:path, $($arg:expr),*) => {{
        let deadline = tokio::time::Instant::now() + $limit;
        let mut conn = match tokio::time::timeout_at(deadline, $pool.get()).await {
            Ok(conn) => conn?,
            Err(_) => return Err($crate::StoreError::timed_out()),
        };
        match tokio::time::timeout_at(deadline, $function(&mut conn, $($arg),*)).await {
            Ok(result) => result,
            Err(_) => {
                drop(deadpool::managed::Object::take(conn));
                Err($crate::StoreError::timed_out())
            }
        }
    }};
}

impl Database {
    pub async fn insert_organisation(
        &self,
        organisation: &Organisation,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        dispatch!(self, insert_organisation(organisation, now))
    }

    pub async fn organisation(&self, code: &str) -> Result<Option<Organisation>, StoreError> {
        dispatch!(self, organisation(code))
    }

    pub async fn list_organisations(
        &self,
        query: &OrganisationQuery,
    ) -> Result<Vec<Organisation>, StoreError> {
        dispatch!(self, list_organisations(query))
    }

    /// Organisations inactive since before `cutoff` (see the query).
    pub async fn inactive_organisations(
        &self,
        cutoff: DateTime<Utc>,
    ) -> Result<Vec<InactiveOrganisation>, StoreError> {
        dispatch!(self, inactive_organisations(cutoff))
    }

    /// Removes an organisation inactive since before `cutoff` with no live claims.
    pub async fn remove_organisation(
        &self,
        code: &str,
        cutoff: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Removal, StoreError> {
        dispatch!(self, remove_organisation(code, cutoff, now))
    }

    pub async fn highest_organisation_code(&self, prefix: &str) -> Result<Option<String>, StoreError> {
        dispatch!(self, highest_organisation_code(prefix))
    }

    pub async fn insert_client(&self, client: &NewClient) -> Result<(), StoreError> {
        dispatch!(self, insert_client(client))
    }

    pub async fn client_credentials(
        &self,
        client_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ClientCredentials>, StoreError> {
        dispatch!(self, client_credentials(client_id, now))
    }

    pub async fn client_status(&self, client_id: &str) -> Result<Option<ClientStatus>, StoreError> {
        dispatch!(self, client_status(client_id))
    }

    pub async fn list_clients(&self, organisation: &str) -> Result<Vec<ClientSummary>, StoreError> {
        dispatch!(self, list_clients(organisation))
    }

    /// Clears the failure count; notes the use (`used_at`, the hub's clock) and the token
    /// (`real_now`).
    pub async fn record_successful_attempt(
        &self,
        client_id: &str,
        used_at: DateTime<Utc>,
        real_now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        dispatch!(self, writing record_successful_attempt(client_id, used_at, real_now))
    }

    pub async fn rotate_secret(
        &self,
        client_id: &str,
        secret_hash: &str,
        now: DateTime<Utc>,
        old_valid_until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        dispatch!(self, rotate_secret(client_id, secret_hash, now, old_valid_until))
    }

    /// Notes that a client was used at `now`.
    pub async fn touch_client(&self, client_id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        dispatch!(self, writing touch_client(client_id, now))
    }

    /// Notes every enabled client that got a token since `tokens_since` (real time) as used at
    /// `now`; how many.
    pub async fn carry_active_clients(
        &self,
        tokens_since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        dispatch!(self, carry_active_clients(tokens_since, now))
    }

    /// Enabled clients unused since before `cutoff`: `(client id, organisation code)`.
    pub async fn idle_clients(
        &self,
        cutoff: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        dispatch!(self, idle_clients(cutoff, limit))
    }

    /// Disables a client still unused since before `cutoff`, with `event` to its organisation.
    pub async fn disable_idle_client(
        &self,
        client_id: &str,
        cutoff: DateTime<Utc>,
        event: &OrganisationEvent,
    ) -> Result<bool, StoreError> {
        dispatch!(self, disable_idle_client(client_id, cutoff, event))
    }

    /// Deletes up to `limit` feed events older than `before`; how many.
    pub async fn delete_old_events(&self, before: DateTime<Utc>, limit: i64) -> Result<usize, StoreError> {
        dispatch!(self, delete_old_events(before, limit))
    }

    pub async fn disable_client(&self, client_id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        dispatch!(self, disable_client(client_id, now))
    }

    pub async fn signing_keys(&self) -> Result<Vec<SigningKey>, StoreError> {
        dispatch!(self, signing_keys())
    }

    pub async fn insert_signing_key(&self, key: &SigningKey) -> Result<(), StoreError> {
        dispatch!(self, insert_signing_key(key))
    }

    pub async fn retire_signing_keys_except(&self, keep: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        dispatch!(self, retire_signing_keys_except(keep, now))
    }

    pub async fn insert_claim(
        &self,
        claim: &Claim,
        event: &NewEvent,
        audit: &NewAudit,
        idempotency: Option<(&IdempotencyScope, &StoredResponse)>,
        now: DateTime<Utc>,
        calendar_revision: i64,
    ) -> Result<(), StoreError> {
        let row = crate::models::ClaimRow::from_domain(claim, &self.retention, calendar_revision)?;
        dispatch!(self, writing insert_claim((claim, &row), event, audit, idempotency, now))
    }

    pub async fn claim(&self, id: ClaimId) -> Result<Option<Claim>, StoreError> {
        dispatch!(self, claim(id))
    }

    pub async fn insert_audit(&self, audit: &NewAudit) -> Result<(), StoreError> {
        dispatch!(self, writing insert_audit(audit))
    }

    /// Writes a change if the claim still has `change.expected_version`.
    pub async fn update_claim(&self, change: &ClaimChange) -> Result<(), StoreError> {
        dispatch!(self, writing update_claim(change, &self.retention))
    }

    /// Up to `limit` claims with a reminder or deadline due by `now`, soonest first.
    pub async fn due_claims(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<Claim>, StoreError> {
        dispatch!(self, due_claims(now, limit))
    }

    /// The recount's next claims: open deadlines counted on a calendar older than `revision`.
    pub async fn claims_to_recount(&self, revision: i64, limit: i64) -> Result<Vec<Claim>, StoreError> {
        dispatch!(self, claims_to_recount(revision, limit))
    }

    pub async fn count_to_recount(&self, revision: i64) -> Result<i64, StoreError> {
        dispatch!(self, count_to_recount(revision))
    }

    /// Marks claims (at the versions read) as counted on the calendar of `revision`.
    pub async fn mark_recounted(
        &self,
        claims: &[(ClaimId, i64)],
        revision: i64,
    ) -> Result<usize, StoreError> {
        dispatch!(self, writing mark_recounted(claims, revision))
    }

    pub async fn oldest_due(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, StoreError> {
        dispatch!(self, oldest_due(now))
    }

    pub async fn claim_history(&self, id: ClaimId) -> Result<Vec<AuditEntry>, StoreError> {
        dispatch!(self, claim_history(id))
    }

    pub async fn calendar_state(&self) -> Result<(i64, bool), StoreError> {
        dispatch!(self, calendar_state())
    }

    pub async fn bank_holidays(&self) -> Result<Vec<NaiveDate>, StoreError> {
        dispatch!(self, bank_holidays())
    }

    pub async fn seed_bank_holidays(
        &self,
        days: &[NaiveDate],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        dispatch!(self, seed_bank_holidays(days, now))
    }

    pub async fn change_bank_holiday(
        &self,
        day: NaiveDate,
        add: bool,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        dispatch!(self, change_bank_holiday(day, add, now))
    }

    pub async fn transfer_offers_of(
        &self,
        organisation: &str,
        incoming: bool,
        only_open: bool,
    ) -> Result<Vec<TransferOfferSummary>, StoreError> {
        dispatch!(self, transfer_offers_of(organisation, incoming, only_open))
    }

    /// `(claim, receiving organisation, status)` of a transfer offer.
    pub async fn transfer_offer(
        &self,
        id: uuid::Uuid,
    ) -> Result<Option<(ClaimId, String, String)>, StoreError> {
        dispatch!(self, transfer_offer(id))
    }

    /// The claims of an organisation on `side` (only `ids`, when given).
    pub async fn claims_of(
        &self,
        organisation: &str,
        side: Side,
        ids: Option<&[ClaimId]>,
    ) -> Result<Vec<Claim>, StoreError> {
        dispatch!(self, within self.bulk_timeout, claims_of(organisation, side, ids))
    }

    /// Writes many changes in one transaction; claims that changed meanwhile are left alone.
    /// Returns the claims changed.
    pub async fn store_changes(&self, changes: &[ClaimChange]) -> Result<Vec<ClaimId>, StoreError> {
        dispatch!(self, writing within self.bulk_timeout, store_changes(changes, &self.retention))
    }

    pub async fn insert_attachment(
        &self,
        attachment: &NewAttachment,
        event: &NewEvent,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        dispatch!(self, writing insert_attachment(attachment, event, audit))
    }

    pub async fn claim_events_for(
        &self,
        claim: ClaimId,
        organisation: &str,
    ) -> Result<Vec<FeedEvent>, StoreError> {
        dispatch!(self, claim_events_for(claim, organisation))
    }

    pub async fn insert_dsr(
        &self,
        request: &DataSubjectRequest,
        event: &NewEvent,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        dispatch!(self, insert_dsr(request, event, audit))
    }

    /// Writes a changed request if it is still open (and, with `unextended`, not yet extended).
    pub async fn update_dsr(
        &self,
        request: &DataSubjectRequest,
        unextended: bool,
        event: &NewEvent,
        audit: &NewAudit,
    ) -> Result<bool, StoreError> {
        dispatch!(self, update_dsr(request, unextended, event, audit))
    }

    pub async fn dsrs_of_claim(&self, claim: ClaimId) -> Result<Vec<DataSubjectRequest>, StoreError> {
        dispatch!(self, dsrs_of_claim(claim))
    }

    pub async fn dsrs_of_organisation(
        &self,
        query: &DsrQuery,
    ) -> Result<Vec<DataSubjectRequest>, StoreError> {
        dispatch!(self, dsrs_of_organisation(query))
    }

    /// Claims due for purging by `now`.
    pub async fn purgeable_claims(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<ClaimId>, StoreError> {
        dispatch!(self, purgeable_claims(now, limit))
    }

    /// Purges a claim still at `version`, keeping `facts` in its tombstone; whether it did.
    pub async fn purge_claim(
        &self,
        id: ClaimId,
        version: i64,
        facts: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        dispatch!(self, purge_claim(id, version, facts, now))
    }

    /// Places a legal hold until `until`, or lifts it (`None`); whether the organisation exists.
    pub async fn set_legal_hold(&self, code: &str, until: Option<DateTime<Utc>>) -> Result<bool, StoreError> {
        dispatch!(self, set_legal_hold(code, until))
    }

    /// The hold in force at `now` on any of these organisations: `None`, `Some(None)` (no end),
    /// or `Some(Some(end))`.
    pub async fn legal_hold_of(
        &self,
        codes: &[String],
        now: DateTime<Utc>,
    ) -> Result<Option<Option<DateTime<Utc>>>, StoreError> {
        dispatch!(self, legal_hold_of(codes, now))
    }

    pub async fn access_entries(&self, query: &AccessQuery) -> Result<Vec<AccessEntry>, StoreError> {
        dispatch!(self, access_entries(query))
    }

    /// The statistics' facts from `from` to `to`, counted (see `claims_domain::statistics`).
    pub async fn statistics(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<StatisticCount>, StoreError> {
        dispatch!(self, statistics(from, to))
    }

    /// Rolls up to `limit` statistics facts into the daily counts; how many.
    pub async fn roll_up_facts(&self, limit: i64) -> Result<usize, StoreError> {
        dispatch!(self, roll_up_facts(limit))
    }

    /// An organisation's purged claims, latest purge first (see the query).
    pub async fn tombstones_of(
        &self,
        organisation: &str,
        after: Option<(DateTime<Utc>, ClaimId)>,
        limit: i64,
    ) -> Result<Vec<Tombstone>, StoreError> {
        dispatch!(self, tombstones_of(organisation, after, limit))
    }

    pub async fn tombstone(&self, id: ClaimId) -> Result<Option<Tombstone>, StoreError> {
        dispatch!(self, tombstone(id))
    }

    pub async fn attachments_of(&self, claim: ClaimId) -> Result<Vec<AttachmentInfo>, StoreError> {
        dispatch!(self, attachments_of(claim))
    }

    pub async fn attachment(
        &self,
        claim: ClaimId,
        id: uuid::Uuid,
    ) -> Result<Option<(AttachmentInfo, Vec<u8>)>, StoreError> {
        dispatch!(self, attachment(claim, id))
    }

    pub async fn list_claims(&self, query: &ClaimQuery) -> Result<ClaimListing, StoreError> {
        dispatch!(self, list_claims(query))
    }

    /// Gives feed positions to committed events that have none; returns how many.
    pub async fn sequence_events(&self) -> Result<usize, StoreError> {
        dispatch!(self, writing sequence_events())
    }

    pub async fn feed(
        &self,
        organisation: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<FeedEvent>, StoreError> {
        dispatch!(self, feed(organisation, after, limit))
    }

    pub async fn acquire_idempotency(
        &self,
        scope: &IdempotencyScope,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<IdempotencyState, StoreError> {
        dispatch!(self, writing acquire_idempotency(scope, now, stale_before))
    }

    pub async fn complete_idempotency(
        &self,
        scope: &IdempotencyScope,
        response: &StoredResponse,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        dispatch!(self, writing complete_idempotency(scope, response, now))
    }

    pub async fn release_idempotency(&self, scope: &IdempotencyScope) -> Result<(), StoreError> {
        dispatch!(self, writing release_idempotency(scope))
    }

    pub async fn purge_idempotency(&self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        dispatch!(self, purge_idempotency(before))
    }

    /// The sandbox clock's stored offset from real time, in microseconds.
    pub async fn sandbox_clock_offset(&self) -> Result<Option<i64>, StoreError> {
        dispatch!(self, sandbox_clock_offset())
    }

    /// Stores the first offset unless one exists; returns the offset in effect.
    pub async fn start_sandbox_clock(
        &self,
        offset_micros: i64,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        dispatch!(self, start_sandbox_clock(offset_micros, now))
    }

    /// Moves the sandbox clock forward; `false` when the stored clock is already later.
    pub async fn advance_sandbox_clock(
        &self,
        offset_micros: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        dispatch!(self, advance_sandbox_clock(offset_micros, now))
    }

    /// Sets the sandbox clock whatever it read.
    pub async fn reset_sandbox_clock(
        &self,
        offset_micros: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        dispatch!(self, reset_sandbox_clock(offset_micros, now))
    }
}
