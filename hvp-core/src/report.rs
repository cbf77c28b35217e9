//! Problems found in the input or the plan, reported all at once.
//!
//! Every [`Problem`] names what it is about (a node, a disk, a variable, a field), says what is
//! wrong and what would fix it. A [`Report`] is the error type of the planners: it holds every
//! problem found, not only the first.

use crate::input::condense::{tidy, times};
use crate::input::escape::escape;
use serde::Serialize;
use std::fmt;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be used: nothing is generated.
    Error,
    /// The output is generated, but a person should look at this.
    Warning,
}

/// One problem with the input or the plan.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// What the problem is about, e.g. `node node1.gluster.private, disk sdb` or
    /// `variable hvp_vmstoredomain_size`.
    pub subject: String,
    /// What is wrong.
    pub message: String,
    /// What would fix it.
    pub fix: String,
}

impl Problem {
    /// An error about `subject`.
    pub fn error(
        subject: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            subject: subject.into(),
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// A warning about `subject`.
    pub fn warning(
        subject: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(subject, message, fix)
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // User text is escaped: a newline in a value cannot forge another report line.
        write!(
            formatter,
            "{label}: {}: {}",
            escape(&self.subject),
            escape(&self.message)
        )?;
        if !self.fix.is_empty() {
            write!(formatter, " (fix: {})", escape(&self.fix))?;
        }
        Ok(())
    }
}

/// Every problem that stopped a planner; the error type of the planning functions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct Report {
    problems: Vec<Problem>,
}

impl Report {
    /// A report of these problems: identical ones merged with their count, at most
    /// [`MAX_PER_KIND`](crate::input::condense::MAX_PER_KIND) of one kind (same severity,
    /// subject and fix) and at most [`MAX_LISTED`](crate::input::condense::MAX_LISTED) in
    /// all, the rest counted (see [`crate::input::condense`]).
    pub fn new(problems: Vec<Problem>) -> Self {
        let problems = tidy(
            problems,
            |problem| {
                (
                    problem.severity,
                    problem.subject.clone(),
                    problem.fix.clone(),
                )
            },
            |problem, count| Problem {
                message: format!("{}{}", problem.message, times(count)),
                ..problem
            },
            |last, hidden| Problem {
                message: format!("and {hidden} more problems like the ones above"),
                ..last.clone()
            },
            |hidden| {
                Problem::error(
                    "report",
                    format!("{hidden} more problems are not listed"),
                    "fix the problems above and run again",
                )
            },
        );
        Self { problems }
    }

    /// The problems, errors first, in the order found.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems
            .iter()
            .any(|problem| problem.severity == Severity::Error)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self
            .problems
            .iter()
            .filter(|problem| problem.severity == Severity::Error)
            .count();
        write!(
            formatter,
            "{errors} problem{} found, nothing was generated:",
            if errors == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(formatter, "\n  - {problem}")?;
        }
        Ok(())
    }
}

/// The known name closest to `unknown`, when one is close enough to be a likely misspelling.
///
/// Names made of `_`-separated words (the `hvp_*` variables) match first by words: a name
/// whose words each begin like the known name's words (`hvp_iso_size` → `hvp_isodomain_size`)
/// beats any name that is merely similar letter by letter.
pub fn closest_name<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let words: Vec<&str> = unknown.split('_').collect();
    let word_match = |candidate: &str| {
        let candidate_words: Vec<&str> = candidate.split('_').collect();
        candidate_words.len() == words.len()
            && words
                .iter()
                .zip(&candidate_words)
                .all(|(a, b)| b.starts_with(a) || a.starts_with(b))
    };
    let letters = Letters::of(unknown);
    known
        .into_iter()
        .filter(|candidate| letters.may_reach(&Letters::of(candidate)))
        .map(|candidate| {
            let similarity = jaro_winkler(unknown, candidate);
            let bonus = if word_match(candidate) { 1.0 } else { 0.0 };
            (similarity + bonus, similarity, candidate)
        })
        .filter(|(_, similarity, _)| *similarity >= CLOSE_ENOUGH)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, _, candidate)| candidate)
}

