//! Request examples for the OpenAPI document, built from the domain's example forms so that the
//! documented examples are exactly the ones the tests submit.

use claims_domain::claim::ClaimType;
use claims_domain::cnf::examples;
use serde_json::{Value, json};

/// `{"cnf": …}` for a claim type, addressed to `CM00001`.
pub fn submit_claim(claim_type: ClaimType) -> Value {
    json!({ "cnf": examples::for_type(claim_type) })
}
