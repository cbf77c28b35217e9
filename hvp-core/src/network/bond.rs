//! Bond modes: the names users give (`activepassive`, `lacp`, `roundrobin`) and the option
//! strings that end up in `--bondopts`.

use strsim::jaro_winkler;

use super::error::Findings;
use super::mode::Mode;
use super::zone::Zone;

/// `activepassive`: the default, safe during PXE installs.
pub const ACTIVE_BACKUP: &str = "mode=active-backup;miimon=100";
/// `lacp`: 802.3ad with layer 2+3 hashing.
pub const LACP: &str = "mode=802.3ad;xmit_hash_policy=layer2+3;miimon=100";
/// `roundrobin`: balance-rr, meant for gluster only.
pub const ROUND_ROBIN: &str = "mode=balance-rr;miimon=100";
/// QUIRK: what a node's `roundrobin` on a non-gluster zone turns into in the original.
pub const COMPAT_NODE_ROUND_ROBIN_FALLBACK: &str = "mode=active-backup;miimon=10";

/// The bond mode names users may give.
pub const MODE_NAMES: [&str; 3] = ["activepassive", "lacp", "roundrobin"];

/// Where a bond mode name came from; the original treats the sources differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BondModeSource {
    /// `hvp_<zone>_bondmode` on a node's kernel command line.
    NodeCmdline,
    /// `hvp_<zone>_bondmode` on the installer's kernel command line.
    InstallerCmdline,
    /// `bondmode[zone]` in an installer fragment.
    InstallerFragment,
}

/// The outcome of resolving a bond mode name: the mode name recorded and the option string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedBond {
    /// The mode name the plan records (`activepassive`, `lacp`, `roundrobin`).
    pub mode_name: String,
    /// The option string for `--bondopts`.
    pub options: String,
}

fn resolved(mode_name: &str, options: &str) -> ResolvedBond {
    ResolvedBond {
        mode_name: mode_name.to_string(),
        options: options.to_string(),
    }
}

/// Turns a bond mode name into options, following the original's table (§1.3 of the spec)
/// in compat mode, and refusing invalid names (with a suggestion) in the default mode.
///
/// `subject` names the setting in messages (e.g. `hvp_lan_bondmode`).
pub(crate) fn resolve_mode_name(
    zone: Zone,
    name: &str,
    source: BondModeSource,
    subject: &str,
    mode: Mode,
    findings: &mut Findings,
) -> ResolvedBond {
    let compat = mode.is_compat();
    match name {
        "activepassive" => resolved("activepassive", ACTIVE_BACKUP),
        "lacp" => resolved("lacp", LACP),
        "roundrobin" if zone == Zone::Gluster => resolved("roundrobin", ROUND_ROBIN),
        "roundrobin" => {
            findings.strict(
                compat,
                subject,
                format!("roundrobin (balance-rr) is only supported on gluster, not on {zone}"),
                format!("set {subject}=activepassive or {subject}=lacp"),
            );
            match source {
                BondModeSource::NodeCmdline => {
                    resolved("activepassive", COMPAT_NODE_ROUND_ROBIN_FALLBACK)
                }
                BondModeSource::InstallerCmdline => resolved("activepassive", ACTIVE_BACKUP),
                BondModeSource::InstallerFragment => resolved("roundrobin", ROUND_ROBIN),
            }
        }
        unknown => {
            findings.strict(
                compat,
                subject,
                format!("unknown bond mode {unknown:?}{}", suggestion(unknown)),
                format!("use one of {}", MODE_NAMES.join(", ")),
            );
            resolved("activepassive", ACTIVE_BACKUP)
        }
    }
}

/// Checks a raw option string handed over in a fragment (`bondopts[zone]`).
pub(crate) fn check_raw_options(
    zone: Zone,
    options: &str,
    subject: &str,
    mode: Mode,
    findings: &mut Findings,
) {
    if zone != Zone::Gluster
        && options
            .split(';')
            .any(|option| option.trim() == "mode=balance-rr")
    {
        findings.strict(
            mode.is_compat(),
            subject,
            format!("balance-rr is only supported on gluster, not on {zone}"),
            format!("use {ACTIVE_BACKUP:?} or {LACP:?}"),
        );
    }
    if options.trim().is_empty() {
        findings.strict(
            mode.is_compat(),
            subject,
            "empty bond options",
            format!("use {ACTIVE_BACKUP:?}"),
        );
    }
}

fn suggestion(unknown: &str) -> String {
    MODE_NAMES
        .iter()
        .map(|name| (jaro_winkler(unknown, name), name))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| format!(" (did you mean {name:?}?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(zone: Zone, name: &str, source: BondModeSource, mode: Mode) -> (String, Findings) {
        let mut findings = Findings::default();
        let bond = resolve_mode_name(zone, name, source, "hvp_x_bondmode", mode, &mut findings);
        (bond.options, findings)
    }

    #[test]
    fn compat_table() {
        use BondModeSource::*;
        let c = Mode::Compat;
        assert_eq!(options(Zone::Mgmt, "lacp", NodeCmdline, c).0, LACP);
        assert_eq!(
            options(Zone::Gluster, "roundrobin", NodeCmdline, c).0,
            ROUND_ROBIN
        );
        assert_eq!(
            options(Zone::Lan, "roundrobin", NodeCmdline, c).0,
            "mode=active-backup;miimon=10"
        );
        assert_eq!(
            options(Zone::Lan, "roundrobin", InstallerCmdline, c).0,
            ACTIVE_BACKUP
        );
        assert_eq!(
            options(Zone::Lan, "roundrobin", InstallerFragment, c).0,
            ROUND_ROBIN
        );
        let (bogus, findings) = options(Zone::Internal, "bogus", NodeCmdline, c);
        assert_eq!(bogus, ACTIVE_BACKUP);
        assert!(findings.problems.is_empty());
        assert_eq!(findings.warnings.len(), 1);
    }

    #[test]
    fn default_mode_refuses_invalid_modes_with_a_suggestion() {
        let (_, findings) = options(
            Zone::Lan,
            "roundrobin",
            BondModeSource::NodeCmdline,
            Mode::Default,
        );
        assert_eq!(findings.problems.len(), 1);
        assert!(findings.problems[0].fix.contains("hvp_x_bondmode=lacp"));
        let (_, findings) = options(
            Zone::Mgmt,
            "lacpp",
            BondModeSource::NodeCmdline,
            Mode::Default,
        );
        assert!(
            findings.problems[0]
                .message
                .contains("did you mean \"lacp\""),
            "{:?}",
            findings.problems
        );
    }

    #[test]
    fn raw_options_are_checked_for_the_zone() {
        let mut findings = Findings::default();
        check_raw_options(
            Zone::Lan,
            ROUND_ROBIN,
            "bondopts['lan']",
            Mode::Default,
            &mut findings,
        );
        check_raw_options(
            Zone::Gluster,
            ROUND_ROBIN,
            "bondopts['gluster']",
            Mode::Default,
            &mut findings,
        );
        assert_eq!(findings.problems.len(), 1);
        assert_eq!(findings.problems[0].subject, "bondopts['lan']");
    }
}
