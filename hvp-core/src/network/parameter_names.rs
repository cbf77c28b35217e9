//! Which `hvp_*` kernel parameters exist, and the check that reports every other one.
//!
//! A misspelt parameter (`hvp_mgmt_MTU`, `hvp_lan-mtu`, `hvp_mgmt_netmask`, a name with a
//! trailing blank) would otherwise be ignored and the user's setting never take effect. Every
//! parameter of the probe document is either read by the planner ([`planner_parameters`]),
//! one of the other kickstart parameters the planner leaves alone
//! ([`OTHER_KICKSTART_PARAMETERS`]), or reported with the closest known name: an error in the
//! default mode, a warning in compat mode (the original ignored it). Parameters of the other
//! role (`hvp_external` on a node) are reported the same way, and so are values holding
//! control characters (in both modes: they would reach the output raw).

use super::error::Findings;
use super::mode::Mode;
use super::probe::{ProbeDocument, Role};
use super::zone::Zone;
use crate::input::condense::MAX_LISTED;
use crate::input::escape::{has_control, quoted};
use crate::input::unknown::suggest;

/// Parameters the planner reads on both roles, besides the per-zone ones.
pub const GLOBAL_PARAMETERS: &[&str] = &[
    "hvp_nodeid",
    "hvp_nodecount",
    "hvp_masternodeid",
    "hvp_nodename",
    "hvp_nodes_offset",
    "hvp_bmcs_offset",
    "hvp_storage_offset",
    "hvp_dhcp_offset",
    "hvp_dhcp_count",
    "hvp_switch",
    "hvp_engine",
    "hvp_metrics",
    "hvp_ad_dc",
    "hvp_gateway",
    "hvp_nameserver",
    "hvp_forwarders",
    "hvp_myname",
];

/// Kernel parameters of the HVP kickstarts that the network planner does not read; they are
/// accepted without a word.
pub const OTHER_KICKSTART_PARAMETERS: &[&str] = &[
    "hvp_nicmacfix",
    "hvp_orthodox",
    "hvp_ovirt_nightly",
    "hvp_use_vdo",
    "hvp_novirt",
    "hvp_nodeosdisk",
    "hvp_maxinstances",
    "hvp_dcname",
    "hvp_dbname",
    "hvp_webname",
    "hvp_prname",
    "hvp_vdname",
    "hvp_db",
    "hvp_web",
    "hvp_pr",
    "hvp_vd",
    "hvp_netbiosdomain",
    "hvp_switchname",
    "hvp_enginename",
    "hvp_metricsname",
    "hvp_storagename",
    "hvp_ad_subdomainname",
    "hvp_rootpwd",
    "hvp_adminname",
    "hvp_adminpwd",
    "hvp_winadminname",
    "hvp_winadminpwd",
    "hvp_kblayout",
    "hvp_keyboard",
    "hvp_timezone",
    "hvp_joindomain",
    "hvp_upgrade",
];

/// The per-zone parameter suffixes and the role that reads each (`None`: both).
const ZONE_SUFFIXES: &[(&str, Option<Role>)] = &[
    ("", None),
    ("_mtu", None),
    ("_bondmode", None),
    ("_domainname", None),
    ("_bridge", None),
    ("_test_ip", Some(Role::Node)),
    ("_my_ip", Some(Role::Installer)),
];

/// Every parameter the planner reads, with the role that reads it (`None`: both).
pub fn planner_parameters() -> Vec<(String, Option<Role>)> {
    let mut names: Vec<(String, Option<Role>)> = GLOBAL_PARAMETERS
        .iter()
        .map(|name| (name.to_string(), None))
        .collect();
    for zone in Zone::INSTALLER_PRIORITY {
        for (suffix, role) in ZONE_SUFFIXES {
            if *suffix == "_bridge" && zone.default_bridge().is_none() {
                continue;
            }
            let role = if zone == Zone::External {
                Some(Role::Installer)
            } else {
                *role
            };
            names.push((format!("hvp_{}{suffix}", zone.name()), role));
        }
    }
    names
}

/// Reports unknown parameters, parameters of the other role and values with control
/// characters.
pub(crate) fn check_parameters(doc: &ProbeDocument, mode: Mode, findings: &mut Findings) {
    let planner = planner_parameters();
    let mut known: Vec<&str> = planner.iter().map(|(name, _)| name.as_str()).collect();
    known.extend_from_slice(OTHER_KICKSTART_PARAMETERS);
    let known_set: std::collections::HashSet<&str> = known.iter().copied().collect();
    let mut suggested = 0usize;
    for (name, value) in &doc.parameters {
        if has_control(name) || has_control(value) {
            findings.problem(
                format!("parameter {}", quoted(name)),
                "holds a control character",
                "remove it: kernel parameters are printable text",
            );
            continue;
        }
        if known_set.contains(name.as_str()) {
            if let Some((_, Some(role))) = planner.iter().find(|(known, _)| known == name) {
                if *role != doc.role {
                    let (this, other) = match doc.role {
                        Role::Node => ("a node", "an installer"),
                        Role::Installer => ("the installer", "a node"),
                    };
                    findings.strict(
                        mode.is_compat(),
                        name.as_str(),
                        format!("is {other} parameter, so it has no effect on {this}"),
                        "remove it from this machine's kernel command line",
                    );
                }
            }
            continue;
        }
        if is_zone_typo(name) {
            // Reported by `check_zone_parameter_names` with the zone names.
            continue;
        }
        // Suggestions cost a comparison with every known name: only the ones a report lists
        // get one, so thousands of unknown parameters stay cheap.
        suggested += 1;
        let suggestion = (suggested <= MAX_LISTED)
            .then(|| {
                network_fix(name).or_else(|| {
                    suggest(name, &known).map(|known| format!("did you mean '{known}'?"))
                })
            })
            .flatten();
        let fix = suggestion
            .unwrap_or_else(|| "remove it; docs/network.md lists the parameters".to_owned());
        findings.strict(
            mode.is_compat(),
            format!("parameter {}", quoted(name)),
            "is not a parameter hvp knows, so it has no effect",
            fix,
        );
    }
}

/// `hvp_<zone>_netmask` and friends: the network and prefix go into `hvp_<zone>=A/P`.
fn network_fix(name: &str) -> Option<String> {
    let rest = name.trim().to_ascii_lowercase();
    let rest = rest.strip_prefix("hvp_")?;
    let (zone, suffix) = rest.split_once(['_', '-'])?;
    let zone = Zone::parse(zone)?;
    matches!(
        suffix,
        "netmask" | "network" | "net" | "prefix" | "mask" | "ip" | "address"
    )
    .then(|| {
        format!(
            "give the network and prefix (or netmask) as hvp_{zone}=172.20.10.0/24",
            zone = zone.name()
        )
    })
}

/// The shape `check_zone_parameter_names` reports: `hvp_<word>_<zone suffix>` with a word
/// that is not a zone.
fn is_zone_typo(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("hvp_") else {
        return false;
    };
    ZONE_SUFFIXES
        .iter()
        .filter(|(suffix, _)| !suffix.is_empty())
        .filter_map(|(suffix, _)| rest.strip_suffix(suffix))
        .any(|word| !word.is_empty() && !word.contains('_') && Zone::parse(word).is_none())
}
