//! The bank-holiday calendar as this process holds it: loaded from the database, reloaded when
//! another process changes it (checked at most every few seconds), replaced at once when this
//! process changes it; and the channel through which a change asks the deadline sweeper to
//! recount.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use claims_domain::calendar::Calendar;
use claims_persistence::{Database, StoreError};
use tokio::sync::Mutex;

use crate::error::ApiError;

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
}

/// A request to the deadline sweeper to recount every open deadline; it answers with how many
/// claims had a deadline move.
pub type RecountRequest = tokio::sync::oneshot::Sender<Result<usize, ApiError>>;

/// Where recount requests go (the sweeper task holds the other end).
#[derive(Clone)]
pub struct Recounts(tokio::sync::mpsc::UnboundedSender<RecountRequest>);

impl Recounts {
    pub fn channel() -> (Recounts, tokio::sync::mpsc::UnboundedReceiver<RecountRequest>) {
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
        (Recounts(sender), receiver)
    }

    /// Asks the sweeper to recount and waits for its answer.
    pub async fn request(&self) -> Result<usize, ApiError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.0
            .send(reply)
            .map_err(|_| ApiError::Internal("the deadline sweeper is not running".to_owned()))?;
        answer.await.map_err(|_| ApiError::Internal("the deadline sweeper stopped".to_owned()))?
    }
}
