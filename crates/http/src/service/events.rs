//! Reading an organisation's event feed, with long polling.

use std::time::Duration;

use claims_persistence::records::FeedEvent;

use crate::auth::Caller;
use crate::dto::page;
use crate::error::ApiError;
use crate::state::AppState;

/// Longest long poll.
pub const MAX_WAIT_SECONDS: u64 = 30;
/// How often a long poll looks again for events written by other hub processes.
const RECHECK: Duration = Duration::from_millis(250);

/// The caller organisation's events after the cursor `after` (oldest first, at most `limit`),
/// waiting up to `wait` seconds for one when there is none yet; with the cursor to read on from.
pub async fn read(
    state: &AppState,
    caller: &Caller,
    after: Option<&str>,
    limit: Option<i64>,
    wait: Option<u64>,
) -> Result<(Vec<FeedEvent>, String), ApiError> {
    caller.require_claims_role()?;
    let limit = page::limit(limit)?;
    let after = match after {
        None => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::bad_request("invalid_cursor", "after must be an event id"))?,
    };
    let wait = wait.unwrap_or(0);
    if wait > MAX_WAIT_SECONDS {
        return Err(ApiError::bad_request("invalid_wait", "wait must be 0 to 30 seconds"));
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(wait);
    let organisation = caller.organisation.to_string();
    loop {
        // Published positions first, so this reader sees everything committed before it asked.
        let published = state.sequencer.published();
        tokio::pin!(published);
        published.as_mut().enable();
        state.sequencer.catch_up(&state.db).await?;
        let events = state.db.feed(&organisation, after, limit).await?;
        let now = tokio::time::Instant::now();
        if !events.is_empty() || now >= deadline {
            let next_cursor = events.last().map_or(after, |e| e.position).to_string();
            return Ok((events, next_cursor));
        }
        // Woken by this process's next pass, or look again soon for other processes' events.
        let _ = tokio::time::timeout(RECHECK.min(deadline - now), published).await;
    }
}
