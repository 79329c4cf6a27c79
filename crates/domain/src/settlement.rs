//! What a compensator owes once a claim settles.

use serde::{Deserialize, Serialize};

use crate::fixed_costs::FixedCosts;
use crate::money::Pence;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The facts of an agreed settlement.
#[derive(Clone, Copy, Debug)]
pub struct SettlementFacts {
    pub agreed_gross: Pence,
    pub interim_payments: Pence,
    /// Benefits recoverable by the Compensation Recovery Unit, deducted from damages.
    pub cru_deduction: Pence,
    pub disbursements: Pence,
    pub stage1_costs_paid: bool,
    /// Children have no Stage 1 costs step.
    pub child: bool,
}

/// The sums owed, computed by the hub.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SettlementSums {
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub agreed_gross_pence: Pence,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub interim_payments_pence: Pence,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub cru_deduction_pence: Pence,
    /// Damages still owed: the agreed gross less interim payments and the CRU deduction.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub damages_pence: Pence,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub stage2_costs_pence: Pence,
    /// Stage 1 costs if not yet paid (never for a child).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub stage1_costs_pence: Pence,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub disbursements_pence: Pence,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub total_pence: Pence,
}

/// The sums owed on a settlement. Amounts are bounded by validation (each well under £10m), so
/// the sums cannot overflow; damages never go below zero.
pub fn sums(facts: SettlementFacts, costs: &FixedCosts) -> SettlementSums {
    let damages =
        (facts.agreed_gross.get() - facts.interim_payments.get().max(0) - facts.cru_deduction.get().max(0))
            .max(0);
    let stage1 = if facts.child || facts.stage1_costs_paid { 0 } else { costs.stage1_pence.get() };
    let stage2 = costs.stage2_pence.get();
    let disbursements = facts.disbursements.get().max(0);
    SettlementSums {
        agreed_gross_pence: facts.agreed_gross,
        interim_payments_pence: facts.interim_payments,
        cru_deduction_pence: facts.cru_deduction,
        damages_pence: Pence::new(damages),
        stage2_costs_pence: Pence::new(stage2),
        stage1_costs_pence: Pence::new(stage1),
        disbursements_pence: Pence::new(disbursements),
        total_pence: Pence::new(damages + stage2 + stage1 + disbursements),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use proptest::prelude::*;

    use super::*;
    use crate::claim_type::{ClaimType, ValueBand};
    use crate::fixed_costs::fixed_costs;

    fn costs(claim_type: ClaimType, band: ValueBand) -> FixedCosts {
        fixed_costs(claim_type, band, false, NaiveDate::from_ymd_opt(2026, 4, 30).expect("date"))
            .expect("costs")
    }

    fn facts(stage1_costs_paid: bool) -> SettlementFacts {
        SettlementFacts {
            agreed_gross: Pence::new(840_000),
            interim_payments: Pence::new(100_000),
            cru_deduction: Pence::ZERO,
            disbursements: Pence::ZERO,
            stage1_costs_paid,
            child: false,
        }
    }

    #[test]
    fn scenario_14_settlement_sums() {
        let owed = sums(facts(false), &costs(ClaimType::Rta, ValueBand::UpTo10000));
        assert_eq!(owed.damages_pence, Pence::new(740_000));
        assert_eq!(owed.stage2_costs_pence, Pence::new(30_000));
        assert_eq!(owed.stage1_costs_pence, Pence::new(20_000));
        assert_eq!(owed.total_pence, Pence::new(790_000));
        assert_eq!(
            sums(facts(true), &costs(ClaimType::Rta, ValueBand::UpTo10000)).stage1_costs_pence,
            Pence::ZERO
        );
        assert_eq!(
            sums(facts(false), &costs(ClaimType::Rta, ValueBand::From10000To25000)).stage2_costs_pence,
            Pence::new(60_000)
        );
        let el = sums(facts(false), &costs(ClaimType::ElAccident, ValueBand::From10000To25000));
        assert_eq!((el.stage1_costs_pence, el.stage2_costs_pence), (Pence::new(30_000), Pence::new(130_000)));
    }

    proptest! {
        #[test]
        fn sums_never_go_negative_and_add_up(
            gross in 0i64..=2_500_000_000, interim in 0i64..=2_500_000_000, cru in 0i64..=2_500_000_000,
            disbursements in 0i64..=100_000_000, paid in any::<bool>(), child in any::<bool>(),
        ) {
            let owed = sums(
                SettlementFacts {
                    agreed_gross: Pence::new(gross), interim_payments: Pence::new(interim), cru_deduction: Pence::new(cru),
                    disbursements: Pence::new(disbursements), stage1_costs_paid: paid, child,
                },
                &costs(ClaimType::Pl, ValueBand::UpTo10000),
            );
            prop_assert!(owed.damages_pence.get() >= 0);
            prop_assert_eq!(
                owed.total_pence.get(),
                owed.damages_pence.get() + owed.stage2_costs_pence.get() + owed.stage1_costs_pence.get() + owed.disbursements_pence.get()
            );
            prop_assert_eq!(owed.damages_pence.get(), (gross - interim - cru).max(0));
        }
    }
}
