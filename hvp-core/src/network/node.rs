//! Node role: each connected NIC joins the first zone, in probe order, whose MTU it can carry
//! and whose test address it reached (spec §3.2). Many NICs on one zone become a bond.

use super::mode::Mode;
use super::nics::{accepts_mtu, Assignment, UnusedNic, UnusedReason};
use super::probe::ProbedNic;
use super::settings::{Settings, ZoneNet};

/// Assigns the candidate NICs (already sorted) to zones.
pub(crate) fn assign<'a>(
    nics: &[&'a ProbedNic],
    settings: &Settings,
    mode: Mode,
) -> Assignment<'a> {
    let mut assignment = Assignment::default();
    for &nic in nics {
        if !nic.carrier {
            assignment
                .unused
                .push(UnusedNic::new(nic, UnusedReason::NoCarrier));
            continue;
        }
        let reached = mode.node_probe_order().into_iter().find(|&zone| {
            settings.zone(zone).is_some_and(|zs| {
                matches!(zs.net, ZoneNet::Static(_))
                    && accepts_mtu(nic, zs.mtu)
                    && nic.reaches.iter().flatten().any(|name| name == zone.name())
            })
        });
        match reached {
            Some(zone) => assignment.add(zone, nic),
            None => {
                let mtu_blocked = nic.reaches.iter().flatten().any(|name| {
                    settings
                        .zones
                        .iter()
                        .any(|zs| zs.zone.name() == name && !accepts_mtu(nic, zs.mtu))
                });
                let reason = if mtu_blocked {
                    UnusedReason::MtuTooSmall
                } else {
                    UnusedReason::NoZoneReached
                };
                assignment.unused.push(UnusedNic::new(nic, reason));
            }
        }
    }
    assignment
}
