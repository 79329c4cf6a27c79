//! Completes the OpenAPI document with what operations share rather than declare one by one: the
//! error responses every kind of operation can give, the headers on every response, the limits of
//! the parameters every list and action takes, and the links that chain a claim's life (its `id`
//! and `ETag` into the next action's path and `If-Match`). Runs once, after the routes are
//! registered, so a new endpoint gets all of it without repeating it.

use utoipa::openapi::content::Content;
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::link::{Link, LinkBuilder};
use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayItems, KnownFormat, Object, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{OpenApi, Ref, RefOr, Response};

use crate::dto::page::MAX_LIMIT;
use crate::idempotency::MAX_KEY_LENGTH;
use crate::service::attachments::MEDIA_TYPES;
use crate::service::calendar::MAX_DAYS;
use crate::service::events::MAX_WAIT_SECONDS;

const PROBLEM_JSON: &str = "application/problem+json";

/// Text the hub accepts: no control characters but tab and newline (the rule of
/// `claims_domain::validation::has_control_characters`, for every string of a request).
const TEXT_PATTERN: &str = r"^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]*$";

/// An organisation code: two capital letters and five digits.
const ORGANISATION_CODE_PATTERN: &str = "^[A-Z]{2}[0-9]{5}$";

/// The standard error responses, each defined once under `components/responses`.
#[derive(Clone, Copy, PartialEq)]
enum Standard {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    PreconditionFailed,
    PayloadTooLarge,
    UnsupportedMediaType,
    Unprocessable,
    PreconditionRequired,
    TooManyRequests,
    Unavailable,
}

impl Standard {
    const ALL: [Standard; 13] = [
        Self::BadRequest,
        Self::Unauthorized,
        Self::Forbidden,
        Self::NotFound,
        Self::Conflict,
        Self::Gone,
        Self::PreconditionFailed,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::Unprocessable,
        Self::PreconditionRequired,
        Self::TooManyRequests,
        Self::Unavailable,
    ];

    /// Status code, component name, description, and whether `Retry-After` comes with it.
    fn parts(self) -> (&'static str, &'static str, &'static str, bool) {
        match self {
            Self::BadRequest => (
                "400",
                "BadRequest",
                "Malformed request: unreadable JSON, or a query parameter or header that is not valid",
                false,
            ),
            Self::Unauthorized => ("401", "Unauthorized", "No valid access token", false),
            Self::Forbidden => {
                ("403", "Forbidden", "The caller's organisation, role or scope may not do this", false)
            }
            Self::NotFound => ("404", "NotFound", "No such resource, or not one the caller may see", false),
            Self::Conflict => (
                "409",
                "Conflict",
                "Not allowed in the resource's current state (for a claim, `current_status` and \
                 `allowed_actions` say what is), or a request with the same `Idempotency-Key` is \
                 still running (`Retry-After`)",
                true,
            ),
            Self::Gone => (
                "410",
                "Gone",
                "The claim's data has been purged (retention or erasure): only the anonymous \
                 `tombstone` is kept",
                false,
            ),
            Self::PreconditionFailed => (
                "412",
                "PreconditionFailed",
                "`If-Match` names no current ETag: `current_version` is the claim's version",
                false,
            ),
            Self::PayloadTooLarge => {
                ("413", "PayloadTooLarge", "The body is larger than the hub accepts", false)
            }
            Self::UnsupportedMediaType => (
                "415",
                "UnsupportedMediaType",
                "The body's `Content-Type` is not one this operation reads",
                false,
            ),
            Self::Unprocessable => (
                "422",
                "UnprocessableContent",
                "Invalid fields or a broken business rule: `errors` names every field at fault",
                false,
            ),
            Self::PreconditionRequired => {
                ("428", "PreconditionRequired", "No `If-Match`: send the claim's ETag", false)
            }
            Self::TooManyRequests => (
                "429",
                "TooManyRequests",
                "Too many requests (the client's rate, per hub process): wait the `Retry-After` seconds",
                true,
            ),
            Self::Unavailable => (
                "503",
                "ServiceUnavailable",
                "The hub cannot reach its database just now; retry after `Retry-After` seconds",
                true,
            ),
        }
    }

