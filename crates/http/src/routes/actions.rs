//! `POST /v1/claims/{id}/actions/{action}`: one endpoint per lifecycle action, each with its own
//! request schema. Every action needs `If-Match` with the claim's ETag.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, post, web};
use claims_domain::cnf::Cnf;
use claims_domain::ids::{ClaimId, OrganisationCode};
use claims_domain::lifecycle::action::*;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::claims::{self, etag};
use crate::dto::claim::ClaimView;
use crate::error::{ApiError, Problem};
use crate::json::Json;
use crate::state::AppState;

/// `resubmit`: a corrected CNF, possibly addressed to another compensator.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "cnf": crate::examples::submit_claim(claims_domain::claim::ClaimType::Rta)["cnf"] }))]
pub struct ResubmitRequest {
    pub cnf: Cnf,
}

/// The version an `If-Match` header names: `None` without the header; an unreadable one names
/// no version (and so never matches).
fn if_match(req: &HttpRequest) -> Option<i64> {
    let value = req.headers().get(header::IF_MATCH)?;
    let text = value.to_str().unwrap_or_default().trim();
    Some(text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).and_then(|t| t.parse().ok()).unwrap_or(-1))
}

fn respond(view: ClaimView) -> HttpResponse {
    let tag = etag(view.version);
    let mut response = HttpResponse::Ok().json(view);
    if let Ok(value) = HeaderValue::from_str(&tag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// Declares one action endpoint: its route, its OpenAPI description and its handler, which turns
/// the request body into an [`Action`] (with `$build`, which may look facts up).
macro_rules! action_endpoint {
    (
        $(#[doc = $doc:literal])*
        $name:ident, $path:literal, $input:ident, $operation:literal,
        |$state:ident, $value:ident| $build:expr
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = "claim actions",
            operation_id = $operation,
            params(
                ("id" = String, Path, format = Uuid, description = "The claim id"),
                ("If-Match" = String, Header, description = "The claim's ETag, such as \"3\"")
            ),
            request_body = $input,
            responses(
                (status = 200, description = "The claim after the action", body = ClaimView,
                    headers(("ETag" = String, description = "The claim's new version"))),
                (status = 404, description = "No such claim, or not the caller's", body = Problem, content_type = "application/problem+json"),
                (status = 409, description = "Not allowed now or not by this party: `current_status` and `allowed_actions` say what is", body = Problem, content_type = "application/problem+json"),
                (status = 412, description = "The ETag is stale: `current_version` is the claim's version", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "Invalid fields or a broken protocol rule", body = Problem, content_type = "application/problem+json"),
                (status = 428, description = "No If-Match", body = Problem, content_type = "application/problem+json"),
            ),
            security(("oauth2" = ["claims"]))
        )]
        #[post($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            caller: Caller,
            req: HttpRequest,
            id: web::Path<ClaimId>,
            body: Json<$input>,
        ) -> Result<HttpResponse, ApiError> {
            let $value = body.value;
            let $state = state.clone();
            let view = claims::perform(&state, &caller, id.into_inner(), if_match(&req), move |_claim| async move {
                let _ = &$state;
                $build
            })
            .await?;
            Ok(respond(view))
        }
    };
}

action_endpoint! {
    /// Acknowledge a claim (compensator).
    ///
    /// Confirms receipt of the CNF with the compensator's own reference. `submitted` →
    /// `awaiting_liability_decision`; meets the acknowledgement deadline.
    acknowledge, "/claims/{id}/actions/acknowledge", AcknowledgeInput, "acknowledge",
    |state, input| Ok(Action::Acknowledge(input))
}

action_endpoint! {
    /// Reject a CNF (compensator).
    ///
    /// For a wrong compensator, an invalid fraud-check reference or incorrect mandatory
    /// information. `submitted` → `rejected`; the representative may correct and resubmit.
    reject, "/claims/{id}/actions/reject", RejectInput, "reject",
    |state, input| Ok(Action::Reject(input))
}

