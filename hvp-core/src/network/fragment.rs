//! Parameter fragments (`hvp_parameters*.sh`) read as data: shell assignments, never executed.
//!
//! Understood lines: `name=value`, `name[key]=value`, `name=( a b c )`,
//! `name=( [k]=v ... )`, `export`/`declare` prefixes, `unset name` and `unset name[key]`,
//! comments and blank lines. Values may be bare, `'single'` or `"double"` quoted. Anything
//! else (commands, `$expansions`, control flow) is reported by line and ignored.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;

/// A shell variable's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShellValue {
    /// A plain string.
    Scalar(String),
    /// An indexed or associative array, by key (a map: setting and unsetting an element
    /// costs a lookup, so reading a fragment stays near-linear in its size).
    Array(ArrayItems),
}

/// The variables left after reading the fragments in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellVars {
    vars: BTreeMap<String, ShellValue>,
}

/// A fragment line that was not understood and so had no effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredLine {
    /// The fragment's name.
    pub fragment: String,
    /// 1-based line number.
    pub line: usize,
    /// Why it was ignored.
    pub reason: String,
}

impl ShellVars {
    /// A scalar variable, or element `0` of an array (as bash's `$name` would give).
    pub fn scalar(&self, name: &str) -> Option<&str> {
        match self.vars.get(name)? {
            ShellValue::Scalar(value) => Some(value),
            ShellValue::Array(items) => items.get("0").map(String::as_str),
        }
    }

    /// Element `key` of an array variable.
    pub fn element(&self, name: &str, key: &str) -> Option<&str> {
        match self.vars.get(name)? {
            ShellValue::Array(items) => items.get(key).map(String::as_str),
            ShellValue::Scalar(value) => (key == "0").then_some(value.as_str()),
        }
    }

    /// All elements of an indexed array, sorted by numeric index.
    pub fn indexed(&self, name: &str) -> Vec<(usize, &str)> {
        let mut items: Vec<(usize, &str)> = match self.vars.get(name) {
            Some(ShellValue::Array(items)) => items
                .iter()
                .filter_map(|(key, value)| Some((key.parse().ok()?, value.as_str())))
                .collect(),
            Some(ShellValue::Scalar(value)) => vec![(0, value.as_str())],
            None => Vec::new(),
        };
        items.sort_by_key(|(index, _)| *index);
        items
    }

    /// Whether a variable is set at all.
    pub fn contains(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    fn set_scalar(&mut self, name: &str, value: String) {
        match self.vars.get_mut(name) {
            Some(ShellValue::Array(items)) => {
                items.insert("0".to_string(), value);
            }
            _ => {
                self.vars
                    .insert(name.to_string(), ShellValue::Scalar(value));
            }
        }
    }

    fn set_element(&mut self, name: &str, key: &str, value: String) {
        let entry = self
            .vars
            .entry(name.to_string())
            .or_insert_with(|| ShellValue::Array(ArrayItems::new()));
        if let ShellValue::Scalar(old) = entry {
            *entry = ShellValue::Array(ArrayItems::from([("0".to_string(), std::mem::take(old))]));
        }
        if let ShellValue::Array(items) = entry {
            items.insert(key.to_string(), value);
        }
    }

    fn unset(&mut self, name: &str, key: Option<&str>) {
        match key {
            None => {
                self.vars.remove(name);
            }
            Some(key) => {
                if let Some(ShellValue::Array(items)) = self.vars.get_mut(name) {
                    items.remove(key);
                }
            }
        }
    }

    /// Reads fragments in precedence order (lowest first), as sourcing them one after the
    /// other would, and returns the variables plus the lines that had no effect.
    pub fn read(fragments: &[(&str, &str)]) -> (ShellVars, Vec<IgnoredLine>) {
        let mut vars = ShellVars::default();
        let mut ignored = Vec::new();
        for (name, text) in fragments {
            vars.read_fragment(name, text, &mut ignored);
        }
        (vars, ignored)
    }

    fn read_fragment(&mut self, fragment: &str, text: &str, ignored: &mut Vec<IgnoredLine>) {
        // Every iteration consumes at least one line, so the loop ends after at most as many
        // iterations as the text has lines.
        let mut lines = text.lines().enumerate();
        while let Some((index, line)) = lines.next() {
            let mut statement = line.trim().to_string();
            // Array literals may span lines: gather until a line holds the closing parenthesis.
            let mut unterminated = false;
            if opens_array(&statement) {
                let mut closed = statement.contains(')');
                while !closed {
                    match lines.next() {
                        Some((_, more)) => {
                            statement.push(' ');
                            statement.push_str(more.trim());
                            closed = more.contains(')');
                        }
                        None => {
                            unterminated = true;
                            break;
                        }
                    }
                }
            }
            let outcome = if unterminated {
                Err("the array has no closing parenthesis ')'".to_string())
            } else {
                check_text(&statement).and_then(|()| self.apply(&statement))
            };
            if let Err(reason) = outcome {
                ignored.push(IgnoredLine {
                    fragment: fragment.to_string(),
                    line: index + 1,
                    reason,
                });
            }
        }
    }

    fn apply(&mut self, statement: &str) -> Result<(), String> {
        if statement.is_empty() || statement.starts_with('#') {
            return Ok(());
        }
        if let Some(rest) = statement.strip_prefix("unset ") {
            for word in rest.split_whitespace() {
                let (name, key) =
                    split_target(word).ok_or_else(|| format!("cannot unset {word:?}"))?;
                self.unset(name, key.as_deref());
            }
            return Ok(());
        }
        let declared = strip_declaration(statement);
        let was_declaration = declared.len() != statement.len();
        let statement = declared;
        if was_declaration && (statement.is_empty() || is_bare_declaration(statement)) {
            return Ok(());
        }
        let captures = assignment_regex().captures(statement).ok_or_else(|| {
            "not a variable assignment (fragments are read as data, never run)".to_string()
        })?;
        let name = &captures[1];
        let key = captures.get(2).map(|k| unquote_key(k.as_str()));
        let value = &captures[3];
        if let Some(body) = value.strip_prefix('(') {
            let (items, rest) = parse_array_body(body)?;
            check_end(rest)?;
            for item in items.values() {
                check_value(item)?;
            }
            self.vars.insert(name.to_string(), ShellValue::Array(items));
            return Ok(());
        }
        let value = parse_word(value)?;
        check_value(&value)?;
        match key {
            Some(key) => self.set_element(name, &key, value),
            None => self.set_scalar(name, value),
        }
        Ok(())
    }
}

fn assignment_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[([^\]]*)\])?=(.*)$")
            .unwrap_or_else(|_| unreachable!())
    })
}