    fn response(self) -> Response {
        let (_, _, description, retry_after) = self.parts();
        let mut response = Response::new(description);
        response
            .content
            .insert(PROBLEM_JSON.to_owned(), Content::new(Some(Ref::from_schema_name("Problem"))));
        response.headers.insert("X-Request-Id".to_owned(), request_id_header());
        if retry_after {
            response.headers.insert("Retry-After".to_owned(), retry_after_header());
        }
        if self == Self::TooManyRequests {
            response.headers.insert(
                "RateLimit-Policy".to_owned(),
                string_header(
                    "The client's request rate (draft-ietf-httpapi-ratelimit-headers): `\"client\";q=<burst>;w=<seconds to refill>`; on every authenticated response",
                ),
            );
            response.headers.insert(
                "RateLimit".to_owned(),
                string_header(
                    "Where the client stands: `\"client\";r=<requests left>;t=<seconds until full>`; on every authenticated response",
                ),
            );
        }
        response
    }
}

fn string_header(description: &str) -> Header {
    HeaderBuilder::new().schema(Object::with_type(Type::String)).description(Some(description)).build()
}

fn request_id_header() -> Header {
    string_header(
        "The id under which the hub logged the request (the client's own `X-Request-Id` if it sent one)",
    )
}

fn retry_after_header() -> Header {
    HeaderBuilder::new()
        .schema(Object::with_type(Type::Integer))
        .description(Some("Seconds to wait before trying again"))
        .build()
}

/// Applies everything this module adds to the document.
pub fn complete(document: &mut OpenApi) {
    let requests = request_schemas(document);
    let components = document.components.get_or_insert_with(Default::default);
    for (name, schema) in components.schemas.iter_mut() {
        if requests.contains(name) {
            describe_text(schema);
        }
    }
    close_multipart_bodies(document);
    require_conditionally(document);
    name_page_items(document);
    type_events(document);
    let claim_paths: Vec<ClaimStep> = ClaimStep::of(document);
    let items = ItemStep::of(document);
    let schemas = document.components.as_ref().map(|c| c.schemas.clone()).unwrap_or_default();
    let mut used = Vec::new();
    for (path, item) in document.paths.paths.iter_mut() {
        for (method, operation) in operations(item) {
            describe_parameters(operation);
            used.extend(add_standard_responses(path, method, operation));
            add_response_headers(method, operation);
            add_links(operation, &claim_paths);
            add_item_links(path, method, operation, &items, &schemas);
            describe_files(operation);
        }
    }
    // Only the standard responses some operation refers to (an unused component is noise).
    let components = document.components.get_or_insert_with(Default::default);
    for standard in Standard::ALL.into_iter().filter(|standard| used.contains(standard)) {
        let (_, name, _, _) = standard.parts();
        components.responses.insert(name.to_owned(), RefOr::T(standard.response()));
    }
}

/// The members this module writes through utoipa's extension maps: a link's `operationId`,
/// `requestBody` and hint to schemathesis, and a schema's `if`/`then`/`else`. Those maps are hash
/// maps, so their members come out in a different order on each run; [`stable_json`] puts them
/// last in their object, in these orders.
const LINK_MEMBERS: [&str; 3] = ["operationId", "requestBody", "x-schemathesis"];
const SCHEMA_MEMBERS: [&str; 3] = ["if", "then", "else"];

