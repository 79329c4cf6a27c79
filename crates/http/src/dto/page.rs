//! Lists: a page of items and an opaque cursor to the next one.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use utoipa::ToSchema;

use crate::auth::keys::TokenKeys;
use crate::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// The page size a request asked for, checked.
pub fn limit(requested: Option<i64>) -> Result<i64, ApiError> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::bad_request("invalid_limit", format!("limit must be 1 to {MAX_LIMIT}"))),
    }
}

/// What a cursor carries: the position, and until when (by the hub's real clock, as a Unix
/// time) it may be used.
#[derive(Serialize, Deserialize)]
struct Sealed<P> {
    #[serde(rename = "p")]
    position: P,
    #[serde(rename = "x")]
    expires: i64,
}

/// Makes and reads the cursors of lists. A cursor is sealed with a key of the hub's (so a client
/// can neither make one up nor alter one) and expires `lifetime` after it was given out.
pub struct Cursors<'a> {
    pub keys: &'a TokenKeys,
    pub now: DateTime<Utc>,
    pub lifetime: Duration,
}

impl Cursors<'_> {
    pub fn encode<P: Serialize>(&self, position: P) -> String {
        let expires = (self.now + self.lifetime).timestamp();
        self.keys.seal(&serde_json::to_vec(&Sealed { position, expires }).unwrap_or_default())
    }

    /// The position in a cursor this hub gave out: `invalid_cursor` for anything else,
    /// `cursor_expired` once it is too old.
    pub fn decode<P: DeserializeOwned>(&self, cursor: &str) -> Result<P, ApiError> {
        let sealed: Sealed<P> =
            self.keys.open(cursor).and_then(|payload| serde_json::from_slice(&payload).ok()).ok_or_else(
                || ApiError::bad_request("invalid_cursor", "the cursor is not one this API issued"),
            )?;
        if self.now.timestamp() >= sealed.expires {
            return Err(ApiError::bad_request(
                "cursor_expired",
                "the cursor has expired: start the walk again from the first page",
            ));
        }
        Ok(sealed.position)
    }

    /// Builds a page from `limit + 1` fetched rows: the extra row only says that there is more.
    pub fn paginate<R, T, P: Serialize>(
        &self,
        mut rows: Vec<R>,
        limit: i64,
        position: impl Fn(&R) -> P,
        view: impl Fn(R) -> T,
    ) -> Page<T> {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if more { rows.last().map(|last| self.encode(position(last))) } else { None };
        Page { items: rows.into_iter().map(view).collect(), next_cursor }
    }
}

/// A cursor of a list ordered by a single text key.
#[derive(Debug, Serialize, Deserialize)]
pub struct KeyCursor {
    pub after: String,
}
