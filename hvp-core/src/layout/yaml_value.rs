//! The YAML values of the gluster-ansible inventory, and a writer for the plain shapes most
//! of it has (block mappings and sequences of names, paths, sizes, numbers and booleans):
//! the bytes serde_yaml_ng (libyaml) writes for them, without libyaml's events and analysis
//! of every scalar (600 hosts make about a million scalars). A value of any other shape, or a
//! scalar that YAML could read as something else or that libyaml might quote, is not written
//! ([`write_entry`] says so) and is left to serde_yaml_ng.

use serde::ser::SerializeMap;
use serde::Serialize;
use std::borrow::Cow;

/// A YAML value of the inventory, borrowing the plan's text: it makes the serde calls a
/// `serde_yaml_ng::Value` of the same shape makes (a mapping with its length, a sequence, a
/// string, a `u64`, a boolean), so the bytes are the same, without a hashed `Mapping` and an
/// owned string per scalar.
#[derive(Debug)]
pub(crate) enum Value<'a> {
    /// A mapping with static keys, in order.
    Map(Vec<(&'static str, Value<'a>)>),
    /// A sequence.
    List(Vec<Value<'a>>),
    /// A string.
    Text(Cow<'a, str>),
    /// An unsigned number.
    Number(u64),
    /// A boolean.
    Bool(bool),
}

impl Serialize for Value<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Map(pairs) => {
                let mut map = serializer.serialize_map(Some(pairs.len()))?;
                for (key, value) in pairs {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            Value::List(items) => items.serialize(serializer),
            Value::Text(text) => serializer.serialize_str(text),
            Value::Number(number) => serializer.serialize_u64(*number),
            Value::Bool(flag) => serializer.serialize_bool(*flag),
        }
    }
}

/// Writes `key: value` as an entry of a block mapping whose keys start `indent` spaces in,
/// with the bytes serde_yaml_ng writes there, and returns true; returns false, having written
/// nothing, when the entry has a shape or a scalar this writer does not know for certain.
pub(crate) fn write_entry(out: &mut Vec<u8>, indent: usize, key: &str, value: &Value) -> bool {
    if !(plain_key(key) && entry_known(value)) {
        return false;
    }
    entry(out, indent, key, value);
    true
}

/// Whether libyaml writes `key` as a plain simple key (one word).
fn plain_key(key: &str) -> bool {
    key.len() <= 128 && plain(key) && !key.bytes().any(|byte| byte == b' ' || byte == b':')
}

/// Byte classes of [`plain`]: a byte plain text may hold, one a number may hold, and any
/// byte but `:`.
const PLAIN: u8 = 1;
const IN_NUMBER: u8 = 2;
const NOT_COLON: u8 = 4;

/// The classes of every byte, so that [`plain`] looks each byte up once.
const CLASSES: [u8; 256] = {
    let mut classes = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        let mut class = 0;
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b',' | b'-' | b':' | b' ')
        {
            class |= PLAIN;
        }
        if b.is_ascii_hexdigit()
            || matches!(b, b'x' | b'X' | b'o' | b'O' | b'.' | b'+' | b'-' | b'_')
        {
            class |= IN_NUMBER;
        }
        if b != b':' {
            class |= NOT_COLON;
        }
        classes[byte] = class;
        byte += 1;
    }
    classes
};

/// Whether serde_yaml_ng leaves `text` untagged and unquoted and libyaml writes it plain, as
/// it is, in block context (serde_yaml_ng sets no line width): ASCII letters, digits, spaces
/// and `_ . / , - :` only; no space first or last, no `:` before a space or at the end;
/// starting with a letter (not a null or boolean word) or `/`, or with a digit when some
/// character cannot be in a number (`4096M`, `2049/tcp`). Each byte is looked up once (a
/// 600-host inventory has about half a million scalars and keys).
fn plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    let all = bytes
        .iter()
        .fold(PLAIN | IN_NUMBER | NOT_COLON, |all, &byte| {
            all & CLASSES[usize::from(byte)]
        });
    if all & PLAIN == 0
        || first == b' '
        || last == b' '
        || last == b':'
        || (all & NOT_COLON == 0 && bytes.windows(2).any(|pair| pair == b": "))
    {
        return false;
    }
    if first.is_ascii_alphabetic() {
        return !matches!(
            text,
            "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        );
    }
    if first == b'/' {
        return true;
    }
    // Not a decimal, hexadecimal, octal or binary integer, nor a float.
    first.is_ascii_digit() && all & IN_NUMBER == 0
}

fn scalar_known(value: &Value) -> bool {
    match value {
        Value::Text(text) => plain(text),
        Value::Number(_) | Value::Bool(_) => true,
        Value::Map(_) | Value::List(_) => false,
    }
}

/// The shapes written: a scalar, an empty or nested mapping, a sequence of scalars and of
/// mappings of scalars.
fn entry_known(value: &Value) -> bool {
    match value {
        Value::Map(pairs) => pairs
            .iter()
            .all(|(key, value)| plain_key(key) && entry_known(value)),
        Value::List(items) => items.iter().all(|item| match item {
            Value::Map(pairs) => pairs
                .iter()
                .all(|(key, value)| plain_key(key) && scalar_known(value)),
            other => scalar_known(other),
        }),
        other => scalar_known(other),
    }
}

fn spaces(out: &mut Vec<u8>, count: usize) {
    out.resize(out.len() + count, b' ');
}

fn scalar(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Text(text) => out.extend_from_slice(text.as_bytes()),
        Value::Number(number) => {
            out.extend_from_slice(itoa::Buffer::new().format(*number).as_bytes())
        }
        Value::Bool(flag) => out.extend_from_slice(if *flag { b"true" } else { b"false" }),
        // Not reached: `entry_known` admits only scalars here.
        Value::Map(_) | Value::List(_) => {}
    }
}

