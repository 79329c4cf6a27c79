//! Limits kept in each hub process's memory: every API client's request rate, and the token
//! endpoint's guard against secret guessing. Both run on the hub's real clock (injected, so
//! tests move it), and both are per process: a hub of N processes allows N times the rate.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// Each client's request rate: a bucket of `burst` requests that refills at `per_second`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateSettings {
    /// Requests a client may make per second, sustained (0: no limit).
    pub per_second: u32,
    /// Requests a client may make at once, above the sustained rate.
    pub burst: u32,
}

impl Default for RateSettings {
    fn default() -> Self {
        Self { per_second: 50, burst: 100 }
    }
}

/// Where a client stands against its rate, for the `RateLimit` headers
/// (draft-ietf-httpapi-ratelimit-headers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allowance {
    /// The bucket's size (`q`) and the seconds it takes to refill from empty (`w`).
    pub quota: u32,
    pub window_seconds: u64,
    /// Requests left now (`r`), and seconds until the bucket is full again (`t`).
    pub remaining: u32,
    pub reset_seconds: u64,
    /// When refused: seconds until the next request is allowed (`Retry-After`).
    pub retry_after: Option<u64>,
}

impl Allowance {
    /// `RateLimit-Policy` and `RateLimit` header values.
    pub fn headers(&self) -> [(&'static str, String); 2] {
        [
            ("ratelimit-policy", format!("\"client\";q={};w={}", self.quota, self.window_seconds)),
            ("ratelimit", format!("\"client\";r={};t={}", self.remaining, self.reset_seconds)),
        ]
    }
}

struct Bucket {
    /// Requests available, in thousandths.
    level: i64,
    at: DateTime<Utc>,
}

/// Buckets of more than this many clients are pruned of full ones.
const PRUNE_ABOVE: usize = 10_000;

/// The request rate of every API client.
pub struct RateLimits {
    settings: RateSettings,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimits {
    pub fn new(settings: RateSettings) -> Self {
        Self { settings, buckets: Mutex::default() }
    }

    /// Takes one request from `client`'s bucket; `None` when there is no limit.
    pub fn take(&self, client: &str, now: DateTime<Utc>) -> Option<Allowance> {
        let RateSettings { per_second, burst } = self.settings;
        if per_second == 0 {
            return None;
        }
        let capacity = i64::from(burst.max(1)) * 1000;
        let per_ms = i64::from(per_second); // thousandths of a request per millisecond
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() > PRUNE_ABOVE {
            buckets
                .retain(|_, bucket| bucket.level + (now - bucket.at).num_milliseconds() * per_ms < capacity);
        }
        let bucket = buckets.entry(client.to_owned()).or_insert(Bucket { level: capacity, at: now });
        let elapsed = (now - bucket.at).num_milliseconds().max(0);
        bucket.level = (bucket.level + elapsed * per_ms).min(capacity);
        bucket.at = now;
        let ceil_seconds = |thousandths: i64| {
            u64::try_from((thousandths + per_ms * 1000 - 1) / (per_ms * 1000)).unwrap_or(0)
        };
        let retry_after = if bucket.level >= 1000 {
            bucket.level -= 1000;
            None
        } else {
            Some(ceil_seconds(1000 - bucket.level).max(1))
        };
        Some(Allowance {
            quota: burst.max(1),
            window_seconds: ceil_seconds(capacity).max(1),
            remaining: u32::try_from(bucket.level / 1000).unwrap_or(0),
            reset_seconds: ceil_seconds(capacity - bucket.level),
            retry_after,
        })
    }
}

/// How the token endpoint limits guessing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GuardSettings {
    /// Failed attempts from one source address in a window, after which the address is refused
    /// (`429`) until the window ends.
    pub source_failures: u32,
    /// Failed attempts for one client id in a window, after which its attempts are slowed: one
    /// verification per `spacing`, and one attempt at a time from each source.
    pub client_failures: u32,
    /// The window, on the hub's real clock (it starts with the first failure).
    pub window: Duration,
    /// Time between two verifications for a client id being guessed at.
    pub spacing: std::time::Duration,
    /// Secret verifications (Argon2id, deliberately slow) run at once, across all clients.
    pub verifications: usize,
}

impl Default for GuardSettings {
    fn default() -> Self {
        Self {
            source_failures: 20,
            client_failures: 5,
            window: Duration::minutes(15),
            spacing: std::time::Duration::from_secs(1),
            verifications: 2,
        }
    }
}

/// Failures counted from the first one, for one window.
#[derive(Default)]
struct Window {
    count: u32,
    started: Option<DateTime<Utc>>,
}

impl Window {
    /// The count now (a window that has ended starts again).
    fn current(&mut self, now: DateTime<Utc>, length: Duration) -> u32 {
        if self.started.is_some_and(|started| now >= started + length) {
            *self = Window::default();
        }
        self.count
    }

