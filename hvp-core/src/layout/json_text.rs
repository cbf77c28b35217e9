//! Pretty JSON as `serde_json::to_writer_pretty` writes it (two-space indent, `": "`), plus a
//! final newline, with fewer and larger writes: the newline and indent before a key or an
//! array element go out as one slice, and so do a key's quotes and its `": "`. A 600-node plan
//! is 27 MB of JSON; serde_json's own pretty formatter writes its indent two spaces at a time.

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// A `serde_json` formatter whose bytes are `serde_json::ser::PrettyFormatter`'s.
#[derive(Debug, Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
    /// Between `begin_object_key` and `end_object_key`: the key's opening quote is already
    /// written, its closing quote goes out with `": "`.
    in_key: bool,
    /// Per depth: `,\n`, the indent and a quote, so that each line break is one write.
    breaks: Vec<Vec<u8>>,
}

impl Pretty {
    /// `,\n` (`\n` when `first`), the indent, and the opening quote of a key when `quote`.
    fn line_break<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
        quote: bool,
    ) -> io::Result<()> {
        while self.breaks.len() <= self.depth {
            let mut line = b",\n".to_vec();
            line.resize(2 + 2 * self.breaks.len(), b' ');
            line.push(b'"');
            self.breaks.push(line);
        }
        let line = &self.breaks[self.depth];
        let end = line.len() - usize::from(!quote);
        writer.write_all(&line[usize::from(first)..end])
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line_break(writer, true, false)?;
        }
        writer.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line_break(writer, first, false)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line_break(writer, true, false)?;
        }
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.in_key = true;
        self.line_break(writer, first, true)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.in_key = false;
        Ok(())
    }

    fn begin_string<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        if self.in_key {
            Ok(())
        } else {
            writer.write_all(b"\"")
        }
    }

    fn end_string<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(if self.in_key { b"\": " } else { b"\"" })
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        // `": "` went out with the key's closing quote.
        Ok(())
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` as pretty JSON and a newline to `out` through a 64 KiB buffer: the bytes of
/// `serde_json::to_string_pretty(value)` followed by `\n`.
pub fn write_pretty<T: ?Sized + Serialize>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffered, Pretty::default());
    value.serialize(&mut serializer).map_err(io::Error::from)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// [`write_pretty`] to a string.
pub fn to_pretty_string<T: ?Sized + Serialize>(value: &T) -> String {
    let mut bytes = Vec::new();
    // Writing to memory cannot fail; a value that cannot be serialised gives what was written.
    let _ = write_pretty(value, &mut bytes);
    crate::gdeploy::ini::bytes_to_string(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_what_serde_json_pretty_writes() {
        let deep = (0..40).fold(
            json!("leaf \"quoted\"\n\u{1}"),
            |inner, level| json!({ format!("k{level}"): [inner, {}, [], level, null, true, 1.5] }),
        );
        for value in [
            json!({}),
            json!([]),
            json!({"a": {"b": [1, {"c": []}]}, "é\t": "x"}),
            json!([[[]], {"": ""}]),
            deep,
        ] {
            let mut expected = serde_json::to_string_pretty(&value).unwrap_or_default();
            expected.push('\n');
            assert_eq!(to_pretty_string(&value), expected);
        }
    }
}