/// `strsim::jaro_winkler`, over bytes when both names are ASCII (the same value: one byte is
/// one character there; strsim decodes characters again for every comparison, several times
/// slower on the names fuzzed and typed here).
fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() {
        strsim::generic_jaro_winkler(&AsciiBytes(a.as_bytes()), &AsciiBytes(b.as_bytes()))
    } else {
        strsim::jaro_winkler(a, b)
    }
}

/// An ASCII name's bytes, iterated as strsim's generic functions iterate a sequence.
struct AsciiBytes<'s>(&'s [u8]);

impl<'s> IntoIterator for &AsciiBytes<'s> {
    type Item = u8;
    type IntoIter = std::iter::Copied<std::slice::Iter<'s, u8>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().copied()
    }
}

/// The Jaro-Winkler similarity from which a known name is suggested.
const CLOSE_ENOUGH: f64 = 0.75;

/// The letters of a name, counted: enough to bound its Jaro similarity with another name
/// without computing it, so a long or foreign name costs a count per known name instead of a
/// quadratic comparison.
struct Letters {
    /// Characters (Jaro counts characters, not bytes).
    len: usize,
    /// How often each ASCII character occurs.
    ascii: [u32; 128],
    /// Characters outside ASCII, all counted together (an over-estimate of the common ones).
    other: usize,
}

impl Letters {
    fn of(name: &str) -> Self {
        let mut letters = Letters {
            len: 0,
            ascii: [0; 128],
            other: 0,
        };
        for c in name.chars() {
            letters.len += 1;
            match usize::try_from(u32::from(c)) {
                Ok(code) if code < 128 => letters.ascii[code] += 1,
                _ => letters.other += 1,
            }
        }
        letters
    }

    /// Whether the Jaro-Winkler similarity of the two names can reach [`CLOSE_ENOUGH`].
    ///
    /// Jaro is `(m/|a| + m/|b| + (m - t)/m) / 3` with `m` matching characters, at most the
    /// characters both names hold (`common`), and `(m - t)/m ≤ 1`. Winkler's prefix bonus
    /// (strsim) only applies above 0.7 and the threshold is above it, so a pair whose bound
    /// stays under 0.7 can never be suggested. Empty names are left to strsim.
    fn may_reach(&self, other: &Letters) -> bool {
        if self.len == 0 || other.len == 0 {
            return true;
        }
        let common: u32 = self
            .ascii
            .iter()
            .zip(&other.ascii)
            .map(|(a, b)| *a.min(b))
            .sum();
        let common = f64::from(common) + self.other.min(other.other) as f64;
        let bound = (common / self.len as f64 + common / other.len as f64 + 1.0) / 3.0;
        bound >= 0.7
    }
}

/// A name that is not in a table of names (`(value, name)` pairs), with what to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The closest known name, when one is close ([`closest_name`]).
    pub closest: Option<&'static str>,
    /// Every known name, in table order.
    pub names: Vec<&'static str>,
}

