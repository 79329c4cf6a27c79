//! `GET /v1/events`: the caller organisation's event feed.

use actix_web::{HttpResponse, get, web};

use crate::auth::Caller;
use crate::dto::event::{EventPage, EventView, FeedQuery};
use crate::error::{ApiError, Problem};
use crate::service::events as feed;
use crate::state::AppState;

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
    let query = query.into_inner();
    let (events, next_cursor) =
        feed::read(&state, &caller, query.after.as_deref(), query.limit, query.wait).await?;
    let items = events.into_iter().map(EventView::from).collect();
    Ok(HttpResponse::Ok().json(EventPage { items, next_cursor }))
}