/// The document as pretty JSON whose bytes are the same on every run (see [`LINK_MEMBERS`]).
pub fn stable_json(document: &OpenApi) -> String {
    /// A JSON value that keeps its object members in the order they were written.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(untagged)]
    enum Ordered {
        Object(indexmap::IndexMap<String, Ordered>),
        Array(Vec<Ordered>),
        Scalar(serde_json::Value),
    }
    fn put_last(value: &mut Ordered, names: &[&str]) {
        if let Ordered::Object(members) = value {
            for name in names {
                if let Some(member) = members.shift_remove(*name) {
                    members.insert((*name).to_owned(), member);
                }
            }
        }
    }
    fn settle(value: &mut Ordered) {
        put_last(value, &SCHEMA_MEMBERS);
        match value {
            Ordered::Object(members) => {
                for (name, member) in members.iter_mut() {
                    if let (true, Ordered::Object(links)) = (name == "links", &mut *member) {
                        links.values_mut().for_each(|link| put_last(link, &LINK_MEMBERS));
                    }
                    settle(member);
                }
            }
            Ordered::Array(items) => items.iter_mut().for_each(settle),
            Ordered::Scalar(_) => {}
        }
    }
    let text = document.to_json().unwrap_or_default();
    let mut value: Ordered = serde_json::from_str(&text).expect("utoipa writes valid JSON");
    settle(&mut value);
    serde_json::to_string_pretty(&value).expect("a JSON value serialises")
}

/// The operations of a path item.
fn operations_of(item: &utoipa::openapi::PathItem) -> impl Iterator<Item = &Operation> {
    [&item.get, &item.put, &item.post, &item.delete, &item.options, &item.head, &item.patch, &item.trace]
        .into_iter()
        .flatten()
}

/// The operations of a path item with their method names.
pub(crate) fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("options", &mut item.options),
        ("head", &mut item.head),
        ("patch", &mut item.patch),
        ("trace", &mut item.trace),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_mut().map(|operation| (method, operation)))
}

fn has_parameter(operation: &Operation, location: ParameterIn, name: &str) -> bool {
    operation
        .parameters
        .iter()
        .flatten()
        .any(|p| p.parameter_in == location && p.name.eq_ignore_ascii_case(name))
}

/// Adds the standard responses the operation does not declare itself; returns those referred to.
fn add_standard_responses(path: &str, method: &str, operation: &mut Operation) -> Vec<Standard> {
    let secured = operation.security.as_ref().is_some_and(|requirements| !requirements.is_empty());
    let has_body = operation.request_body.is_some();
    let has_path_id = path.contains('{');
    let conditional = has_parameter(operation, ParameterIn::Header, "If-Match");
    let idempotent = has_parameter(operation, ParameterIn::Header, "Idempotency-Key");
    let mut wanted = vec![Standard::BadRequest];
    if secured {
        wanted.extend([Standard::Unauthorized, Standard::Forbidden]);
    }
    if has_path_id {
        wanted.push(Standard::NotFound);
    }
    if path.starts_with("/v1/claims/{id}") {
        wanted.push(Standard::Gone);
    }
    if conditional {
        wanted.extend([Standard::Conflict, Standard::PreconditionFailed, Standard::PreconditionRequired]);
    }
    // Anything that adds to a claim can meet its state (an erasure request holds it, say).
    if path.starts_with("/v1/claims/{id}/") && method != "get" {
        wanted.push(Standard::Conflict);
    }
    if idempotent {
        wanted.push(Standard::Conflict);
    }
    if has_body {
        wanted.extend([Standard::PayloadTooLarge, Standard::UnsupportedMediaType, Standard::Unprocessable]);
    }
    wanted.extend([Standard::TooManyRequests, Standard::Unavailable]);
    let responses = &mut operation.responses.responses;
    let mut referred = Vec::new();
    for standard in wanted {
        let (status, name, _, retry_after) = standard.parts();
        match responses.get_mut(status) {
            // Declared by the operation with its own wording: keep it, with the shared headers.
            Some(RefOr::T(own)) => {
                own.headers.entry("X-Request-Id".to_owned()).or_insert_with(request_id_header);
                if retry_after {
                    own.headers.entry("Retry-After".to_owned()).or_insert_with(retry_after_header);
                }
            }
            Some(RefOr::Ref(_)) => {}
            None => {
                responses.insert(status.to_owned(), RefOr::Ref(Ref::from_response_name(name)));
                referred.push(standard);
            }
        }
    }
    referred
}

