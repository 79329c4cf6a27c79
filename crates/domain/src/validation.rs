//! Field errors: every problem with an input, named by its JSON path, collected in one place so a
//! client learns of all of them at once.

use std::borrow::Cow;

use serde::Serialize;
use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

/// One invalid field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON path of the field, such as `cnf.claimant.date_of_birth` or `cnf.injury.hospitals[0].name`.
    pub field: String,
    /// Stable machine-readable code, such as `required`, `too_long` or `date_in_future`.
    pub code: String,
    /// Human-readable explanation; never repeats the submitted value.
    pub message: String,
}

/// The problems found with an input, in a stable order (by path, then code).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), code: code.to_owned(), message: message.into() });
    }

    /// Adds what a `validator` derive found, with every path under `prefix`.
    pub fn add_validator_errors(&mut self, prefix: &str, errors: &ValidationErrors) {
        for (field, kind) in errors.errors() {
            let path = join(prefix, field);
            match kind {
                ValidationErrorsKind::Field(list) => {
                    for error in list {
                        self.add(path.clone(), &error.code, message_of(error));
                    }
                }
                ValidationErrorsKind::Struct(inner) => self.add_validator_errors(&path, inner),
                ValidationErrorsKind::List(items) => {
                    for (index, inner) in items {
                        self.add_validator_errors(&format!("{path}[{index}]"), inner);
                    }
                }
            }
        }
    }

    /// Adds every error of `other`.
    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// The errors sorted and without repeats.
    pub fn into_sorted(mut self) -> Vec<FieldError> {
        self.0.sort_by(|a, b| (&a.field, &a.code).cmp(&(&b.field, &b.code)));
        self.0.dedup_by(|a, b| a.field == b.field && a.code == b.code);
        self.0
    }

    /// `Ok(value)` when nothing was found, else the errors.
    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} field(s) invalid", self.0.len())
    }
}

impl std::error::Error for FieldErrors {}

fn join(prefix: &str, field: &str) -> String {
    if prefix.is_empty() { field.to_owned() } else { format!("{prefix}.{field}") }
}

fn message_of(error: &ValidationError) -> String {
    if let Some(message) = &error.message {
        return message.to_string();
    }
    let bound = |name: &str| error.params.get(name).map(ToString::to_string);
    match error.code.as_ref() {
        "too_long" => format!("must be at most {} characters", bound("max").unwrap_or_default()),
        "too_many" => format!("must have at most {} entries", bound("max").unwrap_or_default()),
        "out_of_range" => format!(
            "must be between {} and {}",
            bound("min").unwrap_or_default(),
            bound("max").unwrap_or_default()
        ),
        "invalid_email" => "must be an email address".to_owned(),
        other => format!("is not valid ({other})"),
    }
}

/// Whether text holds a control character other than tab and newline (refused in every text
/// field: such characters have no place in a claim and some stores cannot keep them).
pub fn has_control_characters(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\t' && c != '\n')
}

/// The message for a text field refused for its control characters.
pub const CONTROL_CHARACTER_MESSAGE: &str = "must not contain control characters other than tab and newline";

/// A `validator` error with a code and a fixed message.
pub fn invalid(code: &'static str, message: &'static str) -> ValidationError {
    ValidationError::new(code).with_message(Cow::Borrowed(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_kept_once_and_sorted() {
        let mut errors = FieldErrors::new();
        errors.add("b", "required", "x");
        errors.add("a", "too_long", "x");
        errors.add("b", "required", "x");
        let sorted = errors.into_sorted();
        let fields: Vec<_> = sorted.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["a", "b"]);
    }
}
