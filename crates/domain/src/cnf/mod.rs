//! The Claim Notification Form (CNF): what a claimant representative sends to open a claim.
//!
//! The types here are the form as it travels: they deserialise strictly (unknown fields are
//! refused) and carry field-level rules (`validator`). The rules that need several fields, the
//! claim type or today's date live in [`rules`]; [`validate`] runs both and returns every problem
//! at once, or the form in its canonical spelling.

pub(crate) mod checks;
pub mod examples;
mod rules;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use validator::Validate;

pub use crate::claim_type::{ClaimType, ValueBand};
pub use rules::{ValidatedCnf, ValidationContext, validate};

#[cfg(test)]
mod tests;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

string_enum! {
    /// Who signs the statement of truth.
    Signatory { Claimant => "claimant", Representative => "representative" }
}

string_enum! {
    /// How the claim reached the representative.
    ReferralSource {
        Direct => "direct",
        ClaimsManagementCompany => "claims_management_company",
        Other => "other",
    }
}

string_enum! {
    /// Whether the defendant is a person or a business.
    DefendantKind { Personal => "personal", Business => "business" }
}

string_enum! {
    /// The claimant's part in a road traffic accident.
    ClaimantRole {
        Driver => "driver",
        OwnerNotDriving => "owner_not_driving",
        Passenger => "passenger",
        Pedestrian => "pedestrian",
        Cyclist => "cyclist",
        Motorcyclist => "motorcyclist",
        Other => "other",
    }
}

string_enum! {
    /// Whether a vehicle occupant wore a seat belt.
    SeatBelt { Yes => "yes", No => "no", NotKnown => "not_known" }
}

string_enum! {
    /// How a road traffic accident happened.
    Circumstances {
        RearEnd => "rear_end",
        SideRoad => "side_road",
        Parked => "parked",
        Roundabout => "roundabout",
        LaneChange => "lane_change",
        CarPark => "car_park",
        Other => "other",
    }
}

string_enum! {
    /// Where rehabilitation stands.
    Rehabilitation {
        Undertaken => "undertaken",
        NotUndertaken => "not_undertaken",
        NotYetSeenByMedicalProfessional => "not_yet_seen_by_medical_professional",
    }
}

string_enum! {
    /// The claimant's own motor insurance.
    InsuranceCover {
        Comprehensive => "comprehensive",
        ThirdPartyFireAndTheft => "third_party_fire_and_theft",
        ThirdPartyOnly => "third_party_only",
        NotInsured => "not_insured",
        NotKnown => "not_known",
    }
}

string_enum! {
    /// Where the repair of the claimant's vehicle stands.
    RepairPosition {
        Repaired => "repaired",
        BeingRepaired => "being_repaired",
        NotRepaired => "not_repaired",
        NotKnown => "not_known",
    }
}

string_enum! {
    /// The kind of an injury on the small-claims track: whiplash and minor psychological injuries
    /// are valued by the tariff and need a medical report before an offer.
    InjuryKind {
        Whiplash => "whiplash",
        MinorPsychological => "minor_psychological",
        Other => "other",
    }
}

string_enum! {
    /// How another person named in the CNF was involved.
    OtherPartyRole { Witness => "witness", OtherParty => "other_party" }
}

/// The whole form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Cnf {
    #[validate(nested)]
    pub claim: ClaimSection,
    #[validate(nested)]
    pub claimant: Claimant,
    #[validate(nested)]
    pub representative: Representative,
    #[validate(nested)]
    pub defendant: Defendant,
    /// Required for `rta`, `el_accident` and `pl`; absent for `el_disease`.
    #[validate(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accident: Option<Accident>,
    /// Required for `el_disease`; absent otherwise.
    #[validate(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disease: Option<Disease>,
    #[validate(nested)]
    pub injury: Injury,
    /// Road traffic claims only.
    #[validate(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_damage: Option<VehicleDamage>,
    /// Witnesses and other people involved: at most 6.
    #[validate(nested, length(max = 6, code = "too_many"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 6))]
    pub other_parties: Vec<OtherParty>,
    #[validate(nested)]
    pub liability: LiabilitySection,
    /// What the small-claims track adds: required for `oic_rta`, absent otherwise.
    #[validate(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_claim: Option<SmallClaimDetails>,
}

