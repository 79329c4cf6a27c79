//! Printable documents: a claim's current data rendered as PDF, one kind per stage.

mod pdf;

use claims_domain::claim::Claim;
use claims_domain::claim_type::Track;
use claims_domain::cnf::Address;
use claims_domain::losses::LossTable;
use claims_domain::money::Pence;
use claims_domain::organisation::Organisation;
use claims_domain::party::Side;

use pdf::TextDocument;

/// The documents a claim can print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Cnf,
    LiabilityResponse,
    InterimRequest,
    SettlementPack,
    CourtPack,
}

impl DocumentKind {
    pub fn file_stem(self) -> &'static str {
        match self {
            DocumentKind::Cnf => "cnf",
            DocumentKind::LiabilityResponse => "liability-response",
            DocumentKind::InterimRequest => "interim-request",
            DocumentKind::SettlementPack => "settlement-pack",
            DocumentKind::CourtPack => "court-pack",
        }
    }
}

/// The parties' names, for the heading of every document.
pub struct Parties<'a> {
    pub claimant_representative: &'a Organisation,
    pub compensator: &'a Organisation,
}

/// Renders a document of the claim as it stands, or `None` when its stage has not happened.
pub fn render(kind: DocumentKind, claim: &Claim, parties: &Parties) -> Option<Vec<u8>> {
    let small = claim.claim_type.track() == Track::SmallClaims;
    let title = match kind {
        DocumentKind::Cnf if small => "Claim Notification Form (small claims track)",
        DocumentKind::CourtPack if small => "Court pack (small claims track, Practice Direction 27B)",
        DocumentKind::Cnf => "Claim Notification Form",
        DocumentKind::LiabilityResponse => "Liability response",
        DocumentKind::InterimRequest => "Interim payment request",
        DocumentKind::SettlementPack => "Stage 2 settlement pack",
        DocumentKind::CourtPack => "Court proceedings pack",
    };
    let mut document = TextDocument::new(title);
    header(&mut document, claim, parties);
    let lifecycle = &claim.lifecycle;
    match kind {
        DocumentKind::Cnf => cnf(&mut document, claim),
        DocumentKind::LiabilityResponse => {
            let decision = lifecycle.liability.as_ref()?;
            document.heading("Decision");
            document.field("Outcome", decision.outcome);
            if let Some(cn) = &decision.contributory_negligence {
                document.field(
                    "Contributory negligence",
                    format!("{}% (seat belt only: {})", cn.percent, yes(cn.seat_belt_only)),
                );
            }
            if let Some(reasons) = &decision.reasons {
                document.field("Reasons", reasons);
            }
            document.field("Decided at", decision.decided_at.format("%Y-%m-%d %H:%M UTC"));
            document.field("Rehabilitation offered", yes(decision.rehabilitation_offered));
            if let Some(repairs) = decision.repairs_offered {
                document.field("Repairs offered", yes(repairs));
            }
            if let Some(vehicle) = decision.replacement_vehicle_offered {
                document.field("Replacement vehicle offered", yes(vehicle));
            }
            if decision.deemed {
                document.field("Deemed", "no response in time: liability is deemed admitted");
            }
            if let Some(version) = &decision.version_of_events {
                document.field("Compensator's version of events", version);
            }
            if let Some(birth) = decision.claimant_date_of_birth {
                document.field("Claimant's date of birth (compensator's record)", birth);
            }
            if let Some(contact) = &decision.compensator_contact {
                document.heading("Compensator's contact");
                document.field("Name", &contact.name);
                document.field("Telephone", &contact.telephone);
                document.field("Email", &contact.email);
            }
        }
        DocumentKind::InterimRequest => {
            let request = lifecycle.interim_payments.last()?;
            document.heading(&format!("Request {}", request.number));
            document.field("Amount requested", request.requested_pence);
            document.field("Requested at", request.requested_at.format("%Y-%m-%d %H:%M UTC"));
            document.field("Medical report", &request.medical_report_reference);
            document.field("Status", request.status);
            if let Some(paid) = request.paid_pence {
                document.field("Paid", paid);
            }
            losses(&mut document, &request.losses);
        }
        DocumentKind::SettlementPack => {
            let pack = lifecycle.settlement_pack.as_ref()?;
            let offer = lifecycle.offers.first()?;
            document.field("Sent at", pack.sent_at.format("%Y-%m-%d %H:%M UTC"));
            document.field("Medical reports", pack.medical_report_references.join(", "));
            document.field("London weighting", yes(pack.london_weighting));
            document.field("Disbursements claimed", offer.disbursements_pence);
            losses(&mut document, &offer.losses);
            if lifecycle.offers.len() > 1 {
                document.heading("Offers since");
                for later in &lifecycle.offers[1..] {
                    document.field(&format!("Offer {} by {}", later.number, later.by), later.gross_pence);
                }
            }
            if let Some(settlement) = &lifecycle.settlement {
                document.heading("Settlement");
                let sums = &settlement.sums;
                document.field("Agreed gross", sums.agreed_gross_pence);
                document.field("Interim payments", sums.interim_payments_pence);
                document.field("CRU deduction", sums.cru_deduction_pence);
                document.field("Damages owed", sums.damages_pence);
                document.field("Stage 2 costs", sums.stage2_costs_pence);
                document.field("Stage 1 costs owed", sums.stage1_costs_pence);
                document.field("Disbursements", sums.disbursements_pence);
                document.field("Total owed", sums.total_pence);
            }
        }
        DocumentKind::CourtPack if small => small_claims_court_pack(&mut document, claim)?,
        DocumentKind::CourtPack => {
            let pack = lifecycle.court_pack.as_ref()?;
            document.field("Sent at", pack.sent_at.format("%Y-%m-%d %H:%M UTC"));
            document.heading("Part A");
            let names = |heads: &[claims_domain::losses::LossHead]| {
                if heads.is_empty() {
                    "none".to_owned()
                } else {
                    heads.iter().map(|h| h.as_str()).collect::<Vec<_>>().join(", ")
                }
            };
            document.field("Heads agreed", names(&pack.agreed_heads));
            document.field("Heads disputed", names(&pack.disputed_heads));
            document.field("Disbursements", pack.disbursements_pence);
            document.heading("Part B");
            document.field("Claimant's final offer", optional(pack.claimant_final_offer_pence));
            document.field("Compensator's final offer", optional(pack.compensator_final_offer_pence));
            if let Some(response) = &pack.response {
                document.heading("Compensator's response");
                document.paragraph(&response.comments);
            }
        }
    }
    Some(document.finish())
}