/// The name of `value` in `table`, a list of `(value, name)` pairs.
pub fn name_in<T: PartialEq>(table: &[(T, &'static str)], value: &T) -> Option<&'static str> {
    table
        .iter()
        .find(|(item, _)| item == value)
        .map(|(_, name)| *name)
}

/// The value called `text` in `table`, a list of `(value, name)` pairs; otherwise the closest
/// name and every name, for the error message.
pub fn value_named<T: Copy>(table: &[(T, &'static str)], text: &str) -> Result<T, UnknownName> {
    if let Some((value, _)) = table.iter().find(|(_, name)| *name == text) {
        return Ok(*value);
    }
    let names: Vec<&'static str> = table.iter().map(|(_, name)| *name).collect();
    Err(UnknownName {
        closest: closest_name(text, names.iter().copied()),
        names,
    })
}

#[cfg(test)]
mod tests {
    use super::{
        closest_name, jaro_winkler, name_in, value_named, Letters, UnknownName, CLOSE_ENOUGH,
    };
    use proptest::prelude::*;

    proptest! {
        /// The letter-count bound never drops a name strsim would find close enough.
        #[test]
        fn the_letter_bound_never_drops_a_close_name(
            b in "[a-z_]{0,12}|hvp_[a-z_]{0,20}|\\PC{0,8}",
            edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, "\\PC|[a-z_-]"), 0..6),
            other in "[a-z_]{0,12}|hvp_[a-zA-Z_ -]{0,20}|\\PC{0,8}",
        ) {
            // A misspelling of `b` (characters inserted, removed, replaced), and an unrelated name.
            let mut a: Vec<char> = b.chars().collect();
            for (at, kind, text) in edits {
                let c = text.chars().next().unwrap_or('x');
                match kind {
                    0 => a.insert(at.index(a.len() + 1), c),
                    1 if !a.is_empty() => { a.remove(at.index(a.len())); }
                    _ if !a.is_empty() => { let i = at.index(a.len()); a[i] = c; }
                    _ => a.push(c),
                }
            }
            let a: String = a.into_iter().collect();
            for a in [a, other] {
                if strsim::jaro_winkler(&a, &b) >= CLOSE_ENOUGH {
                    prop_assert!(Letters::of(&a).may_reach(&Letters::of(&b)), "{a:?} {b:?}");
                }
            }
        }
    }

    proptest! {
        /// The byte comparison of ASCII names gives strsim's value exactly, and other names
        /// still go through strsim's character comparison.
        #[test]
        fn the_similarity_is_strsims(
            a in "[a-zA-Z0-9_ -]{0,24}|hvp_[a-z_]{0,20}|\\PC{0,10}",
            b in "[a-zA-Z0-9_ -]{0,24}|hvp_[a-z_]{0,20}|\\PC{0,10}",
        ) {
            prop_assert_eq!(jaro_winkler(&a, &b).to_bits(), strsim::jaro_winkler(&a, &b).to_bits());
        }
    }

    #[test]
    fn the_letter_bound_drops_names_far_apart() {
        let long = "hvp_".repeat(100);
        assert!(!Letters::of(&long).may_reach(&Letters::of("hvp_mgmt_mtu")));
        assert!(!Letters::of("xyzq").may_reach(&Letters::of("hvp_mgmt_mtu")));
        assert!(Letters::of("hvp_mgmt_MTU").may_reach(&Letters::of("hvp_mgmt_mtu")));
    }

    #[test]
    fn name_tables_read_both_ways() {
        let table = [(1_u8, "one"), (2, "two"), (3, "three")];
        assert_eq!(name_in(&table, &2), Some("two"));
        assert_eq!(name_in(&table, &4), None);
        assert_eq!(value_named(&table, "three"), Ok(3));
        assert_eq!(
            value_named(&table, "thre"),
            Err(UnknownName {
                closest: Some("three"),
                names: vec!["one", "two", "three"],
            })
        );
        assert_eq!(
            value_named(&table, "zzz").map_err(|unknown| unknown.closest),
            Err(None)
        );
    }

    #[test]
    fn prefers_names_whose_words_match() {
        let known = [
            "hvp_ctdb_volume_name",
            "hvp_isodomain_volume_name",
            "hvp_vmstoredomain_size",
        ];
        assert_eq!(
            closest_name("hvp_iso_volume_name", known),
            Some("hvp_isodomain_volume_name")
        );
        assert_eq!(
            closest_name("hvp_vmstore_size", known),
            Some("hvp_vmstoredomain_size")
        );
        assert_eq!(closest_name("completely_else", known), None);
    }
}
