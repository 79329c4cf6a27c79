//! Rules of the CNF that span fields, depend on the claim type, on today's date or on the
//! addressed compensator. [`validate`] runs them together with the field checks.

use chrono::NaiveDate;
use validator::Validate;

use super::{Address, ClaimantRole, Cnf, ReferralSource};
use crate::claim::is_child_on;
use crate::claim_type::{ClaimType, ValueBand};
use crate::ids::OrganisationCode;
use crate::limits::{
    SMALL_CLAIMS_INJURY_LIMIT, SMALL_CLAIMS_TOTAL_LIMIT, SMALL_CLAIMS_TRACK_START, VALUE_BAND_BOUNDARY,
    ValueFacts, value_window,
};
use crate::money::Pence;
use crate::organisation::Organisation;
use crate::references;
use crate::validation::FieldErrors;

/// What validation needs to know beyond the form itself.
#[derive(Clone, Debug)]
pub struct ValidationContext {
    /// Today in England; it is also the notification date of a submission.
    pub today: NaiveDate,
    /// The organisation the form's `defendant.compensator` code names, if it exists.
    pub compensator: Option<Organisation>,
}

/// A form that passed every rule, in canonical spelling, with the facts the hub derives from it.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidatedCnf {
    pub cnf: Cnf,
    pub compensator: OrganisationCode,
    /// Under 18 on the notification date.
    pub child: bool,
}

/// Checks a form. `prefix` is the JSON path of the form in the request (`cnf`), so errors name
/// fields as the client sent them.
pub fn validate(
    mut cnf: Cnf,
    context: &ValidationContext,
    prefix: &str,
) -> Result<ValidatedCnf, FieldErrors> {
    let mut errors = FieldErrors::new();
    if let Err(found) = cnf.validate() {
        errors.add_validator_errors(prefix, &found);
    }
    let mut rules = Rules { errors: &mut errors, prefix, today: context.today };
    rules.claim_type_sections(&cnf);
    rules.dates(&cnf);
    rules.scope(&cnf);
    rules.conditional_fields(&cnf);
    rules.value(&cnf);
    let compensator = rules.compensator(&cnf, context.compensator.as_ref());

    match compensator {
        Some(compensator) if errors.is_empty() => {
            canonicalise(&mut cnf);
            let child = is_child_on(cnf.claimant.date_of_birth, context.today);
            Ok(ValidatedCnf { cnf, compensator, child })
        }
        _ => Err(errors),
    }
}

struct Rules<'a> {
    errors: &'a mut FieldErrors,
    prefix: &'a str,
    today: NaiveDate,
}

