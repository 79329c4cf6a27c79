//! Money: whole pence in an `i64`, never floating point.

use serde::{Deserialize, Serialize};

mod percentage;
pub use percentage::Percentage;

/// An amount of money in pence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pence(i64);

impl Pence {
    pub const ZERO: Pence = Pence(0);

    pub const fn new(pence: i64) -> Self {
        Self(pence)
    }
    /// Whole pounds, for tables written in pounds.
    pub const fn pounds(pounds: i64) -> Self {
        Self(pounds * 100)
    }
    pub const fn get(self) -> i64 {
        self.0
    }
    pub fn checked_add(self, other: Pence) -> Option<Pence> {
        self.0.checked_add(other.0).map(Pence)
    }
}

impl std::fmt::Display for Pence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}£{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_pounds_and_pence() {
        assert_eq!(Pence::new(2_500_000).to_string(), "£25000.00");
        assert_eq!(Pence::new(-5).to_string(), "-£0.05");
        assert_eq!(Pence::pounds(1_000), Pence::new(100_000));
    }

    #[test]
    fn addition_refuses_to_overflow() {
        assert_eq!(Pence::new(i64::MAX).checked_add(Pence::new(1)), None);
    }
}

/// `percent` of `amount`, rounded to the nearest penny (halves up). Exact integer arithmetic;
/// `None` on overflow or a negative amount.
pub fn percentage_of(amount: Pence, percent: Percentage) -> Option<Pence> {
    if amount.get() < 0 {
        return None;
    }
    let scaled = i128::from(amount.get()) * i128::from(percent.hundredths());
    let rounded = (scaled + 5_000) / 10_000;
    i64::try_from(rounded).ok().map(Pence::new)
}

#[cfg(test)]
mod percentage_tests {
    use super::*;
    use Percentage;

    #[test]
    fn percentages_round_halves_up() {
        assert_eq!(
            percentage_of(Pence::new(204_000), Percentage::from_hundredths(2000)),
            Some(Pence::new(40_800))
        );
        assert_eq!(
            percentage_of(Pence::new(50_000), Percentage::from_hundredths(1250)),
            Some(Pence::new(6_250))
        );
        assert_eq!(percentage_of(Pence::new(1), Percentage::from_hundredths(5000)), Some(Pence::new(1)));
        assert_eq!(percentage_of(Pence::new(1), Percentage::from_hundredths(4999)), Some(Pence::new(0)));
        assert_eq!(percentage_of(Pence::new(-1), Percentage::from_hundredths(100)), None);
        assert_eq!(
            percentage_of(Pence::new(i64::MAX), Percentage::from_hundredths(10_000)),
            Some(Pence::new(i64::MAX))
        );
    }
}
