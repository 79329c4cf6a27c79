//! Configuration: defaults, then an optional TOML file, then `CLAIMS_EXCHANGE_*` environment
//! variables (and `DATABASE_URL`), then command-line flags. An invalid value stops start-up with
//! a message naming the key.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use claims_http::state::ClockMovers;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Prefix of the environment variables that configure the hub.
pub const ENV_PREFIX: &str = "CLAIMS_EXCHANGE_";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// `postgres://…` or `sqlite://PATH`. Without it, an SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// Where the embedded SQLite database lives when no `database_url` is given.
    pub data_dir: PathBuf,
    /// Run migrations, seed the demonstration organisations and enable the sandbox clock.
    pub sandbox: bool,
    /// Sandbox only: the instant the clock starts at. Default: a new database starts at real
    /// time, an existing one carries on from its stored clock. An instant before the stored
    /// clock is refused unless `reset_clock` is set.
    pub clock: Option<DateTime<Utc>>,
    /// Sandbox only: set the clock to `clock` (or real time) even if the stored clock is later.
    pub reset_clock: bool,
    /// Sandbox only: who may move the clock, `any` sandbox client or `operator` clients only.
    pub sandbox_clock_movers: ClockMovers,
    /// Sandbox only: where to write the seeded clients' credentials as JSON.
    pub credentials_file: Option<PathBuf>,
    /// The URL clients use to reach the hub (default: `http://` and the listen address).
    pub public_url: Option<String>,
    /// `json` (one object per line) or `pretty`. Default: pretty in sandbox mode, else json.
    pub log_format: Option<LogFormat>,
    /// `tracing` filter directives.
    pub log_filter: String,
    /// Access token lifetime.
    pub token_ttl_seconds: i64,
    /// How long a rotated-out client secret keeps working.
    pub secret_overlap_days: i64,
    /// `iss` and `aud` of access tokens.
    pub token_issuer: String,
    pub token_audience: String,
    /// Database connections held by this process.
    pub pool_size: usize,
    /// How long one database operation (waiting for a connection included) may take before the
    /// request gets 503; the connection is then discarded.
    pub database_timeout_ms: u64,
    /// The same bound for operator bulk operations (bulk transfers), which touch many claims.
    pub database_bulk_timeout_ms: u64,
    /// How long a request body may take to arrive before the hub answers 408.
    pub request_body_timeout_seconds: u64,
    /// HTTP worker threads (default: one per core).
    pub workers: Option<usize>,
    /// How long a graceful shutdown waits for requests in flight.
    pub shutdown_timeout_seconds: u64,
    /// How often the deadline sweeper looks for consequences due (0: never; the sandbox clock
    /// still sweeps when moved).
    pub sweep_interval_seconds: u64,
    /// The largest attachment accepted, in bytes.
    pub attachment_limit_bytes: usize,
    /// Calendar days a closed, exited or withdrawn claim is kept before it is purged (default 30).
    pub retention_ended_days: u64,
    /// Calendar days a rejected claim is kept untouched before it is purged (default 60).
    pub retention_rejected_days: u64,
    /// Calendar days an API client may go unused before it is disabled (default 90).
    pub client_idle_days: i64,
    /// Calendar days feed events are kept (default 30, the documented minimum).
    pub event_retention_days: i64,
    /// Requests each API client may make per second, sustained, per hub process (0: no limit).
    pub rate_limit_per_second: u32,
    /// Requests each API client may make at once above that rate.
    pub rate_limit_burst: u32,
    /// Failed token requests from one address in 15 minutes before it is refused for the rest.
    pub token_failures_per_source: u32,
    /// Failed token requests for one client id in 15 minutes before its attempts are slowed.
    pub token_failures_per_client: u32,
    /// Proxies (addresses) in front of the hub whose `X-Forwarded-For` gives the caller's address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How long a bank-holiday change waits for the deadline recount before it answers.
    pub calendar_recount_wait_ms: u64,
    /// Claims the deadline sweep takes together, in one transaction.
    pub sweep_batch: i64,
    /// Sandbox: how long moving the clock sweeps what fell due before it answers.
    pub sandbox_clock_sweep_wait_ms: u64,
    /// Minutes a list's `next_cursor` may be used.
    pub cursor_lifetime_minutes: i64,
    /// Claims of a claim-list walk that may change while it goes on before its next page is
    /// refused (`cursor_expired`).
    pub walk_changed_limit: usize,
    /// Small-claims track: business days for the compensator's offer once asked (default 20).
    pub small_claims_offer_days: Option<u32>,
    /// Small-claims track: business days for the claimant's answer to an offer (default 20).
    pub small_claims_offer_answer_days: Option<u32>,
    /// Small-claims track: business days for the compensator's answer to a counter-offer
    /// (default 20).
    pub small_claims_counter_offer_answer_days: Option<u32>,
    /// Small-claims track: business days to pay the agreed damages (default 20).
    pub small_claims_settlement_payment_days: Option<u32>,
    /// Small-claims track: business days to object to a proposed removal (default 10).
    pub small_claims_removal_objection_days: Option<u32>,
}