fn opens_array(statement: &str) -> bool {
    let statement = strip_declaration(statement);
    assignment_regex()
        .captures(statement)
        .is_some_and(|captures| captures[3].starts_with('('))
}

/// Refuses control characters other than tabs anywhere in a statement: they never belong in
/// a parameter fragment, and values carrying them would reach the kickstart output.
fn check_text(statement: &str) -> Result<(), String> {
    match statement.chars().find(|c| c.is_control() && *c != '\t') {
        Some(c) => Err(format!(
            "contains the control character {}, which no parameter value may hold",
            c.escape_unicode()
        )),
        None => Ok(()),
    }
}

/// Refuses values with blanks: every fragment value the planner reads is one word (an
/// address, a name, a number or bond options), and a blank would split a kickstart option.
fn check_value(value: &str) -> Result<(), String> {
    if value.chars().any(char::is_whitespace) {
        return Err(format!(
            "the value {value:?} holds a blank; every parameter value is one word"
        ));
    }
    Ok(())
}

/// Accepts only blanks or a comment after a complete assignment.
fn check_end(rest: &str) -> Result<(), String> {
    let rest = rest.trim();
    if rest.is_empty() || rest.starts_with('#') {
        Ok(())
    } else {
        Err(format!("unexpected text after the value: {rest:?}"))
    }
}

fn strip_declaration(statement: &str) -> &str {
    let mut rest = statement;
    for keyword in ["export ", "declare ", "typeset ", "local "] {
        if let Some(after) = rest.strip_prefix(keyword) {
            rest = after.trim_start();
            while let Some(flag_end) = rest
                .strip_prefix('-')
                .map(|r| r.find(' ').unwrap_or(r.len()))
            {
                rest = rest[flag_end + 1..].trim_start();
            }
        }
    }
    rest
}