/// The small-claims form's additions to the road-traffic form (`oic_rta`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SmallClaimDetails {
    /// Each injury: 1 to 10.
    #[validate(nested, length(min = 1, max = 10, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 10))]
    pub injuries: Vec<SmallClaimInjury>,
    /// The vehicle the claimant was in.
    #[validate(nested)]
    pub vehicle: ClaimantVehicle,
    /// The claim is against the MIB because the other driver was never traced (out of scope of
    /// the track).
    pub untraced_driver: bool,
    /// Vehicle costs claimed on credit (hire, repair, storage), in pence: recorded, but not
    /// counted towards the track's limits. Default 0.
    #[validate(range(min = 0, max = 100_000_000, code = "out_of_range"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub vehicle_costs_on_credit_pence: i64,
}

/// One injury on the small-claims form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SmallClaimInjury {
    pub kind: InjuryKind,
    /// When symptoms began: not before the accident, not in the future.
    pub onset: NaiveDate,
    /// Symptoms continue.
    pub ongoing: bool,
}

/// The claimant's vehicle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimantVehicle {
    /// Registration (at most 12 characters).
    #[validate(custom(function = "checks::vehicle_registration"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 12,
            pattern = r"^ *[0-9A-Za-z\u00DF\u0131\u017F\uFB00-\uFB06][ 0-9A-Za-z\u00DF\u0131\u017F\uFB00-\uFB06]*$"
        )
    )]
    pub registration: String,
    #[validate(custom(function = "checks::required_text"), length(max = 30, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 30))]
    pub make: String,
    #[validate(custom(function = "checks::required_text"), length(max = 30, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 30))]
    pub model: String,
}

/// What the claim is and how it is valued.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimSection {
    #[serde(rename = "type")]
    pub claim_type: ClaimType,
    pub value_band: ValueBand,
    /// The claimant's estimate of general damages for the injury, in pence, on full liability.
    #[validate(range(min = 0, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub injury_damages_estimate_pence: i64,
    /// The claimant's estimate of the whole claim (general and special damages, full liability,
    /// excluding interest), in pence.
    #[validate(range(min = 0, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub total_value_estimate_pence: i64,
    pub signatory: Signatory,
    /// Must be `true`: the signatory confirms the statement of truth.
    pub statement_of_truth: bool,
    /// Fraud-check (askCUE PI) search reference: `ASKCUEPI` with up to 10 digits, or the digits
    /// alone. Required for `rta`.
    #[validate(custom(function = "checks::fraud_check_reference"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(?:ASKCUEPI[0-9]{0,10}|[0-9]{1,10})$"))]
    pub fraud_check_reference: Option<String>,
    /// Reference of a related small-claims (whiplash) claim: `OIC-` then digits and hyphens.
    #[validate(custom(function = "checks::small_claims_reference"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 30, pattern = r"^OIC-[0-9](?:[0-9-]*[0-9])?$"))]
    pub small_claims_reference: Option<String>,
}

/// A postal address in the UK.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[validate(custom(function = "checks::required_text"), length(max = 32, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 32))]
    pub line1: String,
    #[validate(length(max = 32, code = "too_long"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub line2: Option<String>,
    #[validate(length(max = 32, code = "too_long"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub line3: Option<String>,
    #[validate(custom(function = "checks::required_text"), length(max = 25, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 25))]
    pub city: String,
    /// A valid UK postcode; stored upper case with one space (`SW1A 1AA`).
    #[validate(custom(function = "checks::postcode"))]
    // The schema patterns of the normalising checks (postcode, NI number, registration) accept
    // what those accept: spaces anywhere, any case, and the letters whose upper case is ASCII
    // (`ß` is `SS`, `ı` is `I`, `ſ` is `S`, the ligatures `ﬀ`..`ﬆ`). `schema_tests` holds them to it.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^ *(?:(?:[A-Za-z\u0131\u017F](?: *[A-Za-z\u0131\u017F])?|[\u00DF\uFB00-\uFB02\uFB05\uFB06]) *[0-9](?: *[0-9A-Za-z\u0131\u017F])?|[Gg] *[Ii\u0131] *[Rr]) *[0-9] *(?:[A-Za-z\u0131\u017F] *[A-Za-z\u0131\u017F]|[\u00DF\uFB00-\uFB02\uFB05\uFB06]) *$"
        )
    )]
    pub postcode: String,
}