/// `X-Request-Id` on every response the operation declares inline; `Idempotent-Replayed` on the
/// successes of operations that take an `Idempotency-Key`.
fn add_response_headers(method: &str, operation: &mut Operation) {
    let idempotent = method == "post" && has_parameter(operation, ParameterIn::Header, "Idempotency-Key");
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else { continue };
        response.headers.entry("X-Request-Id".to_owned()).or_insert_with(request_id_header);
        if idempotent && status.starts_with('2') {
            response.headers.entry("Idempotent-Replayed".to_owned()).or_insert_with(|| {
                string_header(
                    "`true` when this is the stored response to an earlier request with the same key",
                )
            });
        }
    }
}

/// The limits the hub applies to parameters several operations share.
fn describe_parameters(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        let (location, name) = (parameter.parameter_in.clone(), parameter.name.clone());
        let Some(schema) = object_schema(parameter) else { continue };
        match (location.clone(), name.as_str()) {
            (ParameterIn::Query, "limit") => {
                schema.minimum = Some(1.into());
                schema.maximum = Some((MAX_LIMIT as isize).into());
            }
            (ParameterIn::Query, "cursor") => {
                // Cursors are base64url text the hub issued.
                schema.pattern = Some("^[A-Za-z0-9_-]+$".to_owned());
                schema.max_length = Some(4096);
            }
            (ParameterIn::Query, "after") => schema.pattern = Some("^[0-9]{1,18}$".to_owned()),
            (ParameterIn::Query, "wait") => {
                schema.minimum = Some(0.into());
                schema.maximum = Some((MAX_WAIT_SECONDS as isize).into());
            }
            (ParameterIn::Query, "days") => {
                schema.minimum = Some(0.into());
                schema.maximum = Some((MAX_DAYS as isize).into());
            }
            (ParameterIn::Header, "Idempotency-Key") => {
                // Printable ASCII; no space at either end, where HTTP would trim it off.
                schema.pattern = Some("^[!-~]([ -~]*[!-~])?$".to_owned());
                schema.min_length = Some(1);
                schema.max_length = Some(MAX_KEY_LENGTH);
            }
            (ParameterIn::Query, "counterparty" | "organisation") | (ParameterIn::Path, "code") => {
                schema.pattern = Some(ORGANISATION_CODE_PATTERN.to_owned());
            }
            (ParameterIn::Query, "direction") => {
                schema.enum_values = Some(vec!["incoming".into(), "outgoing".into()])
            }
            // A claim's status names a schema of its own; a plain `status` is a transfer offer's.
            (ParameterIn::Query, "status") if is_plain_text(schema) => {
                schema.enum_values = Some(vec!["open".into(), "all".into()]);
            }
            _ => {}
        }
        // A header is sent or not; it has no null (an `Option` in the code is an optional header).
        if location == ParameterIn::Header
            && let SchemaType::Array(types) = &schema.schema_type
            && types.contains(&Type::Null)
        {
            let types: Vec<Type> = types.iter().filter(|t| **t != Type::Null).cloned().collect();
            schema.schema_type = match types.as_slice() {
                [one] => SchemaType::Type(one.clone()),
                _ => SchemaType::Array(types),
            };
        }
        if location != ParameterIn::Header && is_plain_text(schema) {
            schema.pattern = Some(TEXT_PATTERN.to_owned());
        }
    }
}

/// The component schemas a request body uses, directly or through others.
fn request_schemas(document: &OpenApi) -> std::collections::BTreeSet<String> {
    let schemas = document.components.as_ref().map(|c| &c.schemas);
    let mut found = std::collections::BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    for item in document.paths.paths.values() {
        for body in operations_of(item).filter_map(|operation| operation.request_body.as_ref()) {
            pending.extend(references(&serde_json::to_value(body).unwrap_or_default()));
        }
    }
    while let Some(name) = pending.pop() {
        if found.insert(name.clone())
            && let Some(schema) = schemas.and_then(|all| all.get(&name))
        {
            pending.extend(references(&serde_json::to_value(schema).unwrap_or_default()));
        }
    }
    found
}

