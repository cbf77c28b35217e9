//! Parameter resolution: hard-coded defaults, then fragments, then the kernel command line,
//! into one resolved [`Settings`] (spec §1.2, §5.1).

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::bond::ResolvedBond;
use super::error::Findings;
use super::fragment::ShellVars;
use super::mode::Mode;
use super::parameter_names::check_parameters;
use super::params::{is_node_name, parse_address, Cmdline};
use super::probe::{ProbeDocument, Role};
use super::zone::Zone;
use super::zone_settings::{check_zone_parameter_names, resolve_zone};
use crate::input::numbers::parse_whole;

/// Largest node count the planner accepts (it lists every node's addresses).
pub const MAX_NODES: u32 = 1000;
/// Smallest MTU the default mode accepts.
pub const MIN_MTU: u32 = 1280;
/// Largest MTU the default mode accepts (common jumbo-frame ceiling).
pub const MAX_MTU: u32 = 9216;

/// How a zone is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneNet {
    /// A DHCP client (the installer's default external uplink).
    Dhcp,
    /// A static network.
    Static(Ipv4Net),
}

/// The resolved settings of one zone, before any NIC is assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneSettings {
    /// The zone.
    pub zone: Zone,
    /// Its network.
    pub net: ZoneNet,
    /// This machine's address given explicitly (`hvp_<zone>=A/P` with A not the network, or
    /// on the installer `hvp_<zone>_my_ip`).
    pub explicit_ip: Option<Ipv4Addr>,
    /// The MTU; `None` when the value cannot be set on any NIC (e.g. the literal `dhcp`).
    pub mtu: Option<u32>,
    /// The MTU as given.
    pub mtu_text: String,
    /// Bond mode name and options.
    pub bond: ResolvedBond,
    /// DNS domain.
    pub domain: String,
    /// Bridge name (none for gluster and external).
    pub bridge: Option<String>,
    /// Explicit test address text (node role; `None` means network + test offset).
    pub test_ip: Option<String>,
}

/// Offsets from a zone's base address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Offsets {
    /// Node j is at base + `node` + j (`hvp_nodes_offset`, default 10).
    pub node: u32,
    /// BMC of node j is at base + `bmc` + j (`hvp_bmcs_offset`, default 100).
    pub bmc: u32,
    /// Storage (CTDB public) address k is at base + `storage` + k (`hvp_storage_offset`, 30).
    pub storage: u32,
    /// Test address (the installer) at network + `test` (1).
    pub test: u32,
    /// Switch (200).
    pub switch: u32,
    /// Engine VM (5).
    pub engine: u32,
    /// Metrics VM (6).
    pub metrics: u32,
    /// Active Directory domain controller (220).
    pub ad_dc: u32,
    /// The installer's own address on each zone (1).
    pub installer: u32,
    /// First DHCP pool address (`hvp_dhcp_offset`, 50).
    pub dhcp_start: u32,
    /// DHCP pool size (`hvp_dhcp_count`, 20).
    pub dhcp_count: u32,
}

impl Default for Offsets {
    fn default() -> Self {
        Offsets {
            node: 10,
            bmc: 100,
            storage: 30,
            test: 1,
            switch: 200,
            engine: 5,
            metrics: 6,
            ad_dc: 220,
            installer: 1,
            dhcp_start: 50,
            dhcp_count: 20,
        }
    }
}

/// Addresses given explicitly instead of derived from offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExplicitAddresses {
    /// `hvp_switch` / `switch_ip`.
    pub switch: Option<Ipv4Addr>,
    /// `hvp_engine` / `engine_ip`.
    pub engine: Option<Ipv4Addr>,
    /// `hvp_metrics` / `metrics_ip`.
    pub metrics: Option<Ipv4Addr>,
    /// `hvp_ad_dc` / `ad_dc_ip`.
    pub ad_dc: Option<Ipv4Addr>,
}

