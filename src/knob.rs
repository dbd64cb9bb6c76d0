//! What a knob is: a value parsed from text and shown as text, checked against its range, and
//! the message that names the knob when it is not. The knobs themselves are `config.rs`.

use crate::strategy::{Overload, PlannerDemand, RetryPolicy, SupernodeChoice};
use serde::Serialize;
use std::fmt;

/// A rejected setting: which knob, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The knob's name (or the argument's, for the CLI).
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// An error about `field`.
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// A value a knob can hold: parsed from and shown as text, checked against a numeric range.
pub trait KnobValue: Sized + Copy {
    /// The value written as `s`, if it is one.
    fn parse_knob(s: &str) -> Option<Self>;
    /// The value as the URL and the CLI write it.
    fn show(&self) -> String;
    /// The value on the knob's numeric scale, for the range check (`None` = always in range).
    fn scale(&self) -> Option<f64>;
    /// The allowed words, for knobs that take words.
    fn choices() -> &'static [&'static str] {
        &[]
    }
    /// Why `s` is not a value, where the knob can say better than "not a number" (`None`: it
    /// can't).
    fn explain(_s: &str) -> Option<String> {
        None
    }
    /// A value written out, for knobs that take free text (neither a number nor a word).
    fn example() -> Option<&'static str> {
        None
    }
    /// Whether it counts whole things (a sweep rounds its values).
    const WHOLE: bool = false;
}

macro_rules! numeric_knob {
    ($($t:ty),*) => {$(
        impl KnobValue for $t {
            fn parse_knob(s: &str) -> Option<Self> {
                s.trim().parse().ok()
            }
            fn show(&self) -> String {
                self.to_string()
            }
            fn scale(&self) -> Option<f64> {
                Some(*self as f64)
            }
            const WHOLE: bool = true;
        }
    )*};
}
numeric_knob!(u32, u64);

impl KnobValue for f64 {
    fn parse_knob(s: &str) -> Option<Self> {
        s.trim().parse().ok().filter(|v: &f64| v.is_finite())
    }
    fn show(&self) -> String {
        self.to_string()
    }
    fn scale(&self) -> Option<f64> {
        Some(*self)
    }
}

impl KnobValue for bool {
    fn parse_knob(s: &str) -> Option<Self> {
        match s.trim() {
            "true" | "1" | "on" | "yes" => Some(true),
            "false" | "0" | "off" | "no" => Some(false),
            _ => None,
        }
    }
    fn show(&self) -> String {
        self.to_string()
    }
    fn scale(&self) -> Option<f64> {
        None
    }
    fn choices() -> &'static [&'static str] {
        &["true", "false"]
    }
}

/// `none` (or empty) for "never", else a number.
impl KnobValue for Option<u32> {
    fn parse_knob(s: &str) -> Option<Self> {
        match s.trim() {
            "" | "none" | "never" => Some(None),
            t => t.parse().ok().map(Some),
        }
    }
    fn show(&self) -> String {
        self.map_or_else(|| "none".to_owned(), |v| v.to_string())
    }
    fn scale(&self) -> Option<f64> {
        self.map(f64::from)
    }
    const WHOLE: bool = true;
}

macro_rules! enum_knob {
    ($($t:ty),*) => {$(
        impl KnobValue for $t {
            fn parse_knob(s: &str) -> Option<Self> {
                Self::from_name(s.trim())
            }
            fn show(&self) -> String {
                self.name().to_owned()
            }
            fn scale(&self) -> Option<f64> {
                None
            }
            fn choices() -> &'static [&'static str] {
                Self::NAMES
            }
        }
    )*};
}
enum_knob!(SupernodeChoice, RetryPolicy, PlannerDemand, Overload);

/// What the page and the CLI show of a knob.
#[derive(Clone, Debug, Serialize)]
pub struct KnobInfo {
    /// snake_case name, as in the URL and `--set`.
    pub name: &'static str,
    /// What it means, in a short phrase.
    pub label: &'static str,
    /// Its unit, in words ("" when it has none).
    pub unit: &'static str,
    /// Smallest allowed value (numeric knobs).
    pub min: Option<f64>,
    /// Largest allowed value (numeric knobs).
    pub max: Option<f64>,
    /// The allowed words (word knobs).
    pub choices: &'static [&'static str],
    /// Whether it takes whole numbers only.
    pub whole: bool,
    /// A value written out, for a knob that takes free text.
    pub example: Option<&'static str>,
    /// The default, as text.
    pub default: String,
    /// Which group of controls it belongs in.
    pub group: &'static str,
}

/// A bound from the knob table, as the checks take it (word knobs ignore theirs).
pub fn bound<B: Into<f64>>(b: B) -> Option<f64> {
    Some(b.into())
}

/// Parses `text` as knob `key`'s value and checks it against `min` and `max`.
pub fn parse_checked<T: KnobValue>(
    key: &str,
    text: &str,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<T, ConfigError> {
    let v = T::parse_knob(text).ok_or_else(|| {
        if let Some(why) = T::explain(text) {
            return ConfigError::new(key, why);
        }
        let expect = if T::choices().is_empty() {
            format!("a number from {} to {}", fmt_bound(min), fmt_bound(max))
        } else {
            format!("one of {}", T::choices().join(", "))
        };
        ConfigError::new(key, format!("'{text}' is not {expect}"))
    })?;
    check(key, &v, min, max)?;
    Ok(v)
}

/// Checks knob `key`'s value `v` against `min` and `max` (a value with no numeric scale always
/// passes).
pub fn check<T: KnobValue>(
    key: &str,
    v: &T,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<(), ConfigError> {
    let (Some(x), Some(lo), Some(hi)) = (v.scale(), min, max) else {
        return Ok(());
    };
    if !x.is_finite() || x < lo || x > hi {
        return Err(ConfigError::new(
            key,
            format!(
                "{} is outside the allowed range {} to {}",
                v.show(),
                fmt_bound(min),
                fmt_bound(max)
            ),
        ));
    }
    Ok(())
}

fn fmt_bound(b: Option<f64>) -> String {
    match b {
        None => "-".to_owned(),
        Some(v) if v >= 1.8e19 => u64::MAX.to_string(),
        Some(v) => v.to_string(),
    }
}