/// The injured person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Claimant {
    #[validate(custom(function = "checks::required_text"), length(max = 25, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 25))]
    pub title: String,
    #[validate(custom(function = "checks::required_text"), length(max = 25, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 25))]
    pub first_name: String,
    #[validate(custom(function = "checks::required_text"), length(max = 25, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 25))]
    pub surname: String,
    /// Not before 1900-01-01 and not in the future. Whether the claimant is a child is worked out
    /// from it, never taken from the client.
    pub date_of_birth: NaiveDate,
    #[validate(nested)]
    pub address: Address,
    #[validate(custom(function = "checks::required_text"), length(max = 50, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50))]
    pub occupation: String,
    /// UK format: two prefix letters of the allowed set, six digits, a suffix A to D. Give this or
    /// `national_insurance_number_reason`.
    #[validate(custom(function = "checks::ni_number"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^ *(?:[Bb] *[A-CEHJ-NPR-TW-Za-cehj-npr-tw-z\u017F]|[Gg] *[ACEGHJ-NPR-TW-Zaceghj-npr-tw-z\u017F]|[KTkt] *[A-CEGHJ-MPR-TW-Za-ceghj-mpr-tw-z\u017F]|[Nn] *[A-CEGHJL-NPRSW-Za-ceghjl-nprsw-z\u017F]|[Zz] *[A-CEGHJ-NPR-TW-Ya-ceghj-npr-tw-y\u017F]|[ACEHJLMOPRSW-Yacehjlmoprsw-y\u017F] *[A-CEGHJ-NPR-TW-Za-ceghj-npr-tw-z\u017F]|[\u00DF\uFB05\uFB06])(?: *[0-9]){6} *[A-Da-d] *$"
        )
    )]
    pub national_insurance_number: Option<String>,
    /// Why no National Insurance number is given.
    #[validate(custom(function = "checks::required_text"), length(max = 100, code = "too_long"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub national_insurance_number_reason: Option<String>,
    /// The claimant acts as the personal representative of a deceased person (out of scope).
    pub personal_representative_of_deceased: bool,
    /// The claimant is a protected party (out of scope).
    pub protected_party: bool,
    /// The claimant is bankrupt (out of scope).
    pub bankrupt: bool,
}

/// The claimant's representative and how the claim was referred.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Representative {
    #[validate(custom(function = "checks::required_text"), length(max = 50, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50))]
    pub contact_name: String,
    #[validate(custom(function = "checks::telephone"))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 25, pattern = r"^\+?[ ()-]*(?:[0-9][ ()-]*){10,15}$")
    )]
    pub telephone: String,
    #[validate(email(code = "invalid_email"), length(max = 254, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    /// The representative's own reference for the claim: at most 50 letters, digits, spaces, `/`,
    /// `.` or `-`.
    #[validate(custom(function = "checks::case_reference"))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 50, pattern = r"^ *[-./0-9A-Za-z][-. /0-9A-Za-z]*$")
    )]
    pub case_reference: String,
    pub referral_source: ReferralSource,
    /// Required when the referral source is `claims_management_company`.
    #[validate(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_management_company: Option<ClaimsManagementCompany>,
}

/// A claims management company that referred the claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimsManagementCompany {
    #[validate(custom(function = "checks::required_text"), length(max = 100, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    /// Its FCA firm reference number (six or seven digits).
    #[validate(custom(function = "checks::fca_firm_reference"))]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9]{6,7}$"))]
    pub authorisation_number: String,
}

/// The person or business alleged to be responsible, and the compensator the claim goes to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Defendant {
    pub kind: DefendantKind,
    #[validate(custom(function = "checks::required_text"), length(max = 100, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[validate(nested)]
    pub address: Address,
    #[validate(custom(function = "checks::required_text"), length(max = 30, code = "too_long"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 30))]
    pub policy_number: Option<String>,
    /// Registration of the defendant's vehicle (at most 12 characters). Required for `rta`.
    #[validate(custom(function = "checks::vehicle_registration"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 12,
            pattern = r"^ *[0-9A-Za-z\u00DF\u0131\u017F\uFB00-\uFB06][ 0-9A-Za-z\u00DF\u0131\u017F\uFB00-\uFB06]*$"
        )
    )]
    pub vehicle_registration: Option<String>,
    /// The defendant's vehicle is registered outside the UK (out of scope). Required for `rta`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_registered_outside_uk: Option<bool>,
    /// The defendant is sued as the personal representative of a deceased person (out of scope).
    pub personal_representative_of_deceased: bool,
    /// Public code of the compensator organisation the claim is sent to (`CM00001`).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Z]{2}[0-9]{5}$"))]
    pub compensator: String,
}