/// Every input of the planner except the NIC observations, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Installer or node.
    pub role: Role,
    /// The planner mode.
    pub mode: Mode,
    /// Zones in declaration order (`mgmt, gluster, lan, internal`, then `external` on the installer).
    pub zones: Vec<ZoneSettings>,
    /// This node's index (0 on the installer).
    pub node_index: u32,
    /// Number of nodes in the cluster.
    pub node_count: u32,
    /// Index of the master node.
    pub master_index: u32,
    /// Node names by index.
    pub node_names: Vec<String>,
    /// The installer's host name.
    pub installer_name: String,
    /// Offsets.
    pub offsets: Offsets,
    /// Explicit service addresses.
    pub explicit: ExplicitAddresses,
    /// The gateway as given (`hvp_gateway` / `my_gateway`); `None` means the role's default.
    pub gateway: Option<String>,
    /// The nameserver(s) for the install, resolved.
    pub nameserver: String,
    /// DNS forwarders.
    pub forwarders: String,
    /// The installer's zone priority.
    pub installer_priority: Vec<Zone>,
}

impl Settings {
    /// The settings of a zone, if this role has it.
    pub fn zone(&self, zone: Zone) -> Option<&ZoneSettings> {
        self.zones.iter().find(|z| z.zone == zone)
    }
}

const DEFAULT_NODE_NAMES: [&str; 4] = ["pinkiepie", "applejack", "rarity", "fluttershy"];

/// Resolves defaults, fragments and command line into [`Settings`], recording problems.
pub(crate) fn resolve(doc: &ProbeDocument, mode: Mode, findings: &mut Findings) -> Settings {
    let compat = mode.is_compat();
    let fragments: Vec<(&str, &str)> = doc
        .fragments
        .iter()
        .map(|f| (f.name.as_str(), f.text.as_str()))
        .collect();
    let (vars, ignored) = ShellVars::read(&fragments);
    for line in ignored {
        findings.strict(
            compat,
            format!("fragment {} line {}", line.fragment, line.line),
            format!("{}; the line has no effect", line.reason),
            "write plain name=value assignments, or give the value as a kernel parameter",
        );
    }
    let cmdline = Cmdline::new(&doc.parameters, mode);
    let zone_list: &[Zone] = match doc.role {
        Role::Node => &Zone::NODE_ZONES,
        Role::Installer => &[
            Zone::Mgmt,
            Zone::Gluster,
            Zone::Lan,
            Zone::Internal,
            Zone::External,
        ],
    };
    let zones = zone_list
        .iter()
        .map(|&zone| resolve_zone(zone, doc.role, &vars, &cmdline, mode, findings))
        .collect();
    check_zone_parameter_names(&cmdline, mode, findings);
    check_parameters(doc, mode, findings);
    for discarded in ["my_ip", "node_count", "my_index"] {
        if vars.contains(discarded) {
            findings.warn(format!(
                "fragment variable {discarded} has no effect (the original resets it); use the kernel \
                 parameters or default_node_count / default_node_index instead"
            ));
        }
    }

    let offsets = resolve_offsets(&vars, &cmdline, findings);
    let node_count = cmdline
        .number("hvp_nodecount", findings)
        .or_else(|| fragment_number(&vars, "default_node_count", findings))
        .unwrap_or(3);
    let node_count = if node_count > MAX_NODES {
        findings.problem(
            "hvp_nodecount",
            format!("{node_count} nodes is more than the {MAX_NODES} the planner supports"),
            format!("set hvp_nodecount to at most {MAX_NODES}"),
        );
        MAX_NODES
    } else {
        node_count
    };
    let node_index = resolve_node_index(doc, &vars, &cmdline, findings);
    let master_index = cmdline
        .number("hvp_masternodeid", findings)
        .or_else(|| fragment_number(&vars, "master_index", findings))
        .unwrap_or(0);
    let node_names = resolve_node_names(&vars, &cmdline, node_count, mode, findings);
    let installer_name = cmdline
        .host_name("hvp_myname", findings)
        .map(str::to_string)
        .or_else(|| vars.scalar("my_name").map(str::to_string))
        .unwrap_or_else(|| "twilight".to_string());
    let explicit = ExplicitAddresses {
        switch: explicit_address(&cmdline, &vars, "hvp_switch", "switch_ip", findings),
        engine: explicit_address(&cmdline, &vars, "hvp_engine", "engine_ip", findings),
        metrics: explicit_address(&cmdline, &vars, "hvp_metrics", "metrics_ip", findings),
        ad_dc: explicit_address(&cmdline, &vars, "hvp_ad_dc", "ad_dc_ip", findings),
    };
    let gateway = cmdline
        .get("hvp_gateway")
        .or_else(|| vars.scalar("my_gateway"))
        .map(str::to_string);
    let nameserver = resolve_nameserver(doc, &vars, &cmdline, mode, findings);
    let forwarders = cmdline
        .get("hvp_forwarders")
        .or_else(|| vars.scalar("my_forwarders"))
        .unwrap_or("8.8.8.8")
        .to_string();
    let installer_priority = resolve_priority(&vars, mode, findings);
    Settings {
        role: doc.role,
        mode,
        zones,
        node_index,
        node_count,
        master_index,
        node_names,
        installer_name,
        offsets,
        explicit,
        gateway,
        nameserver,
        forwarders,
        installer_priority,
    }
}