impl Rules<'_> {
    fn add(&mut self, field: &str, code: &str, message: &str) {
        self.errors.add(format!("{}.{field}", self.prefix), code, message);
    }

    fn required_if(&mut self, condition: bool, present: bool, field: &str, when: &str) {
        if condition && !present {
            self.add(field, "required", &format!("is required {when}"));
        }
    }

    fn absent_unless(&mut self, condition: bool, present: bool, field: &str, when: &str) {
        if !condition && present {
            self.add(field, "not_applicable", &format!("may only be given {when}"));
        }
    }

    fn not_in_future(&mut self, date: NaiveDate, field: &str) {
        if date > self.today {
            self.add(field, "date_in_future", "must not be in the future");
        }
    }

    /// Compares with the date of birth only when that date is itself plausible, so one wrong
    /// date of birth is reported once rather than against every other date.
    fn not_before_birth(&mut self, date: NaiveDate, birth: NaiveDate, field: &str) {
        let plausible_birth = birth <= self.today && birth >= earliest_birth_date();
        if plausible_birth && date < birth {
            self.add(field, "before_date_of_birth", "must not be before the claimant's date of birth");
        }
    }

    /// Each claim type has its own sections: an accident or a disease, vehicle details for RTA.
    fn claim_type_sections(&mut self, cnf: &Cnf) {
        let claim_type = cnf.claim.claim_type;
        let rta = claim_type == ClaimType::Rta;
        let road = claim_type.is_road();
        let small = claim_type == ClaimType::OicRta;
        let disease = claim_type == ClaimType::ElDisease;
        let for_small = "for oic_rta claims";
        self.required_if(small, cnf.small_claim.is_some(), "small_claim", for_small);
        self.absent_unless(small, cnf.small_claim.is_some(), "small_claim", for_small);
        self.required_if(!disease, cnf.accident.is_some(), "accident", "for this claim type");
        self.absent_unless(!disease, cnf.accident.is_some(), "accident", "for accident claims");
        self.required_if(disease, cnf.disease.is_some(), "disease", "for el_disease claims");
        self.absent_unless(disease, cnf.disease.is_some(), "disease", "for el_disease claims");
        let for_road = "for road traffic claims (rta, oic_rta)";
        self.absent_unless(road, cnf.vehicle_damage.is_some(), "vehicle_damage", for_road);

        let claim = &cnf.claim;
        self.required_if(
            rta,
            claim.fraud_check_reference.is_some(),
            "claim.fraud_check_reference",
            "for rta claims",
        );
        let defendant = &cnf.defendant;
        for (present, field) in [
            (defendant.vehicle_registration.is_some(), "defendant.vehicle_registration"),
            (defendant.vehicle_registered_outside_uk.is_some(), "defendant.vehicle_registered_outside_uk"),
        ] {
            self.required_if(road, present, field, for_road);
            self.absent_unless(road, present, field, for_road);
        }
        if let Some(accident) = &cnf.accident {
            for (present, field) in [
                (accident.claimant_role.is_some(), "accident.claimant_role"),
                (accident.police_reported.is_some(), "accident.police_reported"),
                (accident.circumstances.is_some(), "accident.circumstances"),
            ] {
                self.required_if(road, present, field, for_road);
                self.absent_unless(road, present, field, for_road);
            }
            let occupant =
                matches!(accident.claimant_role, Some(ClaimantRole::Driver | ClaimantRole::Passenger));
            let when = "for a driver or passenger";
            self.required_if(occupant, accident.seat_belt_worn.is_some(), "accident.seat_belt_worn", when);
            self.absent_unless(occupant, accident.seat_belt_worn.is_some(), "accident.seat_belt_worn", when);
            self.absent_unless(
                accident.police_reported == Some(true),
                accident.police_reference.is_some(),
                "accident.police_reference",
                "when the accident was reported to the police",
            );
        }
    }

    fn dates(&mut self, cnf: &Cnf) {
        let birth = cnf.claimant.date_of_birth;
        self.not_in_future(birth, "claimant.date_of_birth");
        if birth < earliest_birth_date() {
            self.add("claimant.date_of_birth", "date_too_early", "must not be before 1900-01-01");
        }
        if let Some(accident) = &cnf.accident {
            self.not_in_future(accident.date, "accident.date");
            self.not_before_birth(accident.date, birth, "accident.date");
        }
        if let Some(disease) = &cnf.disease {
            self.not_in_future(disease.employment_start, "disease.employment_start");
            self.not_before_birth(disease.employment_start, birth, "disease.employment_start");
            self.not_in_future(disease.date_of_knowledge, "disease.date_of_knowledge");
            self.not_before_birth(disease.date_of_knowledge, birth, "disease.date_of_knowledge");
            if let Some(end) = disease.employment_end {
                self.not_in_future(end, "disease.employment_end");
                if end < disease.employment_start {
                    self.add("disease.employment_end", "before_start", "must not be before employment_start");
                }
            }
        }
        if let (Some(details), Some(accident)) = (&cnf.small_claim, &cnf.accident) {
            for (index, injury) in details.injuries.iter().enumerate() {
                let field = format!("small_claim.injuries[{index}].onset");
                self.not_in_future(injury.onset, &field);
                if injury.onset < accident.date {
                    self.add(&field, "before_accident", "must not be before the accident");
                }
            }
        }
        if let Some(first) = cnf.injury.first_medical_attention_date {
            self.not_in_future(first, "injury.first_medical_attention_date");
            let accident = cnf.accident.as_ref().filter(|_| cnf.claim.claim_type != ClaimType::ElDisease);
            match accident {
                Some(accident) if first < accident.date => {
                    self.add(
                        "injury.first_medical_attention_date",
                        "before_accident",
                        "must not be before the accident",
                    );
                }
                _ => self.not_before_birth(first, birth, "injury.first_medical_attention_date"),
            }
        }
    }

    /// Claims the portal protocols do not cover are refused at the door.
    fn scope(&mut self, cnf: &Cnf) {
        let claimant = &cnf.claimant;
        for (flag, field, message) in [
            (
                claimant.personal_representative_of_deceased,
                "claimant.personal_representative_of_deceased",
                "claims by the personal representative of a deceased person are outside the protocol",
            ),
            (
                claimant.protected_party,
                "claimant.protected_party",
                "claims by a protected party are outside the protocol",
            ),
            (
                claimant.bankrupt,
                "claimant.bankrupt",
                "claims by a bankrupt claimant are outside the protocol",
            ),
            (
                cnf.defendant.personal_representative_of_deceased,
                "defendant.personal_representative_of_deceased",
                "claims against the personal representative of a deceased person are outside the protocol",
            ),
            (
                cnf.defendant.vehicle_registered_outside_uk == Some(true),
                "defendant.vehicle_registered_outside_uk",
                "claims about a vehicle registered outside the UK are outside the protocol",
            ),
        ] {
            if flag {
                self.add(field, "out_of_scope", message);
            }
        }
        if !cnf.claim.statement_of_truth {
            self.add("claim.statement_of_truth", "must_be_true", "the statement of truth must be confirmed");
        }
    }

    fn conditional_fields(&mut self, cnf: &Cnf) {
        let claimant = &cnf.claimant;
        let has_number = claimant.national_insurance_number.is_some();
        let has_reason = claimant.national_insurance_number_reason.is_some();
        if !has_number && !has_reason {
            self.add(
                "claimant.national_insurance_number",
                "required",
                "give the National Insurance number or national_insurance_number_reason",
            );
        }
        self.absent_unless(
            !has_number,
            has_reason,
            "claimant.national_insurance_number_reason",
            "when no number is given",
        );

        let representative = &cnf.representative;
        let via_cmc = representative.referral_source == ReferralSource::ClaimsManagementCompany;
        let cmc = representative.claims_management_company.is_some();
        let when = "when the referral source is claims_management_company";
        self.required_if(via_cmc, cmc, "representative.claims_management_company", when);
        self.absent_unless(via_cmc, cmc, "representative.claims_management_company", when);

        let injury = &cnf.injury;
        let when = "when medical attention was sought";
        let first = injury.first_medical_attention_date.is_some();
        self.required_if(injury.medical_attention_sought, first, "injury.first_medical_attention_date", when);
        self.absent_unless(
            injury.medical_attention_sought,
            first,
            "injury.first_medical_attention_date",
            when,
        );
        let when = "when the claimant attended hospital";
        let hospitals = !injury.hospitals.is_empty();
        self.required_if(injury.hospital_attendance, hospitals, "injury.hospitals", when);
        self.absent_unless(injury.hospital_attendance, hospitals, "injury.hospitals", when);
        let when = "when the claimant stayed in hospital overnight";
        let nights = injury.overnight_days.is_some();
        self.required_if(injury.overnight_stay, nights, "injury.overnight_days", when);
        self.absent_unless(injury.overnight_stay, nights, "injury.overnight_days", when);
        if injury.overnight_stay && !injury.hospital_attendance {
            self.add("injury.overnight_stay", "not_applicable", "requires hospital_attendance");
        }
        let days_off = injury.time_off_work_days.is_some();
        self.absent_unless(
            injury.time_off_work,
            days_off,
            "injury.time_off_work_days",
            "when time was taken off work",
        );

        if let Some(damage) = &cnf.vehicle_damage {
            let when = "when a replacement vehicle was provided";
            let provider = damage.replacement_vehicle_provider.is_some();
            self.required_if(
                damage.replacement_vehicle_provided,
                provider,
                "vehicle_damage.replacement_vehicle_provider",
                when,
            );
            self.absent_unless(
                damage.replacement_vehicle_provided,
                provider,
                "vehicle_damage.replacement_vehicle_provider",
                when,
            );
        }
    }

    /// The claim must be worth more than the small-claims limit and no more than the protocol's
    /// upper limit, and its value band must match its estimate.
    fn value(&mut self, cnf: &Cnf) {
        if cnf.claim.claim_type == ClaimType::OicRta {
            return self.small_claims_scope(cnf);
        }
        let claim = &cnf.claim;
        let injury = Pence::new(claim.injury_damages_estimate_pence);
        let total = Pence::new(claim.total_value_estimate_pence);
        if total < injury {
            self.add(
                "claim.total_value_estimate_pence",
                "less_than_injury_damages",
                "must not be less than injury_damages_estimate_pence",
            );
        }
        let expected_band =
            if total <= VALUE_BAND_BOUNDARY { ValueBand::UpTo10000 } else { ValueBand::From10000To25000 };
        if claim.value_band != expected_band {
            self.add(
                "claim.value_band",
                "inconsistent_value_band",
                "does not match total_value_estimate_pence",
            );
        }
        let adult = !is_child_on(cnf.claimant.date_of_birth, self.today);
        let occupant = cnf
            .accident
            .as_ref()
            .is_some_and(|a| matches!(a.claimant_role, Some(ClaimantRole::Driver | ClaimantRole::Passenger)));
        let window = value_window(ValueFacts {
            claim_type: claim.claim_type,
            adult_vehicle_occupant: adult && occupant,
            accident_date: cnf.accident.as_ref().map(|a| a.date),
            notification_date: self.today,
        });
        if injury <= window.small_claims_limit {
            self.add(
                "claim.injury_damages_estimate_pence",
                "small_claims_track_applies",
                &small_claims_pointer(claim.claim_type, window.small_claims_limit),
            );
        }
        if total > window.upper_limit {
            self.add(
                "claim.total_value_estimate_pence",
                "above_protocol_limit",
                &format!("claims above {} are outside the protocol", window.upper_limit),
            );
        }
    }

    /// The small-claims track takes adult vehicle occupants' road-traffic claims from 31 May 2021
    /// worth at most £5,000 for the injury and £10,000 in all (credit vehicle costs not counted),
    /// and nothing else: each rule a claim breaks is named, with the track it belongs on.
    fn small_claims_scope(&mut self, cnf: &Cnf) {
        let to_rta = "; submit it as an rta claim";
        let claim = &cnf.claim;
        let injury = Pence::new(claim.injury_damages_estimate_pence);
        let credit = cnf.small_claim.as_ref().map_or(0, |s| s.vehicle_costs_on_credit_pence);
        let total = Pence::new(claim.total_value_estimate_pence);
        let counted = Pence::new((claim.total_value_estimate_pence - credit).max(0));
        if total < injury {
            self.add(
                "claim.total_value_estimate_pence",
                "less_than_injury_damages",
                "must not be less than injury_damages_estimate_pence",
            );
        }
        if claim.value_band != ValueBand::UpTo10000 {
            self.add("claim.value_band", "inconsistent_value_band", "small claims are up_to_10000");
        }
        if injury > SMALL_CLAIMS_INJURY_LIMIT {
            self.add(
                "claim.injury_damages_estimate_pence",
                "above_small_claims_limit",
                &format!("the small claims track takes injury damages of at most {SMALL_CLAIMS_INJURY_LIMIT}{to_rta}"),
            );
        }
        if counted > SMALL_CLAIMS_TOTAL_LIMIT {
            self.add(
                "claim.total_value_estimate_pence",
                "above_small_claims_limit",
                &format!(
                    "the small claims track takes claims of at most {SMALL_CLAIMS_TOTAL_LIMIT} in all, vehicle costs on credit not counted{to_rta}"
                ),
            );
        }
        if let Some(accident) = &cnf.accident {
            if accident.date < SMALL_CLAIMS_TRACK_START {
                self.add(
                    "accident.date",
                    "before_small_claims_track",
                    &format!(
                        "the small claims track takes accidents from {SMALL_CLAIMS_TRACK_START}{to_rta}"
                    ),
                );
            }
            let birth = cnf.claimant.date_of_birth;
            if birth <= accident.date && is_child_on(birth, accident.date) {
                self.add(
                    "claimant.date_of_birth",
                    "child_claimant",
                    &format!("the claimant was under 18 on the accident date: children's claims are not small claims{to_rta}"),
                );
            }
            let occupant = matches!(
                accident.claimant_role,
                Some(ClaimantRole::Driver | ClaimantRole::Passenger | ClaimantRole::OwnerNotDriving)
            );
            if accident.claimant_role.is_some() && !occupant {
                self.add(
                    "accident.claimant_role",
                    "vulnerable_road_user",
                    &format!("the small claims track takes vehicle occupants only (driver, passenger, owner_not_driving){to_rta}"),
                );
            }
        }
        if cnf.small_claim.as_ref().is_some_and(|s| s.untraced_driver) {
            self.add(
                "small_claim.untraced_driver",
                "out_of_scope",
                "claims against the MIB about an untraced driver are outside the small claims track",
            );
        }
    }

    /// The addressed compensator must exist and be a compensator.
    fn compensator(&mut self, cnf: &Cnf, found: Option<&Organisation>) -> Option<OrganisationCode> {
        let field = "defendant.compensator";
        let Ok(code) = OrganisationCode::parse(&cnf.defendant.compensator) else {
            self.add(field, "invalid_format", "must be an organisation code such as CM00001");
            return None;
        };
        match found {
            Some(organisation) if organisation.code == code && organisation.is_compensator() => Some(code),
            Some(organisation) if organisation.code == code => {
                self.add(field, "not_a_compensator", "names an organisation that is not a compensator");
                None
            }
            _ => {
                self.add(field, "unknown_compensator", "names no organisation known to the hub");
                None
            }
        }
    }
}