/// The accident (`rta`, `el_accident`, `pl`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Accident {
    /// Not in the future and not before the claimant's birth.
    pub date: NaiveDate,
    /// Local time `HH:MM`, 00:00 to 23:59.
    #[validate(custom(function = "checks::time_of_day"))]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub time: String,
    #[validate(custom(function = "checks::required_text"), length(max = 200, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub location: String,
    #[validate(custom(function = "checks::required_text"), length(max = 500, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub description: String,
    /// Required for `rta`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimant_role: Option<ClaimantRole>,
    /// Required for `rta` when the claimant was a driver or passenger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat_belt_worn: Option<SeatBelt>,
    /// Required for `rta`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub police_reported: Option<bool>,
    #[validate(custom(function = "checks::required_text"), length(max = 30, code = "too_long"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 30))]
    pub police_reference: Option<String>,
    /// Required for `rta`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circumstances: Option<Circumstances>,
}

/// The disease (`el_disease`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Disease {
    #[validate(custom(function = "checks::required_text"), length(max = 500, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub description: String,
    /// First day of the employment in which the disease was contracted.
    pub employment_start: NaiveDate,
    /// Last day of that employment, if it has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment_end: Option<NaiveDate>,
    /// When the claimant first knew the disease was significant and attributable to the work.
    pub date_of_knowledge: NaiveDate,
}

/// The injury and the treatment so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Injury {
    #[validate(custom(function = "checks::required_text"), length(max = 500, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub description: String,
    pub whiplash: bool,
    pub soft_tissue: bool,
    pub bone: bool,
    pub other: bool,
    pub medical_attention_sought: bool,
    /// Required when medical attention was sought; not before the accident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_medical_attention_date: Option<NaiveDate>,
    pub hospital_attendance: bool,
    /// Hospitals attended: at least one when `hospital_attendance`, at most 4.
    #[validate(nested, length(max = 4, code = "too_many"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 4))]
    pub hospitals: Vec<Hospital>,
    pub overnight_stay: bool,
    /// Nights in hospital, 1 to 366; required when `overnight_stay`.
    #[validate(range(min = 1, max = 366, code = "out_of_range"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 366))]
    pub overnight_days: Option<u32>,
    pub time_off_work: bool,
    /// Days off work so far, 1 to 3660.
    #[validate(range(min = 1, max = 3660, code = "out_of_range"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3660))]
    pub time_off_work_days: Option<u32>,
    pub rehabilitation: Rehabilitation,
    #[validate(custom(function = "checks::required_text"), length(max = 500, code = "too_long"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub rehabilitation_needs: Option<String>,
}

/// A hospital the claimant attended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Hospital {
    #[validate(custom(function = "checks::required_text"), length(max = 100, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[validate(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

/// Damage to the claimant's own vehicle (`rta` only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VehicleDamage {
    pub own_vehicle_damage_claimed: bool,
    pub insurance_cover: InsuranceCover,
    pub repair_position: RepairPosition,
    pub total_loss: bool,
    pub replacement_vehicle_provided: bool,
    /// Who provided the replacement vehicle; required when one was provided.
    #[validate(custom(function = "checks::required_text"), length(max = 100, code = "too_long"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub replacement_vehicle_provider: Option<String>,
}

/// A witness or another person involved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OtherParty {
    pub role: OtherPartyRole,
    #[validate(custom(function = "checks::required_text"), length(max = 100, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[validate(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[validate(custom(function = "checks::telephone"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 25, pattern = r"^\+?[ ()-]*(?:[0-9][ ()-]*){10,15}$")
    )]
    pub telephone: Option<String>,
}

/// Why the defendant is responsible.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LiabilitySection {
    #[validate(custom(function = "checks::required_text"), length(max = 500, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub reasons: String,
    #[validate(length(max = 1000, code = "too_long"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub funding_comments: Option<String>,
}
