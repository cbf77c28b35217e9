//! Sizes as users write them (`500GB`, `1536k`, `1.5TB`), parsed to bytes while keeping the
//! original text for output.
//!
//! Units are read as binary multiples whatever their spelling: `GB`, `G` and `GiB` all mean
//! 2^30 bytes. That is how LVM reads `lvcreate -L 500G`, and for capacity checks it is the
//! conservative reading (the larger number of bytes). A size needs a unit: LVM would read a
//! bare number as MiB, which is never what a volume size means.

use bytesize::ByteSize;
use regex::Regex;
use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

/// A size given by the user: the text as written and its value in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SizeSpec {
    text: String,
    bytes: u64,
}

/// Why a size string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SizeError {
    /// The text is not a number followed by a unit.
    #[error("'{0}' is not a size: write a number and a unit, for example '500GB' or '1536k'")]
    Unparsable(String),
    /// A minus sign.
    #[error("'{0}' is negative: sizes must be greater than zero")]
    Negative(String),
    /// The value is zero.
    #[error("'{0}' is zero: sizes must be greater than zero")]
    Zero(String),
    /// A bare number.
    #[error("'{0}' has no unit: write it with one, for example '{0}GB'")]
    MissingUnit(String),
    /// More than 16 EiB.
    #[error("'{0}' is too large")]
    TooLarge(String),
}

static SIZE_PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<number>[0-9]+(?:\.[0-9]+)?)(?P<unit>[bBkKmMgGtTpPeE])?(?:[iI]?[bB])?$")
        .expect("the size pattern is a valid regular expression")
});

impl SizeSpec {
    /// Parses `text`; see the module documentation for the units.
    pub fn parse(text: &str) -> Result<Self, SizeError> {
        let trimmed = text.trim();
        if trimmed.starts_with('-') {
            return Err(SizeError::Negative(text.to_owned()));
        }
        let captures = SIZE_PATTERN
            .captures(trimmed)
            .ok_or_else(|| SizeError::Unparsable(text.to_owned()))?;
        let number = &captures["number"];
        let unit = captures
            .name("unit")
            .map(|unit| unit.as_str().to_ascii_uppercase())
            .ok_or_else(|| SizeError::MissingUnit(text.to_owned()))?;
        let bytes = if unit == "B" {
            number
                .parse::<u64>()
                .map_err(|_| SizeError::Unparsable(text.to_owned()))?
        } else {
            // bytesize does the decimal arithmetic; we choose the binary unit.
            ByteSize::from_str(&format!("{number} {unit}iB"))
                .map_err(|_| SizeError::TooLarge(text.to_owned()))?
                .as_u64()
        };
        if bytes == 0 {
            return Err(SizeError::Zero(text.to_owned()));
        }
        // bytesize saturates instead of failing on overflow.
        if bytes == u64::MAX {
            return Err(SizeError::TooLarge(text.to_owned()));
        }
        // Blanks around the size are dropped: the text goes into the INI as one word.
        Ok(Self {
            text: trimmed.to_owned(),
            bytes,
        })
    }

    /// A size built by hvp itself (for example the engine size derived from the image size).
    pub fn from_gib(gib: u64) -> Self {
        Self {
            text: format!("{gib}GB"),
            bytes: gib.saturating_mul(1 << 30),
        }
    }

    /// The text exactly as the user wrote it, for output.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The value in bytes.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl fmt::Display for SizeSpec {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.text)
    }
}

impl Serialize for SizeSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut state = serializer.serialize_struct("SizeSpec", 2)?;
        state.serialize_field("text", &self.text)?;
        state.serialize_field("bytes", &self.bytes)?;
        state.end()
    }
}

/// A byte count for people: binary units with one decimal (`3.6 TiB`).
pub fn human_bytes(bytes: u64) -> String {
    // `bytesize`'s text, in integers where that is exact: a large plan writes hundreds of
    // thousands of sizes, and formatting a float costs more than all the rest.
    exact_iec(bytes).unwrap_or_else(|| ByteSize::b(bytes).display().iec().to_string())
}

