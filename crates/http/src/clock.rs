//! The clocks the hub runs on.
//!
//! Two kinds of time: the hub's *real* clock (what the host says; tokens, secret overlaps,
//! lockouts and idempotency leases run on it) and *business* time (notification dates,
//! deadlines, events). In production both are the system clock. In the sandbox, business time is
//! the [`SandboxClock`]: real time plus an offset that integrators move forward, stored in the
//! database so that every sandbox process on it reads the same time and a restart carries on
//! where the last one stopped.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};
use claims_domain::Clock;
use claims_domain::clock::truncate_to_micros;
use claims_persistence::{Database, StoreError};

/// Real time.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        truncate_to_micros(Utc::now())
    }
}

/// Real time shifted by an offset that can be moved either way: a stand-in for the host's clock
/// where tests need the real clock to pass (a token expiring, a lockout ending).
#[derive(Default)]
pub struct AdjustableClock {
    offset: Mutex<Duration>,
}

impl AdjustableClock {
    /// Moves the clock by `by` (negative: back).
    pub fn advance(&self, by: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *offset += by;
    }
}

impl Clock for AdjustableClock {
    fn now(&self) -> DateTime<Utc> {
        let offset = *self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        truncate_to_micros(Utc::now() + offset)
    }
}

/// Why the sandbox clock cannot be set or opened as asked.
#[derive(Debug, thiserror::Error)]
pub enum SandboxClockError {
    #[error("the sandbox clock only moves forward: it reads {}", rfc3339(current))]
    WouldGoBack { current: DateTime<Utc> },
    #[error(
        "the sandbox clock stored in this database reads {}, later than the requested start {}; \
         start without --clock to carry on from the stored time, or add --reset-clock to start the \
         clock over at the requested time",
        rfc3339(stored),
        rfc3339(requested)
    )]
    StartsBeforeStored { stored: DateTime<Utc>, requested: DateTime<Utc> },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How a sandbox process wants its clock at start-up.
#[derive(Clone, Copy, Debug, Default)]
pub struct SandboxStart {
    /// Start (or move forward) to this instant; without it, carry on from the stored clock or
    /// start at real time on a new database.
    pub at: Option<DateTime<Utc>>,
    /// Set the clock to `at` (or real time) even if the stored clock is later.
    pub reset: bool,
}

/// The sandbox's business clock: real time plus an offset kept in the database.
///
/// The offset is cached; [`SandboxClock::refresh`] rereads it (the hub does so before serving
/// each authenticated request and before each sweep), so a move made by another process is seen
/// by the next request here.
pub struct SandboxClock {
    real: Arc<dyn Clock>,
    offset_micros: AtomicI64,
}

impl SandboxClock {
    /// Opens the database's sandbox clock as `start` asks: a new database starts at `start.at`
    /// (or now); a stored clock carries on, moves forward to `start.at`, or (with `reset`) is set
    /// to it. A start before the stored time without `reset` is refused.
    pub async fn open(
        db: &Database,
        real: Arc<dyn Clock>,
        start: SandboxStart,
    ) -> Result<Self, SandboxClockError> {
        let now = real.now();
        let wanted = start.at.map(|at| micros_between(now, at));
        let offset = match (db.sandbox_clock_offset().await?, wanted) {
            _ if start.reset => {
                let offset = wanted.unwrap_or(0);
                db.reset_sandbox_clock(offset, now).await?;
                offset
            }
            (None, wanted) => db.start_sandbox_clock(wanted.unwrap_or(0), now).await?,
            (Some(stored), None) => stored,
            (Some(stored), Some(wanted)) if wanted >= stored => {
                if db.advance_sandbox_clock(wanted, now).await? {
                    wanted
                } else {
                    // Another process moved it further meanwhile: carry on from there.
                    db.sandbox_clock_offset().await?.unwrap_or(wanted)
                }
            }
            (Some(stored), Some(_)) => {
                return Err(SandboxClockError::StartsBeforeStored {
                    stored: shifted(now, stored),
                    requested: start.at.map_or(now, truncate_to_micros),
                });
            }
        };
        Ok(Self { real, offset_micros: AtomicI64::new(offset) })
    }

    /// Rereads the stored offset (another process may have moved the clock).
    pub async fn refresh(&self, db: &Database) -> Result<(), StoreError> {
        if let Some(stored) = db.sandbox_clock_offset().await? {
            self.offset_micros.fetch_max(stored, Ordering::SeqCst);
        }
        Ok(())
    }

    /// Moves the clock so that it reads `to` now, for every process on the database; refuses to
    /// go back.
    pub async fn set(&self, db: &Database, to: DateTime<Utc>) -> Result<DateTime<Utc>, SandboxClockError> {
        let now = self.real.now();
        let offset = micros_between(now, to);
        if !db.advance_sandbox_clock(offset, now).await? {
            self.refresh(db).await?;
            return Err(SandboxClockError::WouldGoBack { current: self.now() });
        }
        self.offset_micros.fetch_max(offset, Ordering::SeqCst);
        Ok(truncate_to_micros(to))
    }
}

impl Clock for SandboxClock {
    fn now(&self) -> DateTime<Utc> {
        shifted(self.real.now(), self.offset_micros.load(Ordering::SeqCst))
    }
}

fn rfc3339(instant: &DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn shifted(real: DateTime<Utc>, offset_micros: i64) -> DateTime<Utc> {
    truncate_to_micros(real + Duration::microseconds(offset_micros))
}

/// `to - from` in whole microseconds (saturating far outside any sensible range).
fn micros_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (truncate_to_micros(to) - from).num_microseconds().unwrap_or(if to > from { i64::MAX } else { i64::MIN })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjustable_clock_moves_both_ways() {
        let clock = AdjustableClock::default();
        let before = clock.now();
        clock.advance(Duration::hours(2));
        assert!(clock.now() >= before + Duration::hours(2));
        clock.advance(Duration::hours(-3));
        assert!(clock.now() < before);
    }
}
