//! Loss heads and their tables (interim requests, settlement packs, offers): the hub values every
//! line and computes the totals; clients never supply totals.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::money::Percentage;
use crate::money::{Pence, percentage_of};
use crate::tariff::{self, TariffQuestion};
use crate::validation::FieldErrors;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The largest amount one line may claim (£1,000,000): far above any protocol claim, and small
/// enough that no table of lines can overflow.
pub const MAX_LINE_PENCE: i64 = 100_000_000;

string_enum! {
    /// A head of loss.
    LossHead {
        PolicyExcess => "policy_excess",
        LossOfUse => "loss_of_use",
        VehicleHire => "vehicle_hire",
        VehicleRepair => "vehicle_repair",
        Fares => "fares",
        MedicalExpenses => "medical_expenses",
        Clothing => "clothing",
        Care => "care",
        LossOfEarningsClaimant => "loss_of_earnings_claimant",
        LossOfEarningsEmployer => "loss_of_earnings_employer",
        OtherLosses => "other_losses",
        /// Injury, pain, suffering and loss of amenity.
        GeneralDamages => "general_damages",
        /// Injury damages fixed by the whiplash tariff; the hub values the line.
        WhiplashTariff => "whiplash_tariff",
        DisadvantageOnLabourMarket => "disadvantage_on_labour_market",
        LossOfCongenialEmployment => "loss_of_congenial_employment",
        FutureLosses => "future_losses",
    }
}

/// What a `whiplash_tariff` line is valued from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TariffInjury {
    /// When the longest whiplash injury is expected to end.
    pub prognosis_end_date: NaiveDate,
    pub minor_psychological_injury: bool,
    /// 0 to 20, for exceptional circumstances (a percentage: more than 100 is not read at all).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub uplift_percent: u32,
}

/// A line as a party sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LossLineInput {
    pub head: LossHead,
    /// The amount claimed or offered on full liability, in pence. Not given for
    /// `whiplash_tariff` lines, which the hub values from `tariff`.
    #[validate(range(min = 0, max = 100_000_000, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub gross_pence: Option<i64>,
    /// Contributory-negligence deduction on this line (0 to 100, two decimals; default 0).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>, example = 0, minimum = 0, maximum = 100))]
    pub contributory_negligence_percent: Option<Percentage>,
    pub evidence_attached: bool,
    #[validate(length(max = 500, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub comment: Option<String>,
    /// Required on `whiplash_tariff` lines, absent on others.
    pub tariff: Option<TariffInjury>,
}

/// A valued line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LossLine {
    pub head: LossHead,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub gross_pence: Pence,
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub contributory_negligence_percent: Percentage,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub deduction_pence: Pence,
    /// Gross less the deduction.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub net_pence: Pence,
    pub evidence_attached: bool,
    pub comment: Option<String>,
    pub tariff: Option<TariffInjury>,
    /// For tariff lines: the regulations and band that valued it.
    pub tariff_band: Option<String>,
}

/// The totals of a table, computed by the hub.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LossTotals {
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub gross_pence: Pence,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub deductions_pence: Pence,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub after_deductions_pence: Pence,
    /// Interim payments already made.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub interim_payments_pence: Pence,
    /// After deductions, less interim payments (never below zero).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub after_interim_payments_pence: Pence,
}

/// A valued table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LossTable {
    pub lines: Vec<LossLine>,
    pub totals: LossTotals,
}

/// Values a table: checks each line, values tariff lines from the accident date, computes each
/// line's deduction and the totals. Errors name fields under `path` (`losses`).
pub fn value_table(
    lines: &[LossLineInput],
    accident_date: Option<NaiveDate>,
    interim_payments: Pence,
    path: &str,
) -> Result<LossTable, FieldErrors> {
    let mut errors = FieldErrors::new();
    if lines.is_empty() {
        errors.add(path, "required", "list at least one head of loss");
    }
    if lines.len() > LossHead::ALL.len() {
        errors.add(path, "too_many", "one line per head of loss at most");
    }
    let mut valued = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        let at = format!("{path}[{index}]");
        if let Err(found) = line.validate() {
            errors.add_validator_errors(&at, &found);
            continue;
        }
        if lines[..index].iter().any(|earlier| earlier.head == line.head) {
            errors.add(format!("{at}.head"), "duplicate_head", "each head of loss appears once");
        }
        let percent = line.contributory_negligence_percent.unwrap_or(Percentage::from_hundredths(0));
        if percent.hundredths() > 10_000 {
            errors.add(format!("{at}.contributory_negligence_percent"), "out_of_range", "must be 0 to 100");
        }
        let (gross, band) = match (line.head, line.gross_pence, &line.tariff) {
            (LossHead::WhiplashTariff, None, Some(injury)) => match accident_date {
                None => {
                    errors.add(
                        format!("{at}.tariff"),
                        "no_accident_date",
                        "tariff lines need an accident date",
                    );
                    continue;
                }
                Some(accident_date) => match tariff::value(TariffQuestion {
                    accident_date,
                    prognosis_end_date: injury.prognosis_end_date,
                    minor_psychological_injury: injury.minor_psychological_injury,
                    uplift_percent: injury.uplift_percent,
                }) {
                    Ok(value) => (value.total_pence, Some(format!("{}:{}", value.regulations, value.band))),
                    Err(error) => {
                        errors.add(format!("{at}.tariff.{}", error.field()), error.code(), error.to_string());
                        continue;
                    }
                },
            },
            (LossHead::WhiplashTariff, _, _) => {
                errors.add(
                    format!("{at}.tariff"),
                    "required",
                    "a whiplash_tariff line gives tariff and no gross_pence",
                );
                continue;
            }
            (_, Some(gross), None) => (Pence::new(gross), None),
            (_, None, _) => {
                errors.add(format!("{at}.gross_pence"), "required", "is required");
                continue;
            }
            (_, Some(_), Some(_)) => {
                errors.add(format!("{at}.tariff"), "not_applicable", "only on whiplash_tariff lines");
                continue;
            }
        };
        let deduction = percentage_of(gross, percent).unwrap_or(Pence::ZERO);
        valued.push(LossLine {
            head: line.head,
            gross_pence: gross,
            contributory_negligence_percent: percent,
            deduction_pence: deduction,
            net_pence: Pence::new(gross.get() - deduction.get()),
            evidence_attached: line.evidence_attached,
            comment: line.comment.clone(),
            tariff: line.tariff.clone(),
            tariff_band: band,
        });
    }
    let totals = totals(&valued, interim_payments);
    errors.finish(LossTable { lines: valued, totals })
}