/// Why the configuration cannot be used; names the offending key.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(String);

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Json,
    Pretty,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: None,
            data_dir: PathBuf::from("data"),
            sandbox: false,
            clock: None,
            reset_clock: false,
            sandbox_clock_movers: ClockMovers::Any,
            credentials_file: None,
            public_url: None,
            log_format: None,
            log_filter: "info".to_owned(),
            token_ttl_seconds: 3600,
            secret_overlap_days: 7,
            token_issuer: "claims-exchange".to_owned(),
            token_audience: "claims-exchange-api".to_owned(),
            pool_size: 16,
            database_timeout_ms: 2000,
            database_bulk_timeout_ms: 120_000,
            request_body_timeout_seconds: 30,
            workers: None,
            shutdown_timeout_seconds: 30,
            sweep_interval_seconds: 15,
            attachment_limit_bytes: 4 * 1024 * 1024,
            retention_ended_days: 30,
            retention_rejected_days: 60,
            client_idle_days: 90,
            event_retention_days: 30,
            rate_limit_per_second: 100,
            rate_limit_burst: 200,
            token_failures_per_source: 20,
            token_failures_per_client: 5,
            trusted_proxies: Vec::new(),
            calendar_recount_wait_ms: 2000,
            sweep_batch: 500,
            sandbox_clock_sweep_wait_ms: 30_000,
            cursor_lifetime_minutes: 60,
            walk_changed_limit: 10_000,
            small_claims_offer_days: None,
            small_claims_offer_answer_days: None,
            small_claims_counter_offer_answer_days: None,
            small_claims_settlement_payment_days: None,
            small_claims_removal_objection_days: None,
        }
    }
}

