//! Request examples for the OpenAPI document, built from the domain's example forms so that the
//! documented examples are exactly the ones the tests submit.

use claims_domain::claim_type::ClaimType;
use claims_domain::cnf::examples;
use serde_json::{Value, json};

/// `{"cnf": …}` for a claim type, addressed to `CM00001`.
pub fn submit_claim(claim_type: ClaimType) -> Value {
    json!({ "cnf": examples::for_type(claim_type) })
}

/// `decide_liability`, admitted, for an RTA claim; `unacknowledged` adds the compensator's
/// reference, which deciding a `submitted` claim needs (it acknowledges the claim too) and an
/// acknowledged claim already has.
pub fn decide_liability(unacknowledged: bool) -> Value {
    let mut body = json!({
        "outcome": "admitted",
        "compensator_contact": { "name": "Pat Adjuster", "telephone": "0161 496 0000", "email": "pat.adjuster@example-insurer.test" },
        "rehabilitation_offered": true,
        "repairs_offered": false,
        "replacement_vehicle_offered": false,
        "claimant_date_of_birth": "1985-06-14"
    });
    if unacknowledged {
        body["compensator_reference"] = json!("NMI/CL/2025/0042");
    }
    body
}

/// A counter-offer by `side`: only the compensator states the CRU deduction.
pub fn counter_offer(side: claims_domain::party::Side) -> Value {
    let mut body = json!({
        "losses": [
            { "head": "general_damages", "gross_pence": 520000, "evidence_attached": true },
            { "head": "vehicle_repair", "gross_pence": 185000, "evidence_attached": true },
            { "head": "loss_of_earnings_claimant", "gross_pence": 60000, "evidence_attached": true }
        ],
        "gross_pence": 765000,
        "disbursements_pence": 18000
    });
    if side == claims_domain::party::Side::Compensator {
        body["cru_deduction_pence"] = json!(0);
    }
    body
}
