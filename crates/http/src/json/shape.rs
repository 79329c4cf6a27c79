//! Checks a JSON body against the schema the OpenAPI document gives its type, before serde sees
//! it, so that a client hears of every missing field, wrong type, unknown member and bad format
//! at once (serde stops at the first). The same pass puts values into the form serde expects:
//! an integral number such as `850000.0` where the schema says `integer` becomes `850000`,
//! because JSON Schema counts it as an integer.
//!
//! Where it finds faults it also *repairs* the value (a placeholder for a missing or ill-typed
//! field, unknown members dropped), so that the field-level rules can still run on the rest of
//! the body and report their findings in the same answer. Faults at the repaired places are the
//! ones reported; whatever the rules say about a placeholder is discarded.

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

use claims_domain::validation::{CONTROL_CHARACTER_MESSAGE, FieldErrors, has_control_characters};
use regex::Regex;
use serde_json::{Map, Value};

/// The component schemas of the API's OpenAPI document, as JSON.
pub struct Shapes {
    schemas: Map<String, Value>,
    patterns: RwLock<HashMap<String, Option<Regex>>>,
}

/// What a check found.
pub struct Findings {
    pub errors: FieldErrors,
    /// JSON paths where the value was replaced or removed.
    pub repaired: Vec<String>,
}

impl Findings {
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// Whether a field error of the rules concerns a repaired place (and so a placeholder).
    pub fn concerns_repair(&self, field: &str) -> bool {
        self.repaired.iter().any(|path| {
            path.is_empty()
                || field == path
                || field.strip_prefix(path.as_str()).is_some_and(|rest| rest.starts_with(['.', '[']))
        })
    }
}

/// The shapes of this API, built from its OpenAPI document once.
pub fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| Shapes::of_document(&crate::api::openapi()))
}

const COMPONENT_PREFIX: &str = "#/components/schemas/";

impl Shapes {
    pub fn of_document(document: &utoipa::openapi::OpenApi) -> Self {
        let json = serde_json::to_value(document).unwrap_or(Value::Null);
        let schemas =
            json.pointer("/components/schemas").and_then(Value::as_object).cloned().unwrap_or_default();
        Self { schemas, patterns: RwLock::new(HashMap::new()) }
    }

    /// Checks (and normalises, and where faulty repairs) `value` as an instance of the component
    /// schema `name`. An unknown name checks nothing: serde alone judges the body.
    pub fn check(&self, name: &str, value: &mut Value) -> Findings {
        let mut walk = Walk { shapes: self, errors: FieldErrors::new(), repaired: Vec::new() };
        if let Some(schema) = self.schemas.get(name) {
            walk.visit(schema, value, "");
        }
        Findings { errors: walk.errors, repaired: walk.repaired }
    }

