//! Field validation that collects every problem of a request before answering 422.
//!
//! Each check returns a usable value (a default when the field is invalid) and records the
//! field's error; [`Validator::finish`] fails if any was recorded, so callers build their
//! typed input only from values that passed.

use chrono::NaiveDate;
use std::str::FromStr;

use crate::error::{Error, FieldError};

/// Collects field errors.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

/// The trimmed text, unless it holds control characters (`multiline` allows line breaks and tabs).
fn clean(value: &str, multiline: bool) -> Result<&str, &'static str> {
    let value = value.trim();
    let allowed = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
    if value.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err("must not contain control characters");
    }
    Ok(value)
}

impl Validator {
    /// Records an error for `field`.
    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// A required, non-empty, trimmed text of at most `max` characters.
    pub fn required_text(&mut self, field: &str, value: Option<String>, max: usize) -> String {
        match value {
            None => {
                self.error(field, "is required");
                String::new()
            }
            Some(v) => self.text(field, &v, max).unwrap_or_default(),
        }
    }

    /// An optional text; present but blank counts as absent.
    pub fn optional_text(&mut self, field: &str, value: Option<String>, max: usize) -> Option<String> {
        value.and_then(|v| self.text(field, &v, max)).filter(|v| !v.is_empty())
    }

    fn text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        self.text_of(field, value, max, false)
    }

    fn text_of(&mut self, field: &str, value: &str, max: usize, multiline: bool) -> Option<String> {
        match clean(value, multiline) {
            Err(message) => self.error(field, message),
            Ok("") => self.error(field, "must not be empty"),
            Ok(v) if v.chars().count() > max => self.error(field, format!("must be at most {max} characters")),
            Ok(v) => return Some(v.to_string()),
        }
        None
    }

    /// A required email address, normalized to lower case.
    pub fn email(&mut self, field: &str, value: Option<String>) -> String {
        let email = self.required_text(field, value, 254).to_lowercase();
        if !email.is_empty() && !email_address::EmailAddress::is_valid(&email) {
            self.error(field, "must be a valid email address");
        }
        email
    }

    /// A required new password: 8–128 characters that zxcvbn, a password-strength estimator, rates
    /// at least "safely unguessable" (score 3 of 4), taking `related` (the user's email, name…)
    /// into account; the error says why (zxcvbn's warning and suggestion). Not trimmed.
    pub fn new_password(&mut self, field: &str, value: Option<String>, related: &[&str]) -> String {
        let Some(password) = value else {
            self.error(field, "is required");
            return String::new();
        };
        let length = password.chars().count();
        if !(8..=128).contains(&length) {
            self.error(field, "must be 8 to 128 characters long");
            return password;
        }
        // Each detail whole and in its words ("Ada Lovelace" → ada, lovelace; an email's parts).
        let words: Vec<&str> = related
            .iter()
            .flat_map(|detail| std::iter::once(*detail).chain(detail.split(|c: char| !c.is_alphanumeric())))
            .filter(|word| word.chars().count() >= 3)
            .collect();
        let estimate = zxcvbn::zxcvbn(&password, &words);
        if estimate.score() < zxcvbn::Score::Three {
            let feedback = estimate.feedback();
            let warning = feedback.and_then(|f| f.warning()).map(|w| format!(": {w}")).unwrap_or_default();
            let hint = feedback.and_then(|f| f.suggestions().first()).map(|s| format!(" {s}")).unwrap_or_default();
            self.error(field, format!("is too easy to guess{warning}.{hint}"));
        }
        password
    }

    /// A required secret that is only compared, never stored (a login password).
    pub fn secret(&mut self, field: &str, value: Option<String>) -> String {
        match value {
            Some(v) if !v.is_empty() && v.chars().count() <= 128 => v,
            Some(v) if !v.is_empty() => {
                self.error(field, "must be at most 128 characters");
                String::new()
            }
            _ => {
                self.error(field, "is required");
                String::new()
            }
        }
    }

    /// An optional past date `YYYY-MM-DD`.
    pub fn optional_past_date(&mut self, field: &str, value: Option<String>) -> Option<NaiveDate> {
        let text = self.optional_text(field, value, 10)?;
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) if date < chrono::Utc::now().date_naive() => Some(date),
            Ok(_) => {
                self.error(field, "must be in the past");
                None
            }
            Err(_) => {
                self.error(field, "must be a date YYYY-MM-DD");
                None
            }
        }
    }

    /// An optional integer within `min..=max`, `default` when absent.
    pub fn integer_in(&mut self, field: &str, value: Option<&str>, min: i64, max: i64, default: i64) -> i64 {
        let Some(text) = value else { return default };
        match i64::from_str(text.trim()) {
            Ok(n) if (min..=max).contains(&n) => n,
            _ => {
                self.error(field, format!("must be an integer from {min} to {max}"));
                default
            }
        }
    }

    /// `Err(422)` listing every recorded error, or `Ok` when there is none.
    pub fn finish(self) -> Result<(), Error> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.errors))
        }
    }
}

/// Serde helper for PATCH fields: absent → `None`, `null` → `Some(None)`, value → `Some(Some(v))`.
/// Use with `#[serde(default, deserialize_with = "patch_field")]`.
pub fn patch_field<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

