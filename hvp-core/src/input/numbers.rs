//! Whole numbers written by users (kernel parameters, fragment variables, JSON strings).

/// Why a whole number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Not digits only (`4x`, `-1`, `1.5`, empty).
    #[error("is not a whole number")]
    NotANumber,
    /// Digits only, but above the largest value the setting takes.
    #[error("is too large (at most {max})")]
    TooLarge {
        /// The largest value accepted.
        max: u64,
    },
}

/// Parses digits only (`^[0-9]+$`, no sign, no blanks) up to `max`.
pub fn parse_whole(text: &str, max: u64) -> Result<u64, NumberError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberError::NotANumber);
    }
    match text.parse::<u64>() {
        Ok(value) if value <= max => Ok(value),
        // Digits only, so the only failure left is overflow.
        _ => Err(NumberError::TooLarge { max }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_too_large_from_not_a_number() {
        assert_eq!(parse_whole("20", 100), Ok(20));
        assert_eq!(parse_whole("4x", 100), Err(NumberError::NotANumber));
        assert_eq!(parse_whole("", 100), Err(NumberError::NotANumber));
        assert_eq!(parse_whole("-1", 100), Err(NumberError::NotANumber));
        assert_eq!(
            parse_whole("4294967296", u64::from(u32::MAX)),
            Err(NumberError::TooLarge { max: 4294967295 })
        );
        assert_eq!(
            parse_whole("99999999999999999999999", u64::MAX),
            Err(NumberError::TooLarge { max: u64::MAX })
        );
    }
}