/// The component names a JSON value refers to with `$ref`.
fn references(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Object(members) => members
            .iter()
            .flat_map(|(key, member)| match (key.as_str(), member.as_str()) {
                ("$ref", Some(target)) => {
                    target.strip_prefix("#/components/schemas/").map(str::to_owned).into_iter().collect()
                }
                _ => references(member),
            })
            .collect(),
        serde_json::Value::Array(items) => items.iter().flat_map(references).collect(),
        _ => Vec::new(),
    }
}

/// Whether a schema is a string with no rule of its own (no format, pattern or fixed values).
fn is_plain_text(schema: &Object) -> bool {
    let string = match &schema.schema_type {
        SchemaType::Type(Type::String) => true,
        SchemaType::Array(types) => types.contains(&Type::String),
        _ => false,
    };
    string && schema.format.is_none() && schema.pattern.is_none() && schema.enum_values.is_none()
}

/// Gives every plain string in a schema (at any depth) the pattern of text the hub accepts.
fn describe_text(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(object) => {
            if is_plain_text(object) {
                object.pattern = Some(TEXT_PATTERN.to_owned());
            }
            object.properties.values_mut().for_each(describe_text);
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                describe_text(items);
            }
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(describe_text),
        Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(describe_text),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(describe_text),
        _ => {}
    }
}

/// A parameter's inline object schema, if it has one (`type: [string, null]` included).
fn object_schema(parameter: &mut Parameter) -> Option<&mut Object> {
    match parameter.schema.as_mut()? {
        RefOr::T(Schema::Object(object)) => Some(object),
        _ => None,
    }
}

/// A link to an operation with the given parameters (`path.id` → runtime expression).
fn link_to(operation_id: &str, parameters: impl IntoIterator<Item = (String, String)>) -> Link {
    let mut link = parameters
        .into_iter()
        .fold(LinkBuilder::new(), |link, (name, value)| link.parameter(name, value))
        .build();
    // utoipa 5 writes its `operation_id` and `request_body` fields under those snake-case names;
    // the specification's are `operationId` and `requestBody`, so the fields are left empty (and
    // unwritten) and the members set directly ([`stable_json`] orders them).
    link.extensions = Some(Extensions::from_iter([("operationId", operation_id.to_owned())]));
    link
}

/// An operation on one claim, reached with the claim's `id` (and `If-Match` when it is an action).
struct ClaimStep {
    operation_id: String,
    conditional: bool,
    /// The first example of its JSON body, if it takes one.
    example: Option<serde_json::Value>,
}

impl ClaimStep {
    /// Every operation whose path is a claim's (`/v1/claims/{id}…`) and which needs no other id.
    fn of(document: &OpenApi) -> Vec<Self> {
        let mut steps = Vec::new();
        for (path, item) in &document.paths.paths {
            if !path.starts_with("/v1/claims/{id}") || path.matches('{').count() != 1 {
                continue;
            }
            for operation in operations_of(item) {
                if let Some(id) = &operation.operation_id {
                    let conditional = has_parameter(operation, ParameterIn::Header, "If-Match");
                    let example = first_example(operation, document);
                    steps.push(Self { operation_id: id.clone(), conditional, example });
                }
            }
        }
        steps
    }

