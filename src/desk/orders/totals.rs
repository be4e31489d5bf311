//! Exact commercial totals of work orders and estimates.
//!
//! Every figure is a [`BigDecimal`]; no float is involved anywhere. Each line is rounded on its own to
//! the currency's minor unit (ISO 4217), half away from zero, and the document totals are the sums of
//! the rounded line figures, so they always add up: `grand_total = subtotal − discount + tax`.
//!
//! Every returned amount has exactly the minor unit's scale (`12.30`, `1000`, `0.500`). Note that
//! bigdecimal 0.4 `Display` prints a zero of any scale as `0`; `to_plain_string()` keeps the scale
//! (`0.00`).

use bigdecimal::{BigDecimal, RoundingMode, Signed};
use std::fmt;

/// Currencies without a minor unit (ISO 4217 exponent 0).
const NO_DECIMALS: [&str; 17] = [
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF",
    "XPF",
];
/// Currencies with three decimals (ISO 4217 exponent 3).
const THREE_DECIMALS: [&str; 7] = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
/// Currencies with four decimals (ISO 4217 exponent 4).
const FOUR_DECIMALS: [&str; 2] = ["CLF", "UYW"];

/// Most decimal places a quantity may carry.
const QUANTITY_DECIMALS: i64 = 3;
/// Most decimal places a unit price or a discount may carry.
const AMOUNT_DECIMALS: i64 = 4;
/// Most decimal places a tax percentage may carry.
const TAX_DECIMALS: i64 = 3;

/// One line of a work order or an estimate, as the caller read it from the request or the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    /// How many units (hours, pieces); greater than 0, at most 3 decimals.
    pub quantity: BigDecimal,
    /// Price of one unit in the document's currency; at least 0, at most 4 decimals.
    pub unit_price: BigDecimal,
    /// Amount in the document's currency taken off this line (not a percent); at least 0, at most
    /// 4 decimals, not above the line's subtotal.
    pub discount: BigDecimal,
    /// The line's tax rate in percent (23 for 23 %), from 0 to 100, at most 3 decimals; `None` for an
    /// untaxed line.
    pub tax_percentage: Option<BigDecimal>,
}

/// The rounded figures of one line, each with the currency's minor-unit scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTotals {
    /// `quantity × unit_price`, rounded.
    pub subtotal: BigDecimal,
    /// The discount amount, rounded.
    pub discount: BigDecimal,
    /// `(subtotal − discount) × tax_percentage / 100`, rounded; zero for an untaxed line.
    pub tax: BigDecimal,
    /// `subtotal − discount + tax`.
    pub total: BigDecimal,
}

/// The totals of a whole document: sums of the rounded line figures, plus the lines themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Sum of the line subtotals.
    pub subtotal: BigDecimal,
    /// Sum of the line discounts.
    pub discount: BigDecimal,
    /// Sum of the line taxes.
    pub tax: BigDecimal,
    /// Sum of the line totals, equal to `subtotal − discount + tax`.
    pub grand_total: BigDecimal,
    /// The figures of each line, in the order of the input.
    pub lines: Vec<LineTotals>,
}

/// A field of [`LineInput`], named as in the JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineField {
    /// `quantity`.
    Quantity,
    /// `unitPrice`.
    UnitPrice,
    /// `discount`.
    Discount,
    /// `taxPercentage`.
    TaxPercentage,
}

impl LineField {
    /// The field's wire name (`unitPrice`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Quantity => "quantity",
            Self::UnitPrice => "unitPrice",
            Self::Discount => "discount",
            Self::TaxPercentage => "taxPercentage",
        }
    }
}

/// Why a line was refused; `index` is the line's position in the input (from 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// The quantity is zero or negative.
    QuantityNotPositive {
        /// Position of the line.
        index: usize,
    },
    /// The unit price is negative.
    NegativeUnitPrice {
        /// Position of the line.
        index: usize,
    },
    /// The discount is negative.
    NegativeDiscount {
        /// Position of the line.
        index: usize,
    },
    /// The discount is greater than `quantity × unit_price`.
    DiscountAboveSubtotal {
        /// Position of the line.
        index: usize,
        /// The line's subtotal before rounding (`quantity × unit_price`).
        subtotal: BigDecimal,
    },
    /// The tax percentage is below 0 or above 100.
    TaxOutOfRange {
        /// Position of the line.
        index: usize,
    },
    /// A field has more (significant) decimal places than allowed.
    TooManyDecimals {
        /// Position of the line.
        index: usize,
        /// The offending field.
        field: LineField,
        /// Most decimal places allowed for that field.
        max: i64,
    },
}

