//! Candidate NICs: filtering the raw interface listing, sorting it, checking the observations;
//! and the shape of a NIC-to-zone assignment.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::error::Findings;
use super::mode::Mode;
use super::probe::{ProbeDocument, ProbedNic, Role};
use super::zone::Zone;
use crate::input::names::NameKind;

/// Why a NIC carries no zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnusedReason {
    /// No carrier (unplugged or administratively down).
    NoCarrier,
    /// Connected, but no zone accepted it (no test address answered, no DHCP lease).
    NoZoneReached,
    /// It reached a zone's test address, but cannot carry that zone's MTU.
    MtuTooSmall,
    /// Installer: every zone already had its one NIC.
    ZonesFull,
}

/// A NIC the plan leaves disabled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnusedNic {
    /// Interface name.
    pub name: String,
    /// Hardware address, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    /// Why it is unused.
    pub reason: UnusedReason,
}

impl UnusedNic {
    pub(crate) fn new(nic: &ProbedNic, reason: UnusedReason) -> Self {
        UnusedNic {
            name: nic.name.clone(),
            mac: nic.mac.clone(),
            reason,
        }
    }
}

/// Which NICs joined which zone, before device naming.
#[derive(Debug, Clone, Default)]
pub(crate) struct Assignment<'a> {
    /// Zones with their member NICs (in NIC order); zones without members are absent.
    pub members: Vec<(Zone, Vec<&'a ProbedNic>)>,
    /// NICs left over, in NIC order.
    pub unused: Vec<UnusedNic>,
}

impl<'a> Assignment<'a> {
    /// The member NICs of a zone.
    pub fn members_of(&self, zone: Zone) -> Option<&[&'a ProbedNic]> {
        self.members
            .iter()
            .find(|(z, _)| *z == zone)
            .map(|(_, nics)| nics.as_slice())
    }

    /// Whether the zone got at least one NIC.
    pub fn has(&self, zone: Zone) -> bool {
        self.members_of(zone).is_some_and(|nics| !nics.is_empty())
    }

    /// Adds a NIC to a zone.
    pub fn add(&mut self, zone: Zone, nic: &'a ProbedNic) {
        match self.members.iter_mut().find(|(z, _)| *z == zone) {
            Some((_, nics)) => nics.push(nic),
            None => self.members.push((zone, vec![nic])),
        }
    }
}

/// The candidate NICs of the document, filtered and sorted as the mode says, after checking
/// names and observations. Problems name the NIC.
pub(crate) fn candidates<'a>(
    doc: &'a ProbeDocument,
    mode: Mode,
    findings: &mut Findings,
) -> Vec<&'a ProbedNic> {
    let mut seen = BTreeSet::new();
    let mut nics = Vec::new();
    for nic in &doc.nics {
        if let Err(error) = NameKind::NetDevice.check(&nic.name) {
            findings.problem(
                format!("NIC {:?}", nic.name),
                format!("is not a valid interface name: {error}"),
                "list interfaces by their kernel names, as /sys/class/net shows them",
            );
            continue;
        }
        if let Some(mac) = nic.mac.as_deref().filter(|mac| !is_mac(mac)) {
            findings.problem(
                format!("NIC {}", nic.name),
                format!("mac {mac:?} is not a hardware address"),
                "give six colon-separated hex pairs, e.g. 52:54:00:aa:00:01, or leave mac out",
            );
            continue;
        }
        if !seen.insert(nic.name.as_str()) {
            findings.problem(
                format!("NIC {}", nic.name),
                "is listed twice in the probe document",
                "list each interface once",
            );
            continue;
        }
        if !mode.is_candidate_nic(&nic.name) {
            continue;
        }
        check_observations(doc.role, nic, findings);
        nics.push(nic);
    }
    nics.sort_by(|a, b| mode.compare_nic_names(&a.name, &b.name));
    nics
}

fn check_observations(role: Role, nic: &ProbedNic, findings: &mut Findings) {
    match role {
        Role::Node => {
            for zone in nic.reaches.iter().flatten() {
                match Zone::parse(zone) {
                    Some(Zone::External) => findings.problem(
                        format!("NIC {}", nic.name),
                        "reaches \"external\", but nodes have no external zone",
                        "list only mgmt, gluster, lan or internal in \"reaches\"",
                    ),
                    Some(_) => {}
                    None => findings.problem(
                        format!("NIC {}", nic.name),
                        format!("reaches unknown zone {zone:?}"),
                        "list only mgmt, gluster, lan or internal in \"reaches\"",
                    ),
                }
            }
            if nic.dhcp.is_some() {
                findings.warn(format!(
                    "NIC {}: \"dhcp\" is an installer observation and is ignored on a node",
                    nic.name
                ));
            }
        }
        Role::Installer => {
            if nic.reaches.as_ref().is_some_and(|r| !r.is_empty()) {
                findings.warn(format!(
                    "NIC {}: \"reaches\" is a node observation and is ignored on the installer",
                    nic.name
                ));
            }
        }
    }
    if nic.max_mtu == Some(0) {
        findings.problem(
            format!("NIC {}", nic.name),
            "max_mtu is 0",
            "report the largest MTU the NIC accepts, or leave max_mtu out (1500 is assumed)",
        );
    }
}

/// Whether `mac` is a hardware address: colon-separated pairs of hex digits (six for
/// Ethernet, up to twenty for InfiniBand).
fn is_mac(mac: &str) -> bool {
    let pairs: Vec<&str> = mac.split(':').collect();
    (6..=20).contains(&pairs.len())
        && pairs
            .iter()
            .all(|pair| pair.len() == 2 && pair.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether a NIC can carry a zone's MTU (`None`: the MTU cannot be set at all).
pub(crate) fn accepts_mtu(nic: &ProbedNic, mtu: Option<u32>) -> bool {
    mtu.is_some_and(|mtu| mtu <= nic.mtu_ceiling())
}
