//! Complete, valid forms for each claim type. They are the examples of the OpenAPI document and
//! the starting point of tests; every date lies in 2024, so they stay valid for any clock from
//! 2025 on. Each is addressed to `CM00001`, the sandbox's first insurer.

use chrono::NaiveDate;

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn address(line1: &str, city: &str, postcode: &str) -> Address {
    Address {
        line1: line1.to_owned(),
        line2: None,
        line3: None,
        city: city.to_owned(),
        postcode: postcode.to_owned(),
    }
}

fn claimant() -> Claimant {
    Claimant {
        title: "Ms".to_owned(),
        first_name: "Alex".to_owned(),
        surname: "Example".to_owned(),
        date_of_birth: date(1985, 6, 14),
        address: address("1 Sample Street", "Leeds", "LS1 4AP"),
        occupation: "Teacher".to_owned(),
        national_insurance_number: Some("AB123456C".to_owned()),
        national_insurance_number_reason: None,
        personal_representative_of_deceased: false,
        protected_party: false,
        bankrupt: false,
    }
}

fn representative(case_reference: &str) -> Representative {
    Representative {
        contact_name: "Sam Handler".to_owned(),
        telephone: "0113 496 0000".to_owned(),
        email: "claims@example-solicitors.test".to_owned(),
        case_reference: case_reference.to_owned(),
        referral_source: ReferralSource::Direct,
        claims_management_company: None,
    }
}

fn injury(whiplash: bool) -> Injury {
    Injury {
        description: "Pain and stiffness; see the medical notes.".to_owned(),
        whiplash,
        soft_tissue: true,
        bone: false,
        other: false,
        medical_attention_sought: true,
        first_medical_attention_date: Some(date(2024, 3, 15)),
        hospital_attendance: true,
        hospitals: vec![Hospital {
            name: "Leeds General Infirmary".to_owned(),
            address: Some(address("Great George Street", "Leeds", "LS1 3EX")),
        }],
        overnight_stay: false,
        overnight_days: None,
        time_off_work: true,
        time_off_work_days: Some(10),
        rehabilitation: Rehabilitation::Undertaken,
        rehabilitation_needs: Some("Six sessions of physiotherapy.".to_owned()),
    }
}

fn claim_section(claim_type: ClaimType, fraud_check: Option<&str>) -> ClaimSection {
    ClaimSection {
        claim_type,
        value_band: ValueBand::UpTo10000,
        injury_damages_estimate_pence: 600_000,
        total_value_estimate_pence: 850_000,
        signatory: Signatory::Representative,
        statement_of_truth: true,
        fraud_check_reference: fraud_check.map(str::to_owned),
        small_claims_reference: None,
    }
}

fn defendant(kind: DefendantKind, name: &str) -> Defendant {
    Defendant {
        kind,
        name: name.to_owned(),
        address: address("20 Example Road", "Bradford", "BD1 1AA"),
        policy_number: Some("POL-558812".to_owned()),
        vehicle_registration: None,
        vehicle_registered_outside_uk: None,
        personal_representative_of_deceased: false,
        compensator: "CM00001".to_owned(),
    }
}

fn liability(reasons: &str) -> LiabilitySection {
    LiabilitySection { reasons: reasons.to_owned(), funding_comments: None }
}

/// A road traffic accident: the claimant's car was hit from behind at a junction.
pub fn rta() -> Cnf {
    Cnf {
        claim: claim_section(ClaimType::Rta, Some("ASKCUEPI0012345678")),
        claimant: claimant(),
        representative: representative("RTA/2024/0001"),
        defendant: Defendant {
            vehicle_registration: Some("YX19 ABC".to_owned()),
            vehicle_registered_outside_uk: Some(false),
            ..defendant(DefendantKind::Personal, "Jordan Driver")
        },
        accident: Some(Accident {
            date: date(2024, 3, 14),
            time: "08:45".to_owned(),
            location: "Junction of Park Row and Boar Lane, Leeds".to_owned(),
            description: "The claimant was stationary at a red light when the defendant's car hit the rear of the claimant's car.".to_owned(),
            claimant_role: Some(ClaimantRole::Driver),
            seat_belt_worn: Some(SeatBelt::Yes),
            police_reported: Some(false),
            police_reference: None,
            circumstances: Some(Circumstances::RearEnd),
        }),
        disease: None,
        injury: injury(true),
        vehicle_damage: Some(VehicleDamage {
            own_vehicle_damage_claimed: true,
            insurance_cover: InsuranceCover::Comprehensive,
            repair_position: RepairPosition::Repaired,
            total_loss: false,
            replacement_vehicle_provided: false,
            replacement_vehicle_provider: None,
        }),
        other_parties: vec![OtherParty {
            role: OtherPartyRole::Witness,
            name: "Chris Witness".to_owned(),
            address: None,
            telephone: Some("07700 900123".to_owned()),
        }],
        liability: liability("The defendant drove into the back of a stationary vehicle."),
        small_claim: None,
    }
}

