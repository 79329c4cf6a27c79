//! Percentages with two decimals, held as whole hundredths (no floating point in the domain).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A percentage in hundredths of a percent: `Percentage(2550)` is 25.50%.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percentage(u32);

impl Percentage {
    pub const fn from_hundredths(hundredths: u32) -> Self {
        Self(hundredths)
    }

    pub const fn hundredths(self) -> u32 {
        self.0
    }

    /// Parses decimal text with at most two decimals, from 0 to 100.
    pub fn parse(text: &str) -> Option<Self> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty()
            || fraction.len() > 2
            || !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let whole: u32 = whole.parse().ok()?;
        let fraction: u32 = format!("{fraction:0<2}").parse().ok()?;
        let hundredths = whole.checked_mul(100)?.checked_add(fraction)?;
        (hundredths <= 10_000).then_some(Self(hundredths))
    }
}

impl std::fmt::Display for Percentage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Serialize for Percentage {
    /// As a JSON number with up to two decimals (`25`, `25.5`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.to_string();
        let trimmed = text.trim_end_matches('0').trim_end_matches('.');
        let number: serde_json::Number = trimmed.parse().map_err(serde::ser::Error::custom)?;
        number.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Percentage {
    /// From a JSON number; its decimal text (as written by `serde_json`) must have at most two
    /// decimals.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = serde_json::Number::deserialize(deserializer)?;
        Percentage::parse(&number.to_string())
            .ok_or_else(|| serde::de::Error::custom("a percentage from 0 to 100 with at most two decimals"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_decimals_at_most() {
        assert_eq!(Percentage::parse("25"), Some(Percentage(2500)));
        assert_eq!(Percentage::parse("25.5"), Some(Percentage(2550)));
        assert_eq!(Percentage::parse("0.01"), Some(Percentage(1)));
        assert_eq!(Percentage::parse("25.555"), None);
        assert_eq!(Percentage::parse("100.01"), None);
        assert_eq!(Percentage::parse("-1"), None);
    }

    #[test]
    fn json_round_trip() {
        let p: Percentage = serde_json::from_str("33.33").expect("parse");
        assert_eq!(p, Percentage(3333));
        assert_eq!(serde_json::to_string(&p).expect("json"), "33.33");
        assert_eq!(serde_json::to_string(&Percentage(2500)).expect("json"), "25");
    }
}