    fn add(&mut self, now: DateTime<Utc>) {
        self.started.get_or_insert(now);
        self.count += 1;
    }

    fn remove(&mut self) {
        self.count = self.count.saturating_sub(1);
    }
}

/// What the guard keeps for one client id (known or not: unknown ids are treated the same, so
/// the answers do not tell which exist).
#[derive(Default)]
struct ClientGate {
    failures: Mutex<Window>,
    /// Sources with an attempt waiting or running while the client id is slowed.
    waiting: Mutex<HashSet<IpAddr>>,
    /// Held while a slowed attempt waits out the spacing and verifies; when the last one ended.
    turn: Arc<tokio::sync::Mutex<Option<tokio::time::Instant>>>,
}

/// Why an attempt was refused before its secret was checked, and for how long.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    pub retry_after_seconds: i64,
}

/// The token endpoint's guard. Every attempt is counted as a failure when it arrives (so
/// parallel guesses count at once) and uncounted when its secret proves right.
pub struct TokenGuard {
    settings: GuardSettings,
    verifications: tokio::sync::Semaphore,
    sources: Mutex<HashMap<IpAddr, Window>>,
    clients: Mutex<HashMap<String, Arc<ClientGate>>>,
}

/// An attempt admitted by the guard; [`Attempt::succeeded`] uncounts it.
pub struct Attempt<'a> {
    guard: &'a TokenGuard,
    source: IpAddr,
    gate: Arc<ClientGate>,
    slowed: bool,
    _turn: Option<TurnGuard>,
}

struct TurnGuard {
    held: tokio::sync::OwnedMutexGuard<Option<tokio::time::Instant>>,
}

impl Drop for TurnGuard {
    fn drop(&mut self) {
        *self.held = Some(tokio::time::Instant::now());
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl TokenGuard {
    pub fn new(settings: GuardSettings) -> Self {
        Self {
            settings,
            verifications: tokio::sync::Semaphore::new(settings.verifications.max(1)),
            sources: Mutex::default(),
            clients: Mutex::default(),
        }
    }

    /// Admits an attempt from `source` for `client_id`, or refuses it without a verification:
    /// the source is over its limit, or the client id is slowed and this source already has an
    /// attempt for it under way. A slowed client id's attempts wait their turn here.
    pub async fn admit(
        &self,
        source: IpAddr,
        client_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Attempt<'_>, Refused> {
        let window = self.settings.window;
        {
            let mut sources = lock(&self.sources);
            if sources.len() > PRUNE_ABOVE {
                sources.retain(|_, failures| failures.current(now, window) > 0);
            }
            let failures = sources.entry(source).or_default();
            if failures.current(now, window) >= self.settings.source_failures {
                let ends = failures.started.map_or(now, |started| started + window);
                return Err(Refused { retry_after_seconds: (ends - now).num_seconds().max(1) });
            }
            failures.add(now);
        }
        let gate = {
            let mut clients = lock(&self.clients);
            if clients.len() > PRUNE_ABOVE {
                clients.retain(|_, gate| {
                    Arc::strong_count(gate) > 1 || lock(&gate.failures).current(now, window) > 0
                });
            }
            clients.entry(client_id.to_owned()).or_default().clone()
        };
        let slowed = {
            let mut failures = lock(&gate.failures);
            let slowed = failures.current(now, window) >= self.settings.client_failures;
            failures.add(now);
            slowed
        };
        let mut attempt = Attempt { guard: self, source, gate, slowed, _turn: None };
        if slowed {
            if !lock(&attempt.gate.waiting).insert(source) {
                attempt.slowed = false; // not waiting: nothing to take back from `waiting`
                attempt.uncount();
                return Err(Refused { retry_after_seconds: 1 });
            }
            let held = attempt.gate.turn.clone().lock_owned().await;
            if let Some(last) = *held {
                tokio::time::sleep_until(last + self.settings.spacing).await;
            }
            attempt._turn = Some(TurnGuard { held });
        }
        Ok(attempt)
    }

    /// Runs a secret verification when a place is free (at most `verifications` at once).
    pub async fn verify<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let _permit = self.verifications.acquire().await.ok()?;
        actix_web::web::block(work).await.ok()
    }
}

impl Attempt<'_> {
    /// The secret was right: this attempt is not a failure.
    pub fn succeeded(mut self) {
        self.uncount();
    }

    fn uncount(&mut self) {
        if let Some(failures) = lock(&self.guard.sources).get_mut(&self.source) {
            failures.remove();
        }
        lock(&self.gate.failures).remove();
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if self.slowed {
            lock(&self.gate.waiting).remove(&self.source);
        }
    }
}
