//! The JSON body extractor: checks the media type and size, and reports malformed JSON (400, with
//! line and column) apart from well-formed JSON of the wrong shape (422, with the field's path).

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest JSON body accepted.
pub const JSON_LIMIT: usize = 1024 * 1024;

/// A JSON body parsed into `T`, with the bytes it came from (for idempotency hashing).
pub struct Json<T> {
    pub value: T,
    pub raw: Bytes,
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = JsonBody::from_request(req, payload);
        Box::pin(async move {
            let JsonBody(raw) = body.await?;
            let value = parse(&raw)?;
            Ok(Json { value, raw })
        })
    }
}

/// A JSON body read (media type and size checked) but not yet parsed: for handlers that must
/// decide something first (whether the caller may see the resource) and parse after.
pub struct JsonBody(pub Bytes);

impl JsonBody {
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        parse(&self.0)
    }
}

impl FromRequest for JsonBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let media_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().eq_ignore_ascii_case("application/json"))
            .unwrap_or(false);
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !media_type_ok {
                return Err(ApiError::UnsupportedMediaType { expected: "application/json" });
            }
            if declared_length.is_some_and(|length| length > JSON_LIMIT) {
                return Err(ApiError::PayloadTooLarge { limit: JSON_LIMIT });
            }
            Ok(JsonBody(read_limited(&mut payload, JSON_LIMIT).await?))
        })
    }
}

/// Reads a whole body, refusing more than `limit` bytes.
pub async fn read_limited<S, E>(payload: &mut S, limit: usize) -> Result<Bytes, ApiError>
where
    S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|_| ApiError::bad_request("malformed_body", "the body could not be read"))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Parses JSON into `T`, telling syntax errors (400) from shape errors (422, naming the path).
pub fn parse<T: DeserializeOwned>(raw: &[u8]) -> Result<T, ApiError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(raw);
    let result: Result<T, _> = serde_path_to_error::deserialize(deserializer);
    result.map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof
            | serde_json::error::Category::Io => ApiError::bad_request(
                "malformed_json",
                format!("malformed JSON at line {} column {}", inner.line(), inner.column()),
            ),
            serde_json::error::Category::Data => shape_error(&path, &inner.to_string()),
        }
    })
}

/// Turns serde's message for a wrong-shaped field into a field error. Serde's messages may quote
/// the submitted value, so only the kind of fault is kept, never the text.
fn shape_error(path: &str, message: &str) -> ApiError {
    let path = if path == "." { String::new() } else { path.to_owned() };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let field = if path.is_empty() || path == name {
            name.to_owned()
        } else if path.ends_with(&format!(".{name}")) {
            path
        } else {
            format!("{path}.{name}")
        };
        return ApiError::invalid_field(&field, "unknown_field", "is not a field of this object");
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let field = if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") };
        return ApiError::invalid_field(&field, "required", "is required");
    }
    let field = if path.is_empty() { "body".to_owned() } else { path };
    if message.starts_with("unknown variant") {
        let allowed = message.split("expected ").nth(1).unwrap_or_default();
        let allowed = allowed.split(" at line").next().unwrap_or_default();
        return ApiError::invalid_field(&field, "invalid_value", &format!("must be {allowed}"));
    }
    if message.starts_with("invalid type") {
        let expected = message.split("expected ").nth(1).unwrap_or_default();
        let expected = expected.split(" at line").next().unwrap_or_default();
        return ApiError::invalid_field(&field, "invalid_type", &format!("must be {expected}"));
    }
    if message.starts_with("input contains invalid characters") || message.contains("premature end") {
        return ApiError::invalid_field(&field, "invalid_format", "must be a date YYYY-MM-DD");
    }
    ApiError::invalid_field(&field, "invalid_value", "is not a valid value")
}

#[cfg(test)]
mod tests {
    use super::*;
    use claims_domain::validation::FieldError;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
        when: chrono::NaiveDate,
    }

    fn field_errors(raw: &str) -> Vec<FieldError> {
        match parse::<Outer>(raw.as_bytes()) {
            Err(ApiError::Validation(errors)) => errors.into_sorted(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        match parse::<Outer>(b"{\n  \"inner\": {,\n}") {
            Err(ApiError::BadRequest { detail, .. }) => {
                assert_eq!(detail, "malformed JSON at line 2 column 13")
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unknown_fields_are_named_by_path() {
        let errors = field_errors(r#"{"inner": {"count": 1, "when": "2025-01-01", "colour": "red"}}"#);
        assert_eq!(errors[0].field, "inner.colour");
        assert_eq!(errors[0].code, "unknown_field");
    }

    #[test]
    fn wrong_types_and_missing_fields_are_named_by_path() {
        let errors = field_errors(r#"{"inner": {"count": "secret value", "when": "2025-01-01"}}"#);
        assert_eq!((errors[0].field.as_str(), errors[0].code.as_str()), ("inner.count", "invalid_type"));
        assert!(!errors[0].message.contains("secret value"));
        let errors = field_errors(r#"{"inner": {"count": 1}}"#);
        assert_eq!((errors[0].field.as_str(), errors[0].code.as_str()), ("inner.when", "required"));
    }
}