impl LineError {
    /// Position of the refused line in the input (from 0).
    pub fn index(&self) -> usize {
        match self {
            Self::QuantityNotPositive { index }
            | Self::NegativeUnitPrice { index }
            | Self::NegativeDiscount { index }
            | Self::DiscountAboveSubtotal { index, .. }
            | Self::TaxOutOfRange { index }
            | Self::TooManyDecimals { index, .. } => *index,
        }
    }

    /// The refused field.
    pub fn field(&self) -> LineField {
        match self {
            Self::QuantityNotPositive { .. } => LineField::Quantity,
            Self::NegativeUnitPrice { .. } => LineField::UnitPrice,
            Self::NegativeDiscount { .. } | Self::DiscountAboveSubtotal { .. } => LineField::Discount,
            Self::TaxOutOfRange { .. } => LineField::TaxPercentage,
            Self::TooManyDecimals { field, .. } => *field,
        }
    }

    /// Path of the refused field in the request body, like `lines[2].quantity`.
    pub fn path(&self) -> String {
        format!("lines[{}].{}", self.index(), self.field().as_str())
    }

    /// What is wrong, without the path, like `must be greater than 0`.
    pub fn message(&self) -> String {
        match self {
            Self::QuantityNotPositive { .. } => "must be greater than 0".to_owned(),
            Self::NegativeUnitPrice { .. } | Self::NegativeDiscount { .. } => "must be at least 0".to_owned(),
            Self::DiscountAboveSubtotal { subtotal, .. } => {
                format!("must not exceed the line subtotal ({})", subtotal.to_plain_string())
            }
            Self::TaxOutOfRange { .. } => "must be between 0 and 100".to_owned(),
            Self::TooManyDecimals { max, .. } => format!("must have at most {max} decimal places"),
        }
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path(), self.message())
    }
}

impl std::error::Error for LineError {}

/// Decimal places of the currency's minor unit per ISO 4217 (`JPY` → 0, `EUR` → 2, `KWD` → 3,
/// `CLF` → 4); case-insensitive, 2 for any code not listed as otherwise.
pub fn minor_unit(currency: &str) -> u32 {
    let listed = |codes: &[&str]| codes.iter().any(|code| code.eq_ignore_ascii_case(currency));
    if listed(&NO_DECIMALS) {
        0
    } else if listed(&THREE_DECIMALS) {
        3
    } else if listed(&FOUR_DECIMALS) {
        4
    } else {
        2
    }
}