fn fragment_number(vars: &ShellVars, name: &str, findings: &mut Findings) -> Option<u32> {
    let value = vars.scalar(name)?;
    match parse_whole(value, u64::from(u32::MAX)) {
        Ok(number) => u32::try_from(number).ok(),
        Err(error) => {
            findings.problem(
                format!("fragment variable {name}"),
                format!("{value:?} {error}"),
                format!("write {name}=<digits> in the fragment"),
            );
            None
        }
    }
}

fn resolve_offsets(vars: &ShellVars, cmdline: &Cmdline, findings: &mut Findings) -> Offsets {
    let defaults = Offsets::default();
    let mut pick = |param: Option<&str>, variable: &str, default: u32| {
        param
            .and_then(|p| cmdline.number(p, findings))
            .or_else(|| fragment_number(vars, variable, findings))
            .unwrap_or(default)
    };
    Offsets {
        node: pick(Some("hvp_nodes_offset"), "node_ip_offset", defaults.node),
        bmc: pick(Some("hvp_bmcs_offset"), "bmc_ip_offset", defaults.bmc),
        storage: pick(
            Some("hvp_storage_offset"),
            "storage_ip_offset",
            defaults.storage,
        ),
        test: pick(None, "test_ip_offset", defaults.test),
        switch: pick(None, "switch_ip_offset", defaults.switch),
        engine: pick(None, "engine_ip_offset", defaults.engine),
        metrics: pick(None, "metrics_ip_offset", defaults.metrics),
        ad_dc: pick(None, "ad_dc_ip_offset", defaults.ad_dc),
        installer: pick(None, "my_ip_offset", defaults.installer),
        dhcp_start: pick(Some("hvp_dhcp_offset"), "dhcp_offset", defaults.dhcp_start),
        dhcp_count: pick(Some("hvp_dhcp_count"), "dhcp_count", defaults.dhcp_count),
    }
}

fn resolve_node_index(
    doc: &ProbeDocument,
    vars: &ShellVars,
    cmdline: &Cmdline,
    findings: &mut Findings,
) -> u32 {
    let from_cmdline = cmdline.number("hvp_nodeid", findings);
    match (doc.node_index, from_cmdline) {
        (Some(document), Some(parameter)) if document != parameter => {
            findings.problem(
                "node_index",
                format!(
                    "the probe document says node_index {document} but hvp_nodeid is {parameter}"
                ),
                "make node_index and hvp_nodeid agree (or drop one of them)",
            );
            document
        }
        (Some(index), _) | (None, Some(index)) => index,
        (None, None) => fragment_number(vars, "default_node_index", findings).unwrap_or(0),
    }
}

