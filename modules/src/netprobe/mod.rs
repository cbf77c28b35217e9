//! `hvp-netprobe`: gathers the network probe document ([`hvp_core::network::probe`]) for real.
//!
//! It lists `/sys/class/net` (carrier, MAC), asks `ip -details -json link` for each interface's
//! maximum MTU and reads the `hvp_*` kernel parameters. On the node role it tries every
//! connected interface on every zone ([`node`]): set the zone MTU and the node's address on that
//! zone, ping the zone's test address with full-size unfragmented frames, take the address
//! away. On the installer role it tries DHCP on each connected interface until one gets a lease
//! ([`installer`], [`dhcp`]). What to try comes from the planner ([`zones`]). Each interface is
//! restored (MTU, link state, addresses) when its probe ends, on error, and on
//! SIGINT/SIGTERM/SIGHUP ([`guard`]). Interfaces carrying the default route are refused unless
//! allowed. See `docs/netprobe.md`.

pub mod cmdline;
pub mod dhcp;
pub mod error;
pub mod guard;
pub mod installer;
pub mod iproute;
pub mod listing;
pub mod node;
pub mod ping;
pub mod zones;

use std::collections::BTreeMap;
use std::path::PathBuf;

use hvp_core::network::probe::{Fragment, ProbeDocument, ProbedNic, Role};
use hvp_core::network::Mode;

pub use error::ProbeError;
pub use ping::PingTiming;

/// What to probe and how.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// Installer or node.
    pub role: Role,
    /// Interfaces to list and probe; empty means every entry of `sys_class_net`.
    pub interfaces: Vec<String>,
    /// This node's index for the document; `None` leaves it to `hvp_nodeid` (or a fragment).
    pub node_index: Option<u32>,
    /// The planner mode whose probe order and parameter rules apply.
    pub mode: Mode,
    /// The kernel command line text (normally `/proc/cmdline`).
    pub cmdline: String,
    /// Parameter fragments to carry into the document.
    pub fragments: Vec<Fragment>,
    /// Nameservers to carry into the document (installer role).
    pub nameservers: Vec<String>,
    /// Probe interfaces that carry the default route too.
    pub allow_default_route: bool,
    /// Ping timing (node role).
    pub timing: PingTiming,
    /// Seconds one DHCP attempt may take (installer role; the original waits 30 s).
    pub dhcp_timeout: u32,
    /// The interface listing directory (normally `/sys/class/net`).
    pub sys_class_net: PathBuf,
}

/// Reads the `nameserver` lines of a resolv.conf text, in file order.
pub fn nameservers(resolv_conf: &str) -> Vec<String> {
    resolv_conf
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some("nameserver")).then(|| words.next().map(str::to_owned))?
        })
        .collect()
}

/// Refuses interfaces that carry the default route, themselves or through their master.
fn check_default_route(
    candidates: &[&listing::RawNic],
    links: &[iproute::Link],
) -> Result<(), ProbeError> {
    let routed = iproute::default_route_devices()?;
    for nic in candidates {
        let mut current = Some(nic.name.clone());
        let mut hops = 0;
        while let Some(name) = current {
            if routed.contains(&name) {
                let via = if name == nic.name {
                    String::new()
                } else {
                    format!(" (through its master {name})")
                };
                return Err(ProbeError::DefaultRoute {
                    nic: nic.name.clone(),
                    via,
                });
            }
            hops += 1;
            current = links
                .iter()
                .find(|link| link.ifname == name)
                .and_then(|link| link.master.clone())
                .filter(|_| hops < 8);
        }
    }
    Ok(())
}

/// The bridge or bond `name` is enslaved to, if any.
fn master_of<'a>(links: &'a [iproute::Link], name: &str) -> Option<&'a str> {
    links
        .iter()
        .find(|link| link.ifname == name)
        .and_then(|link| link.master.as_deref())
}

/// Gathers the probe document. `report` receives one line per step, for stderr.
pub fn probe(
    options: &ProbeOptions,
    report: &mut dyn FnMut(String),
) -> Result<ProbeDocument, ProbeError> {
    let parameters = cmdline::hvp_parameters(&options.cmdline);
    let links = iproute::links()?;
    let mut listing = listing::raw_listing(&options.sys_class_net, &links)?;
    if !options.interfaces.is_empty() {
        for name in &options.interfaces {
            if !listing.iter().any(|nic| &nic.name == name && nic.is_link) {
                return Err(ProbeError::NoSuchInterface(name.clone()));
            }
        }
        listing.retain(|nic| options.interfaces.contains(&nic.name));
    }
    let mode = options.mode;
    let mut candidates: Vec<&listing::RawNic> = listing
        .iter()
        .filter(|nic| nic.is_link && nic.carrier && mode.is_candidate_nic(&nic.name))
        .collect();
    candidates.sort_by(|a, b| mode.compare_nic_names(&a.name, &b.name));
    if !options.allow_default_route {
        check_default_route(&candidates, &links)?;
    }
    let mut probed = Vec::new();
    for nic in candidates {
        match master_of(&links, &nic.name) {
            Some(master) => report(format!(
                "{}: not probed, it is enslaved to {master}",
                nic.name
            )),
            None => probed.push(nic),
        }
    }
    let mut document = ProbeDocument {
        role: options.role,
        node_index: options.node_index.filter(|_| options.role == Role::Node),
        parameters,
        fragments: options.fragments.clone(),
        nameservers: if options.role == Role::Installer {
            options.nameservers.clone()
        } else {
            Vec::new()
        },
        nics: Vec::new(),
    };
    guard::install_signal_handler()?;
    let mut reaches: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut leased = None;
    match options.role {
        Role::Node => {
            let (zones, notes) = zones::node_zone_probes(&document, mode)?;
            notes.into_iter().for_each(&mut *report);
            for nic in probed {
                let reached =
                    node::probe_nic(&nic.name, nic.max_mtu, &zones, &options.timing, report)?;
                reaches.insert(nic.name.clone(), reached);
            }
        }
        Role::Installer => {
            if zones::wants_dhcp(&document, mode)? {
                let names: Vec<String> = probed.iter().map(|nic| nic.name.clone()).collect();
                leased = installer::first_dhcp_nic(&names, options.dhcp_timeout, report)?;
            } else {
                report("the external zone is static: no DHCP probe".into());
            }
        }
    }
    document.nics = listing
        .iter()
        .map(|nic| ProbedNic {
            name: nic.name.clone(),
            mac: nic.mac.clone(),
            carrier: nic.carrier,
            max_mtu: nic.max_mtu,
            reaches: (options.role == Role::Node)
                .then(|| reaches.get(&nic.name).cloned().unwrap_or_default()),
            dhcp: (options.role == Role::Installer)
                .then(|| leased.as_deref() == Some(nic.name.as_str())),
        })
        .collect();
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nameserver_lines_in_order() {
        let text =
            "# comment\nsearch x\nnameserver 192.0.2.53\nnameserver   192.0.2.54 \noptions a\n";
        assert_eq!(nameservers(text), ["192.0.2.53", "192.0.2.54"]);
    }
}
