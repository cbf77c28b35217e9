//! The network plan: the planner's output, independent of how it is rendered.
//!
//! It describes one machine (installer or node) but carries the addresses of the whole
//! cluster, the roles each zone carries, and the oVirt logical networks the Engine step
//! creates, so later steps (Engine networks, OVN, N nodes) read decisions instead of
//! re-deriving them.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::fallback::{NetworkRole, RoleAssignment};
use super::mode::Mode;
use super::nics::UnusedNic;
use super::probe::Role;
use super::settings::Offsets;
use super::zone::Zone;

/// The complete network decision for one machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkPlan {
    /// The mode the plan was made in.
    pub mode: Mode,
    /// Installer or node.
    pub role: Role,
    /// This machine's name and index.
    pub host: HostIdentity,
    /// Zones that got NICs, in the order their `network` lines are written.
    pub zones: Zones,
    /// Zones without NICs and where their roles went.
    pub missing: Vec<MissingZone>,
    /// NICs left disabled, in NIC order.
    pub unused_nics: Vec<UnusedNic>,
    /// Where every network role lives.
    pub roles: Vec<RoleAssignment>,
    /// Default route and name service during the install.
    pub routing: Routing,
    /// Addresses of the whole cluster as this machine derives them.
    pub cluster: ClusterAddresses,
    /// The oVirt logical networks the Engine step creates.
    pub ovirt_networks: Vec<OvirtNetwork>,
    /// Things the original accepted silently that deserve attention.
    pub warnings: Vec<String>,
}

impl NetworkPlan {
    /// The plan of a zone, if it got NICs.
    pub fn zone(&self, zone: Zone) -> Option<&ZonePlan> {
        self.zones.0.iter().find(|z| z.zone == zone)
    }

    /// The zone that carries a role, if any.
    pub fn zone_for(&self, role: NetworkRole) -> Option<Zone> {
        super::fallback::zone_of(&self.roles, role)
    }
}

/// Present zones in output order; serialized as a map from zone name to its plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Zones(pub Vec<ZonePlan>);

impl Serialize for Zones {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for zone in &self.0 {
            map.serialize_entry(zone.zone.name(), zone)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Zones {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ZonesVisitor;
        impl<'de> Visitor<'de> for ZonesVisitor {
            type Value = Zones;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map from zone name to its plan")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Zones, A::Error> {
                let mut zones = Vec::new();
                while let Some((_, plan)) = map.next_entry::<Zone, ZonePlan>()? {
                    zones.push(plan);
                }
                Ok(Zones(zones))
            }
        }
        deserializer.deserialize_map(ZonesVisitor)
    }
}

/// Who this machine is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostIdentity {
    /// Short host name (node name or installer name).
    pub name: String,
    /// Fully qualified name, when the zone that names hosts is present.
    pub fqdn: Option<String>,
    /// Node index (nodes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_index: Option<u32>,
}

/// How a zone's interface gets its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BootProto {
    /// DHCP client.
    Dhcp,
    /// Static address.
    Static,
}

/// A bond that joins several NICs of one zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BondPlan {
    /// Mode name (`activepassive`, `lacp`, `roundrobin`, or `custom` for raw options).
    pub mode: String,
    /// Option string, semicolon-separated as kickstart wants it.
    pub options: String,
}

/// A member NIC of a zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberNic {
    /// Interface name.
    pub name: String,
    /// Hardware address, when known (for `HWADDR=` pinning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