/// The totals of valued lines. Every line is at most `MAX_LINE_PENCE` and there are at most 16,
/// so the sums cannot overflow.
pub fn totals(lines: &[LossLine], interim_payments: Pence) -> LossTotals {
    let sum = |pick: fn(&LossLine) -> Pence| Pence::new(lines.iter().map(|l| pick(l).get()).sum());
    let after_deductions = sum(|l| l.net_pence);
    let interim = Pence::new(interim_payments.get().max(0));
    LossTotals {
        gross_pence: sum(|l| l.gross_pence),
        deductions_pence: sum(|l| l.deduction_pence),
        after_deductions_pence: after_deductions,
        interim_payments_pence: interim,
        after_interim_payments_pence: Pence::new((after_deductions.get() - interim.get()).max(0)),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn line(head: LossHead, gross: i64, percent_hundredths: u32) -> LossLineInput {
        LossLineInput {
            head,
            gross_pence: Some(gross),
            contributory_negligence_percent: Some(Percentage::from_hundredths(percent_hundredths)),
            evidence_attached: true,
            comment: None,
            tariff: None,
        }
    }

    #[test]
    fn lines_are_valued_and_totalled_by_the_hub() {
        let table = value_table(
            &[line(LossHead::VehicleRepair, 150_000, 2500), line(LossHead::Fares, 3_333, 2500)],
            None,
            Pence::new(50_000),
            "losses",
        )
        .expect("valid");
        assert_eq!(table.lines[1].deduction_pence, Pence::new(833));
        assert_eq!(table.totals.gross_pence, Pence::new(153_333));
        assert_eq!(table.totals.deductions_pence, Pence::new(38_333));
        assert_eq!(table.totals.after_deductions_pence, Pence::new(115_000));
        assert_eq!(table.totals.after_interim_payments_pence, Pence::new(65_000));
    }

    #[test]
    fn tariff_lines_are_valued_from_the_accident_date() {
        let tariff_line = LossLineInput {
            head: LossHead::WhiplashTariff,
            gross_pence: None,
            contributory_negligence_percent: None,
            evidence_attached: true,
            comment: None,
            tariff: Some(TariffInjury {
                prognosis_end_date: "2025-12-31".parse().expect("date"),
                minor_psychological_injury: true,
                uplift_percent: 20,
            }),
        };
        let table =
            value_table(&[tariff_line], "2025-05-31".parse().ok(), Pence::ZERO, "losses").expect("valid");
        assert_eq!(table.lines[0].gross_pence, Pence::new(123_000));
        assert_eq!(table.lines[0].tariff_band.as_deref(), Some("2025:more_than_6_up_to_9_months"));
    }

    #[test]
    fn bad_lines_are_named_by_index() {
        let mut no_gross = line(LossHead::Clothing, 0, 0);
        no_gross.gross_pence = None;
        let errors = value_table(
            &[line(LossHead::Care, 10, 0), no_gross, line(LossHead::Fares, MAX_LINE_PENCE + 1, 0)],
            None,
            Pence::ZERO,
            "losses",
        )
        .expect_err("invalid");
        let found: Vec<_> = errors.into_sorted().into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            found,
            [
                ("losses[1].gross_pence".to_owned(), "required".to_owned()),
                ("losses[2].gross_pence".to_owned(), "out_of_range".to_owned()),
            ]
        );
        assert!(value_table(&[], None, Pence::ZERO, "losses").is_err());
    }

    proptest! {
        /// Totals never overflow, never go negative, and equal the sum of their lines after
        /// deductions, whatever the amounts, percentages and interim payments.
        #[test]
        fn totals_add_up(
            amounts in proptest::collection::vec((0..=MAX_LINE_PENCE, 0u32..=10_000), 1..=15),
            interim in 0i64..=(MAX_LINE_PENCE * 20),
        ) {
            let heads = LossHead::ALL.iter().filter(|h| **h != LossHead::WhiplashTariff);
            let lines: Vec<_> = amounts.iter().zip(heads).map(|((gross, pct), head)| line(*head, *gross, *pct)).collect();
            let table = value_table(&lines, None, Pence::new(interim), "losses").expect("valid");
            let totals = table.totals;
            let net: i64 = table.lines.iter().map(|l| l.net_pence.get()).sum();
            prop_assert_eq!(totals.after_deductions_pence.get(), net);
            prop_assert_eq!(totals.gross_pence.get() - totals.deductions_pence.get(), net);
            for valued in &table.lines {
                prop_assert!(valued.deduction_pence.get() >= 0 && valued.net_pence.get() >= 0);
                prop_assert!(valued.deduction_pence <= valued.gross_pence);
            }
            prop_assert!(totals.after_interim_payments_pence.get() >= 0);
            prop_assert_eq!(totals.after_interim_payments_pence.get(), (net - interim).max(0));
        }
    }
}