    /// The schema a `$ref` names, following chains of references.
    fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(target) = schema.get("$ref").and_then(Value::as_str) else { break };
            match target.strip_prefix(COMPONENT_PREFIX).and_then(|name| self.schemas.get(name)) {
                Some(next) => schema = next,
                None => break,
            }
        }
        schema
    }

    fn matches_pattern(&self, pattern: &str, text: &str) -> bool {
        if let Some(compiled) = self.patterns.read().unwrap_or_else(|p| p.into_inner()).get(pattern) {
            return compiled.as_ref().is_none_or(|regex| regex.is_match(text));
        }
        let compiled = Regex::new(pattern).ok();
        let matched = compiled.as_ref().is_none_or(|regex| regex.is_match(text));
        self.patterns.write().unwrap_or_else(|p| p.into_inner()).insert(pattern.to_owned(), compiled);
        matched
    }

    /// A value of the schema's type that fills a missing or ill-typed place, so the rest of the
    /// body can still be read.
    fn placeholder(&self, schema: &Value) -> Value {
        let schema = self.resolve(schema);
        if let Some(options) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) {
            if options.iter().any(|option| self.allows_null(option)) {
                return Value::Null;
            }
            return options.first().map_or(Value::Null, |first| self.placeholder(first));
        }
        if let Some(first) = schema.get("allOf").and_then(Value::as_array).and_then(|all| all.first()) {
            return self.placeholder(first);
        }
        if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|values| values.first()) {
            return first.clone();
        }
        let types = types_of(schema);
        if types.contains(&"null") {
            return Value::Null;
        }
        match types.first().copied() {
            Some("string") => Value::String(
                match schema.get("format").and_then(Value::as_str) {
                    Some("date") => "2000-01-01",
                    Some("date-time") => "2000-01-01T00:00:00Z",
                    Some("uuid") => "00000000-0000-0000-0000-000000000000",
                    _ => "",
                }
                .to_owned(),
            ),
            Some("integer") | Some("number") => schema.get("minimum").cloned().unwrap_or(Value::from(0)),
            Some("boolean") => Value::Bool(false),
            Some("array") => Value::Array(Vec::new()),
            Some("object") | None => {
                let mut object = Map::new();
                let properties = schema.get("properties").and_then(Value::as_object);
                for name in required_of(schema) {
                    if let Some(property) = properties.and_then(|p| p.get(name)) {
                        object.insert(name.to_owned(), self.placeholder(property));
                    }
                }
                Value::Object(object)
            }
            Some(_) => Value::Null,
        }
    }

    fn allows_null(&self, schema: &Value) -> bool {
        let schema = self.resolve(schema);
        types_of(schema).contains(&"null")
    }
}

struct Walk<'a> {
    shapes: &'a Shapes,
    errors: FieldErrors,
    repaired: Vec<String>,
}