action_endpoint! {
    /// Resubmit a rejected CNF (claimant representative).
    ///
    /// The corrected form may be addressed to another compensator. `rejected` → `submitted`; the
    /// notification date becomes today and every Stage 1 period starts again. A compensator the
    /// claim leaves can no longer see it.
    resubmit, "/claims/{id}/actions/resubmit", ResubmitRequest, "resubmit",
    |state, input| {
        let valid = claims::validate_cnf(&state, input.cnf).await?;
        let compensator = claims::organisation(&state, &valid.compensator).await?;
        Ok(Action::Resubmit { cnf: Box::new(valid), compensator })
    }
}

action_endpoint! {
    /// Reassign a claim to another compensator of the group (compensator).
    ///
    /// Before acknowledgement, to another compensator of the same group or the group's TPA. The
    /// claim stays `submitted` with its deadlines running; the sender can no longer see it.
    reassign, "/claims/{id}/actions/reassign", ReassignInput, "reassign",
    |state, input| {
        let unknown = || ApiError::invalid_field("to", "unknown_compensator", "names no organisation known to the hub");
        let code = OrganisationCode::parse(&input.to).map_err(|_| unknown())?;
        let to = state.directory.get(&state.db, &code).await?.ok_or_else(unknown)?;
        Ok(Action::Reassign { to, reason: input.reason })
    }
}

action_endpoint! {
    /// Decide liability (compensator).
    ///
    /// `admitted` → `liability_admitted`. `admitted_with_contributory_negligence` keeps the claim
    /// only for an RTA claim whose sole allegation is the seat belt (the deduction is recorded);
    /// otherwise the claim exits with `contributory_negligence_alleged`. `not_admitted` exits
    /// with `liability_not_admitted`. Deciding a `submitted` claim acknowledges it too (give
    /// `compensator_reference`).
    decide_liability, "/claims/{id}/actions/decide-liability", DecideLiabilityInput, "decide_liability",
    |state, input| Ok(Action::DecideLiability(input))
}

action_endpoint! {
    /// Declare the compensator an Article 75 insurer (compensator, RTA).
    ///
    /// Once, while awaiting the liability decision, not for the MIB: the liability period becomes
    /// 30 business days from notification.
    declare_article_75, "/claims/{id}/actions/declare-article-75", DeclareArticle75Input, "declare_article_75",
    |state, input| {
        let DeclareArticle75Input {} = input;
        Ok(Action::DeclareArticle75)
    }
}

action_endpoint! {
    /// Allege fraud (compensator).
    ///
    /// While awaiting the liability decision or in Stage 2: the claim exits with
    /// `fraud_alleged`.
    allege_fraud, "/claims/{id}/actions/allege-fraud", AllegeFraudInput, "allege_fraud",
    |state, input| Ok(Action::AllegeFraud(input))
}

action_endpoint! {
    /// Take the claim out of the protocol (either party).
    ///
    /// With a reason code the party may use (domain rules §5) and, for `other`, a comment of at
    /// least 10 characters. Reasons that rest on facts the hub records are checked (`409`
    /// otherwise).
    exit, "/claims/{id}/actions/exit", ExitInput, "exit",
    |state, input| Ok(Action::Exit(input))
}

action_endpoint! {
    /// Withdraw the claim (claimant representative).
    withdraw, "/claims/{id}/actions/withdraw", WithdrawInput, "withdraw",
    |state, input| Ok(Action::Withdraw(input))
}

action_endpoint! {
    /// Extend a consideration period by agreement (either party).
    ///
    /// Stage 2 periods only. The Stage 1 response period can never be extended: during Stage 1
    /// this answers `422` with code `stage1_period_not_extendable`.
    extend_consideration_period, "/claims/{id}/actions/extend-consideration-period", ExtendConsiderationPeriodInput,
    "extend_consideration_period",
    |state, input| Ok(Action::ExtendConsiderationPeriod(input))
}
