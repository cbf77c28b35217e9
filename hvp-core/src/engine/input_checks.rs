//! The shared input rules (`crate::input`, `docs/input-rules.md`) on the Engine stage's
//! inputs and on a desired state read from a file (`hvp-engine plan|apply`, `hvp_engine`):
//! no control character in any string (reported by field path), entity names and addresses
//! through the host-name validator, URLs parsed, paths and mount options without blanks.

use super::state::{DesiredState, Storage};
use crate::input::escape::quoted;
use crate::input::names::NameKind;
use crate::input::strings::control_character_paths;
use crate::report::Problem;

/// At most this many strings with control characters are reported per document.
const MAX_PATHS: usize = 20;

/// Control characters anywhere in `value`, reported as `subject.path`.
pub fn control_problems(subject: &str, value: &serde_json::Value) -> Vec<Problem> {
    control_character_paths(value, MAX_PATHS)
        .into_iter()
        .map(|path| {
            let at = if path == "." {
                subject.to_owned()
            } else {
                format!("{subject}.{path}")
            };
            Problem::error(
                at,
                "holds a control character",
                "remove it: names and addresses are copied into Engine searches and requests",
            )
        })
        .collect()
}

/// Names, addresses, URLs and paths of a desired state.
pub fn state_problems(state: &DesiredState) -> Vec<Problem> {
    let mut problems = Vec::new();
    let host = |problems: &mut Vec<Problem>, subject: String, name: &str| {
        if let Err(error) = NameKind::HostName.check(name) {
            problems.push(Problem::error(subject, error.to_string(), error.fix()));
        }
    };
    host(&mut problems, "engine.fqdn".to_owned(), &state.engine.fqdn);
    for (index, item) in state.hosts.iter().enumerate() {
        host(&mut problems, format!("hosts[{index}].name"), &item.name);
        host(
            &mut problems,
            format!("hosts[{index}].address"),
            &item.address,
        );
    }
    for (index, domain) in state.storage_domains.iter().enumerate() {
        let (address, path, extra) = match &domain.storage {
            Storage::Glusterfs {
                address,
                path,
                mount_options,
            } => (address, path, mount_options),
            Storage::Nfs {
                address,
                path,
                nfs_version,
            } => (address, path, nfs_version),
        };
        host(
            &mut problems,
            format!("storage_domains[{index}].storage.address"),
            address,
        );
        for (field, text) in [("path", path), ("options", extra)] {
            if text.chars().any(char::is_whitespace) {
                problems.push(Problem::error(
                    format!("storage_domains[{index}].storage.{field}"),
                    format!("{} contains a blank", quoted(text)),
                    "remove the blank (hvp_glusterfs_mountopts, iso_sd_path)",
                ));
            }
        }
        if !path.starts_with('/') {
            problems.push(Problem::error(
                format!("storage_domains[{index}].storage.path"),
                format!("{} is not an absolute path", quoted(path)),
                "give the export or volume as /NAME",
            ));
        }
    }
    let urls = [
        (
            "engine.api_url",
            Some(&state.engine.api_url),
            "give the Engine API URL, https://FQDN/ovirt-engine/api",
        ),
        (
            "ovn_provider.url",
            state.ovn_provider.as_ref().map(|ovn| &ovn.url),
            "give a URL such as http://celestia.mgmt.private:9696 (hvp_ovn_provider_url)",
        ),
    ];
    for (subject, text, fix) in urls {
        let Some(text) = text else { continue };
        if let Err(fault) = check_url(text) {
            problems.push(Problem::error(
                subject,
                format!("{} is not an http(s) URL: {fault}", quoted(text)),
                fix,
            ));
        }
    }
    problems
}

fn check_url(text: &str) -> Result<(), String> {
    if text.chars().any(char::is_whitespace) {
        return Err("it contains a blank".to_owned());
    }
    let url = url::Url::parse(text).map_err(|error| error.to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("the scheme is {}", quoted(url.scheme())));
    }
    if url.host_str().map_or(true, str::is_empty) {
        return Err("it has no host".to_owned());
    }
    Ok(())
}

/// Every problem of a desired state read from a file: control characters by field path
/// (from the document as read), then names, addresses and URLs.
pub fn desired_state_problems(value: &serde_json::Value, state: &DesiredState) -> Vec<Problem> {
    let mut problems = control_problems("state", value);
    if problems.is_empty() {
        problems.extend(state_problems(state));
    }
    problems
}