    /// The link to this step: the claim's id, its ETag when the step is conditional, and with
    /// `body` the step's example as its request body.
    fn link(&self, id: &str, etag: bool, body: bool) -> Link {
        let mut parameters = vec![("path.id".to_owned(), id.to_owned())];
        if self.conditional && etag {
            parameters.push(("header.If-Match".to_owned(), "$response.header.ETag".to_owned()));
        }
        let mut link = link_to(&self.operation_id, parameters);
        if let (Some(example), true) = (&self.example, body) {
            let members = link.extensions.get_or_insert_with(Extensions::default);
            members.insert("requestBody".to_owned(), example.clone());
            // schemathesis would otherwise mix generated members into the example, which the
            // protocol's cross-field rules then refuse (422), so a walk would stall at each step.
            members.insert("x-schemathesis".to_owned(), serde_json::json!({ "merge_body": false }));
        }
        link
    }
}

/// The first example of an operation's JSON request body: its named examples in name order,
/// else its own example, else its schema's.
fn first_example(operation: &Operation, document: &OpenApi) -> Option<serde_json::Value> {
    let content = operation.request_body.as_ref()?.content.get("application/json")?;
    let named = content.examples.values().find_map(|example| match example {
        RefOr::T(example) => example.value.clone(),
        RefOr::Ref(_) => None,
    });
    named.or_else(|| content.example.clone()).or_else(|| {
        let Some(RefOr::Ref(reference)) = &content.schema else { return None };
        let name = reference.ref_location.rsplit('/').next()?;
        match document.components.as_ref()?.schemas.get(name)? {
            RefOr::T(Schema::Object(object)) => object.example.clone(),
            _ => None,
        }
    })
}

/// Links from the responses that carry a claim to the operations on it: its `id` into their path
/// and its `ETag` into the actions' `If-Match`. The claim's submission and its read link to every
/// operation on it; an action's answer links back to the read (the next action is one step on,
/// which keeps the document small); a list links its first item to the read.
fn add_links(operation: &mut Operation, steps: &[ClaimStep]) {
    let hub = matches!(operation.operation_id.as_deref(), Some("submit_claim" | "get_claim"));
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else { continue };
        if !status.starts_with('2') {
            continue;
        }
        let Some(RefOr::Ref(reference)) =
            response.content.get("application/json").and_then(|c| c.schema.as_ref())
        else {
            continue;
        };
        let carries_etag = response.headers.contains_key("ETag");
        let (targets, id): (Vec<&ClaimStep>, &str) = match reference.ref_location.rsplit('/').next() {
            Some("ClaimView") if hub => (steps.iter().collect(), "$response.body#/id"),
            Some("ClaimView") => {
                (steps.iter().filter(|s| s.operation_id == "get_claim").collect(), "$response.body#/id")
            }
            Some("Page_ClaimSummary") => (
                steps.iter().filter(|s| s.operation_id == "get_claim").collect(),
                "$response.body#/items/0/id",
            ),
            _ => continue,
        };
        for step in targets {
            response.links.insert(step.operation_id.clone(), RefOr::T(step.link(id, carries_etag, hub)));
        }
    }
}

/// The operations that answer with a file, and the media types it may have.
const FILE_RESPONSES: [(&str, &[&str]); 2] =
    [("download_attachment", &MEDIA_TYPES), ("claim_document", &["application/pdf"])];

/// A file response lists each media type the hub sends, with the bytes as a binary string.
fn describe_files(operation: &mut Operation) {
    let Some((_, media_types)) =
        FILE_RESPONSES.iter().find(|(id, _)| operation.operation_id.as_deref() == Some(*id))
    else {
        return;
    };
    let Some(RefOr::T(response)) = operation.responses.responses.get_mut("200") else { return };
    response.content.clear();
    for media_type in media_types.iter() {
        let mut bytes = Object::with_type(Type::String);
        bytes.format = Some(SchemaFormat::KnownFormat(KnownFormat::Binary));
        response.content.insert((*media_type).to_owned(), Content::new(Some(Schema::Object(bytes))));
    }
}

