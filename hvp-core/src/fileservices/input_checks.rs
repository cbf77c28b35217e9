//! The shared input rules (`crate::input`, `docs/input-rules.md`) applied to the parts of the
//! file-services input that the planners do not check themselves: the names in the storage
//! plan, the AD domain, the CTDB log location and every known variable's text.

use std::collections::HashSet;

use super::storage::StoragePlan;
use super::vars::FileVars;
use crate::input::escape::{has_control, quoted};
use crate::input::names::NameKind;
use crate::report::Problem;

/// Node names are host names and volume names Gluster volume names; a node is listed once.
pub(super) fn check_storage(storage: &StoragePlan, problems: &mut Vec<Problem>) {
    let mut seen = HashSet::new();
    for (index, node) in storage.nodes.iter().enumerate() {
        if let Err(error) = NameKind::HostName.check(&node.name) {
            problems.push(Problem::error(
                format!("storage.nodes[{index}].name"),
                error.to_string(),
                error.fix(),
            ));
        } else if !seen.insert(node.name.as_str()) {
            problems.push(Problem::error(
                format!("storage.nodes[{index}].name"),
                format!("{} is listed twice", quoted(&node.name)),
                "regenerate the storage plan with hvp-gdeploy-gen --format json",
            ));
        }
    }
    for (index, volume) in storage.volumes.iter().enumerate() {
        if let Err(error) = NameKind::GlusterVolume.check(&volume.name) {
            problems.push(Problem::error(
                format!("storage.volumes[{index}].name"),
                error.to_string(),
                error.fix(),
            ));
        }
        for brick in volume.bricks() {
            if !seen.contains(brick.node.as_str()) {
                problems.push(Problem::error(
                    format!("storage.volumes[{index}]"),
                    format!(
                        "a brick is on {}, which is not a node of the plan",
                        quoted(&brick.node)
                    ),
                    "regenerate the storage plan with hvp-gdeploy-gen --format json",
                ));
            }
        }
    }
}

/// Variable texts that the renderers copy into configuration files.
pub(super) fn check_vars(vars: &FileVars, problems: &mut Vec<Problem>) {
    let mut texts: Vec<(&str, &str)> = vec![
        ("hvp_storage_name", &vars.storage_name),
        ("hvp_netbios_storagename", &vars.netbios_storagename),
        ("hvp_netbios_domainname", &vars.netbios_domainname),
        ("hvp_ad_range", &vars.ad_range),
        ("hvp_autorid_range", &vars.autorid_range),
        ("hvp_ctdb_log_location", &vars.ctdb_log_location),
    ];
    if let Some(domain) = &vars.adjoin_domain {
        texts.push(("hvp_adjoin_domain", domain));
    }
    if let Some(realm) = &vars.adjoin_realm {
        texts.push(("hvp_adjoin_realm", realm));
    }
    for export in &vars.nfs_exports {
        texts.push(("hvp_nfs_exports", export));
    }
    for (name, text) in texts {
        if has_control(text) {
            problems.push(Problem::error(
                format!("variable {name}"),
                format!("{} holds a control character", quoted(text)),
                "remove the control character (a newline would start another line of the \
                 configuration file)",
            ));
        }
    }
    if let Some(domain) = &vars.adjoin_domain {
        if let Err(error) = NameKind::HostName.check(domain) {
            problems.push(Problem::error(
                "variable hvp_adjoin_domain",
                error.to_string(),
                error.fix(),
            ));
        }
    }
    let location = vars.ctdb_log_location.as_str();
    let location_ok = location == "syslog"
        || location.starts_with("syslog:")
        || location
            .strip_prefix("file:")
            .is_some_and(|path| path.starts_with('/'));
    if !location_ok || location.chars().any(char::is_whitespace) {
        problems.push(Problem::error(
            "variable hvp_ctdb_log_location",
            format!("{} is not a CTDB log location", quoted(location)),
            "use syslog, syslog:METHOD or file:/ABSOLUTE/PATH (ctdb.conf(5))",
        ));
    }
}
