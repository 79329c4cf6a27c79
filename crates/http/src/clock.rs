//! The clocks the hub runs on: the system clock in production, a movable one in the sandbox.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use claims_domain::Clock;
use claims_domain::clock::truncate_to_micros;

/// Real time.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        truncate_to_micros(Utc::now())
    }
}

/// The sandbox clock: real time shifted by an offset that integrators move forward to make
/// deadlines pass. It keeps ticking between moves.
pub struct SandboxClock {
    offset: Mutex<Duration>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the sandbox clock only moves forward")]
pub struct ClockWouldGoBack;

impl SandboxClock {
    /// A clock reading `start` now.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self { offset: Mutex::new(start - Utc::now()) }
    }

    /// Moves the clock so that it reads `to` now; refuses to go back.
    pub fn set(&self, to: DateTime<Utc>) -> Result<DateTime<Utc>, ClockWouldGoBack> {
        let mut offset = self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let real = Utc::now();
        if to < real + *offset {
            return Err(ClockWouldGoBack);
        }
        *offset = to - real;
        Ok(truncate_to_micros(to))
    }
}

impl Clock for SandboxClock {
    fn now(&self) -> DateTime<Utc> {
        let offset = *self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        truncate_to_micros(Utc::now() + offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).expect("instant")
    }

    #[test]
    fn the_sandbox_clock_starts_where_told_and_only_moves_forward() {
        let clock = SandboxClock::starting_at(at("2025-08-22T09:00:00Z"));
        assert!(clock.now() >= at("2025-08-22T09:00:00Z"));
        assert!(clock.now() < at("2025-08-22T09:01:00Z"));
        clock.set(at("2025-09-16T00:00:01Z")).expect("forward");
        assert!(clock.now() >= at("2025-09-16T00:00:01Z"));
        assert_eq!(clock.set(at("2025-09-01T00:00:00Z")), Err(ClockWouldGoBack));
    }
}