impl Walk<'_> {
    fn fault(&mut self, path: &str, code: &str, message: impl Into<String>) {
        let field = if path.is_empty() { "body" } else { path };
        self.errors.add(field, code, message);
    }

    /// Reports a fault and puts a placeholder in the value's place.
    fn replace(&mut self, schema: &Value, value: &mut Value, path: &str, code: &str, message: String) {
        self.fault(path, code, message);
        *value = self.shapes.placeholder(schema);
        self.repaired.push(path.to_owned());
    }

    fn visit(&mut self, schema: &Value, value: &mut Value, path: &str) {
        let schema = self.shapes.resolve(schema);
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for part in all {
                self.visit(part, value, path);
            }
            return;
        }
        if let Some(options) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) {
            self.visit_alternatives(options, value, path);
            return;
        }
        let types = types_of(schema);
        if !types.is_empty() {
            normalise_integer(&types, value);
            if !types.iter().any(|t| has_type(value, t)) {
                let message = type_message(&types, path);
                self.replace(schema, value, path, "invalid_type", message);
                return;
            }
        }
        if value.is_null() {
            return;
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            let words: Vec<String> =
                allowed.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect();
            let message = format!("must be one of: {}", words.join(", "));
            self.replace(schema, value, path, "invalid_value", message);
            return;
        }
        let unreadable = match value {
            Value::String(text) => !self.visit_string(schema, text, path),
            Value::Number(number) => !self.visit_number(schema, number, path),
            Value::Array(items) => {
                self.visit_array(schema, items, path);
                false
            }
            Value::Object(members) => {
                self.visit_object(schema, members, path);
                false
            }
            Value::Null | Value::Bool(_) => false,
        };
        if unreadable {
            // Already reported; serde could not read it, so a placeholder stands in.
            *value = self.shapes.placeholder(schema);
            self.repaired.push(path.to_owned());
        }
    }

    /// `oneOf`/`anyOf`: `null` where a branch allows it, else the branch the value fits (or, when
    /// it fits none, the one it comes closest to).
    fn visit_alternatives(&mut self, options: &[Value], value: &mut Value, path: &str) {
        if value.is_null() && options.iter().any(|option| self.shapes.allows_null(option)) {
            return;
        }
        let candidates: Vec<&Value> =
            options.iter().filter(|option| types_of(self.shapes.resolve(option)) != ["null"]).collect();
        if let [only] = candidates.as_slice() {
            self.visit(only, value, path);
            return;
        }
        let mut best: Option<(Value, Walk)> = None;
        for candidate in candidates {
            let mut attempt = value.clone();
            let mut walk = Walk { shapes: self.shapes, errors: FieldErrors::new(), repaired: Vec::new() };
            walk.visit(candidate, &mut attempt, path);
            let better = best.as_ref().is_none_or(|(_, found)| walk.errors.len() < found.errors.len());
            if better {
                let clean = walk.errors.is_empty();
                best = Some((attempt, walk));
                if clean {
                    break;
                }
            }
        }
        if let Some((attempt, walk)) = best {
            *value = attempt;
            for error in walk.errors.iter() {
                self.errors.add(error.field.clone(), &error.code, error.message.clone());
            }
            self.repaired.extend(walk.repaired);
        }
    }

    /// Checks a string; `false` when serde could not read it as the schema's type (a bad date).
    fn visit_string(&mut self, schema: &Value, text: &str, path: &str) -> bool {
        // Control characters have their own code; the pattern would only say it again.
        let controlled = has_control_characters(text);
        if controlled {
            self.fault(path, "control_character", CONTROL_CHARACTER_MESSAGE);
        }
        let length = text.chars().count();
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
            && length as u64 > max
        {
            self.fault(path, "too_long", format!("must be at most {max} characters"));
        }
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
            && (length as u64) < min
        {
            self.fault(path, "too_short", format!("must be at least {min} characters"));
        }
        let format_ok = match schema.get("format").and_then(Value::as_str) {
            Some("date") => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() && text.len() == 10,
            Some("date-time") => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
            Some("uuid") => uuid::Uuid::parse_str(text).is_ok(),
            _ => true,
        };
        if !format_ok {
            let message = match schema.get("format").and_then(Value::as_str) {
                Some("date") => "must be a date YYYY-MM-DD",
                Some("date-time") => "must be an RFC 3339 instant such as 2025-08-22T09:15:00Z",
                _ => "must be a UUID",
            };
            self.fault(path, "invalid_format", message);
            return false;
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
            && !controlled
            && !self.shapes.matches_pattern(pattern, text)
        {
            self.fault(path, "invalid_format", "does not have the expected format");
        }
        true
    }

    /// Checks a number; `false` when it does not fit the integer type serde will read it as.
    fn visit_number(&mut self, schema: &Value, number: &serde_json::Number, path: &str) -> bool {
        let Some(value) = number.as_f64() else { return true };
        let pence = path.ends_with("_pence");
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
            && value < min
        {
            self.fault(path, "out_of_range", format!("must be at least {}", show(min, pence)));
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
            && value > max
        {
            self.fault(path, "out_of_range", format!("must be at most {}", show(max, pence)));
        }
        if let Some(min) = schema.get("exclusiveMinimum").and_then(Value::as_f64)
            && value <= min
        {
            self.fault(path, "out_of_range", format!("must be more than {}", show(min, pence)));
        }
        if let Some(max) = schema.get("exclusiveMaximum").and_then(Value::as_f64)
            && value >= max
        {
            self.fault(path, "out_of_range", format!("must be less than {}", show(max, pence)));
        }
        let integer = types_of(schema).contains(&"integer");
        let fits = match schema.get("format").and_then(Value::as_str) {
            _ if !integer => true,
            Some("int32") => {
                number.as_i64().is_some_and(|n| n >= i64::from(i32::MIN) && n <= i64::from(u32::MAX))
            }
            _ => number.as_i64().is_some(),
        };
        if !fits {
            self.fault(path, "out_of_range", "is too large");
        }
        fits
    }

    fn visit_array(&mut self, schema: &Value, items: &mut [Value], path: &str) {
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
            && items.len() as u64 > max
        {
            self.fault(path, "too_many", format!("must have at most {max} entries"));
        }
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            self.fault(path, "too_few", format!("must have at least {min} entries"));
        }
        if let Some(item_schema) = schema.get("items") {
            for (index, item) in items.iter_mut().enumerate() {
                self.visit(item_schema, item, &format!("{path}[{index}]"));
            }
        }
    }

    fn visit_object(&mut self, schema: &Value, members: &mut Map<String, Value>, path: &str) {
        let join = |name: &str| if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") };
        let properties = schema.get("properties").and_then(Value::as_object);
        let mut filled = Vec::new();
        for name in required_of(schema) {
            if !members.contains_key(name)
                && let Some(property) = properties.and_then(|p| p.get(name))
            {
                let field = join(name);
                self.fault(&field, "required", "is required");
                members.insert(name.to_owned(), self.shapes.placeholder(property));
                self.repaired.push(field);
                filled.push(name);
            }
        }
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        let extra = schema.get("additionalProperties").filter(|extra| extra.is_object());
        let mut unknown = Vec::new();
        // A placeholder only stands in for a missing member: its own faults are not the client's.
        for (name, member) in members.iter_mut().filter(|(name, _)| !filled.contains(&name.as_str())) {
            let field = join(name);
            match (properties.and_then(|p| p.get(name)), extra) {
                (Some(property), _) => self.visit(property, member, &field),
                (None, Some(extra)) => self.visit(extra, member, &field),
                (None, None) if closed => unknown.push(name.clone()),
                (None, None) => {}
            }
        }
        for name in unknown {
            let field = join(&name);
            self.fault(&field, "unknown_field", "is not a field of this object");
            members.remove(&name);
            self.repaired.push(field);
        }
    }
}

