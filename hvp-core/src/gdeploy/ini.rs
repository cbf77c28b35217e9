//! The gDeploy INI file as data: sections of ordered entries, a writer, and a parser that
//! reads a file the way gDeploy does (Python 2 `ConfigParser`, values without keys allowed,
//! case kept), without merging duplicates, so that comparisons see everything.

use std::borrow::Cow;
use std::io::{self, Write};

/// Text of an entry: fixed keys and values, and those taken from a plan, are borrowed (a
/// 600-node document has hundreds of thousands of entries), generated ones owned.
pub type IniText<'a> = Cow<'a, str>;

/// One `key=value` entry, or a bare line (`key` without value) such as a host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniEntry<'a> {
    /// The key, or the whole bare line.
    pub key: IniText<'a>,
    /// The value; `None` for a bare line.
    pub value: Option<IniText<'a>>,
}

impl<'a> IniEntry<'a> {
    /// A `key=value` entry.
    pub fn pair(key: impl Into<IniText<'a>>, value: impl Into<IniText<'a>>) -> Self {
        Self {
            key: key.into(),
            value: Some(value.into()),
        }
    }

    /// A bare line.
    pub fn bare(line: impl Into<IniText<'a>>) -> Self {
        Self {
            key: line.into(),
            value: None,
        }
    }
}

/// One `[section]` with its entries and the comment lines written above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniSection<'a> {
    /// The name between the brackets.
    pub name: String,
    /// Comment lines (without `# `) written before the section header.
    pub comments: Vec<String>,
    /// Entries in order.
    pub entries: Vec<IniEntry<'a>>,
}

impl<'a> IniSection<'a> {
    /// An empty section.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            comments: Vec::new(),
            entries: Vec::with_capacity(8),
        }
    }

    /// Adds a `key=value` entry.
    pub fn pair(mut self, key: &'static str, value: impl Into<IniText<'a>>) -> Self {
        self.entries.push(IniEntry::pair(key, value));
        self
    }

    /// Adds a bare line.
    pub fn bare(mut self, line: impl Into<IniText<'a>>) -> Self {
        self.entries.push(IniEntry::bare(line));
        self
    }

    /// Adds a comment line above the section header.
    pub fn comment(mut self, line: impl Into<String>) -> Self {
        self.comments.push(line.into());
        self
    }

    /// The value of the first entry with this key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|entry| entry.key == key)
            .and_then(|entry| entry.value.as_deref())
    }
}

/// A whole INI document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IniDocument<'a> {
    /// Comment lines (without `# `) at the top of the file.
    pub header: Vec<String>,
    /// Sections in order.
    pub sections: Vec<IniSection<'a>>,
}

impl<'a> IniDocument<'a> {
    /// The first section with this name.
    pub fn section(&self, name: &str) -> Option<&IniSection<'a>> {
        self.sections.iter().find(|section| section.name == name)
    }

    /// Writes the document: comments start in the first column, entries are never indented,
    /// so gDeploy reads exactly the entries given.
    pub fn render(&self) -> String {
        let mut writer = IniWriter::new(Vec::new());
        // Writing to memory cannot fail.
        let _ = writer.header(&self.header);
        for section in &self.sections {
            let _ = writer.section(section);
        }
        bytes_to_string(writer.into_inner().unwrap_or_default())
    }

    /// Parses INI text as gDeploy's `ConfigParser` does, keeping duplicates.
    pub fn parse(text: &str) -> Result<IniDocument<'static>, IniParseError> {
        let mut document = IniDocument::default();
        for (index, raw) in text.lines().enumerate() {
            let line_number = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty()
                || raw.starts_with('#')
                || raw.starts_with(';')
                || trimmed.starts_with('#')
                || trimmed.starts_with(';')
            {
                continue;
            }
            if raw.starts_with([' ', '\t']) {
                let entry = document
                    .sections
                    .last_mut()
                    .and_then(|section| section.entries.last_mut())
                    .ok_or(IniParseError::ContinuationWithoutEntry { line_number })?;
                let value = entry.value.get_or_insert_with(IniText::default).to_mut();
                value.push('\n');
                value.push_str(trimmed);
                continue;
            }
            if let Some(name) = trimmed
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
            {
                document.sections.push(IniSection::new(name));
                continue;
            }
            let section = document
                .sections
                .last_mut()
                .ok_or(IniParseError::EntryBeforeSection { line_number })?;
            let entry = match trimmed.find(['=', ':']) {
                Some(0) => return Err(IniParseError::EmptyKey { line_number }),
                Some(position) => IniEntry::pair(
                    trimmed[..position].trim().to_owned(),
                    trimmed[position + 1..].trim().to_owned(),
                ),
                None => IniEntry::bare(trimmed.to_owned()),
            };
            section.entries.push(entry);
        }
        Ok(document)
    }
}

/// Writes an INI document piece by piece (header, then one section at a time), so that a
/// large document need not be held whole: the bytes of [`IniDocument::render`]. The text
/// goes through a buffer handed to `out` every 64 KiB; [`IniWriter::finish`] writes the rest.
#[derive(Debug)]
pub struct IniWriter<W: Write> {
    out: W,
    /// Text not yet handed to `out`.
    buffer: Vec<u8>,
    /// Whether anything was written yet (sections after the first get a blank line before).
    written: bool,
}

