//! What the `data` of each event type holds, for the OpenAPI document: the feed's events are a
//! `oneOf` discriminated by `type` (see `contract::type_events`), so a client knows the members of
//! each event without reading the hub's code. The match is exhaustive: a new event type does not
//! compile until its data is described here.

use claims_domain::events::EventType;
use serde_json::{Value, json};

use crate::service::attachments::MEDIA_TYPES;

/// A member of an event's data: its name, its JSON Schema, and whether every event of the type
/// has it.
pub struct Member {
    pub name: &'static str,
    pub schema: Value,
    pub always: bool,
}

fn always(name: &'static str, schema: Value) -> Member {
    Member { name, schema, always: true }
}

fn sometimes(name: &'static str, schema: Value) -> Member {
    Member { name, schema, always: false }
}

fn text() -> Value {
    json!({ "type": "string" })
}

fn date() -> Value {
    json!({ "type": "string", "format": "date" })
}

fn instant() -> Value {
    json!({ "type": "string", "format": "date-time" })
}

fn uuid() -> Value {
    json!({ "type": "string", "format": "uuid" })
}

fn integer() -> Value {
    json!({ "type": "integer", "format": "int64" })
}

fn boolean() -> Value {
    json!({ "type": "boolean" })
}

fn organisation() -> Value {
    json!({ "type": "string", "pattern": "^[A-Z]{2}[0-9]{5}$", "description": "An organisation code" })
}

fn named(schema: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{schema}") })
}

fn or_null(schema: Value) -> Value {
    json!({ "oneOf": [schema, { "type": "null" }] })
}

/// Every claim event carries the claim's status and version after the change (for an attachment
/// or a data-subject request, the claim's current ones).
fn claim_state() -> [Member; 2] {
    [always("status", named("ClaimStatus")), always("version", integer())]
}

