//! Problems found while planning, reported all at once, each with the setting that fixes it.

use std::fmt;

use serde::Serialize;

/// One thing wrong with the input, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
        write!(f, "{}: {} (fix: {})", self.subject, self.message, self.fix)
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

    /// Records a warning (compat mode keeps going where the original did).
    pub fn warn(&mut self, warning: impl Into<String>) {
        self.warnings.push(warning.into());
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

    /// Fails with every problem recorded so far, if any.
    pub fn check(&mut self) -> Result<(), PlanError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(PlanError::Problems(std::mem::take(&mut self.problems)))
        }
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