/// One zone that got NICs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZonePlan {
    /// The zone.
    pub zone: Zone,
    /// Interface that carries the address: the NIC itself, or `bond<N>`.
    pub device: String,
    /// Bond slaves in NIC order; empty for a single NIC.
    pub slaves: Vec<String>,
    /// The bond, when there are several NICs.
    pub bond: Option<BondPlan>,
    /// The zone's configured bond mode, applied wherever it has several NICs (the installer
    /// hands it to the nodes).
    pub bond_policy: BondPlan,
    /// Member NICs with their MACs.
    pub nics: Vec<MemberNic>,
    /// DHCP or static.
    pub bootproto: BootProto,
    /// This machine's address on the zone (static only).
    pub address: Option<Ipv4Addr>,
    /// The zone's network (static only).
    pub network: Option<Ipv4Net>,
    /// Prefix length (static only).
    pub prefix: Option<u8>,
    /// Dotted netmask (static only).
    pub netmask: Option<Ipv4Addr>,
    /// MTU (static only; DHCP zones keep the NIC's).
    pub mtu: Option<u32>,
    /// Whether the default route goes through this zone.
    pub default_route: bool,
    /// The gateway, on the zone that has the default route.
    pub gateway: Option<String>,
    /// The nameserver(s), on the zone that has the default route.
    pub nameserver: Option<String>,
    /// The host name set on this zone's line, if any.
    pub hostname: Option<String>,
    /// Bridge name for VM networks.
    pub bridge: Option<String>,
    /// DNS domain.
    pub domain: String,
    /// Reverse DNS zone.
    pub reverse_zone: Option<String>,
    /// The address a node pings to recognise this zone (the installer's address).
    pub test_ip: Option<String>,
}

/// A zone without NICs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingZone {
    /// The zone.
    pub zone: Zone,
    /// The roles built for it and where they went (`None`: dropped).
    pub roles_moved_to: BTreeMap<String, Option<Zone>>,
}

/// Default route and name service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    /// The gateway as configured (may be the literal `dhcp` on the installer).
    pub gateway: Option<String>,
    /// The zone whose network contains the gateway, if any.
    pub default_route_zone: Option<Zone>,
    /// Nameserver(s) used during the install.
    pub nameserver: String,
    /// DNS forwarders.
    pub forwarders: String,
}

/// A node of the cluster with its addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeAddresses {
    /// Node index.
    pub index: u32,
    /// Node name.
    pub name: String,
    /// Address on each present zone.
    pub addresses: BTreeMap<Zone, Ipv4Addr>,
    /// BMC address (on mgmt).
    pub bmc: Option<Ipv4Addr>,
}

/// A range of addresses on a zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneAddresses {
    /// The zone.
    pub zone: Zone,
    /// The addresses.
    pub addresses: Vec<Ipv4Addr>,
}

/// A contiguous range of addresses on a zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressRange {
    /// The zone.
    pub zone: Zone,
    /// First address.
    pub first: Ipv4Addr,
    /// Last address.
    pub last: Ipv4Addr,
}

/// The cluster's addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterAddresses {
    /// Number of nodes.
    pub node_count: u32,
    /// Index of the master node.
    pub master_index: u32,
    /// The offsets the addresses were derived with.
    pub offsets: Offsets,
    /// Nodes that serve storage (2 of 3; all otherwise).
    pub active_storage_nodes: u32,
    /// Every node.
    pub nodes: Vec<NodeAddresses>,
    /// The installer (the nodes' test address on mgmt).
    pub installer: Option<Ipv4Addr>,
    /// Switch console.
    pub switch: Option<Ipv4Addr>,
    /// Engine VM.
    pub engine: Option<Ipv4Addr>,
    /// Metrics VM.
    pub metrics: Option<Ipv4Addr>,
    /// Active Directory domain controller.
    pub ad_dc: Option<Ipv4Addr>,
    /// CTDB public (client access) addresses per zone.
    pub storage: Vec<ZoneAddresses>,
    /// DHCP pools the installer serves (installer only).
    pub dhcp_pools: Vec<AddressRange>,
}

/// An oVirt logical network the Engine step creates or qualifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OvirtNetwork {
    /// Logical network name.
    pub name: String,
    /// The zone it runs on.
    pub zone: Zone,
    /// Whether VMs attach to it (it then has a bridge).
    pub vm_network: bool,
    /// Cluster roles, as one union applied in one call.
    pub roles: Vec<String>,
    /// MTU to set on the logical network (default mode; compat sets none).
    pub mtu: Option<u32>,
}