impl Validator {
    /// A PATCH of a required text column: absent leaves it, `null` or blank is an error.
    pub fn patch_required(&mut self, field: &str, value: Option<Option<String>>, max: usize) -> Option<String> {
        match value? {
            None => {
                self.error(field, "must not be null");
                None
            }
            Some(v) => self.text(field, &v, max),
        }
    }

    /// A PATCH of a nullable text column: absent leaves it, `null` or blank clears it.
    pub fn patch_optional(&mut self, field: &str, value: Option<Option<String>>, max: usize) -> Option<Option<String>> {
        value.map(|v| self.optional_text(field, v, max))
    }

    /// A PATCH of a nullable past date.
    pub fn patch_past_date(&mut self, field: &str, value: Option<Option<String>>) -> Option<Option<NaiveDate>> {
        value.map(|v| self.optional_past_date(field, v))
    }
}

/// Serde helper for a field that may be absent but not `null` (a required column in a PATCH).
/// Use with `#[serde(default, deserialize_with = "non_null")]`.
pub fn non_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    match <Option<T> as serde::Deserialize>::deserialize(deserializer)? {
        None => Err(serde::de::Error::custom("must not be null")),
        some => Ok(some),
    }
}

/// In-place checks of a deserialized create/update body: absent fields stay absent.
impl Validator {
    /// A required text column: trimmed; absent is an error when `creating`, blank always.
    pub fn require(&mut self, field: &str, value: &mut Option<String>, max: usize, creating: bool) {
        match value.take() {
            None if creating => self.error(field, "is required"),
            None => {}
            Some(text) => *value = self.text(field, &text, max),
        }
    }

    /// A nullable text column: trimmed; blank becomes `null`.
    pub fn optional(&mut self, field: &str, value: &mut Option<Option<String>>, max: usize) {
        if let Some(text) = value.take() {
            *value = Some(self.optional_text(field, text, max));
        }
    }

    /// A required free-text column (a description, a comment): like [`Self::require`], but line
    /// breaks and tabs are allowed.
    pub fn require_lines(&mut self, field: &str, value: &mut Option<String>, max: usize, creating: bool) {
        match value.take() {
            None if creating => self.error(field, "is required"),
            None => {}
            Some(text) => *value = self.text_of(field, &text, max, true),
        }
    }

    /// A nullable free-text column: like [`Self::optional`], but line breaks and tabs are allowed.
    pub fn optional_lines(&mut self, field: &str, value: &mut Option<Option<String>>, max: usize) {
        if let Some(text) = value.take() {
            let text = text.and_then(|text| self.text_of(field, &text, max, true)).filter(|text| !text.is_empty());
            *value = Some(text);
        }
    }

    /// A required email column, lower-cased.
    pub fn require_email(&mut self, field: &str, value: &mut Option<String>, creating: bool) {
        if value.is_some() || creating {
            *value = Some(self.email(field, value.take()));
        }
    }

    /// A date (or the date of an instant) within years 1–9999, what PostgreSQL and every client
    /// can hold (chrono alone accepts years far beyond).
    pub fn calendar(&mut self, field: &str, date: Option<impl chrono::Datelike>) {
        if date.is_some_and(|date| !(1..=9999).contains(&date.year())) {
            self.error(field, "must be within the years 1 to 9999");
        }
    }

    /// A text column that must hold one of `values` (when present).
    pub fn choice(&mut self, field: &str, value: Option<&str>, values: &[&str]) {
        if value.is_some_and(|value| !values.contains(&value)) {
            self.error(field, format!("must be one of: {}", values.join(", ")));
        }
    }
}

#[cfg(test)]
mod password_tests {
    use super::Validator;

    /// The error `new_password` gives, if any.
    fn refusal(password: &str, related: &[&str]) -> Option<String> {
        let mut v = Validator::default();
        v.new_password("password", Some(password.to_string()), related);
        v.finish().err().map(|e| e.problem().detail)
    }

    #[test]
    fn guessable_passwords_are_refused_with_the_reason() {
        for weak in ["Secret123", "Password1", "Qwerty12345", "aaaaaaaaaa"] {
            assert!(refusal(weak, &[]).is_some(), "{weak} is accepted");
        }
        let mut v = Validator::default();
        v.new_password("password", Some("Password1".into()), &[]);
        let problem = v.finish().unwrap_err().problem();
        let message = &problem.errors[0].message;
        assert!(message.starts_with("is too easy to guess"), "{message}");
    }

    #[test]
    fn the_users_own_details_make_a_password_guessable() {
        let related = ["ada.lovelace@example.com", "Ada Lovelace"];
        for own in ["ada.lovelace@example.com", "Lovelace1815!"] {
            assert!(refusal(own, &[]).is_none(), "{own} is strong on its own");
            assert!(refusal(own, &related).is_some(), "{own} is weak for Ada");
        }
    }

    #[test]
    fn passphrases_and_unpredictable_passwords_are_accepted() {
        for strong in ["Quiet-Harbor-42", "correct horse battery staple", "N3wSecret!"] {
            assert_eq!(refusal(strong, &[]), None, "{strong}");
        }
        assert!(refusal("Ab1", &[]).is_some(), "too short");
    }
}
