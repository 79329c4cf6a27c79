//! `GET /v1/events`: the caller organisation's event feed.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};

use crate::auth::Caller;
use crate::dto::event::{EventPage, EventView, FeedQuery};
use crate::dto::page;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// Longest long poll.
const MAX_WAIT_SECONDS: u64 = 30;
/// How often a long poll looks again for events written by other hub processes.
const RECHECK: Duration = Duration::from_millis(250);

/// Read the event feed.
///
/// The caller organisation's events, oldest first. Store the `id` of the last event processed and
/// pass it as `after`: the feed never skips or reorders an event, even when many writes commit at
/// once on several hub processes, so every event is seen exactly once. An organisation sees a
/// claim's events only for the time it is a party to the claim. With `wait`, the call returns as
/// soon as there is an event (at most `wait` seconds).
#[utoipa::path(
    tag = "events",
    operation_id = "read_events",
    params(FeedQuery),
    responses(
        (status = 200, description = "The next events", body = EventPage),
        (status = 400, description = "Bad cursor, limit or wait", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[get("/events")]
pub async fn read_events(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<FeedQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require_claims_role()?;
    let query = query.into_inner();
    let limit = page::limit(query.limit)?;
    let after = match query.after.as_deref() {
        None => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::bad_request("invalid_cursor", "after must be an event id"))?,
    };
    let wait = query.wait.unwrap_or(0);
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
            let items = events.into_iter().map(EventView::from).collect();
            return Ok(HttpResponse::Ok().json(EventPage { items, next_cursor }));
        }
        // Woken by this process's next pass, or look again soon for other processes' events.
        let _ = tokio::time::timeout(RECHECK.min(deadline - now), published).await;
    }
}