fn is_bare_declaration(statement: &str) -> bool {
    statement
        .split_whitespace()
        .all(|word| word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        && !statement.contains('=')
}

fn split_target(word: &str) -> Option<(&str, Option<String>)> {
    match word.split_once('[') {
        Some((name, rest)) => Some((name, Some(unquote_key(rest.strip_suffix(']')?)))),
        None => Some((word, None)),
    }
}

fn unquote_key(key: &str) -> String {
    let key = key.trim();
    for quote in ['\'', '"'] {
        if let Some(inner) = key.strip_prefix(quote).and_then(|k| k.strip_suffix(quote)) {
            return inner.to_string();
        }
    }
    key.to_string()
}

/// The elements of an array: values by key.
pub type ArrayItems = BTreeMap<String, String>;

/// Parses the elements of an array literal after its `(` up to the closing `)`; returns the
/// elements and the text after the `)`. Every iteration consumes at least one character or
/// returns, so the loop ends.
fn parse_array_body(body: &str) -> Result<(ArrayItems, &str), String> {
    let mut items = ArrayItems::new();
    let mut rest = body.trim_start();
    let mut next_index = 0usize;
    loop {
        let Some(first) = rest.chars().next() else {
            return Err("the array has no closing parenthesis ')'".to_string());
        };
        if first == ')' {
            return Ok((items, &rest[1..]));
        }
        let (key, value_text) = match rest.strip_prefix('[') {
            Some(after) => {
                let (key, value) = after
                    .split_once("]=")
                    .ok_or("an array element starting with '[' needs the form [key]=value")?;
                (Some(unquote_key(key)), value)
            }
            None => (None, rest),
        };
        let (value, remainder) = take_word(value_text, true)?;
        if remainder.len() == rest.len() {
            // Nothing was consumed: a character that cannot start an element (`;`, `(`).
            return Err(format!("unexpected {first:?} inside the array"));
        }
        let key = key.unwrap_or_else(|| next_index.to_string());
        if let Ok(index) = key.parse::<usize>() {
            next_index = index.saturating_add(1);
        }
        items.insert(key, value);
        rest = remainder.trim_start();
    }
}

/// Parses a whole value: one shell word, optionally followed by a comment.
fn parse_word(text: &str) -> Result<String, String> {
    let (value, rest) = take_word(text, false)?;
    check_end(rest)?;
    Ok(value)
}

/// Takes one shell word from the start of `text`; returns it and the remaining text. Inside an
/// array (`in_array`) an unquoted `)` also ends the word. Every branch consumes a character or
/// returns, so the loop ends.
fn take_word(text: &str, in_array: bool) -> Result<(String, &str), String> {
    let mut value = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(position, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() || c == ';' || (in_array && c == ')') => {
                return Ok((value, &text[position..]))
            }
            '\'' => {
                chars.next();
                loop {
                    match chars.next() {
                        Some((_, '\'')) => break,
                        Some((_, c)) => value.push(c),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                chars.next();
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, c @ ('$' | '`' | '"' | '\\'))) => value.push(c),
                            Some((_, c)) => {
                                value.push('\\');
                                value.push(c);
                            }
                            None => return Err("unterminated double quote".into()),
                        },
                        Some((_, '$' | '`')) => return Err(expansion_refused()),
                        Some((_, c)) => value.push(c),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '$' | '`' => return Err(expansion_refused()),
            '\\' => {
                chars.next();
                if let Some((_, c)) = chars.next() {
                    value.push(c);
                }
            }
            c => {
                chars.next();
                value.push(c);
            }
        }
    }
    Ok((value, ""))
}

fn expansion_refused() -> String {
    "uses a shell expansion ($ or `), which is not evaluated".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (ShellVars, Vec<IgnoredLine>) {
        ShellVars::read(&[("hvp_parameters.sh", text)])
    }

    #[test]
    fn reads_scalars_and_array_elements() {
        let (vars, ignored) = read(
            "# comment\n\nnode_ip_offset=\"20\"\ntest_ip['mgmt']=\"172.20.10.254\"\n\
             bondopts[\"gluster\"]='mode=balance-rr;miimon=100'\nnode_name[0]=a\nexport x=1 # note\n",
        );
        assert!(ignored.is_empty(), "{ignored:?}");
        assert_eq!(vars.scalar("node_ip_offset"), Some("20"));
        assert_eq!(vars.element("test_ip", "mgmt"), Some("172.20.10.254"));
        assert_eq!(
            vars.element("bondopts", "gluster"),
            Some("mode=balance-rr;miimon=100")
        );
        assert_eq!(vars.indexed("node_name"), vec![(0, "a")]);
        assert_eq!(vars.scalar("x"), Some("1"));
    }

    #[test]
    fn later_fragments_override_and_unset() {
        let (vars, _) = ShellVars::read(&[
            (
                "hvp_parameters.sh",
                "my_gateway=1.2.3.4\nnode_ip_offset=20\n",
            ),
            (
                "hvp_parameters_heretic_ngn.sh",
                "unset my_gateway\nnode_ip_offset=30\n",
            ),
        ]);
        assert_eq!(vars.scalar("my_gateway"), None);
        assert_eq!(vars.scalar("node_ip_offset"), Some("30"));
    }

    #[test]
    fn reads_array_literals_across_lines() {
        let (vars, ignored) = read(
            "network_priority=( external mgmt\n  lan )\ndeclare -A mtu\nmtu=( ['gluster']=9000 [lan]=\"1500\" )\n",
        );
        assert!(ignored.is_empty(), "{ignored:?}");
        assert_eq!(
            vars.indexed("network_priority"),
            vec![(0, "external"), (1, "mgmt"), (2, "lan")]
        );
        assert_eq!(vars.element("mtu", "gluster"), Some("9000"));
        assert_eq!(vars.element("mtu", "lan"), Some("1500"));
    }

    #[test]
    fn never_runs_commands_or_expansions() {
        let (vars, ignored) =
            read("rm -rf /\nnode_ip_offset=$(echo 5)\nengine_ip=\"${base}.5\"\nok=1\nreboot\n");
        assert_eq!(vars.scalar("node_ip_offset"), None);
        assert_eq!(vars.scalar("engine_ip"), None);
        assert_eq!(vars.scalar("ok"), Some("1"));
        let lines: Vec<usize> = ignored.iter().map(|i| i.line).collect();
        assert_eq!(lines, [1, 2, 3, 5]);
        assert!(ignored[1].reason.contains("expansion"));
        assert!(ignored[0].reason.contains("not a variable assignment"));
    }
}