fn types_of(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn required_of(schema: &Value) -> impl Iterator<Item = &str> {
    schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
}

fn has_type(value: &Value, wanted: &str) -> bool {
    match wanted {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0) || value.is_i64() || value.is_u64(),
        _ => true,
    }
}

/// Where only whole numbers are expected, `850000.0` means `850000` (JSON Schema's reading);
/// rewrite it so serde, which tells the two apart, reads it as the integer it is.
fn normalise_integer(types: &[&str], value: &mut Value) {
    if !types.contains(&"integer") || types.contains(&"number") {
        return;
    }
    let Some(float) = value.as_f64().filter(|_| value.is_f64()) else { return };
    // Within ±2^63 an integral double converts exactly.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if float.fract() == 0.0 && float > -LIMIT && float < LIMIT {
        *value = Value::from(float as i64);
    }
}

fn type_message(types: &[&str], path: &str) -> String {
    let pence = path.ends_with("_pence");
    let words: Vec<&str> = types
        .iter()
        .filter(|t| **t != "null")
        .map(|t| match *t {
            "string" => "a string",
            "integer" if pence => "a whole number of pence",
            "integer" => "a whole number",
            "number" => "a number",
            "boolean" => "true or false",
            "array" => "an array",
            "object" => "an object",
            _ => "a value of another type",
        })
        .collect();
    let nullable = if types.contains(&"null") { " (or null)" } else { "" };
    format!("must be {}{nullable}", words.join(" or "))
}