fn header(document: &mut TextDocument, claim: &Claim, parties: &Parties) {
    document.field("Claim", claim.id);
    document.field("Representative's reference", &claim.cr_reference);
    if let Some(reference) = &claim.cm_reference {
        document.field("Compensator's reference", reference);
    }
    document.field("Type", claim.claim_type);
    document.field("Status", claim.status);
    document.field("Notification date", claim.notification_date);
    let name = |o: &Organisation| format!("{} ({})", o.name, o.code);
    document.field("Claimant representative", name(parties.claimant_representative));
    document.field("Compensator", name(parties.compensator));
}

fn cnf(document: &mut TextDocument, claim: &Claim) {
    let cnf = &claim.cnf;
    let address = |a: &Address| {
        [
            Some(a.line1.as_str()),
            a.line2.as_deref(),
            a.line3.as_deref(),
            Some(a.city.as_str()),
            Some(a.postcode.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    };
    document.heading("Claim");
    document.field("Value band", cnf.claim.value_band);
    document.field("Estimated injury damages", Pence::new(cnf.claim.injury_damages_estimate_pence));
    document.field("Estimated total value", Pence::new(cnf.claim.total_value_estimate_pence));
    if let Some(reference) = &cnf.claim.fraud_check_reference {
        document.field("Fraud-check reference", reference);
    }
    document.heading("Claimant");
    let claimant = &cnf.claimant;
    document.field("Name", format!("{} {} {}", claimant.title, claimant.first_name, claimant.surname));
    document.field("Date of birth", claimant.date_of_birth);
    document.field("Child", yes(claim.child));
    document.field("Address", address(&claimant.address));
    document.field("Occupation", &claimant.occupation);
    match (&claimant.national_insurance_number, &claimant.national_insurance_number_reason) {
        (Some(number), _) => document.field("National Insurance number", number),
        (None, Some(reason)) => document.field("National Insurance number not given", reason),
        (None, None) => {}
    }
    document.heading("Representative");
    let representative = &cnf.representative;
    document.field("Contact", &representative.contact_name);
    document.field("Telephone", &representative.telephone);
    document.field("Email", &representative.email);
    document.field("Referral", representative.referral_source);
    document.heading("Defendant");
    let defendant = &cnf.defendant;
    document.field("Name", &defendant.name);
    document.field("Address", address(&defendant.address));
    if let Some(policy) = &defendant.policy_number {
        document.field("Policy number", policy);
    }
    if let Some(registration) = &defendant.vehicle_registration {
        document.field("Vehicle registration", registration);
    }
    if let Some(accident) = &cnf.accident {
        document.heading("Accident");
        document.field("Date and time", format!("{} {}", accident.date, accident.time));
        document.field("Location", &accident.location);
        document.field("Description", &accident.description);
        if let Some(role) = accident.claimant_role {
            document.field("Claimant's role", role);
        }
    }
    if let Some(disease) = &cnf.disease {
        document.heading("Disease");
        document.field("Description", &disease.description);
        document.field("Employment from", disease.employment_start);
        document.field("Date of knowledge", disease.date_of_knowledge);
    }
    document.heading("Injury");
    document.field("Description", &cnf.injury.description);
    document.field("Medical attention", yes(cnf.injury.medical_attention_sought));
    document.field("Hospital attendance", yes(cnf.injury.hospital_attendance));
    document.field("Rehabilitation", cnf.injury.rehabilitation);
    if let Some(details) = &cnf.small_claim {
        document.heading("Small claim");
        for (index, injury) in details.injuries.iter().enumerate() {
            let ongoing = if injury.ongoing { "ongoing" } else { "resolved" };
            document.field(
                &format!("Injury {}", index + 1),
                format!("{}, from {}, {ongoing}", injury.kind, injury.onset),
            );
        }
        let vehicle = &details.vehicle;
        document.field(
            "Claimant's vehicle",
            format!("{} {} ({})", vehicle.make, vehicle.model, vehicle.registration),
        );
        document.field("Untraced driver", yes(details.untraced_driver));
        document.field(
            "Vehicle costs on credit (not counted)",
            Pence::new(details.vehicle_costs_on_credit_pence),
        );
    }
    document.heading("Liability");
    document.paragraph(&cnf.liability.reasons);
}

/// The court pack of a small claim for the route it took: the claim's liability, the medical
/// evidence and both sides' last offers. `None` until the claim has gone to court.
fn small_claims_court_pack(document: &mut TextDocument, claim: &Claim) -> Option<()> {
    let lifecycle = &claim.lifecycle;
    let referral = lifecycle.court.last()?;
    document.field("Route", referral.route);
    document.field("Referred at", referral.referred_at.format("%Y-%m-%d %H:%M UTC"));
    document.heading("Liability");
    match &lifecycle.liability {
        Some(decision) => {
            let deemed = if decision.deemed { " (deemed)" } else { "" };
            document.field("Compensator's decision", format!("{}{deemed}", decision.outcome));
            if let Some(cn) = &decision.contributory_negligence {
                document.field("Contributory negligence", format!("{}%", cn.percent));
            }
            if let Some(version) = &decision.version_of_events {
                document.field("Compensator's version of events", version);
            }
        }
        None => document.field("Compensator's decision", "none"),
    }
    document.heading("Medical evidence");
    if lifecycle.medical_reports.is_empty() {
        document.field("Reports", "none");
    }
    for (index, report) in lifecycle.medical_reports.iter().enumerate() {
        let injuries: Vec<String> =
            report.injuries.iter().map(|i| format!("{} {} months", i.kind, i.prognosis_months)).collect();
        document.field(
            &format!("Report {}", index + 1),
            format!("{} by {}: {}", report.report_date, report.expert_reference, injuries.join(", ")),
        );
    }
    document.heading("Last offers");
    let last_by = |side: Side| lifecycle.offers.iter().rev().find(|o| o.by == side).map(|o| o.gross_pence);
    document.field("Claimant's last offer", optional(last_by(Side::ClaimantRepresentative)));
    document.field("Compensator's last offer", optional(last_by(Side::Compensator)));
    if let Some(finding) = &referral.finding {
        document.heading("Court's finding");
        document.field("Liability established", yes(finding.liability_established));
        if let Some(percent) = finding.contributory_negligence_percent {
            document.field("Contributory negligence", format!("{percent}%"));
        }
    }
    Some(())
}

fn losses(document: &mut TextDocument, table: &LossTable) {
    document.heading("Losses");
    for line in &table.lines {
        let deduction = if line.deduction_pence.get() > 0 {
            format!(
                " less {}% ({}) = {}",
                line.contributory_negligence_percent, line.deduction_pence, line.net_pence
            )
        } else {
            String::new()
        };
        document.field(line.head.as_str(), format!("{}{deduction}", line.gross_pence));
    }
    let totals = &table.totals;
    document.field("Total gross", totals.gross_pence);
    document.field("Deductions", totals.deductions_pence);
    document.field("After deductions", totals.after_deductions_pence);
    document.field("Interim payments", totals.interim_payments_pence);
    document.field("After interim payments", totals.after_interim_payments_pence);
}

fn yes(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn optional(amount: Option<Pence>) -> String {
    amount.map_or_else(|| "none made".to_owned(), |a| a.to_string())
}
