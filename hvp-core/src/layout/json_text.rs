//! Pretty JSON with the bytes of `serde_json::to_writer_pretty` (two-space indent, `": "`)
//! plus a final newline, written by a serializer made for large plans: text goes into one
//! buffer flushed every 64 KiB, each line break is one copy, and a string needing no escape
//! (every key, nearly every value) is checked with one branch-free pass and copied whole. A
//! 600-node plan is 27 MB of JSON; serde_json's pretty writer spent three instructions in
//! ten of the whole run on it. Anything but plain strings, integers, booleans and null (floats,
//! escapes, odd map keys) is written by serde_json itself, so its bytes are serde_json's by
//! construction.

use serde::ser::{self, Serialize};
use std::io::{self, Write};

/// Flush the buffer to the writer once it holds this much.
const FLUSH_AT: usize = 1 << 16;

/// Writes `value` as pretty JSON and a newline to `out`: the bytes of
/// `serde_json::to_string_pretty(value)` followed by `\n`.
pub fn write_pretty<T: ?Sized + Serialize>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = Pretty {
        out,
        buffer: Vec::with_capacity(FLUSH_AT + 4096),
        depth: 0,
        breaks: Vec::new(),
    };
    value.serialize(&mut writer).map_err(Error::into_io)?;
    writer.buffer.push(b'\n');
    writer.flush()?;
    writer.out.flush()
}

/// [`write_pretty`] to a string.
pub fn to_pretty_string<T: ?Sized + Serialize>(value: &T) -> String {
    let mut bytes = Vec::new();
    // Writing to memory cannot fail; a value that cannot be serialised gives what was written.
    let _ = write_pretty(value, &mut bytes);
    crate::gdeploy::ini::bytes_to_string(bytes)
}

/// Why the JSON could not be written.
#[derive(Debug, thiserror::Error)]
enum Error {
    /// The writer failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The value cannot be JSON (serde_json's message).
    #[error("{0}")]
    Value(String),
}

impl Error {
    fn into_io(self) -> io::Error {
        match self {
            Error::Io(error) => error,
            Error::Value(message) => io::Error::new(io::ErrorKind::InvalidData, message),
        }
    }
}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Error::Value(message.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Self {
        Error::Value(error.to_string())
    }
}

type Result<T = ()> = std::result::Result<T, Error>;

struct Pretty<'w> {
    out: &'w mut dyn Write,
    buffer: Vec<u8>,
    depth: usize,
    /// Per depth: `,\n` and the indent, so that each line break is one copy.
    breaks: Vec<Vec<u8>>,
}

impl<'w> Pretty<'w> {
    fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buffer)?;
        self.buffer.clear();
        Ok(())
    }

    fn maybe_flush(&mut self) -> Result {
        if self.buffer.len() >= FLUSH_AT {
            self.flush()?;
        }
        Ok(())
    }

    /// `,\n` (`\n` when `first`) and the indent of the current depth.
    fn line_break(&mut self, first: bool) {
        while self.breaks.len() <= self.depth {
            let mut line = b",\n".to_vec();
            line.resize(2 + 2 * self.breaks.len(), b' ');
            self.breaks.push(line);
        }
        let line = &self.breaks[self.depth];
        self.buffer.extend_from_slice(&line[usize::from(first)..]);
    }

    /// A JSON string, escaped as serde_json escapes it.
    fn string(&mut self, text: &str) -> Result {
        let bytes = text.as_bytes();
        if needs_escape(bytes) {
            serde_json::to_writer(&mut self.buffer, text)?;
        } else {
            self.buffer.reserve(bytes.len() + 2);
            self.buffer.push(b'"');
            self.buffer.extend_from_slice(bytes);
            self.buffer.push(b'"');
        }
        self.maybe_flush()
    }

    /// A scalar as serde_json writes it (compact and pretty agree on scalars).
    fn scalar<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        serde_json::to_writer(&mut self.buffer, value)?;
        self.maybe_flush()
    }

    fn integer(&mut self, value: impl itoa_like::Decimal) -> Result {
        value.push_to(&mut self.buffer);
        Ok(())
    }

    fn open(&mut self, bracket: u8) -> Compound<'_, 'w> {
        self.buffer.push(bracket);
        self.depth += 1;
        Compound {
            writer: self,
            first: true,
            close: if bracket == b'{' { b'}' } else { b']' },
            wrapped: false,
        }
    }
}

