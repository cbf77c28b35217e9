//! Escaping user text for messages and line-oriented outputs.
//!
//! Control characters (including newlines and ESC) are written as `\n`, `\t`, `\r` or
//! `\u{1b}`, so a value can neither forge a second line of a report nor change a terminal.
//! Printable text, non-ASCII letters included, is kept as it is.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `text` holds a control character (C0, DEL or C1).
pub fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// `text` with every control character escaped; borrowed when there is none.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !has_control(text) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if c.is_control() => {
                // Writing into a String cannot fail.
                let _ = write!(escaped, "\\u{{{:x}}}", u32::from(c));
            }
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// `text` escaped and quoted (`'text'`), for naming a user value in a message.
pub fn quoted(text: &str) -> String {
    format!("'{}'", escape(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_characters_only() {
        assert_eq!(escape("node0.gluster"), "node0.gluster");
        assert!(matches!(escape("sdb"), Cow::Borrowed(_)));
        assert_eq!(escape("sd\u{1b}[31m"), "sd\\u{1b}[31m");
        assert_eq!(escape("a\nb\tc\r\0"), "a\\nb\\tc\\r\\u{0}");
        assert_eq!(escape("\u{85}é"), "\\u{85}é");
        assert_eq!(quoted("x\ny"), "'x\\ny'");
        assert!(!has_control(&escape("\u{7f}\u{9b}")));
    }
}