fn show(bound: f64, pence: bool) -> String {
    let text = if bound.fract() == 0.0 { format!("{}", bound as i64) } else { bound.to_string() };
    if pence { format!("{text} pence") } else { text }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn shapes_of(schemas: Value) -> Shapes {
        let schemas = schemas.as_object().cloned().unwrap_or_default();
        Shapes { schemas, patterns: RwLock::new(HashMap::new()) }
    }

    fn sample() -> Shapes {
        shapes_of(json!({
            "Outer": {
                "type": "object",
                "required": ["inner", "count_pence"],
                "properties": {
                    "inner": { "$ref": "#/components/schemas/Inner" },
                    "count_pence": { "type": "integer", "format": "int64" },
                    "note": { "type": ["string", "null"], "maxLength": 5 },
                    "items": { "type": "array", "items": { "$ref": "#/components/schemas/Inner" }, "maxItems": 2 },
                    "extra": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/Inner" }] }
                },
                "additionalProperties": false
            },
            "Inner": {
                "type": "object",
                "required": ["when", "kind"],
                "properties": {
                    "when": { "type": "string", "format": "date" },
                    "kind": { "type": "string", "enum": ["a", "b"] },
                    "flag": { "type": "boolean" }
                },
                "additionalProperties": false
            }
        }))
    }

    fn faults(value: Value) -> (Vec<(String, String)>, Value) {
        let mut value = value;
        let findings = sample().check("Outer", &mut value);
        let errors = findings.errors.into_sorted().into_iter().map(|e| (e.field, e.code)).collect();
        (errors, value)
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    #[test]
    fn every_missing_field_is_named_at_once() {
        let (errors, repaired) = faults(json!({ "inner": {} }));
        assert_eq!(
            errors,
            vec![
                pair("count_pence", "required"),
                pair("inner.kind", "required"),
                pair("inner.when", "required")
            ]
        );
        assert_eq!(repaired, json!({ "inner": { "when": "2000-01-01", "kind": "a" }, "count_pence": 0 }));
    }

    #[test]
    fn wrong_types_unknown_members_formats_and_limits_are_all_reported() {
        let (errors, _) = faults(json!({
            "inner": { "when": "22/08/2025", "kind": "c", "flag": "yes", "colour": 1 },
            "count_pence": 12.5,
            "note": "far too long",
            "items": [{ "when": "2025-01-01", "kind": "a" }, { "when": 3, "kind": "b" }, { "when": "2025-01-01", "kind": "a" }],
            "extra": { "kind": "a" },
            "surprise": true
        }));
        assert_eq!(
            errors,
            vec![
                pair("count_pence", "invalid_type"),
                pair("extra.when", "required"),
                pair("inner.colour", "unknown_field"),
                pair("inner.flag", "invalid_type"),
                pair("inner.kind", "invalid_value"),
                pair("inner.when", "invalid_format"),
                pair("items", "too_many"),
                pair("items[1].when", "invalid_type"),
                pair("note", "too_long"),
                pair("surprise", "unknown_field"),
            ]
        );
    }

    #[test]
    fn integral_numbers_are_integers_and_messages_use_plain_words() {
        let mut value = json!({ "inner": { "when": "2025-01-01", "kind": "a" }, "count_pence": 850000.0 });
        let findings = sample().check("Outer", &mut value);
        assert!(findings.is_clean());
        assert!(value["count_pence"].is_i64());
        let mut value = json!({ "inner": { "when": "2025-01-01", "kind": "a" }, "count_pence": "850000" });
        let findings = sample().check("Outer", &mut value);
        let messages: Vec<String> = findings.errors.iter().map(|e| e.message.clone()).collect();
        assert_eq!(messages, ["must be a whole number of pence"]);
    }

    #[test]
    fn control_characters_other_than_tab_and_newline_are_refused() {
        for (text, refused) in [("a\u{0}b", true), ("a\rb", true), ("a\u{85}b", true), ("a\tb\nc", false)] {
            let (errors, _) = faults(
                json!({ "inner": { "when": "2025-01-01", "kind": "a" }, "count_pence": 1, "note": text }),
            );
            assert_eq!(errors.contains(&pair("note", "control_character")), refused, "{text:?}");
        }
    }

    #[test]
    fn a_body_of_the_wrong_type_is_named_as_the_body() {
        let (errors, _) = faults(json!([1, 2]));
        assert_eq!(errors, vec![pair("body", "invalid_type")]);
    }

    #[test]
    fn a_rule_about_a_placeholder_is_told_apart() {
        let mut value = json!({ "inner": { "kind": "a" }, "count_pence": 1 });
        let findings = sample().check("Outer", &mut value);
        assert!(findings.concerns_repair("inner.when"));
        assert!(!findings.concerns_repair("inner.whenever"));
        assert!(!findings.concerns_repair("inner.kind"));
    }
}
