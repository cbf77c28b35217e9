//! Reading `hvp_*` kernel command line values the way the original does, with validation.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::OnceLock;

use ipnet::Ipv4Net;
use regex::Regex;

use super::error::Findings;
use super::mode::Mode;
use crate::input::numbers::parse_whole;

/// The kernel command line `hvp_*` parameters of a probe document.
pub(crate) struct Cmdline<'a> {
    values: &'a BTreeMap<String, String>,
    mode: Mode,
}

/// A network given as `A/P`: the network, and the address when it is not the network itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NetworkValue {
    pub net: Ipv4Net,
    pub explicit_ip: Option<Ipv4Addr>,
}

fn node_name_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[-A-Za-z0-9]+$").unwrap_or_else(|_| unreachable!()))
}

fn host_name_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[A-Za-z0-9]+$").unwrap_or_else(|_| unreachable!()))
}

/// Whether a node name is acceptable (`^[-A-Za-z0-9]+$`).
pub(crate) fn is_node_name(name: &str) -> bool {
    node_name_regex().is_match(name)
}

impl<'a> Cmdline<'a> {
    pub fn new(values: &'a BTreeMap<String, String>, mode: Mode) -> Self {
        Cmdline { values, mode }
    }

    /// The value of a parameter: its first non-blank run; absent when missing or blank.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.values.get(name)?.split_whitespace().next()
    }

    /// A digits-only parameter. Invalid values are ignored in compat mode (as the original
    /// does) and refused in the default mode.
    pub fn number(&self, name: &str, findings: &mut Findings) -> Option<u32> {
        let value = self.get(name)?;
        match parse_whole(value, u64::from(u32::MAX)) {
            Ok(number) => u32::try_from(number).ok(),
            Err(error) => {
                findings.strict(
                    self.mode.is_compat(),
                    name,
                    format!("{value:?} {error}, so it is ignored"),
                    format!("give digits only, e.g. {name}=20"),
                );
                None
            }
        }
    }

    /// A host name parameter (`^[A-Za-z0-9]+$`, no hyphen).
    pub fn host_name(&self, name: &str, findings: &mut Findings) -> Option<&'a str> {
        let value = self.get(name)?;
        if host_name_regex().is_match(value) {
            return Some(value);
        }
        findings.strict(
            self.mode.is_compat(),
            name,
            format!("{value:?} is not a valid name (letters and digits only), so it is ignored"),
            format!("use letters and digits only, e.g. {name}=twilight"),
        );
        None
    }

    /// A network parameter `A/P` (P a prefix length or a dotted netmask).
    ///
    /// A value without `/P` or that does not parse is ignored in compat mode (EL7 `ipcalc`
    /// refuses it) and refused in the default mode.
    pub fn network(&self, name: &str, findings: &mut Findings) -> Option<NetworkValue> {
        let value = self.get(name)?;
        match parse_network(value) {
            Ok(network) => Some(network),
            Err(reason) => {
                findings.strict(
                    self.mode.is_compat(),
                    name,
                    format!("{value:?} {reason}, so it is ignored"),
                    format!("write address/prefix, e.g. {name}=172.20.10.0/24"),
                );
                None
            }
        }
    }

    /// An IPv4 address parameter; a value that is not one is always refused.
    pub fn address(&self, name: &str, findings: &mut Findings) -> Option<Ipv4Addr> {
        let value = self.get(name)?;
        parse_address(name, value, findings)
    }

    /// The names of all parameters.
    pub fn names(&self) -> impl Iterator<Item = &'a String> {
        self.values.keys()
    }
}

/// Parses an address, recording a problem naming `subject` if it is not one.
pub(crate) fn parse_address(
    subject: &str,
    value: &str,
    findings: &mut Findings,
) -> Option<Ipv4Addr> {
    match value.parse() {
        Ok(address) => Some(address),
        Err(_) => {
            findings.problem(
                subject,
                format!("{value:?} is not an IPv4 address"),
                format!("give a dotted quad, e.g. {subject}=172.20.10.5"),
            );
            None
        }
    }
}

/// Digits only (`^[0-9]+$`), fitting in 32 bits.
pub(crate) fn parse_digits(value: &str) -> Option<u32> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// Parses `A/P` or `A/netmask`.
pub(crate) fn parse_network(value: &str) -> Result<NetworkValue, String> {
    let (address, mask) = value.split_once('/').ok_or("has no /prefix")?;
    let address: Ipv4Addr = address
        .parse()
        .map_err(|_| format!("has an invalid address {address:?}"))?;
    let prefix =
        parse_prefix(mask).ok_or_else(|| format!("has an invalid prefix or netmask {mask:?}"))?;
    let net = Ipv4Net::new(address, prefix)
        .map_err(|_| format!("has an invalid prefix {mask:?}"))?
        .trunc();
    let explicit_ip = (address != net.network()).then_some(address);
    Ok(NetworkValue { net, explicit_ip })
}

/// A prefix length (`24`) or a contiguous dotted netmask (`255.255.255.0`).
pub(crate) fn parse_prefix(mask: &str) -> Option<u8> {
    if let Some(prefix) = parse_digits(mask) {
        return u8::try_from(prefix).ok().filter(|p| *p <= 32);
    }
    let mask: Ipv4Addr = mask.parse().ok()?;
    ipnet::ipv4_mask_to_prefix(mask).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_with_and_without_an_explicit_address() {
        let value = parse_network("172.20.10.48/24").unwrap();
        assert_eq!(value.net.to_string(), "172.20.10.0/24");
        assert_eq!(value.explicit_ip, Some("172.20.10.48".parse().unwrap()));
        let value = parse_network("10.0.0.0/255.255.0.0").unwrap();
        assert_eq!(value.net.to_string(), "10.0.0.0/16");
        assert_eq!(value.explicit_ip, None);
        assert!(parse_network("10.0.0.5")
            .unwrap_err()
            .contains("no /prefix"));
        assert!(parse_network("10.0.0.5/33").is_err());
        assert!(parse_network("10.0.0.5/255.0.255.0").is_err());
    }

    #[test]
    fn compat_ignores_bad_numbers_default_refuses_them() {
        let values = BTreeMap::from([("hvp_nodes_offset".to_string(), "4x".to_string())]);
        let mut findings = Findings::default();
        assert_eq!(
            Cmdline::new(&values, Mode::Compat).number("hvp_nodes_offset", &mut findings),
            None
        );
        assert!(findings.problems.is_empty());
        assert_eq!(
            Cmdline::new(&values, Mode::Default).number("hvp_nodes_offset", &mut findings),
            None
        );
        assert_eq!(findings.problems[0].subject, "hvp_nodes_offset");
    }

    #[test]
    fn values_are_the_first_non_blank_run() {
        let values = BTreeMap::from([
            ("hvp_nodeid".to_string(), " 2 ".to_string()),
            ("hvp_gateway".to_string(), "  ".to_string()),
        ]);
        let cmdline = Cmdline::new(&values, Mode::Compat);
        assert_eq!(cmdline.get("hvp_nodeid"), Some("2"));
        assert_eq!(cmdline.get("hvp_gateway"), None);
        assert!(is_node_name("node-4"));
        assert!(!is_node_name("b_c"));
    }
}
