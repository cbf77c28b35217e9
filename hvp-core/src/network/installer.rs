//! Installer role: NICs in name order each take the first free zone in priority order; a NIC
//! that gets a DHCP lease takes the external uplink (spec §2.2). One NIC per zone, no bonds.

use super::nics::{accepts_mtu, Assignment, UnusedNic, UnusedReason};
use super::probe::ProbedNic;
use super::settings::{Settings, ZoneNet};

/// Assigns the candidate NICs (already sorted) to zones.
pub(crate) fn assign<'a>(nics: &[&'a ProbedNic], settings: &Settings) -> Assignment<'a> {
    let mut assignment = Assignment::default();
    for &nic in nics {
        if !nic.carrier {
            assignment
                .unused
                .push(UnusedNic::new(nic, UnusedReason::NoCarrier));
            continue;
        }
        let free: Vec<_> = settings
            .installer_priority
            .iter()
            .filter(|zone| !assignment.has(**zone))
            .collect();
        let taken = free.iter().copied().find(|&&zone| {
            settings.zone(zone).is_some_and(|zs| match zs.net {
                ZoneNet::Dhcp => nic.dhcp == Some(true),
                ZoneNet::Static(_) => accepts_mtu(nic, zs.mtu),
            })
        });
        match taken {
            Some(&zone) => assignment.add(zone, nic),
            None if free.is_empty() => assignment
                .unused
                .push(UnusedNic::new(nic, UnusedReason::ZonesFull)),
            None => assignment
                .unused
                .push(UnusedNic::new(nic, UnusedReason::NoZoneReached)),
        }
    }
    assignment
}