/// A multipart upload takes exactly the parts its schema names (the hub refuses others).
fn close_multipart_bodies(document: &mut OpenApi) {
    let mut names = Vec::new();
    for item in document.paths.paths.values() {
        for body in operations_of(item).filter_map(|operation| operation.request_body.as_ref()) {
            if let Some(Content { schema: Some(RefOr::Ref(reference)), .. }) =
                body.content.get("multipart/form-data")
            {
                names.extend(reference.ref_location.strip_prefix("#/components/schemas/").map(str::to_owned));
            }
        }
    }
    let Some(components) = document.components.as_mut() else { return };
    for name in names {
        if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(&name) {
            object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        }
    }
}

/// Members that one value of another member requires and every other value forbids:
/// (schema, selecting member, its value, the member it requires). The hub answers `422` with
/// `required` or `not_applicable` on the dependent member otherwise.
const CONDITIONAL_MEMBERS: &[(&str, &str, &str, &str)] =
    &[("CloseDsrRequest", "outcome", "refused", "ground")];

/// Writes [`CONDITIONAL_MEMBERS`] as JSON Schema `if`/`then`/`else`, so that testers generate
/// only bodies the hub accepts and validators refuse the rest. utoipa has no field for these
/// keywords; they go into the object's flattened map (its own builder would prefix them `x-`).
fn require_conditionally(document: &mut OpenApi) {
    let Some(components) = document.components.as_mut() else { return };
    for &(name, selector, value, dependent) in CONDITIONAL_MEMBERS {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(name) else { continue };
        let keywords = object.extensions.get_or_insert_with(Extensions::default);
        keywords.insert(
            "if".to_owned(),
            serde_json::json!({ "properties": { selector: { "const": value } }, "required": [selector] }),
        );
        // Each branch names the selector too: validators that read `additionalProperties: false`
        // as "no member the branch did not evaluate" (Redocly's) would refuse it otherwise.
        keywords.insert(
            "then".to_owned(),
            serde_json::json!({
                "properties": { selector: true, dependent: { "type": "string" } },
                "required": [dependent],
            }),
        );
        keywords.insert(
            "else".to_owned(),
            serde_json::json!({ "properties": { selector: true, dependent: { "type": "null" } } }),
        );
    }
}

/// utoipa writes a generic page's item schema inline; a `Page_X` names its items `X` instead, so
/// generated clients have one type per item kind.
fn name_page_items(document: &mut OpenApi) {
    let Some(components) = document.components.as_mut() else { return };
    let pages: Vec<(String, String)> = components
        .schemas
        .keys()
        .filter_map(|name| Some((name.clone(), name.strip_prefix("Page_")?.to_owned())))
        .filter(|(_, item)| components.schemas.contains_key(item))
        .collect();
    for (page, item) in pages {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(&page) else { continue };
        if let Some(RefOr::T(Schema::Array(items))) = object.properties.get_mut("items") {
            items.items = ArrayItems::RefOrSchema(Box::new(RefOr::Ref(Ref::from_schema_name(item))));
        }
    }
}

/// The feed's events as a `oneOf` discriminated by `type`: one schema per event type (`…Event`),
/// each naming the schema of its `data` (`…Data`, from `dto::event_data`).
fn type_events(document: &mut OpenApi) {
    use crate::dto::event_data::{component_name, data_schema};
    use claims_domain::events::EventType;
    let Some(components) = document.components.as_mut() else { return };
    let Some(common) = components.schemas.get("EventView").and_then(|s| serde_json::to_value(s).ok()) else {
        return;
    };
    let mut variants = Vec::new();
    let mut mapping = serde_json::Map::new();
    for event in EventType::ALL.iter().copied() {
        let name = component_name(event);
        let (event_name, data_name) = (format!("{name}Event"), format!("{name}Data"));
        let mut variant = common.clone();
        variant["description"] = format!("A `{}` event.", event.as_str()).into();
        variant["properties"]["type"] = serde_json::json!({ "type": "string", "enum": [event.as_str()] });
        variant["properties"]["data"] =
            serde_json::json!({ "$ref": format!("#/components/schemas/{data_name}") });
        for (component, schema) in [(&data_name, data_schema(event)), (&event_name, variant)] {
            if let Ok(schema) = serde_json::from_value::<RefOr<Schema>>(schema) {
                components.schemas.insert(component.clone(), schema);
            }
        }
        let reference = format!("#/components/schemas/{event_name}");
        mapping.insert(event.as_str().to_owned(), reference.clone().into());
        variants.push(serde_json::json!({ "$ref": reference }));
    }
    let feed_event = serde_json::json!({
        "description": "An event of the feed: its `type` says which, and so what its `data` holds.",
        "oneOf": variants,
        "discriminator": { "propertyName": "type", "mapping": mapping },
    });
    if let Ok(schema) = serde_json::from_value::<RefOr<Schema>>(feed_event) {
        components.schemas.insert("EventView".to_owned(), schema);
        // `EventType` stays although no schema refers to it now (each variant names its own
        // type): clients generated from earlier versions of v1 have it.
    }
}