fn entry(out: &mut Vec<u8>, indent: usize, key: &str, value: &Value) {
    spaces(out, indent);
    out.extend_from_slice(key.as_bytes());
    out.push(b':');
    match value {
        Value::Map(pairs) if pairs.is_empty() => out.extend_from_slice(b" {}\n"),
        Value::Map(pairs) => {
            out.push(b'\n');
            for (key, value) in pairs {
                entry(out, indent + 2, key, value);
            }
        }
        Value::List(items) if items.is_empty() => out.extend_from_slice(b" []\n"),
        Value::List(items) => {
            out.push(b'\n');
            // A sequence in a mapping is not indented further ("indentless").
            for item in items {
                spaces(out, indent);
                out.extend_from_slice(b"- ");
                match item {
                    Value::Map(pairs) if pairs.is_empty() => out.extend_from_slice(b"{}\n"),
                    Value::Map(pairs) => {
                        for (position, (key, value)) in pairs.iter().enumerate() {
                            if position > 0 {
                                spaces(out, indent + 2);
                            }
                            out.extend_from_slice(key.as_bytes());
                            out.extend_from_slice(b": ");
                            scalar(out, value);
                            out.push(b'\n');
                        }
                    }
                    other => {
                        scalar(out, other);
                        out.push(b'\n');
                    }
                }
            }
        }
        other => {
            out.push(b' ');
            scalar(out, other);
            out.push(b'\n');
        }
    }
}

/// `{key: value}`: a one-entry mapping as serde calls see it, without building a map.
pub(crate) struct One<'a, T: Serialize>(pub &'a str, pub &'a T);

impl<T: Serialize> Serialize for One<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, self.1)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Value<'_> {
        Value::Text(value.into())
    }

    /// What serde_yaml_ng writes for `key: value` under `outer:`, without that first line.
    fn by_serde_yaml(key: &str, value: &Value) -> String {
        let text = serde_yaml_ng::to_string(&One("outer", &One(key, value))).unwrap_or_default();
        text.split_once('\n')
            .map(|(_, rest)| rest.to_owned())
            .unwrap_or_default()
    }

    fn by_writer(key: &str, value: &Value) -> Option<String> {
        let mut out = Vec::new();
        write_entry(&mut out, 2, key, value).then(|| String::from_utf8(out).unwrap_or_default())
    }

    #[test]
    fn plain_shapes_have_serde_yaml_bytes() {
        let value = Value::Map(vec![
            ("names", Value::List(vec![text("sdb"), text("nvme0n1")])),
            ("empty", Value::List(Vec::new())),
            ("nothing", Value::Map(Vec::new())),
            (
                "groups",
                Value::List(vec![
                    Value::Map(vec![
                        ("vgname", text("gluster_vg_sdb")),
                        ("pvname", text("/dev/sdb,/dev/sdc")),
                        ("size", text("4096M")),
                        ("bytes", Value::Number(1 << 40)),
                        ("on", Value::Bool(true)),
                    ]),
                    Value::Map(Vec::new()),
                ]),
            ),
            ("level", text("RAID6")),
            ("count", Value::Number(0)),
            ("flag", Value::Bool(false)),
            (
                "inner",
                Value::Map(vec![("path", text("/gluster_bricks/a/b1"))]),
            ),
        ]);
        let written = by_writer("node0.gluster.private", &value);
        assert_eq!(
            written.as_deref(),
            Some(by_serde_yaml("node0.gluster.private", &value).as_str())
        );
    }

    #[test]
    fn other_scalars_and_shapes_are_left_to_serde_yaml() {
        for odd in [
            "", "true", "False", "null", "~", "123", "0x1F", "1e5", "1.5", "0755", "-x", " a",
            "a ", "a: b", "#x", "x#", "é", "1E+5", ".inf", "-", "a\nb", "'q'", "*x", "a:", "0b101",
            "0o17", "1_000", "a #b", "{{ x }}", "[a]",
        ] {
            assert_eq!(by_writer("key", &text(odd)), None, "{odd:?}");
        }
        let long = "n".repeat(129);
        assert_eq!(by_writer(&long, &text("x")), None);
        let nested = Value::List(vec![Value::List(vec![text("x")])]);
        assert_eq!(by_writer("key", &nested), None);
        let deep = Value::List(vec![Value::Map(vec![("a", Value::List(Vec::new()))])]);
        assert_eq!(by_writer("key", &deep), None);
    }

    #[test]
    fn plain_scalars_are_plain_in_serde_yaml() {
        for name in [
            "sdb",
            "RAID6",
            "/dev/sdb",
            "4096M",
            "11178G",
            "gluster_lv_vmstore_b12",
            "node-1.example.org",
            "a,b",
            "/dev/disk/by-id/wwn-0x5000c5",
            "writethrough",
            "M",
            "yes",
            "on",
            "n",
            "0M",
        ] {
            assert_eq!(
                by_writer("key", &text(name)),
                Some(by_serde_yaml("key", &text(name))),
                "{name:?}"
            );
        }
    }

    proptest::proptest! {
        /// Whatever the writer writes, serde_yaml_ng writes the same way; scalars of the
        /// plain alphabet with the characters around its rules (`: `, leading digits, words
        /// YAML reads as null or booleans).
        #[test]
        fn written_scalars_match_serde_yaml(
            value in "([a-z]|[A-Z]|[0-9]|[_./,-]|: |:| |true|null|0x|e5|#|é|'){0,8}",
        ) {
            if let Some(written) = by_writer("key", &text(&value)) {
                proptest::prop_assert_eq!(written, by_serde_yaml("key", &text(&value)));
            }
        }
    }
}
