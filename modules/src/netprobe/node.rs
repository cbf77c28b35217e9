//! The node probe of one interface: for each zone, set the zone MTU and a temporary address,
//! ping the zone's test address, take the address away; finally restore the interface.

use super::error::ProbeError;
use super::guard::{AddOutcome, NicGuard};
use super::ping::{self, PingTiming};
use super::zones::ZoneProbe;

/// Probes one interface on every zone and returns the zones whose test address answered, in
/// probe order. The interface is restored before this returns, also on error.
pub fn probe_nic(
    nic: &str,
    max_mtu: Option<u32>,
    zones: &[ZoneProbe],
    timing: &PingTiming,
    report: &mut dyn FnMut(String),
) -> Result<Vec<String>, ProbeError> {
    let guard = NicGuard::take(nic)?;
    let reached = probe_zones(&guard, max_mtu, zones, timing, report);
    let restored = guard.finish();
    let reached = reached?;
    restored?;
    Ok(reached)
}

fn probe_zones(
    guard: &NicGuard,
    max_mtu: Option<u32>,
    zones: &[ZoneProbe],
    timing: &PingTiming,
    report: &mut dyn FnMut(String),
) -> Result<Vec<String>, ProbeError> {
    let nic = guard.nic();
    let mut reached = Vec::new();
    for zone in zones {
        if max_mtu.is_some_and(|max| max < zone.mtu) {
            report(format!(
                "{nic}: {} skipped, MTU {} is above the NIC's maximum {}",
                zone.zone,
                zone.mtu,
                max_mtu.unwrap_or_default()
            ));
            continue;
        }
        if !guard.set_mtu(zone.mtu)? {
            report(format!(
                "{nic}: {} skipped, MTU {} not accepted",
                zone.zone, zone.mtu
            ));
            continue;
        }
        let cidr = zone.cidr();
        let added = guard.add_address(&cidr)?;
        if added == AddOutcome::Refused {
            report(format!(
                "{nic}: {} skipped, address {cidr} not accepted",
                zone.zone
            ));
            continue;
        }
        guard.set_up()?;
        guard.forget_neighbours()?;
        let answered = ping::reaches(nic, zone.mtu, zone.test_ip, timing);
        if added == AddOutcome::Added {
            guard.remove_address(&cidr)?;
        }
        if answered? {
            report(format!(
                "{nic}: {} reached ({} answered {cidr} with MTU {})",
                zone.zone, zone.test_ip, zone.mtu
            ));
            reached.push(zone.zone.name().to_owned());
        } else {
            report(format!(
                "{nic}: {} not reached ({} did not answer {cidr} with MTU {})",
                zone.zone, zone.test_ip, zone.mtu
            ));
        }
    }
    Ok(reached)
}