fn resolve_node_names(
    vars: &ShellVars,
    cmdline: &Cmdline,
    node_count: u32,
    mode: Mode,
    findings: &mut Findings,
) -> Vec<String> {
    let mut names: Vec<String> = DEFAULT_NODE_NAMES.iter().map(|n| n.to_string()).collect();
    for (index, name) in vars.indexed("node_name") {
        if index >= MAX_NODES as usize {
            findings.problem(
                format!("fragment node_name[{index}]"),
                format!("index {index} is beyond the {MAX_NODES} nodes the planner supports"),
                "name only nodes 0 to hvp_nodecount - 1",
            );
            continue;
        }
        if index >= names.len() {
            names.resize(index + 1, String::new());
        }
        names[index] = name.to_string();
    }
    let count = usize::try_from(node_count).unwrap_or(usize::MAX);
    if names.len() < count {
        names.resize(count, String::new());
    }
    for (index, name) in names.iter_mut().enumerate().take(count) {
        if name.is_empty() {
            *name = format!("node{index}");
        }
    }
    if let Some(list) = cmdline.get("hvp_nodename") {
        let mut position = 0;
        for entry in list.split(',') {
            if is_node_name(entry) {
                if position >= names.len() {
                    names.push(String::new());
                }
                names[position] = entry.to_string();
                position += 1;
            } else {
                findings.strict(
                    mode.is_compat(),
                    "hvp_nodename",
                    format!("{entry:?} is not a valid node name, so it is skipped"),
                    "use letters, digits and hyphens only",
                );
            }
        }
    }
    names
}

fn explicit_address(
    cmdline: &Cmdline,
    vars: &ShellVars,
    param: &str,
    variable: &str,
    findings: &mut Findings,
) -> Option<Ipv4Addr> {
    if cmdline.get(param).is_some() {
        return cmdline.address(param, findings);
    }
    let value = vars.scalar(variable)?;
    parse_address(&format!("fragment variable {variable}"), value, findings)
}

fn resolve_nameserver(
    doc: &ProbeDocument,
    vars: &ShellVars,
    cmdline: &Cmdline,
    mode: Mode,
    findings: &mut Findings,
) -> String {
    let default = match doc.role {
        Role::Node => "8.8.8.8",
        Role::Installer => "dhcp",
    };
    let given = cmdline
        .get("hvp_nameserver")
        .or_else(|| vars.scalar("my_nameserver"))
        .unwrap_or(default);
    if doc.role == Role::Installer && given == "dhcp" {
        // QUIRK (compat): every resolv.conf nameserver line is taken, as a blank-separated list.
        let separator = if mode.is_compat() { " " } else { "," };
        let usable: Vec<&str> = doc
            .nameservers
            .iter()
            .enumerate()
            .filter_map(|(index, server)| {
                if server.parse::<std::net::IpAddr>().is_ok() {
                    return Some(server.as_str());
                }
                findings.strict(
                    mode.is_compat(),
                    format!("nameservers[{index}]"),
                    format!("{server:?} is not an IP address, so it is left out"),
                    "list the nameserver addresses of /etc/resolv.conf, e.g. 192.168.1.1",
                );
                None
            })
            .collect();
        return usable.join(separator);
    }
    given.to_string()
}

fn resolve_priority(vars: &ShellVars, mode: Mode, findings: &mut Findings) -> Vec<Zone> {
    let given = vars.indexed("network_priority");
    if given.is_empty() {
        return Zone::INSTALLER_PRIORITY.to_vec();
    }
    let mut priority = Vec::new();
    for (_, name) in given {
        match Zone::parse(name) {
            Some(zone) if !priority.contains(&zone) => priority.push(zone),
            Some(_) => {}
            None => findings.strict(
                mode.is_compat(),
                "fragment network_priority",
                format!("{name:?} is not a zone"),
                "list only external, mgmt, gluster, lan and internal",
            ),
        }
    }
    priority
}
