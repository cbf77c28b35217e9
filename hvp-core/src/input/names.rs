//! One validator per kind of name, used by every input path that takes one.
//!
//! Every kind refuses control characters, blanks and the characters that would change the
//! meaning of the outputs the name is written into (INI sections and lists, kickstart options,
//! shell fragments, paths). A refused name is reported with [`NameError`], whose text names
//! the rule and gives an example; the name itself is escaped.

use super::escape::quoted;
use std::fmt;

/// The kinds of names hvp reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// A network interface (`eth0`, `enp3s0f1`, `bond0.100`): 1 to 15 bytes (the kernel's
    /// `IFNAMSIZ`), letters, digits, `.`, `_`, `-`, `@`, `+`; not `.` or `..`.
    NetDevice,
    /// A block device as sysfs names it, without `/dev/` (`sdb`, `nvme0n1`, `cciss!c0d0`):
    /// 1 to 31 bytes, letters, digits, `.`, `_`, `-`, `+`, `!`; not `.` or `..`.
    BlockDevice,
    /// A host or domain name (`node0.gluster.private`, `172.20.10.10`): dot-separated labels
    /// of 1 to 63 letters, digits, `-` or `_`, 253 bytes at most.
    HostName,
    /// One label of a host name (`node-4`): 1 to 63 letters, digits or `-`.
    HostLabel,
    /// An LVM volume group or logical volume name: 1 to 127 letters, digits, `+`, `_`, `.`,
    /// `-`; not starting with `-`; not `.` or `..`.
    LvmName,
    /// A Gluster volume name: 1 to 64 letters, digits, `-` or `_`.
    GlusterVolume,
    /// A file name (one path component): 1 to 255 bytes, no `/`, no control character; not
    /// `.` or `..`.
    FileName,
}

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} is not a valid {}: {fault}", quoted(.name), .kind.what())]
pub struct NameError {
    /// The kind of name expected.
    pub kind: NameKind,
    /// The name as given.
    pub name: String,
    /// What is wrong with it.
    pub fault: NameFault,
}

impl NameError {
    /// How to fix the name: the rule and an example.
    pub fn fix(&self) -> String {
        format!(
            "use {}, for example {}",
            self.kind.rule(),
            self.kind.example()
        )
    }
}

/// What is wrong with a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameFault {
    /// The name is empty.
    Empty,
    /// Longer than the kind allows (bytes).
    TooLong {
        /// Its length in bytes.
        length: usize,
        /// The longest accepted.
        max: usize,
    },
    /// It contains a character the kind does not allow.
    Character(char),
    /// `.` or `..`, or a form the kind reserves (a leading `-`, an empty label).
    Form(&'static str),
}

impl fmt::Display for NameFault {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameFault::Empty => formatter.write_str("it is empty"),
            NameFault::TooLong { length, max } => {
                write!(
                    formatter,
                    "it is {length} bytes long, at most {max} are allowed"
                )
            }
            NameFault::Character(' ') => formatter.write_str("it contains a blank"),
            NameFault::Character(c) if c.is_control() || c.is_whitespace() => {
                write!(
                    formatter,
                    "it contains the character {}",
                    c.escape_unicode()
                )
            }
            NameFault::Character(c) => write!(formatter, "it contains the character '{c}'"),
            NameFault::Form(form) => formatter.write_str(form),
        }
    }
}

