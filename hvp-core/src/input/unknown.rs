//! Unknown fields and parameters, each reported with the closest known name.
//!
//! A misspelt setting that is silently ignored never takes effect, so every reader compares
//! the names it was given with the names it knows. The suggestion first tries the spellings
//! people slip into — another case, `-` for `_`, blanks around the name — and then the closest
//! name letter by letter ([`crate::report::closest_name`]).

use super::escape::quoted;
use crate::report::closest_name;

/// A name that is not among the known ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown<'k> {
    /// The name as given.
    pub name: String,
    /// The known name it most likely means.
    pub suggestion: Option<&'k str>,
}

impl Unknown<'_> {
    /// The fix: "did you mean 'x'?", or remove it.
    pub fn fix(&self) -> String {
        match self.suggestion {
            Some(known) => format!("did you mean '{known}'?"),
            None => "remove it".to_owned(),
        }
    }

    /// The message: "unknown <what> 'name'" with the name escaped.
    pub fn message(&self, what: &str) -> String {
        format!("unknown {what} {}", quoted(&self.name))
    }
}

/// Every name of `given` that is not in `known`, in the order given, with a suggestion.
pub fn find_unknown<'g, 'k>(
    given: impl IntoIterator<Item = &'g str>,
    known: &[&'k str],
) -> Vec<Unknown<'k>> {
    let known_set: std::collections::HashSet<&str> = known.iter().copied().collect();
    given
        .into_iter()
        .filter(|name| !known_set.contains(name))
        .map(|name| Unknown {
            name: name.to_owned(),
            suggestion: suggest(name, known),
        })
        .collect()
}

/// The known name closest to `name`, if one is close enough.
pub fn suggest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let normalized = normalize(name);
    known
        .iter()
        .copied()
        .find(|candidate| is_normalized_as(candidate, &normalized))
        .or_else(|| closest_name(&normalized, known.iter().copied()))
}

fn normalize(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace('-', "_")
}

/// `normalize(candidate) == normalized`, without building the string (one call per known name).
fn is_normalized_as(candidate: &str, normalized: &str) -> bool {
    let candidate = candidate.trim();
    candidate.len() == normalized.len()
        && candidate
            .bytes()
            .map(|b| {
                if b == b'-' {
                    b'_'
                } else {
                    b.to_ascii_lowercase()
                }
            })
            .eq(normalized.bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["hvp_mgmt_mtu", "hvp_lan_mtu", "max_mtu", "name", "carrier"];

    #[test]
    fn suggests_the_usual_slips() {
        let unknown = find_unknown(
            [
                "hvp_mgmt_MTU",
                "hvp_lan-mtu",
                "hvp_lan_mtu ",
                "maxmtu",
                "name",
                "zzz",
            ],
            KNOWN,
        );
        let suggestions: Vec<_> = unknown.iter().map(|u| u.suggestion).collect();
        assert_eq!(
            suggestions,
            [
                Some("hvp_mgmt_mtu"),
                Some("hvp_lan_mtu"),
                Some("hvp_lan_mtu"),
                Some("max_mtu"),
                None
            ]
        );
        assert_eq!(unknown[0].fix(), "did you mean 'hvp_mgmt_mtu'?");
        assert_eq!(
            unknown[2].message("parameter"),
            "unknown parameter 'hvp_lan_mtu '"
        );
        assert_eq!(unknown[4].fix(), "remove it");
    }
}
