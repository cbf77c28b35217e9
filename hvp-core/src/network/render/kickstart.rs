//! The plan as kickstart `network` directives, exactly as the original wrote them (spec §6.2).

use crate::network::plan::{BootProto, ZonePlan};
use crate::network::probe::Role;
use crate::network::{NetworkPlan, Zone};

/// One `network` line per present zone (in plan order), then one per unused NIC.
pub fn kickstart(plan: &NetworkPlan) -> String {
    let mut out = String::new();
    for zone in &plan.zones.0 {
        out.push_str(&zone_line(plan.role, zone));
        out.push('\n');
    }
    for nic in &plan.unused_nics {
        out.push_str(&format!(
            "network --device={} --no-activate --nodefroute --onboot=no\n",
            nic.name
        ));
    }
    out
}

fn zone_line(role: Role, zone: &ZonePlan) -> String {
    let mut line = format!("network --device={}", zone.device);
    if let Some(bond) = &zone.bond {
        line.push_str(&format!(
            " --bondslaves={} --bondopts={}",
            zone.slaves.join(","),
            bond.options
        ));
    }
    line.push_str(" --activate --onboot=yes");
    match zone.bootproto {
        BootProto::Dhcp => line.push_str(" --bootproto=dhcp"),
        BootProto::Static => line.push_str(&format!(
            " --bootproto=static --ip={} --netmask={} --mtu={}",
            zone.address.map(|a| a.to_string()).unwrap_or_default(),
            zone.netmask.map(|a| a.to_string()).unwrap_or_default(),
            zone.mtu.map(|m| m.to_string()).unwrap_or_default(),
        )),
    }
    // The original writes "<options> ${extra}" with extra made of " --option" pieces.
    line.push(' ');
    line.push_str(&extra(role, zone));
    line
}

fn extra(role: Role, zone: &ZonePlan) -> String {
    let mut extra = String::new();
    if zone.default_route {
        extra.push_str(&format!(
            " --gateway={} --nameserver={}",
            zone.gateway.as_deref().unwrap_or_default(),
            zone.nameserver.as_deref().unwrap_or_default()
        ));
    } else if !(role == Role::Installer && zone.zone == Zone::External) {
        extra.push_str(" --nodefroute");
    }
    if let Some(hostname) = &zone.hostname {
        extra.push_str(&format!(" --hostname={hostname}"));
    }
    extra
}
