//! `POST /v1/claims/{id}/actions/{action}`: one endpoint per lifecycle action, each with its own
//! request schema. Every action needs `If-Match` with the claim's ETag.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, post, web};
use claims_domain::ids::ClaimId;
use claims_domain::lifecycle::action::*;

use crate::auth::Caller;
use crate::dto::claim::{ClaimView, ResubmitRequest};
use crate::error::{ApiError, Problem};
use crate::json::JsonBody;
use crate::service::claims::{self, etag};
use crate::service::{actions, registration};
use crate::state::AppState;

/// The `If-Match` of a request, read as RFC 9110 says: `None` without the header.
fn if_match(req: &HttpRequest) -> Option<actions::Precondition> {
    req.headers().get(header::IF_MATCH)?;
    Some(match <header::IfMatch as header::Header>::parse(req) {
        Ok(header::IfMatch::Any) => actions::Precondition::Any,
        Ok(header::IfMatch::Items(tags)) => actions::Precondition::Tags(tags),
        // Unreadable: it names no entity-tag, so nothing matches.
        Err(_) => actions::Precondition::Tags(Vec::new()),
    })
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
        |$state:ident, $value:ident $(, $claim:ident)?| $build:expr
    ) => {
        action_endpoint! {
            $(#[doc = $doc])*
            $name, $path, $input, $operation, [request_body = $input],
            |$state, $value $(, $claim)?| $build
        }
    };
    // With named examples, where the request differs by state or by party.
    (
        $(#[doc = $doc:literal])*
        $name:ident, $path:literal, $input:ident, $operation:literal, examples($($example:tt)*),
        |$state:ident, $value:ident $(, $claim:ident)?| $build:expr
    ) => {
        action_endpoint! {
            $(#[doc = $doc])*
            $name, $path, $input, $operation, [request_body(content = $input, examples($($example)*))],
            |$state, $value $(, $claim)?| $build
        }
    };
    (
        $(#[doc = $doc:literal])*
        $name:ident, $path:literal, $input:ident, $operation:literal, [$($request_body:tt)*],
        |$state:ident, $value:ident $(, $claim:ident)?| $build:expr
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = "claim actions",
            operation_id = $operation,
            params(
                ("id" = String, Path, format = Uuid, description = "The claim id"),
                ("If-Match" = String, Header, description = "The claim's ETag, such as \"3\"")
            ),
            $($request_body)*,
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
            body: JsonBody,
        ) -> Result<HttpResponse, ApiError> {
            let $state = state.clone();
            // The body is read now but parsed only once the claim is known to be the caller's:
            // someone else's claim is a 404 whatever the body says.
            let view = actions::perform(&state, &caller, id.into_inner(), if_match(&req), move |claim| async move {
                let _ = &$state;
                let _ = &claim;
                $(let $claim = &claim;)?
                let $value: $input = body.parse()?;
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
        let to = registration::named_organisation(&state, "to", &input.to, "unknown_compensator").await?;
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
    examples(
        ("after_acknowledgement" = (summary = "Admitted, on an acknowledged claim", value = json!(crate::examples::decide_liability(false)))),
        ("from_submitted" = (summary = "Admitted straight from submitted (acknowledges too)", value = json!(crate::examples::decide_liability(true)))),
    ),
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

action_endpoint! {
    /// Request an interim payment (claimant representative, adults).
    ///
    /// While liability is admitted and no other request is open: at least £1,000, with the losses
    /// it is for and the medical report. The compensator pays a £1,000 request within 10 business
    /// days, a larger one within 15.
    request_interim_payment, "/claims/{id}/actions/request-interim-payment", RequestInterimPaymentInput,
    "request_interim_payment",
    |state, input| Ok(Action::RequestInterimPayment(input))
}

action_endpoint! {
    /// Answer an interim payment request (compensator).
    ///
    /// `paid_in_full`, `paid_in_part` (with the amount: less than asked, at least £1,000), or
    /// `refused` with reasons (only an invalid request may be refused).
    respond_interim_payment, "/claims/{id}/actions/respond-interim-payment", RespondInterimPaymentInput,
    "respond_interim_payment",
    |state, input| Ok(Action::RespondInterimPayment(input))
}

action_endpoint! {
    /// Extend an interim payment period (compensator), once, for requests above £1,000.
    ///
    /// The payment becomes due 30 business days after the request.
    extend_interim_deadline, "/claims/{id}/actions/extend-interim-deadline", NoFields, "extend_interim_deadline",
    |state, input| {
        let NoFields {} = input;
        Ok(Action::ExtendInterimDeadline)
    }
}

action_endpoint! {
    /// Accept a part payment of an interim request (claimant representative).
    accept_partial_interim, "/claims/{id}/actions/accept-partial-interim", NoFields, "accept_partial_interim",
    |state, input| {
        let NoFields {} = input;
        Ok(Action::AcceptPartialInterim)
    }
}

action_endpoint! {
    /// Decline a part payment of an interim request (claimant representative).
    ///
    /// The request closes; the representative may then exit with `partial_interim_not_accepted`.
    decline_partial_interim, "/claims/{id}/actions/decline-partial-interim", DeclinePartialInterimInput,
    "decline_partial_interim",
    |state, input| Ok(Action::DeclinePartialInterim(input))
}

action_endpoint! {
    /// Confirm an interim payment was received (claimant representative); the request closes.
    confirm_interim_received, "/claims/{id}/actions/confirm-interim-received", NoFields, "confirm_interim_received",
    |state, input| {
        let NoFields {} = input;
        Ok(Action::ConfirmInterimReceived)
    }
}

action_endpoint! {
    /// Send the settlement pack (claimant representative).
    ///
    /// The claimant's offer as a table of losses (the hub values the lines, the deductions and
    /// the totals; `whiplash_tariff` lines are valued from the tariff), with the medical reports
    /// and the statement of truth. Refused while an interim request is open. The compensator has
    /// 15 business days to answer (the initial period); the parties have 35 in all to agree; the
    /// Stage 1 costs are due within 10 (adults).
    send_settlement_pack, "/claims/{id}/actions/send-settlement-pack", SendSettlementPackInput, "send_settlement_pack",
    |state, input| Ok(Action::SendSettlementPack(input))
}

action_endpoint! {
    /// Answer the settlement pack (compensator).
    ///
    /// `accept` settles on the pack; `counter_offer` (a full table and a global gross amount)
    /// starts the negotiation; `withdraw_admission` ends the claim's time in the protocol.
    respond_settlement_pack, "/claims/{id}/actions/respond-settlement-pack", RespondSettlementPackInput,
    "respond_settlement_pack",
    |state, input| Ok(Action::RespondSettlementPack(input))
}

action_endpoint! {
    /// Make a counter-offer (the side whose turn it is).
    ///
    /// An offer in the last 5 business days of the total consideration period opens a further
    /// period of 5 business days after it ends, during which the other side may only accept.
    counter_offer, "/claims/{id}/actions/counter-offer", CounterOfferInput, "counter_offer",
    examples(
        ("claimant_representative" = (summary = "The claimant side's counter-offer", value = json!(crate::examples::counter_offer(claims_domain::party::Side::ClaimantRepresentative)))),
        ("compensator" = (summary = "The compensator's counter-offer, with its CRU deduction", value = json!(crate::examples::counter_offer(claims_domain::party::Side::Compensator)))),
    ),
    |state, input| Ok(Action::CounterOffer(input))
}

action_endpoint! {
    /// Accept the current offer (the side that did not make it): the claim settles.
    ///
    /// The hub computes what is owed: the agreed gross less interim payments and the CRU
    /// deduction, plus Stage 2 costs, unpaid Stage 1 costs and agreed disbursements, due within
    /// 10 business days. A child's settlement needs the court's approval: the next step is the
    /// court proceedings pack.
    accept_offer, "/claims/{id}/actions/accept-offer", NoFields, "accept_offer",
    |state, input| {
        let NoFields {} = input;
        Ok(Action::AcceptOffer)
    }
}

action_endpoint! {
    /// Record a payment (either party): Stage 1 costs or the settlement.
    record_payment, "/claims/{id}/actions/record-payment", RecordPaymentInput, "record_payment",
    |state, input| Ok(Action::RecordPayment(input))
}

action_endpoint! {
    /// Confirm the settlement was received (claimant representative): the claim closes.
    confirm_settlement_received, "/claims/{id}/actions/confirm-settlement-received", NoFields,
    "confirm_settlement_received",
    |state, input| {
        let NoFields {} = input;
        Ok(Action::ConfirmSettlementReceived)
    }
}

action_endpoint! {
    /// Send the court proceedings pack (claimant representative).
    ///
    /// After no agreement, or to have a child's settlement approved. Part A lists the heads agreed
    /// and disputed and the disbursements; the hub adds part B, both sides' final offers. The
    /// compensator's comments are due in 5 business days, its payment in 15.
    send_court_pack, "/claims/{id}/actions/send-court-pack", SendCourtPackInput, "send_court_pack",
    |state, input| Ok(Action::SendCourtPack(input))
}

action_endpoint! {
    /// Answer the court proceedings pack (compensator): the claim closes for court proceedings.
    respond_court_pack, "/claims/{id}/actions/respond-court-pack", RespondCourtPackInput, "respond_court_pack",
    |state, input| Ok(Action::RespondCourtPack(input))
}

action_endpoint! {
    /// Offer the claim to another claimant representative (claimant representative).
    ///
    /// The receiver sees the offer in its events and at `GET /v1/transfer-offers` (a summary
    /// without personal data) and accepts or declines it. Until it accepts nothing changes and
    /// every deadline keeps running.
    offer_transfer, "/claims/{id}/actions/offer-transfer", OfferTransferInput, "offer_transfer",
    |state, input| {
        let to = registration::named_organisation(&state, "to", &input.to, "unknown_organisation").await?;
        Ok(Action::OfferTransfer { offer_id: uuid::Uuid::now_v7(), to })
    }
}

action_endpoint! {
    /// Withdraw a pending transfer offer (claimant representative).
    cancel_transfer_offer, "/claims/{id}/actions/cancel-transfer-offer", NoFields, "cancel_transfer_offer",
    |state, input| {
        let NoFields {} = input;
        Ok(Action::CancelTransferOffer)
    }
}

// The small-claims track (`oic_rta`).

action_endpoint! {
    /// Accept the compensator's liability decision (claimant representative, small claims).
    ///
    /// Settles a partial admission, a causation dispute or a denial on the compensator's terms:
    /// the claim goes on in `liability_admitted`.
    accept_liability_decision, "/claims/{id}/actions/accept-liability-decision", NoFields, "accept_liability_decision",
    |state, input| {
        let NoFields {} = input;
        Ok(Action::AcceptLiabilityDecision)
    }
}

action_endpoint! {
    /// Go to court (claimant representative, small claims).
    ///
    /// By a route of Practice Direction 27B that is open now (`liability_denied`,
    /// `liability_admitted_in_part`, `quantum`, `vehicle_costs`, `uplift`, `payment_not_made`).
    /// The claim becomes `exited` with reason `court_liability` (liability routes, from which it
    /// may resume) or `court_quantum`.
    exit_to_court, "/claims/{id}/actions/exit-to-court", ExitToCourtInput, "exit_to_court",
    |state, input| Ok(Action::ExitToCourt(input))
}

action_endpoint! {
    /// Resume after court (claimant representative, small claims).
    ///
    /// With the court's finding on liability: established (with any contributory negligence) →
    /// `liability_admitted` and the medical stage goes on; not established → `closed` with outcome
    /// `court_dismissed`.
    resume_after_court, "/claims/{id}/actions/resume-after-court", ResumeAfterCourtInput, "resume_after_court",
    |state, input| Ok(Action::ResumeAfterCourt(input))
}

action_endpoint! {
    /// Add a medical report (claimant representative, small claims).
    ///
    /// Upload the report as an attachment of the claim first, then name it here with the report
    /// date, the expert's reference and each injury's kind and prognosis. The latest report values
    /// the tariff.
    add_medical_report, "/claims/{id}/actions/add-medical-report", AddMedicalReportInput, "add_medical_report",
    |state, input, claim| {
        if state.db.attachment(claim.id, input.attachment_id).await?.is_none() {
            return Err(ApiError::invalid_field(
                "attachment_id",
                "unknown_attachment",
                "names no attachment of this claim",
            ));
        }
        Ok(Action::AddMedicalReport(input))
    }
}

action_endpoint! {
    /// Set the losses (claimant representative, small claims).
    ///
    /// The table of losses, replaceable until an offer is asked for. A `whiplash_tariff` line is
    /// valued by the hub from the latest medical report.
    set_losses, "/claims/{id}/actions/set-losses", SetLossesInput, "set_losses",
    |state, input| Ok(Action::SetLosses(input))
}

action_endpoint! {
    /// Ask for the compensator's offer (claimant representative, small claims).
    ///
    /// Refused (`422` `medical_report_required`) while a whiplash or minor psychological injury has
    /// no medical report. `liability_admitted` → `offer_requested`; the offer is due in 20
    /// business days.
    request_offer, "/claims/{id}/actions/request-offer", NoFields, "request_offer",
    |state, input| {
        let NoFields {} = input;
        Ok(Action::RequestOffer)
    }
}

action_endpoint! {
    /// Make an offer (compensator, small claims).
    ///
    /// A full table of losses; the hub values the tariff line from the latest medical report, or at
    /// `disputed_prognosis_months` (a different figure is `422` `tariff_mismatch`; no uplift). Never
    /// before a medical report on a whiplash claim (`422` `pre_medical_offer`). → `offer_made`; the
    /// claimant answers within 20 business days.
    make_offer, "/claims/{id}/actions/make-offer", MakeOfferInput, "make_offer",
    |state, input| Ok(Action::MakeOffer(input))
}

action_endpoint! {
    /// Propose removing the claim (compensator, small claims).
    ///
    /// The claimant may object within 10 business days; otherwise the claim becomes `withdrawn`,
    /// attributed to the system.
    propose_removal, "/claims/{id}/actions/propose-removal", ProposeRemovalInput, "propose_removal",
    |state, input| Ok(Action::ProposeRemoval(input))
}

action_endpoint! {
    /// Object to a proposed removal (claimant representative, small claims).
    object_to_removal, "/claims/{id}/actions/object-to-removal", NoFields, "object_to_removal",
    |state, input| {
        let NoFields {} = input;
        Ok(Action::ObjectToRemoval)
    }
}

// Either track.

action_endpoint! {
    /// Request erasure, rectification or restriction (either party).
    ///
    /// A person asked for their data to be erased, rectified or restricted. The claim becomes
    /// `erasure_pending`: read-only, every action refused with `409`, still exportable; its running
    /// deadlines are set aside. Either party may cancel within 14 calendar days (`erasure.purge_after`
    /// is the last day); after that the claim is purged.
    request_erasure, "/claims/{id}/actions/request-erasure", RequestErasureInput, "request_erasure",
    |state, input| Ok(Action::RequestErasure(input))
}

action_endpoint! {
    /// Cancel an erasure request (either party), within its 14 days.
    ///
    /// The claim returns to the status it had, with its deadlines.
    cancel_erasure, "/claims/{id}/actions/cancel-erasure", NoFields, "cancel_erasure",
    |state, input| {
        let NoFields {} = input;
        Ok(Action::CancelErasure)
    }
}
