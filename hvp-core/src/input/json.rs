//! Reading JSON documents so that every error names the place and the fix.
//!
//! * Invalid UTF-8 is reported with the byte offset of the first bad byte and the fix
//!   (save the file as UTF-8).
//! * Syntax errors keep serde_json's line and column.
//! * Shape errors name the field path (`nics[2].max_mtu`, via `serde_path_to_error`) and say
//!   what was expected in words, never with a Rust type name (`u32`, `struct ProbedNic`); a
//!   number that is only too large is told apart from one that is not a whole number.

use super::escape::escape;
use serde::de::DeserializeOwned;
use std::sync::LazyLock;

use regex::Regex;

/// Why a JSON document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonInputError {
    /// The bytes are not UTF-8.
    #[error("is not UTF-8 text: byte {offset} (0x{byte:02x}) is invalid (fix: save the file as UTF-8, for example with iconv -t UTF-8)")]
    Utf8 {
        /// Offset of the first invalid byte.
        offset: usize,
        /// That byte.
        byte: u8,
    },
    /// The text is not JSON.
    #[error("is not valid JSON: {message} at line {line}, column {column}")]
    Syntax {
        /// What is wrong, without Rust type names.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The JSON does not have the expected shape.
    #[error("field {path}: {message}")]
    Shape {
        /// The field path, `.` for the document itself.
        path: String,
        /// What is wrong, without Rust type names.
        message: String,
    },
}

/// Checks that `bytes` are UTF-8 and returns the text.
pub fn utf8(bytes: &[u8]) -> Result<&str, JsonInputError> {
    std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        JsonInputError::Utf8 {
            offset,
            byte: bytes.get(offset).copied().unwrap_or_default(),
        }
    })
}

/// Reads a JSON document of type `T` from `bytes`.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonInputError> {
    let text = utf8(bytes)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        // The path holds the document's keys: escaped like every user text (fuzz finding).
        let path = escape(&error.path().to_string()).into_owned();
        let inner = error.into_inner();
        classify(&inner, path)
    })?;
    deserializer
        .end()
        .map_err(|error| classify(&error, ".".to_owned()))?;
    Ok(value)
}

/// Reads any JSON document as a [`serde_json::Value`]: the errors of [`parse`] (a value has no
/// shape to get wrong, so only UTF-8 and syntax errors occur), without the field-path
/// tracking, which costs more than the parse on large documents.
pub fn parse_value(bytes: &[u8]) -> Result<serde_json::Value, JsonInputError> {
    let text = utf8(bytes)?;
    serde_json::from_str(text).map_err(|error| classify(&error, ".".to_owned()))
}

/// Converts an already parsed JSON value into `T`, with the same error reporting as [`parse`].
pub fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, JsonInputError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        // The path holds the document's keys: escaped like every user text (fuzz finding).
        let path = escape(&error.path().to_string()).into_owned();
        let inner = error.into_inner();
        classify(&inner, path)
    })
}

fn classify(error: &serde_json::Error, path: String) -> JsonInputError {
    let message = plain_words(&strip_position(&error.to_string()));
    if error.is_syntax() || error.is_eof() || error.is_io() {
        JsonInputError::Syntax {
            message,
            line: error.line(),
            column: error.column(),
        }
    } else {
        JsonInputError::Shape { path, message }
    }
}

fn strip_position(message: &str) -> String {
    static POSITION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r" at line \d+ column \d+$").unwrap_or_else(|_| unreachable!())
    });
    POSITION.replace(message, "").into_owned()
}

/// Rewrites serde's Rust vocabulary into words: `expected u32` → `expected a whole number
/// from 0 to 4294967295`, `integer `4294967296`, expected u32` → `4294967296 is too large`.
pub fn plain_words(message: &str) -> String {
    static TOO_LARGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^invalid value: integer `(-?\d+)`, expected (u8|u16|u32|u64|usize|i8|i16|i32|i64|isize)$")
            .unwrap_or_else(|_| unreachable!())
    });
    static UNSIGNED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(u8|u16|u32|u64|usize|i8|i16|i32|i64|isize)\b")
            .unwrap_or_else(|_| unreachable!())
    });
    static STRUCT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(struct|enum|tuple struct) [A-Za-z0-9_]+").unwrap_or_else(|_| unreachable!())
    });
    let message = escape(message);
    if let Some(captures) = TOO_LARGE.captures(&message) {
        let (number, kind) = (&captures[1], &captures[2]);
        let (min, max) = range(kind);
        return if number.starts_with('-') {
            format!("{number} is negative; give a whole number from {min} to {max}")
        } else {
            format!("{number} is too large; give a whole number from {min} to {max}")
        };
    }
    let message = STRUCT.replace_all(&message, "an object");
    let message = UNSIGNED.replace_all(&message, |captures: &regex::Captures| {
        let (min, max) = range(&captures[1]);
        format!("a whole number from {min} to {max}")
    });
    message
        .replace("a sequence", "a list")
        .replace("a map", "an object")
        .replace("floating point", "number")
}

fn range(kind: &str) -> (i128, i128) {
    match kind {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX.into()),
        _ => (0, u64::MAX.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Nic {
        name: String,
        max_mtu: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        nics: Vec<Nic>,
    }

    #[test]
    fn names_the_path_without_rust_types() {
        let error = parse::<Doc>(
            br#"{"nics": [{"name": "eth0"}, {"name": "eth1", "max_mtu": 4294967296}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            error,
            "field nics[1].max_mtu: 4294967296 is too large; give a whole number from 0 to 4294967295"
        );
        let error = parse::<Doc>(br#"{"nics": [1]}"#).unwrap_err().to_string();
        assert!(error.starts_with("field nics[0]: "), "{error}");
        assert!(!error.contains("struct"), "{error}");
        let error = parse::<Doc>(br#"{"nics": [{"name": "a", "max_mtu": 1.5}]}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("a whole number from 0 to 4294967295"),
            "{error}"
        );
        assert!(!error.contains("u32"), "{error}");
    }

    #[test]
    fn reports_the_byte_offset_of_invalid_utf8() {
        let error = parse::<Doc>(b"{\"nics\": [\xff]}").unwrap_err();
        assert_eq!(
            error,
            JsonInputError::Utf8 {
                offset: 10,
                byte: 0xff
            }
        );
        assert!(error.to_string().contains("save the file as UTF-8"));
    }

    #[test]
    fn keeps_line_and_column_of_syntax_errors() {
        let error = parse::<Doc>(b"{\n \"nics\": [}").unwrap_err();
        assert!(
            matches!(error, JsonInputError::Syntax { line: 2, .. }),
            "{error:?}"
        );
        let error = parse::<Doc>(b"{\"nics\": []} x").unwrap_err();
        assert!(matches!(error, JsonInputError::Syntax { .. }), "{error:?}");
    }
}