/// The refusal of a claim that belongs on the small-claims track.
fn small_claims_pointer(claim_type: ClaimType, limit: Pence) -> String {
    if claim_type == ClaimType::Rta {
        format!(
            "injury damages of {limit} or less belong on the small claims track: submit the claim as oic_rta"
        )
    } else {
        format!("injury damages of {limit} or less belong on the small claims track")
    }
}

fn earliest_birth_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Rewrites identifiers in their standard spelling; only called on a valid form.
fn canonicalise(cnf: &mut Cnf) {
    fn address(address: &mut Address) {
        if let Some(postcode) = references::parse_postcode(&address.postcode) {
            address.postcode = postcode;
        }
    }
    address(&mut cnf.claimant.address);
    address(&mut cnf.defendant.address);
    for hospital in &mut cnf.injury.hospitals {
        hospital.address.as_mut().map(address);
    }
    for party in &mut cnf.other_parties {
        party.address.as_mut().map(address);
    }
    let claimant = &mut cnf.claimant;
    if let Some(ni) = claimant.national_insurance_number.as_deref().and_then(references::parse_ni_number) {
        claimant.national_insurance_number = Some(ni);
    }
    if let Some(details) = &mut cnf.small_claim
        && let Some(reg) = references::parse_vehicle_registration(&details.vehicle.registration)
    {
        details.vehicle.registration = reg;
    }
    let defendant = &mut cnf.defendant;
    if let Some(reg) =
        defendant.vehicle_registration.as_deref().and_then(references::parse_vehicle_registration)
    {
        defendant.vehicle_registration = Some(reg);
    }
}
