//! The bank-holiday calendar as this process holds it: loaded from the database, reloaded when
//! another process changes it (checked at most every few seconds), replaced at once when this
//! process changes it; and how a change asks the deadline sweeper to recount, and hears back.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use claims_domain::calendar::Calendar;
use claims_persistence::{Database, StoreError};
use tokio::sync::Mutex;

/// How stale the revision check may be.
const RECHECK: Duration = Duration::from_secs(5);

pub struct CalendarCache {
    current: RwLock<(i64, Arc<Calendar>)>,
    checked_at: Mutex<Instant>,
}

impl CalendarCache {
    /// Loads the calendar, first filling an empty one with the shipped England and Wales
    /// holidays.
    pub async fn load(db: &Database, now: chrono::DateTime<chrono::Utc>) -> Result<Self, StoreError> {
        let shipped: Vec<_> = Calendar::england_and_wales().holidays().collect();
        db.seed_bank_holidays(&shipped, now).await?;
        let (revision, _) = db.calendar_state().await?;
        let calendar = Calendar::new(db.bank_holidays().await?);
        Ok(Self {
            current: RwLock::new((revision, Arc::new(calendar))),
            checked_at: Mutex::new(Instant::now()),
        })
    }

    /// The calendar, rechecked against the database when the last check is a few seconds old.
    /// One caller checks at a time; the others use the calendar as last loaded rather than wait.
    pub async fn current(&self, db: &Database) -> Result<Arc<Calendar>, StoreError> {
        let Ok(mut checked_at) = self.checked_at.try_lock() else {
            return Ok(self.snapshot());
        };
        if checked_at.elapsed() >= RECHECK {
            // Whatever the outcome, the next check waits its turn (an unreachable database is
            // not asked again by every request).
            *checked_at = Instant::now();
            let (revision, _) = db.calendar_state().await?;
            if revision != self.revision() {
                self.reload(db).await?;
            }
        }
        Ok(self.snapshot())
    }

    /// Reads the calendar again now (after this process changed it).
    pub async fn reload(&self, db: &Database) -> Result<Arc<Calendar>, StoreError> {
        let (revision, _) = db.calendar_state().await?;
        let calendar = Arc::new(Calendar::new(db.bank_holidays().await?));
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = (revision, calendar.clone());
        Ok(calendar)
    }

    /// The revision of the calendar as last loaded (it grows with every change).
    pub fn revision(&self) -> i64 {
        self.current.read().unwrap_or_else(|p| p.into_inner()).0
    }

    pub fn snapshot(&self) -> Arc<Calendar> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).1.clone()
    }

    /// The calendar as last loaded with its revision, read together.
    pub fn counted(&self) -> (i64, Arc<Calendar>) {
        let current = self.current.read().unwrap_or_else(|p| p.into_inner());
        (current.0, current.1.clone())
    }
}

/// What the recount last finished: the calendar revision every open deadline is now counted on,
/// and how many claims had a deadline move on the way there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecountProgress {
    pub revision: i64,
    pub rescheduled: usize,
}

/// How a calendar change reaches the recount (the deadline sweeper's work) and hears how far it
/// got. The recount itself is driven by the database (each claim's `calendar_revision`), so a
/// nudge lost to a restart costs nothing: the next round finds the claims still to do.
#[derive(Clone)]
pub struct Recounts {
    nudge: Arc<tokio::sync::Notify>,
    progress: Arc<tokio::sync::watch::Sender<RecountProgress>>,
}

impl Default for Recounts {
    fn default() -> Self {
        Self {
            nudge: Arc::default(),
            progress: Arc::new(tokio::sync::watch::Sender::new(RecountProgress::default())),
        }
    }
}

impl Recounts {
    /// Asks the sweeper to recount now rather than at its next round.
    pub fn nudge(&self) {
        self.nudge.notify_one();
    }

    /// Resolves when someone nudged (a nudge given before is kept).
    pub async fn nudged(&self) {
        self.nudge.notified().await;
    }

    /// The sweeper finished a recount.
    pub fn finished(&self, progress: RecountProgress) {
        self.progress.send_replace(progress);
    }

    /// Waits up to `within` for a recount to reach `revision`; what it did, if it did. With no
    /// time to wait, `None` at once (even if a recount has just got there).
    pub async fn wait_for(&self, revision: i64, within: Duration) -> Option<RecountProgress> {
        if within.is_zero() {
            return None;
        }
        let mut progress = self.progress.subscribe();
        let reached = progress.wait_for(|done| done.revision >= revision);
        match tokio::time::timeout(within, reached).await {
            Ok(Ok(done)) => Some(*done),
            _ => None,
        }
    }
}
