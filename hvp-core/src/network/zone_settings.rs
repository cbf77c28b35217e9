//! Per-zone settings: network, MTU, bond options, domain, bridge and test address of each zone,
//! from hard-coded defaults, fragments and `hvp_<zone>*` kernel parameters (spec §1.2, §1.3).

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::bond::{self, BondModeSource, ResolvedBond};
use super::error::Findings;
use super::fragment::ShellVars;
use super::mode::Mode;
use super::params::{parse_digits, parse_prefix, Cmdline};
use super::probe::Role;
use super::settings::{ZoneNet, ZoneSettings, MAX_MTU, MIN_MTU};
use super::zone::Zone;
use crate::input::names::NameKind;

/// The hard-coded default network of a zone (`172.20.1x.0/24`, external DHCP).
pub(crate) fn default_net(zone: Zone) -> ZoneNet {
    match zone.default_third_octet() {
        Some(octet) => ZoneNet::Static(Ipv4Net::new_assert(Ipv4Addr::new(172, 20, octet, 0), 24)),
        None => ZoneNet::Dhcp,
    }
}

pub(crate) fn resolve_zone(
    zone: Zone,
    role: Role,
    vars: &ShellVars,
    cmdline: &Cmdline,
    mode: Mode,
    findings: &mut Findings,
) -> ZoneSettings {
    let name = zone.name();
    let param = |suffix: &str| format!("hvp_{name}_{suffix}");
    let mut net = fragment_net(zone, vars, findings).unwrap_or_else(|| default_net(zone));
    let mut explicit_ip = None;
    if let Some(value) = cmdline.network(&format!("hvp_{name}"), findings) {
        net = ZoneNet::Static(value.net);
        explicit_ip = value.explicit_ip;
    }
    if role == Role::Installer {
        if let Some(address) = cmdline.address(&param("my_ip"), findings) {
            explicit_ip = Some(address);
        }
    }
    let default_mtu = if zone == Zone::External {
        // The installer's default external MTU is the literal "dhcp" even when the network is
        // made static: it cannot be set, so a static external needs hvp_external_mtu (§11).
        "dhcp"
    } else {
        "1500"
    };
    let mtu_text = cmdline
        .get(&param("mtu"))
        .or_else(|| vars.element("mtu", name))
        .unwrap_or(default_mtu)
        .to_string();
    let mtu = parse_digits(&mtu_text);
    check_mtu(zone, &net, mtu, &mtu_text, &param("mtu"), mode, findings);
    let bond = resolve_bond(zone, role, vars, cmdline, mode, findings);
    let domain = cmdline
        .get(&param("domainname"))
        .or_else(|| vars.element("domain_name", name))
        .map(str::to_string)
        .unwrap_or_else(|| format!("{name}.private"));
    let bridge = zone.default_bridge().map(|default| {
        cmdline
            .get(&param("bridge"))
            .or_else(|| vars.element("bridge_name", name))
            .unwrap_or(default)
            .to_string()
    });
    check_name(
        NameKind::HostName,
        &domain,
        &param("domainname"),
        mode,
        findings,
    );
    if let Some(bridge) = &bridge {
        check_name(
            NameKind::NetDevice,
            bridge,
            &param("bridge"),
            mode,
            findings,
        );
    }
    let test_ip = match role {
        Role::Node => cmdline
            .get(&param("test_ip"))
            .or_else(|| vars.element("test_ip", name))
            .map(str::to_string),
        Role::Installer => None,
    };
    ZoneSettings {
        zone,
        net,
        explicit_ip,
        mtu,
        mtu_text,
        bond,
        domain,
        bridge,
        test_ip,
    }
}

/// Checks a name-valued setting with the shared validator of its kind.
fn check_name(kind: NameKind, value: &str, param: &str, mode: Mode, findings: &mut Findings) {
    if let Err(error) = kind.check(value) {
        findings.strict(mode.is_compat(), param, error.to_string(), error.fix());
    }
}

