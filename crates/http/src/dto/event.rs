//! Events as the feed shows them: ids and codes, never personal data.

use chrono::{DateTime, Utc};
use claims_domain::events::EventType;
use claims_persistence::records::{Actor, FeedEvent};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Who caused an event.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActorView {
    /// `organisation` for an API client's action, `system` for the hub's own (deadlines).
    #[schema(example = "organisation")]
    pub kind: &'static str,
    #[schema(example = "CR00001")]
    pub organisation: Option<String>,
    pub client_id: Option<String>,
    /// The `Acting-User` the client named, if any.
    pub acting_user: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    /// The event's feed position: pass it as `after` to read what follows.
    #[schema(example = "42")]
    pub id: String,
    #[serde(rename = "type")]
    #[schema(example = "claim.submitted")]
    pub event_type: EventType,
    /// The claim the event is about; `null` for an event about the organisation itself (such as
    /// `client.disabled`).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub claim_id: Option<claims_domain::ids::ClaimId>,
    pub occurred_at: DateTime<Utc>,
    pub actor: ActorView,
    /// Details of the event: statuses, versions, dates and organisation codes.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl From<&Actor> for ActorView {
    fn from(actor: &Actor) -> Self {
        Self {
            kind: if actor.organisation.is_some() { "organisation" } else { "system" },
            organisation: actor.organisation.as_ref().map(ToString::to_string),
            client_id: actor.client_id.clone(),
            acting_user: actor.acting_user.clone(),
        }
    }
}

impl From<FeedEvent> for EventView {
    fn from(event: FeedEvent) -> Self {
        Self {
            id: event.position.to_string(),
            event_type: event.event_type,
            claim_id: event.claim_id,
            occurred_at: event.occurred_at,
            actor: ActorView::from(&event.actor),
            data: event.data,
        }
    }
}

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<EventView>,
    /// Where to continue: the last item's id, or the `after` given when there was nothing new.
    #[schema(example = "42")]
    pub next_cursor: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The id of the last event already processed (default: the start of the feed).
    pub after: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// Seconds (up to 30) to wait for an event when there is none yet: a long poll.
    pub wait: Option<u64>,
}
