//! Exact decimal amounts in JSON: accepted as a number or a string, always answered as a string
//! (`"1200.50"`) so that no client parses money into a float.

use bigdecimal::BigDecimal;
use serde::{de, Deserializer, Serializer};
use std::fmt;
use std::str::FromStr;

use super::validate::Validator;

struct DecimalVisitor;

impl de::Visitor<'_> for DecimalVisitor {
    type Value = BigDecimal;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number or a string holding one")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<BigDecimal, E> {
        let text = text.trim();
        // Plain notation only: no exponents that could ask for huge expansions.
        let plain =
            !text.is_empty() && text.len() <= 40 && text.chars().all(|c| c.is_ascii_digit() || "+-.".contains(c));
        plain.then(|| BigDecimal::from_str(text).ok()).flatten().ok_or_else(|| E::custom("must be a decimal number"))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<BigDecimal, E> {
        Ok(BigDecimal::from(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<BigDecimal, E> {
        Ok(BigDecimal::from(n))
    }

    /// A JSON number with a fraction arrives as the nearest f64; its shortest text is what the
    /// client wrote for any amount of up to 15 significant digits.
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<BigDecimal, E> {
        if !n.is_finite() {
            return Err(E::custom("must be a finite number"));
        }
        self.visit_str(&n.to_string())
    }
}

/// Serde helper for a nullable decimal column in a PATCH body: absent → `None`, `null` →
/// `Some(None)`. Use with `#[serde(default, deserialize_with = "decimal::patch")]`.
pub fn patch<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<BigDecimal>>, D::Error> {
    struct Nullable;
    impl<'de> de::Visitor<'de> for Nullable {
        type Value = Option<BigDecimal>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a decimal number, a string holding one, or null")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(DecimalVisitor).map(Some)
        }
    }
    deserializer.deserialize_option(Nullable).map(Some)
}

/// Serializes an optional decimal as a string (or `null`).
pub fn show<S: Serializer>(value: &Option<BigDecimal>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.serialize_str(&value.to_plain_string()),
        None => serializer.serialize_none(),
    }
}

/// Parses a required decimal (a body field other than a column, like a deal to create).
pub fn required<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BigDecimal, D::Error> {
    deserializer.deserialize_any(DecimalVisitor)
}

impl Validator {
    /// A decimal column with at most `scale` fraction digits, at least `min`, below 10^`digits`.
    pub fn decimal(&mut self, field: &str, value: Option<&BigDecimal>, scale: i64, min: &BigDecimal, digits: u32) {
        let Some(value) = value else { return };
        let limit = BigDecimal::from(10u64.pow(digits));
        if value.fractional_digit_count() > scale {
            self.error(field, format!("must have at most {scale} decimal places"));
        } else if value < min || value.abs() >= limit {
            self.error(field, format!("must be at least {min} and below {limit}"));
        }
    }
}
