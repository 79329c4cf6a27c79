//! Fixed recoverable costs of the protocols, by claim type and value band, as dated data.

use chrono::NaiveDate;
use serde::Serialize;

use crate::claim_type::{ClaimType, ValueBand};
use crate::money::Percentage;
use crate::money::{Pence, percentage_of};

/// Which costs table a claim uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostsGroup {
    Rta,
    EmployersAndPublicLiability,
}

impl CostsGroup {
    /// `None` for the small-claims track, which pays no fixed costs (small-claims costs rules).
    pub fn of(claim_type: ClaimType) -> Option<Self> {
        match claim_type {
            ClaimType::Rta => Some(CostsGroup::Rta),
            ClaimType::ElAccident | ClaimType::ElDisease | ClaimType::Pl => {
                Some(CostsGroup::EmployersAndPublicLiability)
            }
            ClaimType::OicRta => None,
        }
    }
}

/// Stage 1 and Stage 2 costs of a group and band, in pounds, from a date.
#[derive(Debug)]
pub struct CostsRow {
    pub applies_from: NaiveDate,
    pub group: CostsGroup,
    pub band: ValueBand,
    pub stage1: i64,
    pub stage2: i64,
}

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date in the costs tables"),
    }
}

const FROM_2013: NaiveDate = date(2013, 7, 31);

/// Stage 1 and 2 fixed costs (excluding VAT).
pub const COSTS: &[CostsRow] = &[
    CostsRow {
        applies_from: FROM_2013,
        group: CostsGroup::Rta,
        band: ValueBand::UpTo10000,
        stage1: 200,
        stage2: 300,
    },
    CostsRow {
        applies_from: FROM_2013,
        group: CostsGroup::Rta,
        band: ValueBand::From10000To25000,
        stage1: 200,
        stage2: 600,
    },
    CostsRow {
        applies_from: FROM_2013,
        group: CostsGroup::EmployersAndPublicLiability,
        band: ValueBand::UpTo10000,
        stage1: 300,
        stage2: 600,
    },
    CostsRow {
        applies_from: FROM_2013,
        group: CostsGroup::EmployersAndPublicLiability,
        band: ValueBand::From10000To25000,
        stage1: 300,
        stage2: 1_300,
    },
];

/// Stage 3 amounts in pounds (legal representative, advocate, advice on a child settlement), the
/// same for every claim, from a date.
pub const STAGE3: &[(NaiveDate, i64, i64, i64)] = &[(FROM_2013, 250, 250, 150)];

/// London weighting: 12.5% on Stage 1, Stage 2 and the Stage 3 legal representative's costs.
pub const LONDON_WEIGHTING: Percentage = Percentage::from_hundredths(1250);

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stage3Costs {
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub legal_representative_pence: Pence,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub advocate_pence: Pence,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub child_settlement_advice_pence: Pence,
}

/// The fixed costs of a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FixedCosts {
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub stage1_pence: Pence,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub stage2_pence: Pence,
    pub stage3: Stage3Costs,
}

impl FixedCosts {
    /// No fixed costs at all: the small-claims track, under the small-claims costs rules.
    pub const NONE: FixedCosts = FixedCosts {
        stage1_pence: Pence::ZERO,
        stage2_pence: Pence::ZERO,
        stage3: Stage3Costs {
            legal_representative_pence: Pence::ZERO,
            advocate_pence: Pence::ZERO,
            child_settlement_advice_pence: Pence::ZERO,
        },
    };
}

fn weighted(pounds: i64, london: bool) -> Pence {
    let amount = Pence::pounds(pounds);
    if london {
        Pence::new(amount.get() + percentage_of(amount, LONDON_WEIGHTING).map_or(0, Pence::get))
    } else {
        amount
    }
}

/// The costs of a claim of `claim_type` in `band`, notified on `on`.
pub fn fixed_costs(
    claim_type: ClaimType,
    band: ValueBand,
    london_weighting: bool,
    on: NaiveDate,
) -> Option<FixedCosts> {
    let group = CostsGroup::of(claim_type)?;
    let row = COSTS
        .iter()
        .filter(|r| r.group == group && r.band == band && r.applies_from <= on)
        .max_by_key(|r| r.applies_from)?;
    let &(_, legal, advocate, child) = STAGE3.iter().filter(|r| r.0 <= on).max_by_key(|r| r.0)?;
    Some(FixedCosts {
        stage1_pence: weighted(row.stage1, london_weighting),
        stage2_pence: weighted(row.stage2, london_weighting),
        stage3: Stage3Costs {
            legal_representative_pence: weighted(legal, london_weighting),
            advocate_pence: Pence::pounds(advocate),
            child_settlement_advice_pence: Pence::pounds(child),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on() -> NaiveDate {
        date(2026, 4, 30)
    }

    #[test]
    fn scenario_14_costs() {
        let rta = fixed_costs(ClaimType::Rta, ValueBand::UpTo10000, false, on()).expect("costs");
        assert_eq!((rta.stage1_pence.get(), rta.stage2_pence.get()), (20_000, 30_000));
        let rta_high = fixed_costs(ClaimType::Rta, ValueBand::From10000To25000, false, on()).expect("costs");
        assert_eq!(rta_high.stage2_pence.get(), 60_000);
        let el_high =
            fixed_costs(ClaimType::ElAccident, ValueBand::From10000To25000, false, on()).expect("costs");
        assert_eq!((el_high.stage1_pence.get(), el_high.stage2_pence.get()), (30_000, 130_000));
        let london = fixed_costs(ClaimType::Rta, ValueBand::UpTo10000, true, on()).expect("costs");
        assert_eq!(london.stage1_pence.get() + london.stage2_pence.get(), 56_250);
        assert_eq!(london.stage3.legal_representative_pence.get(), 28_125);
        assert_eq!(london.stage3.advocate_pence.get(), 25_000, "the advocate's fee carries no weighting");
    }

    #[test]
    fn every_portal_claim_type_and_band_has_costs_and_small_claims_none() {
        for claim_type in ClaimType::ALL {
            let portal = claim_type.track() == crate::claim_type::Track::Portal;
            for band in ValueBand::ALL {
                assert_eq!(
                    fixed_costs(*claim_type, *band, false, on()).is_some(),
                    portal,
                    "{claim_type} {band}"
                );
            }
        }
        assert!(fixed_costs(ClaimType::Rta, ValueBand::UpTo10000, false, date(2013, 7, 30)).is_none());
    }
}