/// A small road-traffic claim (`oic_rta`): a driver with whiplash and a minor psychological
/// injury after a rear-end collision, worth £2,500 for the injury and £3,200 in all.
pub fn oic_rta() -> Cnf {
    let base = rta();
    Cnf {
        claim: ClaimSection {
            injury_damages_estimate_pence: 250_000,
            total_value_estimate_pence: 320_000,
            fraud_check_reference: None,
            ..claim_section(ClaimType::OicRta, None)
        },
        representative: representative("OIC/2024/0001"),
        small_claim: Some(SmallClaimDetails {
            injuries: vec![
                SmallClaimInjury { kind: InjuryKind::Whiplash, onset: date(2024, 3, 14), ongoing: true },
                SmallClaimInjury {
                    kind: InjuryKind::MinorPsychological,
                    onset: date(2024, 3, 16),
                    ongoing: false,
                },
            ],
            vehicle: ClaimantVehicle {
                registration: "AB12 CDE".to_owned(),
                make: "Ford".to_owned(),
                model: "Focus".to_owned(),
            },
            untraced_driver: false,
            vehicle_costs_on_credit_pence: 45_000,
        }),
        ..base
    }
}

/// An accident at work: a fall from an unsecured ladder.
pub fn el_accident() -> Cnf {
    Cnf {
        claim: claim_section(ClaimType::ElAccident, None),
        representative: representative("EL/2024/0002"),
        defendant: defendant(DefendantKind::Business, "Example Warehousing Ltd"),
        accident: Some(Accident {
            date: date(2024, 3, 14),
            time: "14:10".to_owned(),
            location: "Loading bay, Example Warehousing, Bradford".to_owned(),
            description: "The claimant fell from a ladder that had not been secured.".to_owned(),
            claimant_role: None,
            seat_belt_worn: None,
            police_reported: None,
            police_reference: None,
            circumstances: None,
        }),
        injury: injury(false),
        liability: liability("The employer did not provide safe equipment or supervision."),
        ..common_non_rta()
    }
}

/// An industrial disease: noise-induced hearing loss.
pub fn el_disease() -> Cnf {
    Cnf {
        claim: claim_section(ClaimType::ElDisease, None),
        representative: representative("ELD/2024/0003"),
        defendant: defendant(DefendantKind::Business, "Example Engineering plc"),
        accident: None,
        disease: Some(Disease {
            description: "Noise-induced hearing loss from work in a press shop.".to_owned(),
            employment_start: date(2005, 9, 1),
            employment_end: Some(date(2023, 12, 22)),
            date_of_knowledge: date(2024, 2, 1),
        }),
        injury: Injury {
            first_medical_attention_date: Some(date(2024, 2, 1)),
            hospital_attendance: false,
            hospitals: Vec::new(),
            ..injury(false)
        },
        liability: liability("The employer failed to provide hearing protection."),
        ..common_non_rta()
    }
}

/// A public liability claim: a trip on a broken paving slab.
pub fn pl() -> Cnf {
    Cnf {
        claim: claim_section(ClaimType::Pl, None),
        representative: representative("PL/2024/0004"),
        defendant: Defendant {
            policy_number: None,
            ..defendant(DefendantKind::Business, "Example Shopping Centre Ltd")
        },
        accident: Some(Accident {
            date: date(2024, 3, 14),
            time: "11:30".to_owned(),
            location: "Main entrance, Example Shopping Centre, Leeds".to_owned(),
            description: "The claimant tripped on a broken paving slab.".to_owned(),
            claimant_role: None,
            seat_belt_worn: None,
            police_reported: None,
            police_reference: None,
            circumstances: None,
        }),
        injury: injury(false),
        liability: liability("The occupier failed to repair a known hazard."),
        ..common_non_rta()
    }
}

fn common_non_rta() -> Cnf {
    Cnf { vehicle_damage: None, other_parties: Vec::new(), disease: None, ..rta() }
}

/// The example form of a claim type.
pub fn for_type(claim_type: ClaimType) -> Cnf {
    match claim_type {
        ClaimType::Rta => rta(),
        ClaimType::ElAccident => el_accident(),
        ClaimType::ElDisease => el_disease(),
        ClaimType::Pl => pl(),
        ClaimType::OicRta => oic_rta(),
    }
}
