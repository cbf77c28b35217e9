//! The invariants every fuzz target checks on what hvp prints.

/// Panics when `text` holds a control character other than a newline: no user text may
/// reach an output or a message raw.
pub fn assert_no_raw_control(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n') {
        panic!("{what} holds the raw control character {:?}:\n{text}", c);
    }
}

/// Panics when a report printed as a header line plus one line per problem has more lines
/// than problems (a value forged a line), or holds a raw control character.
pub fn assert_report_lines(what: &str, text: &str, problems: usize) {
    assert_no_raw_control(what, text);
    let lines = text.lines().count();
    assert_eq!(lines, problems + 1, "{what}: {problems} problems but {lines} lines:\n{text}");
}

/// As [`assert_no_raw_control`], but tabs are allowed too: configuration files (smb.conf,
/// ganesha.conf) are indented with them.
pub fn assert_no_raw_control_but_tabs(what: &str, text: &str) {
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && *c != '\n' && *c != '\t')
    {
        panic!("{what} holds the raw control character {:?}:\n{text}", c);
    }
}