/// An operation on one item of a collection: its path is the collection's plus `/{param}` (and
/// perhaps more literal segments).
struct ItemStep {
    operation_id: String,
    collection: String,
    parameter: String,
    /// The path parameters before the item's (the collection's own).
    outer: Vec<String>,
}

impl ItemStep {
    fn of(document: &OpenApi) -> Vec<Self> {
        let mut steps = Vec::new();
        for (path, item) in &document.paths.paths {
            let segments: Vec<&str> = path.split('/').collect();
            let Some(last_parameter) = segments.iter().rposition(|s| s.starts_with('{')) else { continue };
            let parameter = segments[last_parameter].trim_matches(['{', '}']).to_owned();
            let collection = segments[..last_parameter].join("/");
            let outer: Vec<String> = segments[..last_parameter]
                .iter()
                .filter(|s| s.starts_with('{'))
                .map(|s| s.trim_matches(['{', '}']).to_owned())
                .collect();
            for operation in operations_of(item) {
                if let Some(id) = &operation.operation_id {
                    steps.push(Self {
                        operation_id: id.clone(),
                        collection: collection.clone(),
                        parameter: parameter.clone(),
                        outer: outer.clone(),
                    });
                }
            }
        }
        steps
    }
}

/// Links from what a `POST` on a collection created (its `id`) to the operations on that item,
/// the collection's own path parameters passed on from the request: an upload to its download,
/// a data-subject request to its extension and closing.
fn add_item_links(
    path: &str,
    method: &str,
    operation: &mut Operation,
    steps: &[ItemStep],
    schemas: &Schemas,
) {
    if method != "post" {
        return;
    }
    let Some(RefOr::T(created)) = operation.responses.responses.get_mut("201") else { return };
    // The member of the created item that names it: the parameter's own name (`code`), or `id`.
    let members = created_members(created, schemas);
    for step in steps.iter().filter(|step| step.collection == path) {
        let Some(member) =
            [step.parameter.as_str(), "id"].into_iter().find(|m| members.iter().any(|n| n == m))
        else {
            continue;
        };
        let parameters =
            std::iter::once((format!("path.{}", step.parameter), format!("$response.body#/{member}"))).chain(
                step.outer.iter().map(|outer| (format!("path.{outer}"), format!("$request.path.{outer}"))),
            );
        // Links the claim's own steps gave (with its ETag) stay as they are.
        created
            .links
            .entry(step.operation_id.clone())
            .or_insert_with(|| RefOr::T(link_to(&step.operation_id, parameters)));
    }
}

type Schemas = std::collections::BTreeMap<String, RefOr<Schema>>;

/// The property names of a response's JSON body schema (a component).
fn created_members(response: &Response, schemas: &Schemas) -> Vec<String> {
    let Some(Content { schema: Some(RefOr::Ref(reference)), .. }) = response.content.get("application/json")
    else {
        return Vec::new();
    };
    let name = reference.ref_location.rsplit('/').next().unwrap_or_default();
    match schemas.get(name) {
        Some(RefOr::T(Schema::Object(object))) => object.properties.keys().cloned().collect(),
        _ => Vec::new(),
    }
}
