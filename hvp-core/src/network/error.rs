//! Problems found while planning, reported all at once, each with the setting that fixes it.

use std::fmt;

use serde::Serialize;

use crate::input::condense::{condense, tidy, times, MAX_LISTED};
use crate::input::escape::escape;

/// One thing wrong with the input, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Problem {
    /// What is wrong: a parameter (`hvp_nodes_offset`), a NIC (`NIC eth3`), a fragment, a zone.
    pub subject: String,
    /// What is wrong with it.
    pub message: String,
    /// The parameter or action that fixes it.
    pub fix: String,
}

impl Problem {
    /// Builds a problem from its three parts.
    pub fn new(
        subject: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Problem {
            subject: subject.into(),
            message: message.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // User text is escaped: a newline in a value cannot forge another report line.
        write!(
            f,
            "{}: {} (fix: {})",
            escape(&self.subject),
            escape(&self.message),
            escape(&self.fix)
        )
    }
}

/// The planner refused its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// One or more problems, all listed.
    #[error("the network plan has {} problem(s):\n{}", .0.len(), list(.0))]
    Problems(Vec<Problem>),
}

impl PlanError {
    /// The problems behind this error.
    pub fn problems(&self) -> &[Problem] {
        match self {
            PlanError::Problems(problems) => problems,
        }
    }
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Collects problems and warnings while the planner works, so all are reported together.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub problems: Vec<Problem>,
    pub warnings: Vec<String>,
}

impl Findings {
    /// Records a problem.
    pub fn problem(
        &mut self,
        subject: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.problems.push(Problem::new(subject, message, fix));
    }

    /// Records a warning (compat mode keeps going where the original did). Control
    /// characters are escaped: warnings are printed as they are.
    pub fn warn(&mut self, warning: impl Into<String>) {
        self.warnings.push(escape(&warning.into()).into_owned());
    }

    /// Records a problem in the default mode, or a warning in compat mode (which accepted it).
    pub fn strict(
        &mut self,
        compat: bool,
        subject: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        let problem = Problem::new(subject, message, fix);
        if compat {
            self.warnings.push(problem.to_string());
        } else {
            self.problems.push(problem);
        }
    }

    /// Fails with every problem recorded so far, if any: identical problems merged with
    /// their count, at most five of one kind (same subject and fix), at most [`MAX_LISTED`]
    /// listed and the rest counted ([`crate::input::condense::tidy`]). Identical warnings are
    /// merged and capped at [`MAX_LISTED`] as well.
    pub fn check(&mut self) -> Result<(), PlanError> {
        let warnings = condense(std::mem::take(&mut self.warnings), MAX_LISTED);
        self.warnings = warnings
            .items
            .into_iter()
            .map(|(warning, count)| format!("{warning}{}", times(count)))
            .collect();
        if warnings.omitted > 0 {
            self.warnings
                .push(format!("{} more warnings are not listed", warnings.omitted));
        }
        if self.problems.is_empty() {
            return Ok(());
        }
        let problems = tidy(
            std::mem::take(&mut self.problems),
            |problem| (problem.subject.clone(), problem.fix.clone()),
            |problem, count| Problem {
                message: format!("{}{}", problem.message, times(count)),
                ..problem
            },
            |last, hidden| Problem {
                message: format!("and {hidden} more problems like the ones above"),
                ..last.clone()
            },
            |hidden| {
                Problem::new(
                    "report",
                    format!("{hidden} more problems are not listed"),
                    "fix the problems above and run again",
                )
            },
        );
        Err(PlanError::Problems(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_problem_with_its_fix() {
        let mut findings = Findings::default();
        findings.problem(
            "hvp_nodes_offset",
            "\"4x\" is not a number",
            "give digits only",
        );
        findings.strict(
            false,
            "NIC eth9",
            "reaches unknown zone \"dmz\"",
            "use mgmt, gluster, lan or internal",
        );
        findings.strict(
            true,
            "hvp_lan_bondmode",
            "roundrobin is gluster-only",
            "use lacp",
        );
        let err = findings.check().unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("the network plan has 2 problem(s):"),
            "{text}"
        );
        assert!(text.contains("hvp_nodes_offset: \"4x\" is not a number (fix: give digits only)"));
        assert!(text.contains("NIC eth9"));
        assert_eq!(findings.warnings.len(), 1);
        assert!(findings.check().is_ok());
    }
}