impl NameKind {
    /// What the name is, for messages (`network interface name`).
    pub fn what(self) -> &'static str {
        match self {
            NameKind::NetDevice => "network interface name",
            NameKind::BlockDevice => "kernel disk name",
            NameKind::HostName => "host name",
            NameKind::HostLabel => "node name",
            NameKind::LvmName => "LVM name",
            NameKind::GlusterVolume => "Gluster volume name",
            NameKind::FileName => "file name",
        }
    }

    /// The rule, for fixes.
    pub fn rule(self) -> &'static str {
        match self {
            NameKind::NetDevice => "1 to 15 letters, digits, '.', '_', '-', '@' or '+'",
            NameKind::BlockDevice => {
                "the kernel name without /dev/: 1 to 31 letters, digits, '.', '_', '-', '+' or '!'"
            }
            NameKind::HostName => {
                "dot-separated labels of letters, digits, '-' or '_' (253 characters at most)"
            }
            NameKind::HostLabel => "1 to 63 letters, digits or '-'",
            NameKind::LvmName => {
                "1 to 127 letters, digits, '+', '_', '.' or '-', not starting with '-'"
            }
            NameKind::GlusterVolume => "1 to 64 letters, digits, '-' or '_'",
            NameKind::FileName => "1 to 255 bytes without '/' or control characters",
        }
    }

    /// An example of a valid name.
    pub fn example(self) -> &'static str {
        match self {
            NameKind::NetDevice => "'eth0'",
            NameKind::BlockDevice => "'sdb' or 'nvme0n1'",
            NameKind::HostName => "'node0.gluster.private'",
            NameKind::HostLabel => "'node-4'",
            NameKind::LvmName => "'gluster_vg_sdb'",
            NameKind::GlusterVolume => "'vmstore'",
            NameKind::FileName => "'hvp_parameters.sh'",
        }
    }

    fn max_len(self) -> usize {
        match self {
            NameKind::NetDevice => 15,
            NameKind::BlockDevice => 31,
            NameKind::HostName => 253,
            NameKind::HostLabel => 63,
            NameKind::LvmName => 127,
            NameKind::GlusterVolume => 64,
            NameKind::FileName => 255,
        }
    }

    fn allows(self, c: char) -> bool {
        let common = c.is_ascii_alphanumeric() || c == '-';
        match self {
            NameKind::NetDevice => common || matches!(c, '.' | '_' | '@' | '+'),
            NameKind::BlockDevice => common || matches!(c, '.' | '_' | '+' | '!'),
            NameKind::HostName => common || matches!(c, '.' | '_'),
            NameKind::HostLabel => common,
            NameKind::LvmName => common || matches!(c, '+' | '_' | '.'),
            NameKind::GlusterVolume => common || c == '_',
            NameKind::FileName => c != '/' && !c.is_control(),
        }
    }

    /// Checks `name` against the rule of this kind.
    pub fn check(self, name: &str) -> Result<(), NameError> {
        self.fault(name).map_or(Ok(()), |fault| {
            Err(NameError {
                kind: self,
                name: name.to_owned(),
                fault,
            })
        })
    }

    /// Whether `name` is valid for this kind.
    pub fn is_valid(self, name: &str) -> bool {
        self.fault(name).is_none()
    }

    fn fault(self, name: &str) -> Option<NameFault> {
        if name.is_empty() {
            return Some(NameFault::Empty);
        }
        if let Some(c) = name.chars().find(|c| !self.allows(*c)) {
            return Some(NameFault::Character(c));
        }
        if name.len() > self.max_len() {
            return Some(NameFault::TooLong {
                length: name.len(),
                max: self.max_len(),
            });
        }
        if name == "." || name == ".." {
            return Some(NameFault::Form("'.' and '..' name directories"));
        }
        match self {
            NameKind::LvmName if name.starts_with('-') => {
                Some(NameFault::Form("it starts with '-'"))
            }
            NameKind::HostName => {
                if name.split('.').any(str::is_empty) {
                    Some(NameFault::Form(
                        "it has an empty label (two dots, or a dot at an end)",
                    ))
                } else if name.split('.').any(|label| label.len() > 63) {
                    Some(NameFault::Form("a label is longer than 63 characters"))
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_names() {
        for (kind, name) in [
            (NameKind::NetDevice, "eth0"),
            (NameKind::NetDevice, "enp3s0f1"),
            (NameKind::NetDevice, "bond0.100"),
            (NameKind::BlockDevice, "nvme0n1"),
            (NameKind::BlockDevice, "cciss!c0d0"),
            (NameKind::BlockDevice, "dm-0"),
            (NameKind::HostName, "node0.gluster.private"),
            (NameKind::HostName, "172.20.10.10"),
            (NameKind::HostLabel, "node-4"),
            (NameKind::LvmName, "gluster_vg_sdb"),
            (NameKind::GlusterVolume, "vmstore"),
            (NameKind::FileName, "hvp_parameters.sh"),
        ] {
            assert!(kind.check(name).is_ok(), "{kind:?} {name}");
        }
    }

    #[test]
    fn refuses_control_characters_and_separators_in_every_kind() {
        let kinds = [
            NameKind::NetDevice,
            NameKind::BlockDevice,
            NameKind::HostName,
            NameKind::HostLabel,
            NameKind::LvmName,
            NameKind::GlusterVolume,
            NameKind::FileName,
        ];
        for kind in kinds {
            for name in ["", "a\u{1b}[31m", "a\0", "a\nb", "a/b", ".", ".."] {
                assert!(kind.check(name).is_err(), "{kind:?} accepted {name:?}");
            }
            let error = kind.check("x\ny").unwrap_err().to_string();
            assert!(!error.contains('\n'), "{error}");
        }
        for kind in &kinds[..kinds.len() - 1] {
            for name in ["a b", "a,b", "a=b", "a[b", "a;b", "a:b"] {
                assert!(kind.check(name).is_err(), "{kind:?} accepted {name:?}");
            }
        }
    }

    #[test]
    fn enforces_lengths_and_forms() {
        assert!(NameKind::NetDevice.check("abcdefghijklmno").is_ok());
        let error = NameKind::NetDevice.check("abcdefghijklmnop").unwrap_err();
        assert_eq!(
            error.fault,
            NameFault::TooLong {
                length: 16,
                max: 15
            }
        );
        assert!(NameKind::HostName.check("a..b").is_err());
        assert!(NameKind::HostName.check(&"a".repeat(64)).is_err());
        assert!(NameKind::LvmName.check("-vg").is_err());
        assert!(NameKind::FileName.check(&"f".repeat(255)).is_ok());
        assert!(NameKind::FileName.check(&"f".repeat(256)).is_err());
        let error = NameKind::BlockDevice.check("sd b").unwrap_err();
        assert_eq!(
            error.to_string(),
            "'sd b' is not a valid kernel disk name: it contains a blank"
        );
    }
}