/// The members of an event type's data.
pub fn members(event: EventType) -> Vec<Member> {
    use EventType as E;
    if event == E::ClientDisabled {
        // About the organisation, not a claim: no status or version.
        return vec![
            always("client_id", text()),
            always("reason", json!({ "type": "string", "enum": ["unused"] })),
            always("idle_days", integer()),
        ];
    }
    let side = || named("Side");
    let percentage = || json!({ "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 100 });
    let offer = || always("transfer_offer", uuid());
    let deadline = || [always("deadline", named("DeadlineName")), always("due_at", instant())];
    let specific: Vec<Member> = match event {
        E::Submitted => vec![
            always("type", named("ClaimType")),
            always("claimant_representative", organisation()),
            always("compensator", organisation()),
            always("notification_date", date()),
        ],
        E::Acknowledged => vec![always("compensator_reference", text())],
        E::Rejected => vec![always("reason", named("RejectionReason"))],
        E::Resubmitted => vec![always("compensator", organisation()), always("notification_date", date())],
        // Reassignment, an accepted transfer offer (with the offer) or a bulk transfer (`bulk`).
        E::Transferred => vec![
            always("side", side()),
            always("from", organisation()),
            always("to", organisation()),
            sometimes("transfer_offer", uuid()),
            sometimes("at", instant()),
            sometimes("bulk", boolean()),
        ],
        // `deemed` on the small-claims track; the negligence members with a part admission.
        E::LiabilityDecided => vec![
            always("outcome", named("LiabilityOutcome")),
            sometimes("deemed", boolean()),
            sometimes("contributory_negligence_percent", percentage()),
            sometimes("seat_belt_only", boolean()),
        ],
        E::Exited => {
            vec![
                always("reason", named("ExitReason")),
                always("by", named("ExitedBy")),
                sometimes("route", named("CourtRoute")),
            ]
        }
        // With `by` and `cause` when an unopposed removal withdrew the claim.
        E::Withdrawn => vec![
            sometimes("by", json!({ "type": "string", "enum": ["system"] })),
            sometimes("cause", json!({ "type": "string", "enum": ["removal_not_opposed"] })),
        ],
        E::DeadlineApproaching => {
            let mut members: Vec<Member> = deadline().into();
            members.extend([
                always("party", side()),
                always("due_date", date()),
                always("business_days_left", integer()),
            ]);
            members
        }
        E::DeadlineMissed => {
            let mut members: Vec<Member> = deadline().into();
            members.extend([always("party", side()), always("due_date", date())]);
            members
        }
        E::DeadlineChanged => {
            let mut members: Vec<Member> = deadline().into();
            members.extend([
                always("from", date()),
                always("to", date()),
                always(
                    "cause",
                    json!({ "type": "string", "enum": ["article_75", "interim_extension", "calendar", "agreement"] }),
                ),
                sometimes("recorded_by", side()),
            ]);
            members
        }
        E::InterimPaymentRequested => vec![
            always("interim_payment", integer()),
            always("amount_pence", integer()),
            always("due_date", date()),
        ],
        E::InterimPaymentResponded => vec![
            always("interim_payment", integer()),
            always("response", named("InterimResponse")),
            always("paid_pence", or_null(integer())),
        ],
        E::InterimPaymentAccepted | E::InterimPaymentDeclined | E::InterimPaymentReceived => {
            vec![always("interim_payment", integer())]
        }
        E::SettlementPackSent => vec![
            always("offer", integer()),
            always("gross_pence", integer()),
            always("initial_consideration_due", date()),
            always("total_consideration_due", date()),
            always("stage1_costs_due", or_null(date())),
        ],
        // `late` and `further_consideration_due` on the portal track, `answer_due_date` on the
        // small-claims track.
        E::OfferMade => vec![
            always("offer", integer()),
            always("by", side()),
            always("gross_pence", integer()),
            sometimes("late", boolean()),
            sometimes("further_consideration_due", or_null(date())),
            sometimes("answer_due_date", date()),
        ],
        E::Settled => vec![
            always("offer", integer()),
            always("payment_due_date", or_null(date())),
            sometimes("agreed_gross_pence", integer()),
            sometimes("total_owed_pence", integer()),
            sometimes("requires_court_approval", boolean()),
            sometimes("damages_pence", integer()),
        ],
        E::PaymentRecorded => vec![
            always("kind", named("PaymentKind")),
            always("amount_pence", integer()),
            always("paid_on", date()),
            always("by", side()),
        ],
        E::CourtPackSent => vec![always("comments_due", date()), always("payment_due", date())],
        E::Closed => vec![always("outcome", named("Outcome"))],
        E::TransferOffered | E::TransferOfferCancelled | E::TransferDeclined => {
            vec![offer(), always("to", organisation())]
        }
        E::AttachmentAdded => vec![
            always("attachment_id", uuid()),
            always("media_type", json!({ "type": "string", "enum": MEDIA_TYPES })),
            always("size_bytes", integer()),
            always("sha256", json!({ "type": "string", "pattern": "^[0-9a-f]{64}$" })),
        ],
        E::LiabilityDecisionAccepted => vec![always("outcome", or_null(named("LiabilityOutcome")))],
        E::ResumedAfterCourt => vec![
            always("liability_established", boolean()),
            always("contributory_negligence_percent", or_null(percentage())),
        ],
        E::MedicalReportAdded => {
            vec![always("report", integer()), always("attachment_id", uuid()), always("report_date", date())]
        }
        E::LossesSet => vec![always("after_deductions_pence", integer())],
        E::OfferRequested => vec![always("due_date", date())],
        E::RemovalProposed => {
            vec![always("reason", named("RemovalReason")), always("objection_due_date", date())]
        }
        E::Dormant => vec![always("quiet_days", integer())],
        E::DataSubjectRequestRecorded | E::DataSubjectRequestExtended | E::DataSubjectRequestClosed => vec![
            always("request_id", uuid()),
            always("kind", named("DsrKind")),
            always("received_on", date()),
            always("due_on", date()),
            always("outcome", or_null(named("DsrOutcome"))),
        ],
        E::ErasureRequested => {
            vec![always("kind", named("ErasureKind")), always("by", side()), always("purge_after", date())]
        }
        E::ErasureCancelled => vec![always("kind", named("ErasureKind")), always("by", side())],
        E::Article75Declared
        | E::NoAgreement
        | E::CourtPackAnswered
        | E::RemovalObjected
        | E::ClientDisabled => Vec::new(),
    };
    let mut members: Vec<Member> = claim_state().into();
    members.extend(specific);
    members
}

/// The JSON Schema of an event type's data.
pub fn data_schema(event: EventType) -> Value {
    let members = members(event);
    let properties: serde_json::Map<String, Value> =
        members.iter().map(|member| (member.name.to_owned(), member.schema.clone())).collect();
    let required: Vec<&str> =
        members.iter().filter(|member| member.always).map(|member| member.name).collect();
    json!({
        "type": "object",
        "description": format!("The data of a `{}` event.", event.as_str()),
        "required": required,
        "properties": properties,
    })
}

/// A component name for an event type: `claim.liability_decided` → `ClaimLiabilityDecided`.
pub fn component_name(event: EventType) -> String {
    event
        .as_str()
        .split(['.', '_'])
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
