//! The tables, written once for both backends (see `sql_types` for the shared column types).
//! `migrations/postgres` and `migrations/sqlite` create them; a test checks the two agree with
//! this file.

use crate::sql_types::sql::{Instant, Jsonb, Uuid};

diesel::table! {
    use diesel::sql_types::*;
    use super::Instant;

    organisations (code) {
        code -> Text,
        kind -> Text,
        name -> Text,
        compensator_type -> Nullable<Text>,
        group_name -> Nullable<Text>,
        created_at -> Instant,
        legal_hold -> Bool,
        removed_at -> Nullable<Instant>,
        legal_hold_until -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::Instant;

    api_clients (client_id) {
        client_id -> Text,
        organisation_code -> Text,
        role -> Text,
        label -> Text,
        created_at -> Instant,
        disabled_at -> Nullable<Instant>,
        failed_attempts -> Integer,
        locked_until -> Nullable<Instant>,
        last_used_at -> Nullable<Instant>,
        disabled_reason -> Nullable<Text>,
        last_token_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Instant, Uuid};

    client_secrets (id) {
        id -> Uuid,
        client_id -> Text,
        secret_hash -> Text,
        created_at -> Instant,
        expires_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::Instant;

    signing_keys (kid) {
        kid -> Text,
        private_key -> Binary,
        public_key -> Binary,
        created_at -> Instant,
        retired_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Instant, Jsonb, Uuid};

    claims (id) {
        id -> Uuid,
        claim_type -> Text,
        status -> Text,
        version -> BigInt,
        claimant_rep_code -> Text,
        compensator_code -> Text,
        created_by_code -> Text,
        notification_date -> Date,
        child -> Bool,
        cr_reference -> Text,
        cm_reference -> Nullable<Text>,
        cnf -> Jsonb,
        lifecycle -> Jsonb,
        next_due_at -> Nullable<Instant>,
        next_deadline_date -> Nullable<Date>,
        submitted_at -> Instant,
        updated_at -> Instant,
        dormant -> Bool,
        purge_at -> Nullable<Instant>,
        purged_at -> Nullable<Instant>,
        tombstone -> Nullable<Jsonb>,
        calendar_revision -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Instant, Jsonb, Uuid};

    claim_events (id) {
        id -> BigInt,
        /// `NULL` for an event about an organisation rather than a claim.
        claim_id -> Nullable<Uuid>,
        event_type -> Text,
        occurred_at -> Instant,
        actor_org -> Nullable<Text>,
        actor_client -> Nullable<Text>,
        acting_user -> Nullable<Text>,
        data -> Jsonb,
        position -> Nullable<BigInt>,
    }
}

diesel::table! {
    event_recipients (organisation_code, event_id) {
        organisation_code -> Text,
        event_id -> BigInt,
        position -> Nullable<BigInt>,
    }
}

diesel::table! {
    feed_sequencer (id) {
        id -> Integer,
        last_position -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Instant, Jsonb, Uuid};

    claim_audit (id) {
        id -> BigInt,
        claim_id -> Uuid,
        occurred_at -> Instant,
        action -> Text,
        actor_org -> Nullable<Text>,
        actor_client -> Nullable<Text>,
        acting_user -> Nullable<Text>,
        detail -> Jsonb,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Instant, Jsonb};

    idempotency_keys (client_id, idempotency_key) {
        client_id -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        created_at -> Instant,
        completed_at -> Nullable<Instant>,
        response_status -> Nullable<Integer>,
        response_headers -> Nullable<Jsonb>,
        response_body -> Nullable<Binary>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::Instant;

    bank_holidays (holiday) {
        holiday -> Date,
        created_at -> Instant,
    }
}

diesel::table! {
    calendar_state (id) {
        id -> Integer,
        revision -> BigInt,
        seeded -> Bool,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::Instant;

    /// The sandbox clock's offset from real time, shared by every sandbox process.
    sandbox_clock (id) {
        id -> Integer,
        offset_micros -> BigInt,
        moved_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Instant, Uuid};

    transfer_offers (id) {
        id -> Uuid,
        claim_id -> Uuid,
        from_code -> Text,
        to_code -> Text,
        status -> Text,
        offered_at -> Instant,
        answered_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Instant, Uuid};

    attachments (id) {
        id -> Uuid,
        claim_id -> Uuid,
        title -> Text,
        description -> Nullable<Text>,
        file_name -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        content -> Binary,
        uploaded_by -> Text,
        uploaded_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Instant, Uuid};

    data_subject_requests (id) {
        id -> Uuid,
        claim_id -> Uuid,
        kind -> Text,
        received_on -> Date,
        reference -> Text,
        recorded_by -> Text,
        recorded_at -> Instant,
        due_on -> Date,
        extension_reason -> Nullable<Text>,
        extended_at -> Nullable<Instant>,
        outcome -> Nullable<Text>,
        ground -> Nullable<Text>,
        closed_at -> Nullable<Instant>,
    }
}

diesel::table! {
    /// Anonymous facts for management information, waiting to be rolled up into daily counts.
    claim_statistics (id) {
        id -> BigInt,
        kind -> Text,
        claim_type -> Text,
        occurred_on -> Date,
        month -> Text,
        detail -> Text,
        party -> Text,
        business_days -> Integer,
    }
}

diesel::table! {
    /// Management information: facts counted per day. Kept when claims are purged.
    claim_statistics_daily (occurred_on, kind, claim_type, detail, party, business_days) {
        occurred_on -> Date,
        kind -> Text,
        claim_type -> Text,
        detail -> Text,
        party -> Text,
        business_days -> Integer,
        month -> Text,
        count -> Integer,
    }
}

diesel::joinable!(data_subject_requests -> claims (claim_id));
diesel::joinable!(transfer_offers -> claims (claim_id));
diesel::joinable!(attachments -> claims (claim_id));
diesel::joinable!(api_clients -> organisations (organisation_code));
diesel::joinable!(client_secrets -> api_clients (client_id));
diesel::joinable!(claim_events -> claims (claim_id));
diesel::joinable!(event_recipients -> claim_events (event_id));
diesel::joinable!(claim_audit -> claims (claim_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    api_clients,
    client_secrets,
    signing_keys,
    claims,
    claim_events,
    event_recipients,
    feed_sequencer,
    claim_audit,
    idempotency_keys,
    bank_holidays,
    calendar_state,
    sandbox_clock,
    transfer_offers,
    attachments,
    data_subject_requests,
    claim_statistics,
    claim_statistics_daily,
);
