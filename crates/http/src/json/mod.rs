//! The JSON body extractor: checks the media type, size and arrival time, reports malformed JSON
//! (400, with line and column) apart from well-formed JSON of the wrong shape or content (422,
//! naming every bad field by its path at once).

pub mod shape;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpRequest, web};
use claims_domain::validation::FieldErrors;
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde_json::Value;
use validator::Validate;

use crate::error::ApiError;
use crate::state::AppState;

/// Largest JSON body accepted.
pub const JSON_LIMIT: usize = 1024 * 1024;

/// What a request body type needs: serde to read it, its OpenAPI schema (checked first, so every
/// shape fault is found at once) and its field-level rules (run on the rest of the body when some
/// fields are faulty, so those faults are reported too).
pub trait Body: DeserializeOwned + utoipa::ToSchema + Validate {}

impl<T: DeserializeOwned + utoipa::ToSchema + Validate> Body for T {}

/// A JSON body parsed into `T`, with its canonical form: the JSON it means, keys sorted and
/// numbers normalised, so that two bodies that say the same thing compare equal (idempotency).
pub struct Json<T> {
    pub value: T,
    pub canonical: Vec<u8>,
}

impl<T: Body + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = JsonBody::from_request(req, payload);
        Box::pin(async move {
            let body = body.await?;
            let (value, canonical) = parse_with_canonical(&body.0)?;
            Ok(Json { value, canonical })
        })
    }
}

/// A JSON body read (media type, size and time checked) but not yet parsed: for handlers that
/// must decide something first (whether the caller may see the resource) and parse after.
pub struct JsonBody(pub Bytes);

impl JsonBody {
    pub fn parse<T: Body>(&self) -> Result<T, ApiError> {
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
        let timeout = req
            .app_data::<web::Data<AppState>>()
            .map_or(std::time::Duration::from_secs(30), |state| state.settings.body_timeout);
        Box::pin(async move {
            if !media_type_ok {
                return Err(ApiError::UnsupportedMediaType { expected: "application/json" });
            }
            if declared_length.is_some_and(|length| length > JSON_LIMIT) {
                return Err(ApiError::PayloadTooLarge { limit: JSON_LIMIT });
            }
            Ok(JsonBody(read_within(&mut payload, JSON_LIMIT, timeout).await?))
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

/// Like [`read_limited`], giving up with `408` when the whole body has not arrived within
/// `timeout` (so slow or stalled senders cannot hold connections open).
pub async fn read_within<S, E>(
    payload: &mut S,
    limit: usize,
    timeout: std::time::Duration,
) -> Result<Bytes, ApiError>
where
    S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
{
    tokio::time::timeout(timeout, read_limited(payload, limit)).await.map_err(|_| ApiError::RequestTimeout)?
}

/// The bodies whose field rules their handler applies itself, with the rules across fields and
/// against the directory, in one answer: the Claim Notification Form's.
fn validated_by_caller<T: Body>() -> bool {
    matches!(T::name().as_ref(), "SubmitClaimRequest" | "ResubmitRequest")
}

/// Parses JSON into `T`: syntax errors are `400`; faults of shape or content, and of the type's
/// field rules, are one `422` listing every one of them (for the CNF, its handler adds the rest).
pub fn parse<T: Body>(raw: &[u8]) -> Result<T, ApiError> {
    parse_with_canonical(raw).map(|(value, _)| value)
}

fn parse_with_canonical<T: Body>(raw: &[u8]) -> Result<(T, Vec<u8>), ApiError> {
    let mut value: Value = serde_json::from_slice(raw).map_err(|error| {
        ApiError::bad_request(
            "malformed_json",
            format!("malformed JSON at line {} column {}", error.line(), error.column()),
        )
    })?;
    let findings = shape::shapes().check(&T::name(), &mut value);
    if !findings.is_clean() {
        // The rest of the body (repaired where faulty) still answers to the field rules.
        let mut rules = FieldErrors::new();
        if let Ok(repaired) = serde_json::from_value::<T>(value.clone())
            && let Err(found) = repaired.validate()
        {
            rules.add_validator_errors("", &found);
        }
        let rules: Vec<_> = rules.iter().filter(|e| !findings.concerns_repair(&e.field)).collect();
        // A limit the schema states (length, pattern, range, size) is the rule the domain checks
        // too: where both find fault with a field, the rule's own code and wording are reported.
        const LIMITS: [&str; 6] =
            ["too_long", "too_short", "invalid_format", "out_of_range", "too_many", "too_few"];
        let mut errors = FieldErrors::new();
        for error in findings.errors.iter() {
            let restated =
                LIMITS.contains(&error.code.as_str()) && rules.iter().any(|rule| rule.field == error.field);
            if findings.concerns_repair(&error.field) || !restated {
                errors.add(error.field.clone(), &error.code, error.message.clone());
            }
        }
        // A form whose caller runs its whole rule book (the CNF: across fields, against the
        // directory) is read on when the rules said all the schema did, so that those checks
        // report in the same answer.
        let read_on = validated_by_caller::<T>() && errors.is_empty() && findings.repaired.is_empty();
        if !read_on {
            for error in rules {
                errors.add(error.field.clone(), &error.code, error.message.clone());
            }
            return Err(ApiError::Validation(errors));
        }
    }
    let canonical = canonical_json(&value);
    let result: Result<T, _> = serde_path_to_error::deserialize(value);
    let parsed = result.map_err(|error| {
        let path = error.path().to_string();
        shape_error(&path, &error.into_inner().to_string())
    })?;
    if !validated_by_caller::<T>()
        && let Err(found) = parsed.validate()
    {
        let mut errors = FieldErrors::new();
        errors.add_validator_errors("", &found);
        return Err(errors.into());
    }
    Ok((parsed, canonical))
}

/// JSON text with object members in key order at every level: the same meaning, the same bytes.
pub fn canonical_json(value: &Value) -> Vec<u8> {
    fn write(value: &Value, out: &mut Vec<u8>) {
        match value {
            Value::Object(members) => {
                let mut names: Vec<&String> = members.keys().collect();
                names.sort();
                out.push(b'{');
                for (index, name) in names.into_iter().enumerate() {
                    if index > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(Value::String(name.clone()).to_string().as_bytes());
                    out.push(b':');
                    if let Some(member) = members.get(name) {
                        write(member, out);
                    }
                }
                out.push(b'}');
            }
            Value::Array(items) => {
                out.push(b'[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(b',');
                    }
                    write(item, out);
                }
                out.push(b']');
            }
            other => out.extend_from_slice(other.to_string().as_bytes()),
        }
    }
    let mut out = Vec::new();
    write(value, &mut out);
    out
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

    // Types the API document does not know: serde alone judges them (the fallback path).
    #[derive(Debug, serde::Deserialize, utoipa::ToSchema, Validate)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
    }

    #[derive(Debug, serde::Deserialize, utoipa::ToSchema, Validate)]
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