fn check_mtu(
    zone: Zone,
    net: &ZoneNet,
    mtu: Option<u32>,
    text: &str,
    param: &str,
    mode: Mode,
    findings: &mut Findings,
) {
    if *net == ZoneNet::Dhcp {
        return;
    }
    let compat = mode.is_compat();
    match mtu {
        None if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => findings.strict(
            compat,
            param,
            format!("MTU {text} is too large, so no NIC can join {zone}"),
            format!("set {param} between {MIN_MTU} and {MAX_MTU}, e.g. {param}=1500 or {param}=9000"),
        ),
        None if zone == Zone::External => findings.strict(
            compat,
            param,
            format!("a static external network needs a numeric MTU, not {text:?}; without one no NIC can join it"),
            format!("set {param}=1500"),
        ),
        None => findings.strict(
            compat,
            param,
            format!("{text:?} is not a number, so no NIC can join {zone}"),
            format!("set {param} to a number between {MIN_MTU} and {MAX_MTU}, e.g. {param}=1500"),
        ),
        Some(value) if !(MIN_MTU..=MAX_MTU).contains(&value) => findings.strict(
            compat,
            param,
            format!("MTU {value} is outside {MIN_MTU}..{MAX_MTU}"),
            format!("set {param} between {MIN_MTU} and {MAX_MTU}, e.g. {param}=1500 or {param}=9000"),
        ),
        Some(_) => {}
    }
}

fn resolve_bond(
    zone: Zone,
    role: Role,
    vars: &ShellVars,
    cmdline: &Cmdline,
    mode: Mode,
    findings: &mut Findings,
) -> ResolvedBond {
    let name = zone.name();
    let param = format!("hvp_{name}_bondmode");
    if let Some(mode_name) = cmdline.get(&param) {
        let source = match role {
            Role::Node => BondModeSource::NodeCmdline,
            Role::Installer => BondModeSource::InstallerCmdline,
        };
        return bond::resolve_mode_name(zone, mode_name, source, &param, mode, findings);
    }
    match role {
        Role::Node => {
            if let Some(options) = vars.element("bondopts", name) {
                bond::check_raw_options(
                    zone,
                    options,
                    &format!("fragment bondopts['{name}']"),
                    mode,
                    findings,
                );
                return ResolvedBond {
                    mode_name: mode_name_of(options),
                    options: options.to_string(),
                };
            }
        }
        Role::Installer => {
            if let Some(mode_name) = vars.element("bondmode", name) {
                let subject = format!("fragment bondmode['{name}']");
                return bond::resolve_mode_name(
                    zone,
                    mode_name,
                    BondModeSource::InstallerFragment,
                    &subject,
                    mode,
                    findings,
                );
            }
        }
    }
    ResolvedBond {
        mode_name: "activepassive".to_string(),
        options: bond::ACTIVE_BACKUP.to_string(),
    }
}

fn mode_name_of(options: &str) -> String {
    let mode = options
        .split(';')
        .find_map(|o| o.trim().strip_prefix("mode="))
        .unwrap_or("");
    match mode {
        "active-backup" | "1" => "activepassive",
        "802.3ad" | "4" => "lacp",
        "balance-rr" | "0" => "roundrobin",
        _ => "custom",
    }
    .to_string()
}

fn fragment_net(zone: Zone, vars: &ShellVars, findings: &mut Findings) -> Option<ZoneNet> {
    let name = zone.name();
    let network = vars.element("network", name);
    let netmask = vars.element("netmask", name);
    if network.is_none() && netmask.is_none() {
        return None;
    }
    if network == Some("dhcp") {
        return Some(ZoneNet::Dhcp);
    }
    let default = match default_net(zone) {
        ZoneNet::Static(net) => Some(net),
        ZoneNet::Dhcp => None,
    };
    let address = match network {
        Some(text) => text.parse::<Ipv4Addr>().ok(),
        None => default.map(|net| net.network()),
    };
    let prefix = match netmask {
        Some(text) => parse_prefix(text),
        None => default.map(|net| net.prefix_len()).or(Some(24)),
    };
    match (address, prefix) {
        (Some(address), Some(prefix)) => Ipv4Net::new(address, prefix)
            .ok()
            .map(|net| ZoneNet::Static(net.trunc())),
        _ => {
            findings.problem(
                format!("fragment network['{name}'] / netmask['{name}']"),
                format!(
                    "{:?} / {:?} is not a network and netmask",
                    network.unwrap_or_default(),
                    netmask.unwrap_or_default()
                ),
                format!("fix the fragment, or give hvp_{name}=172.20.10.0/24 on the kernel command line"),
            );
            None
        }
    }
}

