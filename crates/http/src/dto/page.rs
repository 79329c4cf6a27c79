//! Lists: a page of items and an opaque cursor to the next one.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use utoipa::ToSchema;

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

/// Encodes a position as an opaque cursor.
pub fn encode_cursor<T: Serialize>(position: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).unwrap_or_default())
}

pub fn decode_cursor<T: DeserializeOwned>(cursor: &str) -> Result<T, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| ApiError::bad_request("invalid_cursor", "the cursor is not one this API issued"))
}

/// Builds a page from `limit + 1` fetched rows: the extra row only says that there is more.
pub fn paginate<R, T, P: Serialize>(
    mut rows: Vec<R>,
    limit: i64,
    position: impl Fn(&R) -> P,
    view: impl Fn(R) -> T,
) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more { rows.last().map(|last| encode_cursor(&position(last))) } else { None };
    Page { items: rows.into_iter().map(view).collect(), next_cursor }
}

/// A cursor of a list ordered by a single text key.
#[derive(Debug, Serialize, Deserialize)]
pub struct KeyCursor {
    pub after: String,
}
