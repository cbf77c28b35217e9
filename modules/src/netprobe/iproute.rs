//! Thin wrappers around `ip -json` (iproute2): read links, addresses and default routes, and
//! change MTU, addresses and link state. Argument vectors only, never a shell.

use std::process::Command;

use serde::Deserialize;

use super::error::ProbeError;

/// One link as `ip -details -json link show` reports it (the fields the probe uses).
#[derive(Debug, Clone, Deserialize)]
pub struct Link {
    /// Interface name.
    pub ifname: String,
    /// Current MTU.
    #[serde(default)]
    pub mtu: u32,
    /// Largest MTU the driver accepts; absent for some link types.
    #[serde(default)]
    pub max_mtu: Option<u32>,
    /// Hardware address.
    #[serde(default)]
    pub address: Option<String>,
    /// Link type (`ether`, `loopback`, `none`, ...).
    #[serde(default)]
    pub link_type: Option<String>,
    /// Interface flags (`UP`, `LOWER_UP`, ...).
    #[serde(default)]
    pub flags: Vec<String>,
    /// The bridge or bond this interface is enslaved to.
    #[serde(default)]
    pub master: Option<String>,
}

impl Link {
    /// True when the link is administratively up.
    pub fn is_up(&self) -> bool {
        self.flags.iter().any(|flag| flag == "UP")
    }
}

/// One address of an interface, as `ip -json addr show` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Address {
    /// `inet` or `inet6`.
    pub family: String,
    /// The address itself.
    pub local: String,
    /// Prefix length.
    pub prefixlen: u8,
    /// Scope (`global`, `link`, `host`).
    #[serde(default)]
    pub scope: Option<String>,
    /// Broadcast address (IPv4), if set.
    #[serde(default)]
    pub broadcast: Option<String>,
}

impl Address {
    /// `local/prefixlen`, as `ip addr add` takes it.
    pub fn cidr(&self) -> String {
        format!("{}/{}", self.local, self.prefixlen)
    }

    /// True for addresses the kernel manages itself (IPv6 link-local), which come and go with
    /// the link state and are never restored by hand.
    pub fn is_kernel_managed(&self) -> bool {
        self.family == "inet6" && self.scope.as_deref() == Some("link")
    }
}

#[derive(Debug, Deserialize)]
struct AddrEntry {
    #[serde(default)]
    addr_info: Vec<Address>,
}

#[derive(Debug, Deserialize)]
struct Route {
    #[serde(default)]
    dev: Option<String>,
    #[serde(default)]
    nexthops: Vec<Nexthop>,
}

#[derive(Debug, Deserialize)]
struct Nexthop {
    #[serde(default)]
    dev: Option<String>,
}

fn describe(program: &str, args: &[&str]) -> String {
    std::iter::once(program)
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `program args...` and returns its stdout; a non-zero exit is an error with its stderr.
pub fn run(program: &str, args: &[&str]) -> Result<String, ProbeError> {
    let command = describe(program, args);
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|source| ProbeError::Spawn {
            command: command.clone(),
            source,
        })?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(ProbeError::Command {
            command,
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        })
    }
}

fn ip_json<T: for<'de> Deserialize<'de>>(args: &[&str]) -> Result<T, ProbeError> {
    let text = run("ip", args)?;
    let text = if text.trim().is_empty() { "[]" } else { &text };
    serde_json::from_str(text).map_err(|error| ProbeError::Parse {
        command: describe("ip", args),
        detail: error.to_string(),
    })
}

/// Every link of this network namespace, with details (`max_mtu`).
pub fn links() -> Result<Vec<Link>, ProbeError> {
    ip_json(&["-details", "-json", "link", "show"])
}

/// One link, with details.
pub fn link(nic: &str) -> Result<Link, ProbeError> {
    let links: Vec<Link> = ip_json(&["-details", "-json", "link", "show", "dev", nic])?;
    links
        .into_iter()
        .next()
        .ok_or_else(|| ProbeError::NoSuchInterface(nic.to_owned()))
}

/// The addresses of one interface, both families.
pub fn addresses(nic: &str) -> Result<Vec<Address>, ProbeError> {
    let entries: Vec<AddrEntry> = ip_json(&["-json", "addr", "show", "dev", nic])?;
    Ok(entries
        .into_iter()
        .flat_map(|entry| entry.addr_info)
        .collect())
}

/// The interfaces that carry a default route (IPv4 or IPv6, main table, multipath included).
pub fn default_route_devices() -> Result<Vec<String>, ProbeError> {
    let mut devices = Vec::new();
    for family in ["-4", "-6"] {
        let routes: Vec<Route> = ip_json(&[family, "-json", "route", "show", "default"])?;
        for route in routes {
            devices.extend(route.dev);
            devices.extend(route.nexthops.into_iter().filter_map(|hop| hop.dev));
        }
    }
    devices.sort();
    devices.dedup();
    Ok(devices)
}

/// `ip link set dev NIC mtu MTU`.
pub fn set_mtu(nic: &str, mtu: u32) -> Result<(), ProbeError> {
    run("ip", &["link", "set", "dev", nic, "mtu", &mtu.to_string()]).map(drop)
}

/// `ip link set dev NIC up|down`.
pub fn set_up(nic: &str, up: bool) -> Result<(), ProbeError> {
    let state = if up { "up" } else { "down" };
    run("ip", &["link", "set", "dev", nic, state]).map(drop)
}

/// `ip addr add CIDR [broadcast +] dev NIC`.
pub fn add_address(nic: &str, cidr: &str, ipv4: bool) -> Result<(), ProbeError> {
    if ipv4 {
        run("ip", &["addr", "add", cidr, "broadcast", "+", "dev", nic]).map(drop)
    } else {
        run("ip", &["addr", "add", cidr, "dev", nic]).map(drop)
    }
}

/// `ip addr del CIDR dev NIC`.
pub fn del_address(nic: &str, cidr: &str) -> Result<(), ProbeError> {
    run("ip", &["addr", "del", cidr, "dev", nic]).map(drop)
}

/// `ip neigh flush dev NIC`: forgets the interface's neighbour (ARP) cache, so that the next
/// ping starts with an ARP request, which also updates the answering host's cache when another
/// NIC used the same temporary address before.
pub fn flush_neighbours(nic: &str) -> Result<(), ProbeError> {
    run("ip", &["neigh", "flush", "dev", nic]).map(drop)
}
