//! The file-services plan: every decision, ready for the renderers.

use std::net::Ipv4Addr;

use serde::Serialize;

use super::vars::{SambaMode, Subfolder};
use crate::network::Zone;

/// Every file-services decision for the whole cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileServicesPlan {
    /// The storage plan's policy (`compat` or `balanced`).
    pub policy: String,
    /// CTDB members (every node holding a brick), in inventory order.
    pub members: Vec<CtdbMember>,
    /// The lines of `/etc/ctdb/nodes`, in PNN order.
    pub nodes_file: Vec<NodesLine>,
    /// Public (client access) addresses per zone.
    pub public: Vec<PublicZone>,
    /// The CTDB cluster lock on the mounted `ctdb` volume.
    pub lock: LockPlan,
    /// CTDB daemon settings.
    pub ctdb: CtdbSettings,
    /// The clustered Samba server.
    pub samba: SambaPlan,
    /// The NFS-Ganesha exports.
    pub ganesha: GaneshaPlan,
    /// DNS records of the storage name: one A record per public address.
    pub dns: Vec<DnsRecord>,
}

/// A node of the CTDB cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CtdbMember {
    /// Inventory host name = Gluster peer name.
    pub name: String,
    /// Position in the inventory (= node index of the network plan).
    pub index: usize,
    /// Its CTDB address (mgmt zone).
    pub address: Ipv4Addr,
    /// Whether it serves clients (holds public addresses): it holds data bricks.
    pub active: bool,
}

/// One line of `/etc/ctdb/nodes`. A line's position is the node's PNN, so removed nodes stay
/// as comments and new nodes are appended: no node is ever renumbered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "address", rename_all = "lowercase")]
pub enum NodesLine {
    /// A member.
    Node(Ipv4Addr),
    /// A former member, kept as `#address` so the following PNNs do not move.
    Deleted(String),
}

/// The public addresses of one zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicZone {
    /// The zone.
    pub zone: Zone,
    /// The interface (oVirt bridge) the addresses float on.
    pub interface: String,
    /// Prefix length of the zone's network.
    pub prefix: u8,
    /// DNS domain of the zone.
    pub domain: String,
    /// The addresses, one per active node.
    pub addresses: Vec<Ipv4Addr>,
}

/// The cluster lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LockPlan {
    /// The Gluster volume mounted for it.
    pub volume: String,
    /// Where it is mounted on every member.
    pub mount_point: String,
    /// The systemd mount unit name (derived from the mount point).
    pub unit: String,
    /// Mount options (without `backup-volfile-servers`, which is per node).
    pub options: Vec<String>,
    /// The lock file CTDB takes.
    pub lock_file: String,
}

/// CTDB daemon settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CtdbSettings {
    /// `[logging] location`.
    pub log_location: String,
    /// `[legacy] realtime scheduling`.
    pub realtime_scheduling: bool,
    /// Tunables in name order.
    pub tunables: Vec<(String, u64)>,
}

/// The clustered Samba server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SambaPlan {
    /// Workgroup or AD member.
    pub mode: SambaMode,
    /// NetBIOS name of the cluster.
    pub netbios_name: String,
    /// `WORKGROUP`, or the AD domain's NetBIOS name.
    pub workgroup: String,
    /// AD membership (AD mode only).
    pub ad: Option<AdMembership>,
    /// The volume the shares live on.
    pub volume: String,
    /// The shares, in folder order.
    pub shares: Vec<Share>,
    /// Folders to create on the volume before Samba serves them.
    pub folders: Vec<Subfolder>,
}

/// What Samba needs to be an AD member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdMembership {
    /// Kerberos realm.
    pub realm: String,
    /// DNS name of the domain.
    pub domain: String,
    /// idmap range of the domain (`ad` backend, rfc2307).
    pub ad_range: (u64, u64),
    /// idmap range of `*` (autorid).
    pub autorid_range: (u64, u64),
    /// autorid range size.
    pub autorid_rangesize: u64,
}

/// One Samba share on a folder of the share volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    /// Share name (`Users`).
    pub name: String,
    /// Folder inside the volume (`/users`).
    pub path: String,
    /// Comment shown to clients.
    pub comment: String,
    /// Listed when browsing.
    pub browseable: bool,
    /// Client-side caching off (roaming profiles).
    pub no_client_caching: bool,
    /// Previous versions from Gluster snapshots (`shadow_copy2`).
    pub shadow_copies: bool,
    /// Gluster client log of the share.
    pub logfile: String,
}

/// The NFS-Ganesha configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GaneshaPlan {
    /// Skip the grace period (tests only).
    pub graceless: bool,
    /// The exports, in export-id order.
    pub exports: Vec<Export>,
    /// Folders to create on the Unix share volume.
    pub folders: Vec<Subfolder>,
}

/// One export of a whole Gluster volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Export {
    /// Export id (fixed per kind: unixshare 1, iso 2, backup 3).
    pub id: u32,
    /// Volume kind.
    pub kind: String,
    /// Gluster volume name.
    pub volume: String,
    /// NFSv4 pseudo path (`/unixshare`).
    pub pseudo: String,
    /// Whether root is squashed.
    pub root_squash: bool,
}

/// One DNS record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DnsRecord {
    /// The zone of the network the address is on.
    pub zone: Zone,
    /// Fully qualified owner name, with the final dot.
    pub name: String,
    /// TTL in seconds (1: round robin that clients re-resolve).
    pub ttl: u32,
    /// The address.
    pub address: Ipv4Addr,
}

impl FileServicesPlan {
    /// The member called `name`.
    pub fn member(&self, name: &str) -> Option<&CtdbMember> {
        self.members.iter().find(|m| m.name == name)
    }
}
