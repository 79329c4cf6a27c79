//! What every handler can reach: storage, the clock, the token keys, settings and metrics.

use std::sync::Arc;

use chrono::Duration;
use claims_domain::Clock;
use claims_persistence::{Backend, Database};

use crate::auth::keys::TokenKeys;
use crate::calendar_cache::{CalendarCache, Recounts};
use crate::clock::SandboxClock;
use crate::directory::Directory;
use crate::feed::Sequencer;
use crate::limits::{GuardSettings, RateLimits, RateSettings, TokenGuard};
use crate::metrics::Metrics;

/// Tunables of the API, with production defaults.
#[derive(Clone, Debug)]
pub struct ApiSettings {
    /// How long a rotated-out client secret keeps working.
    pub secret_overlap: Duration,
    /// Each API client's request rate (per hub process).
    pub rate: RateSettings,
    /// How the token endpoint limits secret guessing (per hub process).
    pub token_guard: GuardSettings,
    /// Proxies whose `X-Forwarded-For` names the caller's address (for the token guard).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How long an unfinished idempotent request holds its key before a retry may take it over.
    pub idempotency_lease: Duration,
    /// The largest attachment accepted, in bytes.
    pub attachment_limit_bytes: usize,
    /// Who may move the sandbox clock.
    pub clock_movers: ClockMovers,
    /// How long a request body may take to arrive before the hub answers `408`.
    pub body_timeout: std::time::Duration,
    /// Small-claims periods configured in place of the hub's defaults.
    pub small_claims_periods: claims_domain::lifecycle::PeriodOverrides,
    /// How long an API client may go unused (by the hub's clock) before it is disabled.
    pub client_idle: Duration,
    /// How long feed events are kept.
    pub event_retention: Duration,
    /// How long a calendar change waits for the recount before it answers.
    pub recount_wait: std::time::Duration,
    /// How long a list's `next_cursor` may be used (by the real clock).
    pub cursor_lifetime: Duration,
    /// Claims the deadline sweep reads, works out and writes together (one transaction each).
    pub sweep_batch: i64,
    /// How long moving the sandbox clock sweeps before it answers (the rest goes on in the
    /// background).
    pub clock_sweep_wait: std::time::Duration,
    /// How many of a claim walk's claims may change while it goes on before its next page is
    /// refused with `cursor_expired` (each page re-places them).
    pub walk_changed_limit: usize,
}

/// Who may move the sandbox clock (everyone may read it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockMovers {
    /// Any authenticated client of the sandbox: for a sandbox of one integrator.
    #[default]
    Any,
    /// Only operator clients: for a sandbox several integrators share.
    Operator,
}

impl Default for ApiSettings {
    fn default() -> Self {
        Self {
            secret_overlap: Duration::days(7),
            rate: RateSettings::default(),
            token_guard: GuardSettings::default(),
            trusted_proxies: Vec::new(),
            idempotency_lease: Duration::seconds(60),
            attachment_limit_bytes: 4 * 1024 * 1024,
            clock_movers: ClockMovers::Any,
            body_timeout: std::time::Duration::from_secs(30),
            small_claims_periods: claims_domain::lifecycle::PeriodOverrides::default(),
            client_idle: Duration::days(90),
            event_retention: Duration::days(30),
            recount_wait: std::time::Duration::from_secs(2),
            sweep_batch: 500,
            clock_sweep_wait: std::time::Duration::from_secs(30),
            cursor_lifetime: Duration::hours(1),
            walk_changed_limit: 10_000,
        }
    }
}

pub struct AppState {
    pub db: Database,
    /// Business time: notification dates, deadlines, events (the sandbox clock in sandbox mode).
    pub clock: Arc<dyn Clock>,
    /// The hub's real clock: token lifetimes, secret overlaps, rate limits, idempotency leases.
    pub real_clock: Arc<dyn Clock>,
    /// Present only in sandbox mode; the same clock as `clock`.
    pub sandbox_clock: Option<Arc<SandboxClock>>,
    pub tokens: Arc<TokenKeys>,
    pub settings: ApiSettings,
    pub metrics: Arc<Metrics>,
    pub directory: Directory,
    /// Held by whoever sweeps deadlines in this process (the sweeper, a sandbox clock move).
    pub sweeping: Arc<tokio::sync::Mutex<()>>,
    /// API clients' standing as lately read (see `auth::standing`).
    pub standings: crate::auth::standing::Standings,
    pub sequencer: Sequencer,
    pub calendar: CalendarCache,
    /// Where calendar changes ask the deadline sweeper to recount.
    pub recounts: Recounts,
    /// Each client's request rate, and the token endpoint's guard (built from `settings`).
    pub rate_limits: Arc<RateLimits>,
    pub token_guard: Arc<TokenGuard>,
}

impl AppState {
    /// The cursors of lists, as of now.
    pub fn cursors(&self) -> crate::dto::page::Cursors<'_> {
        crate::dto::page::Cursors {
            keys: &self.tokens,
            now: self.real_clock.now(),
            lifetime: self.settings.cursor_lifetime,
        }
    }

    /// Runs `work` to its end even if whoever awaits this is dropped half-way (a client hanging
    /// up, a sibling extractor failing) — on SQLite, whose connection wrapper must not be dropped
    /// in the middle of a query. On PostgreSQL a dropped query is safe (the pool discards a
    /// connection left inside a transaction), so `work` simply runs here, with no task of its own.
    /// `None` when the task running `work` failed.
    pub async fn run_to_end<F>(&self, work: F) -> Option<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        match self.db.backend() {
            Backend::Sqlite => actix_web::rt::spawn(work).await.ok(),
            Backend::Postgres => Some(work.await),
        }
    }
}