/// Hand the buffer to the writer once it holds this much.
const FLUSH_AT: usize = 1 << 16;

impl<W: Write> IniWriter<W> {
    /// A writer to `out`.
    pub fn new(out: W) -> Self {
        Self {
            out,
            buffer: Vec::with_capacity(FLUSH_AT + 4096),
            written: false,
        }
    }

    /// Writes comment lines (without `# `) at the top of the file.
    pub fn header(&mut self, lines: &[String]) -> io::Result<()> {
        for line in lines {
            self.comment(line);
        }
        self.flush_full()
    }

    /// Writes one section with its comments.
    pub fn section(&mut self, section: &IniSection<'_>) -> io::Result<()> {
        if self.written {
            self.buffer.push(b'\n');
        }
        for line in &section.comments {
            self.comment(line);
        }
        self.written = true;
        self.extend(&[b"[", section.name.as_bytes(), b"]\n"]);
        for entry in &section.entries {
            match &entry.value {
                Some(value) => {
                    self.extend(&[entry.key.as_bytes(), b"="]);
                    // A value of several lines (as ConfigParser reads continuation lines) is
                    // written back with its later lines indented, so that it reads back as
                    // the same value and never as new entries or sections.
                    if value.as_bytes().contains(&b'\n') {
                        let mut lines = value.split('\n');
                        if let Some(first) = lines.next() {
                            self.buffer.extend_from_slice(first.as_bytes());
                        }
                        for line in lines {
                            self.extend(&[b"\n\t", line.as_bytes()]);
                        }
                        self.buffer.push(b'\n');
                    } else {
                        self.extend(&[value.as_bytes(), b"\n"]);
                    }
                }
                None => self.extend(&[entry.key.as_bytes(), b"\n"]),
            }
        }
        self.flush_full()
    }

    /// Writes what is still buffered to the writer underneath (and flushes it).
    pub fn finish(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buffer)?;
        self.buffer.clear();
        self.out.flush()
    }

    /// The writer underneath, with everything written to it.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.finish()?;
        Ok(self.out)
    }

    fn comment(&mut self, line: &str) {
        self.written = true;
        if line.is_empty() {
            self.buffer.extend_from_slice(b"#\n");
        } else {
            self.extend(&[b"# ", line.as_bytes(), b"\n"]);
        }
    }

    fn extend(&mut self, pieces: &[&[u8]]) {
        for piece in pieces {
            self.buffer.extend_from_slice(piece);
        }
    }

    /// Hands the buffer to the writer once it is full.
    fn flush_full(&mut self) -> io::Result<()> {
        if self.buffer.len() >= FLUSH_AT {
            self.out.write_all(&self.buffer)?;
            self.buffer.clear();
        }
        Ok(())
    }
}

/// Text written from `&str` pieces only (always UTF-8).
pub(crate) fn bytes_to_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// Why INI text could not be read (gDeploy would refuse the whole file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IniParseError {
    /// An entry before the first `[section]`.
    #[error("line {line_number}: entry before the first [section]")]
    EntryBeforeSection {
        /// 1-based line number.
        line_number: usize,
    },
    /// A line starting with `=` or `:`.
    #[error("line {line_number}: entry without a key")]
    EmptyKey {
        /// 1-based line number.
        line_number: usize,
    },
    /// An indented line with no entry to continue.
    #[error("line {line_number}: indented continuation line without an entry before it")]
    ContinuationWithoutEntry {
        /// 1-based line number.
        line_number: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_sections_pairs_and_bare_lines() {
        let document = IniDocument {
            header: vec!["generated".into()],
            sections: vec![
                IniSection::new("hosts").bare("node0").bare("node1"),
                IniSection::new("lv01:node0")
                    .comment("a thin LV")
                    .pair("action", "create")
                    .pair("extent", "90%FREE"),
            ],
        };
        let parsed = IniDocument::parse(&document.render()).unwrap();
        assert_eq!(parsed.sections, {
            let mut sections = document.sections.clone();
            sections[1].comments.clear();
            sections
        });
    }

    #[test]
    fn reads_like_configparser() {
        let text = "# c\n[a]\nkey: v : w\n  more\n; x\nbare line\n";
        let parsed = IniDocument::parse(text).unwrap();
        let section = &parsed.sections[0];
        assert_eq!(section.entries[0], IniEntry::pair("key", "v : w\nmore"));
        assert_eq!(section.entries[1], IniEntry::bare("bare line"));
    }

    #[test]
    fn refuses_what_gdeploy_refuses() {
        assert_eq!(
            IniDocument::parse("x=1\n[a]\n"),
            Err(IniParseError::EntryBeforeSection { line_number: 1 })
        );
        assert_eq!(
            IniDocument::parse("[a]\n=1\n"),
            Err(IniParseError::EmptyKey { line_number: 2 })
        );
    }
}