/// Whether JSON needs an escape in `bytes` (a control character, `"` or `\\`), eight bytes at
/// a time.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Non-zero exactly when some byte of `word` is below `n` (n ≤ 0x80).
    let below = |word: u64, n: u64| word.wrapping_sub(ONES * n) & !word & HIGH;
    let escapes = |chunk: &[u8]| {
        let mut word = [b'a'; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        below(word, 0x20) | below(word ^ (ONES * 0x22), 1) | below(word ^ (ONES * 0x5c), 1) != 0
    };
    let mut chunks = bytes.chunks_exact(8);
    if chunks.any(escapes) {
        return true;
    }
    match bytes.len() {
        // The last, partial word: the final eight bytes again (or the short text, padded).
        0 => false,
        length if length % 8 == 0 => false,
        length if length > 8 => escapes(&bytes[length - 8..]),
        _ => escapes(chunks.remainder()),
    }
}

/// Integers without the formatting machinery.
mod itoa_like {
    /// An integer that can write itself in decimal.
    pub trait Decimal {
        /// Appends the decimal text.
        fn push_to(self, buffer: &mut Vec<u8>);
    }

    /// "00" to "99".
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
                                2021222324252627282930313233343536373839\
                                4041424344454647484950515253545556575859\
                                6061626364656667686970717273747576777879\
                                8081828384858687888990919293949596979899";