/// `bytesize`'s IEC text of `bytes` when integers give it for certain: below 2^53 (where
/// `bytesize`'s `f64` holds the count exactly and dividing by a power of 1024 is exact),
/// not halfway between two tenths (where the float's rounding decides).
fn exact_iec(bytes: u64) -> Option<String> {
    if bytes < 1024 {
        return Some(format!("{bytes} B"));
    }
    if bytes >= 1 << 53 {
        return None;
    }
    // The largest power of 1024 not above `bytes` (KiB at least).
    let mut exponent = 1;
    while exponent < 5 && bytes >> (10 * (exponent + 1)) > 0 {
        exponent += 1;
    }
    let divisor = 1u128 << (10 * exponent);
    let tenths = u128::from(bytes) * 10;
    let (whole, rest) = (tenths / divisor, tenths % divisor);
    let rounded = match (2 * rest).cmp(&divisor) {
        std::cmp::Ordering::Less => whole,
        std::cmp::Ordering::Greater => whole + 1,
        std::cmp::Ordering::Equal => return None,
    };
    // `{whole}.{tenth} {prefix}iB`, without the formatting machinery.
    let mut text = String::with_capacity(12);
    push_decimal(&mut text, rounded / 10);
    text.push('.');
    push_decimal(&mut text, rounded % 10);
    text.push(' ');
    text.push(char::from(b"KMGTPE"[exponent - 1]));
    text.push_str("iB");
    Some(text)
}

/// Appends `value` in decimal (without the formatting machinery: large plans write hundreds
/// of thousands of numbers).
pub(crate) fn push_decimal<N: itoa::Integer>(text: &mut String, value: N) {
    text.push_str(itoa::Buffer::new().format(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_unit_as_binary() {
        assert_eq!(SizeSpec::parse("500GB").unwrap().bytes(), 500 << 30);
        assert_eq!(SizeSpec::parse("500G").unwrap().bytes(), 500 << 30);
        assert_eq!(SizeSpec::parse("500GiB").unwrap().bytes(), 500 << 30);
        assert_eq!(SizeSpec::parse("1536k").unwrap().bytes(), 1536 << 10);
        assert_eq!(SizeSpec::parse("2TB").unwrap().bytes(), 2 << 40);
        assert_eq!(SizeSpec::parse("1.5TB").unwrap().bytes(), 3 << 39);
        assert_eq!(SizeSpec::parse("4096B").unwrap().bytes(), 4096);
        assert_eq!(SizeSpec::parse(" 10gb ").unwrap().bytes(), 10 << 30);
        assert_eq!(SizeSpec::parse(" 10gb ").unwrap().text(), "10gb");
    }

    #[test]
    fn sizes_for_people_are_bytesize_text() {
        let bytesize = |bytes: u64| ByteSize::b(bytes).display().iec().to_string();
        let mut cases = vec![0, 1, 1023, 1024, 1075, 1076, 1280, 1331, 1332, u64::MAX];
        for power in 1..=6u32 {
            let base = 1u64 << (10 * power);
            for delta in 0..64u64 {
                cases.extend([base.saturating_add(delta), base.saturating_sub(delta)]);
                cases.push((base / 20).saturating_mul(2 * delta + 1));
            }
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            cases.push(state >> (state % 64));
        }
        for bytes in cases {
            assert_eq!(human_bytes(bytes), bytesize(bytes), "{bytes}");
        }
    }

    #[test]
    fn keeps_the_original_text() {
        assert_eq!(SizeSpec::parse("1024GB").unwrap().text(), "1024GB");
        assert_eq!(SizeSpec::from_gib(96).text(), "96GB");
    }

    #[test]
    fn refuses_bad_sizes_with_the_reason() {
        assert!(matches!(SizeSpec::parse("0GB"), Err(SizeError::Zero(_))));
        assert!(matches!(
            SizeSpec::parse("-5GB"),
            Err(SizeError::Negative(_))
        ));
        assert!(matches!(
            SizeSpec::parse("500"),
            Err(SizeError::MissingUnit(_))
        ));
        assert!(matches!(
            SizeSpec::parse("lots"),
            Err(SizeError::Unparsable(_))
        ));
        assert!(matches!(
            SizeSpec::parse("5 GBs"),
            Err(SizeError::Unparsable(_))
        ));
        assert!(matches!(SizeSpec::parse(""), Err(SizeError::Unparsable(_))));
        // No blanks inside a size: LVM refuses `1 GB`.
        assert!(matches!(
            SizeSpec::parse("1 GB"),
            Err(SizeError::Unparsable(_))
        ));
        assert!(matches!(
            SizeSpec::parse("99999999999EB"),
            Err(SizeError::TooLarge(_))
        ));
    }
}