/// Flags `hvp_<word>_<zone setting>` parameters whose `<word>` is not a zone (typos).
pub(crate) fn check_zone_parameter_names(cmdline: &Cmdline, mode: Mode, findings: &mut Findings) {
    const SUFFIXES: [&str; 6] = [
        "_mtu",
        "_bondmode",
        "_domainname",
        "_bridge",
        "_test_ip",
        "_my_ip",
    ];
    for name in cmdline.names() {
        let Some(rest) = name.strip_prefix("hvp_") else {
            continue;
        };
        let Some(word) = SUFFIXES.iter().find_map(|suffix| rest.strip_suffix(suffix)) else {
            continue;
        };
        if word.is_empty() || word.contains('_') || Zone::parse(word).is_some() {
            continue;
        }
        let best = Zone::INSTALLER_PRIORITY
            .iter()
            .max_by(|a, b| {
                strsim::jaro_winkler(word, a.name())
                    .total_cmp(&strsim::jaro_winkler(word, b.name()))
            })
            .map(|zone| zone.name())
            .unwrap_or("mgmt");
        findings.strict(
            mode.is_compat(),
            name.as_str(),
            format!("{word:?} is not a zone, so the parameter has no effect"),
            format!(
                "use a zone name (mgmt, gluster, lan, internal, external), e.g. {}",
                name.replacen(word, best, 1)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(text: &str) -> ShellVars {
        ShellVars::read(&[("hvp_parameters.sh", text)]).0
    }

    #[test]
    fn raw_bond_options_are_named_by_their_mode() {
        assert_eq!(
            mode_name_of("mode=802.3ad;xmit_hash_policy=layer2+3;miimon=100"),
            "lacp"
        );
        assert_eq!(mode_name_of("miimon=100;mode=balance-rr"), "roundrobin");
        assert_eq!(
            mode_name_of("mode=active-backup;miimon=100"),
            "activepassive"
        );
        assert_eq!(mode_name_of("mode=balance-alb"), "custom");
    }

    #[test]
    fn fragment_networks_combine_network_and_netmask() {
        let mut findings = Findings::default();
        let net = |text: &str, zone: Zone, findings: &mut Findings| {
            fragment_net(zone, &vars(text), findings)
        };
        assert_eq!(
            net(
                "network['lan']=10.9.0.0\nnetmask['lan']=255.255.0.0\n",
                Zone::Lan,
                &mut findings
            ),
            Some(ZoneNet::Static("10.9.0.0/16".parse().unwrap()))
        );
        // A netmask alone narrows the default network.
        assert_eq!(
            net(
                "netmask['mgmt']=255.255.255.128\n",
                Zone::Mgmt,
                &mut findings
            ),
            Some(ZoneNet::Static("172.20.10.0/25".parse().unwrap()))
        );
        assert_eq!(
            net("network['external']=dhcp\n", Zone::External, &mut findings),
            Some(ZoneNet::Dhcp)
        );
        assert_eq!(net("mtu['lan']=9000\n", Zone::Lan, &mut findings), None);
        assert!(findings.problems.is_empty());
        assert_eq!(
            net("network['lan']=10.9.0\n", Zone::Lan, &mut findings),
            None
        );
        assert_eq!(
            findings.problems[0].subject,
            "fragment network['lan'] / netmask['lan']"
        );
    }
}