    fn unsigned(value: u128, buffer: &mut Vec<u8>) {
        let mut digits = [0u8; 40];
        let mut start = digits.len();
        // Plans hold u64 byte counts: two digits per step, in 64-bit arithmetic.
        let mut small = match u64::try_from(value) {
            Ok(small) => small,
            Err(_) => {
                let mut value = value;
                while value > u128::from(u64::MAX) {
                    start -= 1;
                    digits[start] = b'0' + (value % 10) as u8;
                    value /= 10;
                }
                u64::try_from(value).unwrap_or_default()
            }
        };
        while small >= 100 {
            let pair = (small % 100) as usize * 2;
            small /= 100;
            start -= 2;
            digits[start..start + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
        }
        if small >= 10 {
            let pair = small as usize * 2;
            start -= 2;
            digits[start..start + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
        } else {
            start -= 1;
            digits[start] = b'0' + small as u8;
        }
        buffer.extend_from_slice(&digits[start..]);
    }

    macro_rules! decimal {
        (unsigned: $($t:ty),*; signed: $($s:ty),*) => {
            $(impl Decimal for $t {
                fn push_to(self, buffer: &mut Vec<u8>) {
                    unsigned(u128::from(self), buffer);
                }
            })*
            $(impl Decimal for $s {
                fn push_to(self, buffer: &mut Vec<u8>) {
                    if self < 0 {
                        buffer.push(b'-');
                    }
                    unsigned(i128::from(self).unsigned_abs(), buffer);
                }
            })*
        };
    }

    decimal!(unsigned: u8, u16, u32, u64, u128; signed: i8, i16, i32, i64, i128);
}

/// An array or object being written; `wrapped` closes the `{"Variant": ...}` of an enum
/// variant around it.
struct Compound<'a, 'w> {
    writer: &'a mut Pretty<'w>,
    first: bool,
    close: u8,
    wrapped: bool,
}

impl Compound<'_, '_> {
    fn element(&mut self) {
        self.writer.line_break(self.first);
        self.first = false;
    }

    fn key(&mut self, key: &str) -> Result {
        self.element();
        self.writer.string(key)?;
        self.writer.buffer.extend_from_slice(b": ");
        Ok(())
    }

    fn finish(self) -> Result {
        let writer = self.writer;
        writer.depth -= 1;
        if !self.first {
            writer.line_break(true);
        }
        writer.buffer.push(self.close);
        if self.wrapped {
            writer.depth -= 1;
            writer.line_break(true);
            writer.buffer.push(b'}');
        }
        writer.maybe_flush()
    }
}

impl<'a, 'w> ser::Serializer for &'a mut Pretty<'w> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'w>;
    type SerializeTuple = Compound<'a, 'w>;
    type SerializeTupleStruct = Compound<'a, 'w>;
    type SerializeTupleVariant = Compound<'a, 'w>;
    type SerializeMap = Compound<'a, 'w>;
    type SerializeStruct = Compound<'a, 'w>;
    type SerializeStructVariant = Compound<'a, 'w>;

    fn serialize_bool(self, value: bool) -> Result {
        self.buffer
            .extend_from_slice(if value { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, value: i8) -> Result {
        self.integer(value)
    }
    fn serialize_i16(self, value: i16) -> Result {
        self.integer(value)
    }
    fn serialize_i32(self, value: i32) -> Result {
        self.integer(value)
    }
    fn serialize_i64(self, value: i64) -> Result {
        self.integer(value)
    }
    fn serialize_i128(self, value: i128) -> Result {
        self.integer(value)
    }
    fn serialize_u8(self, value: u8) -> Result {
        self.integer(value)
    }
    fn serialize_u16(self, value: u16) -> Result {
        self.integer(value)
    }
    fn serialize_u32(self, value: u32) -> Result {
        self.integer(value)
    }
    fn serialize_u64(self, value: u64) -> Result {
        self.integer(value)
    }
    fn serialize_u128(self, value: u128) -> Result {
        self.integer(value)
    }
    fn serialize_f32(self, value: f32) -> Result {
        self.scalar(&value)
    }
    fn serialize_f64(self, value: f64) -> Result {
        self.scalar(&value)
    }
    fn serialize_char(self, value: char) -> Result {
        self.string(value.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, value: &str) -> Result {
        self.string(value)
    }
    fn serialize_bytes(self, value: &[u8]) -> Result {
        // serde_json writes bytes as an array of numbers.
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(value.len()))?;
        for byte in value {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.buffer.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        use ser::SerializeMap;
        let mut map = self.serialize_map(Some(1))?;
        map.serialize_entry(variant, value)?;
        map.end()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Ok(self.open(b'['))
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        let mut outer = self.open(b'{');
        outer.key(variant)?;
        let writer = outer.writer;
        let mut inner = writer.open(b'[');
        inner.wrapped = true;
        Ok(inner)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Ok(self.open(b'{'))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeStruct> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        let mut outer = self.open(b'{');
        outer.key(variant)?;
        let writer = outer.writer;
        let mut inner = writer.open(b'{');
        inner.wrapped = true;
        Ok(inner)
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.element();
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result {
        self.element();
        key.serialize(KeyWriter(&mut *self.writer))?;
        self.writer.buffer.extend_from_slice(b": ");
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result {
        self.key(key)?;
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result {
        self.finish()
    }
}

/// A map key: strings as they are, anything else as serde_json writes it as a key (quoted
/// numbers; an error for what JSON keys cannot be).
struct KeyWriter<'a, 'w>(&'a mut Pretty<'w>);

impl KeyWriter<'_, '_> {
    /// serde_json's key for `key`: the one-entry object `{key: null}` minus its braces.
    fn other<T: ?Sized + Serialize>(self, key: &T) -> Result {
        struct One<'k, K: ?Sized>(&'k K);
        impl<K: ?Sized + Serialize> Serialize for One<'_, K> {
            fn serialize<S: ser::Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                use ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(self.0, &())?;
                map.end()
            }
        }
        let text = serde_json::to_vec(&One(key))?;
        // `{` + key + `:null}`
        let key = text
            .get(1..text.len().saturating_sub(6))
            .unwrap_or_default();
        self.0.buffer.extend_from_slice(key);
        Ok(())
    }
}

macro_rules! key_via_serde_json {
    ($($method:ident: $t:ty),*) => {
        $(fn $method(self, value: $t) -> Result {
            self.other(&value)
        })*
    };
}

impl ser::Serializer for KeyWriter<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, value: &str) -> Result {
        self.0.string(value)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result {
        self.0.string(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }
    key_via_serde_json!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char
    );
    fn serialize_bytes(self, value: &[u8]) -> Result {
        self.other(value)
    }
    fn serialize_none(self) -> Result {
        self.other(&None::<()>)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result {
        self.other(&Some(value))
    }
    fn serialize_unit(self) -> Result {
        self.other(&())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.other(&())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result {
        Err(Error::Value("key must be a string".to_owned()))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Error::Value("key must be a string".to_owned()))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(Error::Value("key must be a string".to_owned()))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Error::Value("key must be a string".to_owned()))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Error::Value("key must be a string".to_owned()))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Error::Value("key must be a string".to_owned()))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(Error::Value("key must be a string".to_owned()))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Error::Value("key must be a string".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn expected<T: Serialize>(value: &T) -> String {
        let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
        text.push('\n');
        text
    }

    #[test]
    fn writes_what_serde_json_pretty_writes() {
        let deep = (0..40).fold(json!("leaf \"quoted\"\n\u{1}\u{7f}é"), |inner, level| {
            json!({ format!("k{level}"): [inner, {}, [], level, -level, null, true, 1.5, 1e300] })
        });
        for value in [
            json!({}),
            json!([]),
            json!({"a": {"b": [1, {"c": []}]}, "é\t": "x", "\\": "/"}),
            json!([[[]], {"": ""}, u64::MAX, i64::MIN, 0.1, -0.0, 0, 9, 10, 99, 100, 101]),
            deep,
        ] {
            assert_eq!(to_pretty_string(&value), expected(&value));
        }
    }

    #[test]
    fn integers_and_escapes_match_serde_json() {
        let mut digits = vec![u128::MAX, u128::from(u64::MAX) + 1, 1 << 70];
        let mut power = 1u128;
        while power < u128::from(u64::MAX) {
            digits.extend([power - 1, power, power + 1]);
            power *= 10;
        }
        assert_eq!(to_pretty_string(&digits), expected(&digits));
        let negatives: Vec<i128> = digits
            .iter()
            .map(|&d| -(i128::try_from(d / 2).unwrap_or(i128::MAX)))
            .collect();
        assert_eq!(to_pretty_string(&negatives), expected(&negatives));
        // Every byte in every position of a word and of the remainder.
        for length in 1..=17 {
            for byte in 0u8..=0x7f {
                for position in 0..length {
                    let mut text = "a".repeat(length);
                    text.replace_range(position..=position, &char::from(byte).to_string());
                    assert_eq!(
                        to_pretty_string(&text),
                        expected(&text),
                        "{byte} at {position}"
                    );
                }
            }
        }
        let text = "é\u{80}\u{7ff}\u{ffff}\u{10ffff}\"x";
        assert_eq!(to_pretty_string(&text), expected(&text));
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(u8, &'static str),
        Struct { a: Option<u8>, b: Vec<u8> },
    }

    #[derive(Serialize)]
    struct Holder {
        shapes: Vec<Shape>,
        numbers: BTreeMap<u32, bool>,
        flags: BTreeMap<bool, char>,
        #[serde(flatten)]
        extra: BTreeMap<String, f64>,
        bytes: &'static [u8],
        tuple: (u8, i8),
        unit: (),
    }

    #[test]
    fn enums_maps_and_flattening_match_serde_json() {
        let value = Holder {
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(3),
                Shape::Tuple(1, "x"),
                Shape::Struct {
                    a: None,
                    b: vec![1, 2],
                },
                Shape::Struct {
                    a: Some(0),
                    b: vec![],
                },
            ],
            numbers: [(1, true), (20, false)].into_iter().collect(),
            flags: [(true, 'c')].into_iter().collect(),
            extra: [("z".to_owned(), 2.5), ("q\"".to_owned(), f64::NAN)]
                .into_iter()
                .collect(),
            bytes: b"ab",
            tuple: (1, -1),
            unit: (),
        };
        assert_eq!(to_pretty_string(&value), expected(&value));
    }

    #[test]
    fn what_serde_json_refuses_is_refused() {
        let mut map = BTreeMap::new();
        map.insert(vec![1u8], 1u8);
        assert!(write_pretty(&map, &mut Vec::new()).is_err());
        assert!(serde_json::to_string_pretty(&map).is_err());
    }
}