impl Settings {
    /// Reads the layers below `overrides` (the command-line flags that were given).
    pub fn load(file: Option<&PathBuf>, overrides: impl Serialize) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(file) = file {
            figment = figment.merge(Toml::file_exact(file));
        }
        figment = figment
            .merge(Env::prefixed(ENV_PREFIX).ignore(&["CONFIG"]))
            .merge(Env::raw().only(&["DATABASE_URL"]))
            .merge(Serialized::defaults(overrides));
        let settings: Settings = figment.extract().map_err(|e| ConfigError(e.to_string()))?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let invalid = |key: &str, why: &str| Err(ConfigError(format!("invalid value for `{key}`: {why}")));
        if let Some(url) = &self.database_url
            && claims_persistence::backend_of(url).is_err()
        {
            return invalid("database_url", "expected postgres://… or sqlite://PATH");
        }
        if self.token_ttl_seconds < 60 || self.token_ttl_seconds > 86_400 {
            return invalid("token_ttl_seconds", "must be 60 to 86400");
        }
        if self.secret_overlap_days < 0 || self.secret_overlap_days > 90 {
            return invalid("secret_overlap_days", "must be 0 to 90");
        }
        if self.pool_size == 0 || self.pool_size > 512 {
            return invalid("pool_size", "must be 1 to 512");
        }
        if self.attachment_limit_bytes == 0 || self.attachment_limit_bytes > 64 * 1024 * 1024 {
            return invalid("attachment_limit_bytes", "must be 1 to 67108864");
        }
        if self.clock.is_some() && !self.sandbox {
            return invalid("clock", "only the sandbox clock can be set");
        }
        if self.reset_clock && !self.sandbox {
            return invalid("reset_clock", "only the sandbox clock can be reset");
        }
        if self.database_timeout_ms < 100 || self.database_timeout_ms > 600_000 {
            return invalid("database_timeout_ms", "must be 100 to 600000");
        }
        if self.database_bulk_timeout_ms < self.database_timeout_ms
            || self.database_bulk_timeout_ms > 3_600_000
        {
            return invalid(
                "database_bulk_timeout_ms",
                "must be at least database_timeout_ms and at most 3600000",
            );
        }
        if self.request_body_timeout_seconds == 0 || self.request_body_timeout_seconds > 3600 {
            return invalid("request_body_timeout_seconds", "must be 1 to 3600");
        }
        if self.retention_ended_days == 0 || self.retention_ended_days > 3650 {
            return invalid("retention_ended_days", "must be 1 to 3650");
        }
        if self.retention_rejected_days == 0 || self.retention_rejected_days > 3650 {
            return invalid("retention_rejected_days", "must be 1 to 3650");
        }
        if self.client_idle_days < 1 || self.client_idle_days > 3650 {
            return invalid("client_idle_days", "must be 1 to 3650");
        }
        if self.calendar_recount_wait_ms > 60_000 {
            return invalid("calendar_recount_wait_ms", "must be 0 to 60000");
        }
        if !(1..=5_000).contains(&self.sweep_batch) {
            return invalid("sweep_batch", "must be 1 to 5000");
        }
        if self.sandbox_clock_sweep_wait_ms > 120_000 {
            return invalid("sandbox_clock_sweep_wait_ms", "must be 0 to 120000");
        }
        if !(1..=10_080).contains(&self.cursor_lifetime_minutes) {
            return invalid("cursor_lifetime_minutes", "must be 1 to 10080 (a week)");
        }
        if !(1..=100_000).contains(&self.walk_changed_limit) {
            return invalid("walk_changed_limit", "must be 1 to 100000");
        }
        if self.rate_limit_per_second > 100_000 {
            return invalid("rate_limit_per_second", "must be 0 (no limit) to 100000");
        }
        if self.rate_limit_burst == 0 || self.rate_limit_burst > 1_000_000 {
            return invalid("rate_limit_burst", "must be 1 to 1000000");
        }
        if self.token_failures_per_source == 0 || self.token_failures_per_client == 0 {
            return invalid("token_failures_per_source", "both token failure limits must be at least 1");
        }
        if self.event_retention_days < 30 || self.event_retention_days > 3650 {
            return invalid("event_retention_days", "must be 30 (the promised minimum) to 3650");
        }
        for (key, days) in [
            ("small_claims_offer_days", self.small_claims_offer_days),
            ("small_claims_offer_answer_days", self.small_claims_offer_answer_days),
            ("small_claims_counter_offer_answer_days", self.small_claims_counter_offer_answer_days),
            ("small_claims_settlement_payment_days", self.small_claims_settlement_payment_days),
            ("small_claims_removal_objection_days", self.small_claims_removal_objection_days),
        ] {
            if days.is_some_and(|d| d == 0 || d > 120) {
                return invalid(key, "must be 1 to 120 business days");
            }
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log_filter).is_err() {
            return invalid("log_filter", "not a valid tracing filter");
        }
        Ok(())
    }

    /// The retention periods in force.
    pub fn retention(&self) -> claims_domain::retention::RetentionRules {
        claims_domain::retention::RetentionRules {
            ended_days: self.retention_ended_days,
            rejected_days: self.retention_rejected_days,
            ..claims_domain::retention::DEFAULT_RULES
        }
    }

    /// The small-claims periods configured in place of the hub's defaults.
    pub fn small_claims_periods(&self) -> claims_domain::lifecycle::PeriodOverrides {
        claims_domain::lifecycle::PeriodOverrides {
            offer: self.small_claims_offer_days,
            offer_answer: self.small_claims_offer_answer_days,
            counter_offer_answer: self.small_claims_counter_offer_answer_days,
            settlement_payment: self.small_claims_settlement_payment_days,
            removal_objection: self.small_claims_removal_objection_days,
        }
    }

    /// The database URL in effect: the configured one, or the embedded SQLite file.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!("sqlite://{}", self.data_dir.join("claims-exchange.sqlite3").display())
        })
    }

    pub fn public_url(&self, bound: SocketAddr) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{bound}"))
    }

    pub fn log_format(&self) -> LogFormat {
        self.log_format.unwrap_or(if self.sandbox { LogFormat::Pretty } else { LogFormat::Json })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_use_an_embedded_database() {
        let settings = Settings::default();
        assert!(settings.check().is_ok());
        assert_eq!(settings.database_url(), "sqlite://data/claims-exchange.sqlite3");
    }

    #[test]
    fn invalid_values_name_their_key() {
        let error = Settings::load(None, serde_json::json!({ "pool_size": 0 })).expect_err("invalid");
        assert!(error.to_string().contains("pool_size"), "{error}");
        let error = Settings::load(None, serde_json::json!({ "listen": "nowhere" })).expect_err("invalid");
        assert!(error.to_string().contains("listen"), "{error}");
    }
}