/// Checks every line, then computes the rounded line figures and their sums in `currency`.
/// An empty list gives all zeros. The first refused field (in line order) is the error.
pub fn compute(lines: &[LineInput], currency: &str) -> Result<Totals, LineError> {
    let scale = i64::from(minor_unit(currency));
    let lines = lines
        .iter()
        .enumerate()
        .map(|(index, line)| validate(index, line).map(|()| line_totals(line, scale)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(sum(lines, scale))
}

/// Refuses a line whose fields are out of range or too precise.
fn validate(index: usize, line: &LineInput) -> Result<(), LineError> {
    check_decimals(index, LineField::Quantity, &line.quantity, QUANTITY_DECIMALS)?;
    if !line.quantity.is_positive() {
        return Err(LineError::QuantityNotPositive { index });
    }
    check_decimals(index, LineField::UnitPrice, &line.unit_price, AMOUNT_DECIMALS)?;
    if line.unit_price.is_negative() {
        return Err(LineError::NegativeUnitPrice { index });
    }
    check_decimals(index, LineField::Discount, &line.discount, AMOUNT_DECIMALS)?;
    if line.discount.is_negative() {
        return Err(LineError::NegativeDiscount { index });
    }
    let subtotal = &line.quantity * &line.unit_price;
    if line.discount > subtotal {
        return Err(LineError::DiscountAboveSubtotal { index, subtotal });
    }
    line.tax_percentage.as_ref().map_or(Ok(()), |pct| validate_tax(index, pct))
}

/// Refuses a tax percentage outside 0–100 or with too many decimals.
fn validate_tax(index: usize, pct: &BigDecimal) -> Result<(), LineError> {
    check_decimals(index, LineField::TaxPercentage, pct, TAX_DECIMALS)?;
    let hundred = BigDecimal::from(100);
    if pct.is_negative() || *pct > hundred {
        return Err(LineError::TaxOutOfRange { index });
    }
    Ok(())
}

/// Refuses a value with more than `max` significant decimal places (trailing zeros do not count).
fn check_decimals(index: usize, field: LineField, value: &BigDecimal, max: i64) -> Result<(), LineError> {
    if value.normalized().fractional_digit_count() > max {
        return Err(LineError::TooManyDecimals { index, field, max });
    }
    Ok(())
}

/// The rounded figures of a line already validated (so `discount ≤ subtotal` and the taxable amount is
/// never negative: rounding keeps that order).
fn line_totals(line: &LineInput, scale: i64) -> LineTotals {
    let subtotal = round(&(&line.quantity * &line.unit_price), scale);
    let discount = round(&line.discount, scale);
    let taxable = &subtotal - &discount;
    let tax = match &line.tax_percentage {
        Some(pct) => round(&(&taxable * pct * BigDecimal::new(1.into(), 2)), scale),
        None => BigDecimal::new(0.into(), scale),
    };
    let total = taxable + &tax;
    LineTotals { subtotal, discount, tax, total }
}

/// Sums the rounded line figures into the document totals (all with `scale`, also when empty).
fn sum(lines: Vec<LineTotals>, scale: i64) -> Totals {
    let zero = BigDecimal::new(0.into(), scale);
    let mut totals = Totals {
        subtotal: zero.clone(),
        discount: zero.clone(),
        tax: zero.clone(),
        grand_total: zero,
        lines: Vec::with_capacity(lines.len()),
    };
    for line in lines {
        totals.subtotal += &line.subtotal;
        totals.discount += &line.discount;
        totals.tax += &line.tax;
        totals.grand_total += &line.total;
        totals.lines.push(line);
    }
    totals
}

/// Commercial rounding: to `scale` decimals, half away from zero (`2.675` → `2.68`, `-2.675` → `-2.68`).
fn round(value: &BigDecimal, scale: i64) -> BigDecimal {
    value.with_scale_round(scale, RoundingMode::HalfUp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(text: &str) -> BigDecimal {
        BigDecimal::from_str(text).expect("test decimal")
    }

    /// A line from texts: quantity, unit price, discount, tax percentage ("" for untaxed).
    fn line(quantity: &str, unit_price: &str, discount: &str, tax: &str) -> LineInput {
        LineInput {
            quantity: dec(quantity),
            unit_price: dec(unit_price),
            discount: dec(discount),
            tax_percentage: (!tax.is_empty()).then(|| dec(tax)),
        }
    }

    /// Document totals as plain strings: subtotal, discount, tax, grand total.
    fn shown(totals: &Totals) -> [String; 4] {
        [&totals.subtotal, &totals.discount, &totals.tax, &totals.grand_total].map(BigDecimal::to_plain_string)
    }

    struct Case {
        name: &'static str,
        currency: &'static str,
        lines: Vec<LineInput>,
        /// Subtotal, discount, tax, grand total.
        expected: [&'static str; 4],
    }

    fn cases() -> Vec<Case> {
        vec![
            Case {
                name: "simple line",
                currency: "EUR",
                lines: vec![line("2", "10.15", "0", "23")],
                expected: ["20.30", "0.00", "4.67", "24.97"],
            },
            Case {
                name: "taxes of 23 %, 6 %, 0 % and untaxed",
                currency: "EUR",
                lines: vec![
                    line("1", "100", "0", "23"),
                    line("3", "9.99", "0", "6"),
                    line("1", "50", "0", "0"),
                    line("2", "12.5", "0", ""),
                ],
                expected: ["204.97", "0.00", "24.80", "229.77"],
            },
            Case {
                name: "discount amounts before tax",
                currency: "EUR",
                lines: vec![line("4", "25", "10", "23"), line("1", "19.99", "4.99", "")],
                expected: ["119.99", "14.99", "20.70", "125.70"],
            },
            Case {
                name: "discount equal to the subtotal",
                currency: "EUR",
                lines: vec![line("2", "5", "10", "23")],
                expected: ["10.00", "10.00", "0.00", "0.00"],
            },
            Case {
                name: "half away from zero at .125",
                currency: "USD",
                lines: vec![line("1", "0.125", "0", "")],
                expected: ["0.13", "0.00", "0.00", "0.13"],
            },
            Case {
                name: "2.675 is exactly decimal and rounds up",
                currency: "USD",
                lines: vec![line("1", "2.675", "0", "")],
                expected: ["2.68", "0.00", "0.00", "2.68"],
            },
            Case {
                name: "below half rounds down, tax rounded per line",
                currency: "EUR",
                lines: vec![line("1", "0.1249", "0.0049", "25"), line("1", "0.50", "0", "25")],
                expected: ["0.62", "0.00", "0.16", "0.78"],
            },
            Case {
                name: "JPY has no decimals",
                currency: "jpy",
                lines: vec![line("3", "333.5", "0.5", "10")],
                expected: ["1001", "1", "100", "1100"],
            },
            Case {
                name: "KWD has three decimals",
                currency: "KWD",
                lines: vec![line("1", "1.2345", "0.0005", "5")],
                expected: ["1.235", "0.001", "0.062", "1.296"],
            },
            Case {
                name: "CLF has four decimals",
                currency: "CLF",
                lines: vec![line("0.333", "1", "0", "19")],
                expected: ["0.3330", "0.0000", "0.0633", "0.3963"],
            },
            Case {
                name: "fractional quantity of hours",
                currency: "EUR",
                lines: vec![line("1.5", "80.00", "0", "23")],
                expected: ["120.00", "0.00", "27.60", "147.60"],
            },
            Case {
                name: "large values stay exact",
                currency: "EUR",
                lines: vec![line("999999", "99999.9999", "0", "23")],
                expected: ["99999899900.00", "0.00", "22999976977.00", "122999876877.00"],
            },
            Case {
                name: "fractional tax rate",
                currency: "EUR",
                lines: vec![line("1", "200", "0", "7.125")],
                expected: ["200.00", "0.00", "14.25", "214.25"],
            },
            Case {
                name: "empty list is all zeros",
                currency: "EUR",
                lines: vec![],
                expected: ["0.00", "0.00", "0.00", "0.00"],
            },
            Case {
                name: "trailing zeros beyond the limits are not decimals",
                currency: "EUR",
                lines: vec![line("1.50000", "2.000000", "0.000000", "23.0000")],
                expected: ["3.00", "0.00", "0.69", "3.69"],
            },
        ]
    }

    #[test]
    fn computes_exact_totals() {
        for case in cases() {
            let totals = compute(&case.lines, case.currency).unwrap_or_else(|e| panic!("{}: {e}", case.name));
            assert_eq!(shown(&totals), case.expected.map(String::from), "{}", case.name);
            assert_eq!(totals.lines.len(), case.lines.len(), "{}", case.name);
        }
    }

    #[test]
    fn every_amount_has_the_minor_unit_scale_and_adds_up() {
        for case in cases() {
            let totals = compute(&case.lines, case.currency).unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let scale = i64::from(minor_unit(case.currency));
            let line_amounts = totals.lines.iter().flat_map(|l| [&l.subtotal, &l.discount, &l.tax, &l.total]);
            let document = [&totals.subtotal, &totals.discount, &totals.tax, &totals.grand_total];
            for amount in document.into_iter().chain(line_amounts) {
                assert_eq!(amount.fractional_digit_count(), scale, "{}: {amount:?}", case.name);
            }
            let balance = &totals.subtotal - &totals.discount + &totals.tax;
            assert_eq!(totals.grand_total, balance, "{}", case.name);
            for l in &totals.lines {
                assert_eq!(l.total, &l.subtotal - &l.discount + &l.tax, "{}", case.name);
            }
        }
    }

    #[test]
    fn line_figures_are_rounded_one_by_one() {
        let lines = vec![line("1", "0.125", "0", "10"); 3];
        let totals = compute(&lines, "EUR").expect("valid lines");
        for l in &totals.lines {
            let figures = [&l.subtotal, &l.discount, &l.tax, &l.total].map(BigDecimal::to_plain_string);
            assert_eq!(figures, ["0.13", "0.00", "0.01", "0.14"]);
        }
        // Rounding the unrounded document instead would give 0.375 + 0.0375 → 0.41.
        assert_eq!(shown(&totals), ["0.39", "0.00", "0.03", "0.42"].map(String::from));
    }

    #[test]
    fn plain_strings_keep_the_scale() {
        let totals = compute(&[line("1", "12.3", "0", "")], "EUR").expect("valid line");
        assert_eq!(totals.subtotal.to_string(), "12.30");
        let totals = compute(&[line("1", "1000", "0", "")], "JPY").expect("valid line");
        assert_eq!(totals.grand_total.to_string(), "1000");
        let totals = compute(&[line("1", "0.5", "0", "")], "BHD").expect("valid line");
        assert_eq!(totals.grand_total.to_string(), "0.500");
        // bigdecimal 0.4 displays any zero as "0"; the plain string keeps the scale.
        assert_eq!(totals.tax.to_string(), "0");
        assert_eq!(totals.tax.to_plain_string(), "0.000");
    }

    #[test]
    fn rounds_half_away_from_zero() {
        let cases = [
            ("0.125", 2, "0.13"),
            ("2.675", 2, "2.68"),
            ("2.665", 2, "2.67"),
            ("2.6749999", 2, "2.67"),
            ("-2.675", 2, "-2.68"),
            ("-0.125", 2, "-0.13"),
            ("0.5", 0, "1"),
            ("1.5", 0, "2"),
            ("2.5", 0, "3"),
            ("-2.5", 0, "-3"),
            ("0.0005", 3, "0.001"),
            ("7", 2, "7.00"),
        ];
        for (value, scale, expected) in cases {
            assert_eq!(round(&dec(value), scale).to_plain_string(), expected, "{value} to {scale}");
        }
    }

    #[test]
    fn refuses_bad_lines() {
        let good = line("1", "10", "0", "23");
        let cases: [(LineInput, &str); 15] = [
            (line("0", "10", "0", "23"), "lines[1].quantity: must be greater than 0"),
            (line("0.000", "10", "0", ""), "lines[1].quantity: must be greater than 0"),
            (line("-1", "10", "0", "23"), "lines[1].quantity: must be greater than 0"),
            (line("1", "-0.01", "0", "23"), "lines[1].unitPrice: must be at least 0"),
            (line("1", "10", "-1", "23"), "lines[1].discount: must be at least 0"),
            (line("2", "5", "10.0001", "23"), "lines[1].discount: must not exceed the line subtotal (10)"),
            (line("1.5", "0.3333", "1", ""), "lines[1].discount: must not exceed the line subtotal (0.49995)"),
            (line("1", "10", "0", "101"), "lines[1].taxPercentage: must be between 0 and 100"),
            (line("1", "10", "0", "100.001"), "lines[1].taxPercentage: must be between 0 and 100"),
            (line("1", "10", "0", "-1"), "lines[1].taxPercentage: must be between 0 and 100"),
            (line("1.0001", "10", "0", "23"), "lines[1].quantity: must have at most 3 decimal places"),
            (line("1", "10.00001", "0", "23"), "lines[1].unitPrice: must have at most 4 decimal places"),
            (line("1", "10", "0.00001", "23"), "lines[1].discount: must have at most 4 decimal places"),
            (line("1", "10", "0", "23.0001"), "lines[1].taxPercentage: must have at most 3 decimal places"),
            (line("-1.0001", "10", "0", "23"), "lines[1].quantity: must have at most 3 decimal places"),
        ];
        for (bad, expected) in cases {
            let error = compute(&[good.clone(), bad, good.clone()], "EUR").expect_err(expected);
            assert_eq!(error.to_string(), expected);
            assert_eq!(error.index(), 1, "{expected}");
            assert!(expected.starts_with(&format!("{}: ", error.path())), "{expected}");
        }
    }

    #[test]
    fn accepts_the_edges_of_the_ranges() {
        let lines = [line("0.001", "0", "0", "0"), line("1", "0.0001", "0.0001", "100"), line("1", "10", "10", "")];
        let totals = compute(&lines, "EUR").expect("edges are allowed");
        assert_eq!(shown(&totals), ["10.00", "10.00", "0.00", "0.00"].map(String::from));
    }

    #[test]
    fn reports_the_first_refused_line() {
        let lines = [line("1", "1", "0", ""), line("0", "1", "0", ""), line("1", "-1", "0", "")];
        let error = compute(&lines, "EUR").expect_err("line 1 is refused");
        assert_eq!(error, LineError::QuantityNotPositive { index: 1 });
        assert_eq!(error.field(), LineField::Quantity);
        assert_eq!(error.path(), "lines[1].quantity");
        assert_eq!(error.message(), "must be greater than 0");
    }

    #[test]
    fn knows_the_minor_units() {
        for code in NO_DECIMALS {
            assert_eq!(minor_unit(code), 0, "{code}");
        }
        for code in THREE_DECIMALS {
            assert_eq!(minor_unit(code), 3, "{code}");
        }
        for code in FOUR_DECIMALS {
            assert_eq!(minor_unit(code), 4, "{code}");
        }
        let others = [("EUR", 2), ("usd", 2), ("Jpy", 0), ("kwd", 3), ("uyw", 4), ("XXX", 2), ("", 2), ("JPYX", 2)];
        for (code, expected) in others {
            assert_eq!(minor_unit(code), expected, "{code}");
        }
    }
}
