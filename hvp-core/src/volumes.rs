//! The eight Gluster volumes of an HVP cluster and their variables.

use serde::Serialize;

/// One of the Gluster volumes HVP creates, in the order the original creates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VolumeKind {
    /// The Hosted Engine storage domain.
    Engine,
    /// The main VM storage domain.
    VmStore,
    /// The ISO storage domain.
    Iso,
    /// The CTDB lock volume of the file services (full replica, no arbiter).
    Ctdb,
    /// The Samba (CIFS) share.
    WinShare,
    /// The NFS share.
    UnixShare,
    /// The Gluster-block (iSCSI) share.
    BlockShare,
    /// The backup volume.
    Backup,
}

impl VolumeKind {
    /// All volumes, in creation order (`[volume1]` .. `[volume8]`).
    pub const ALL: [VolumeKind; 8] = [
        VolumeKind::Engine,
        VolumeKind::VmStore,
        VolumeKind::Iso,
        VolumeKind::Ctdb,
        VolumeKind::WinShare,
        VolumeKind::UnixShare,
        VolumeKind::BlockShare,
        VolumeKind::Backup,
    ];

    /// The stem of the volume's variables and of its LV and brick names (`enginedomain`).
    pub fn stem(self) -> &'static str {
        match self {
            VolumeKind::Engine => "enginedomain",
            VolumeKind::VmStore => "vmstoredomain",
            VolumeKind::Iso => "isodomain",
            VolumeKind::Ctdb => "ctdb",
            VolumeKind::WinShare => "winshare",
            VolumeKind::UnixShare => "unixshare",
            VolumeKind::BlockShare => "blockshare",
            VolumeKind::Backup => "backup",
        }
    }

    /// The variable holding the Gluster volume name (`hvp_enginedomain_volume_name`).
    pub fn name_variable(self) -> String {
        format!("hvp_{}_volume_name", self.stem())
    }

    /// The variable holding the data-node brick size (`hvp_enginedomain_size`).
    pub fn size_variable(self) -> String {
        format!("hvp_{}_size", self.stem())
    }

    /// The variable holding the arbiter brick size; `None` for ctdb, which has no arbiter.
    pub fn arbiter_size_variable(self) -> Option<String> {
        self.has_arbiter()
            .then(|| format!("hvp_{}_arbitersize", self.stem()))
    }

    /// Whether the volume has an arbiter brick in a replica-3 cluster (all but ctdb).
    pub fn has_arbiter(self) -> bool {
        self != VolumeKind::Ctdb
    }

    /// The original's default Gluster volume name.
    pub fn default_volume_name(self) -> &'static str {
        match self {
            VolumeKind::Engine => "engine",
            VolumeKind::VmStore => "vmstore",
            VolumeKind::Iso => "iso",
            other => other.stem(),
        }
    }

    /// The original's default data-node size; `None` for the engine, whose size derives from
    /// `hvp_engine_imgsize`.
    pub fn default_size(self) -> Option<&'static str> {
        match self {
            VolumeKind::Engine => None,
            VolumeKind::VmStore => Some("500GB"),
            VolumeKind::Iso => Some("30GB"),
            VolumeKind::Ctdb => Some("1GB"),
            _ => Some("1024GB"),
        }
    }

    /// The original's default arbiter size; `None` for ctdb.
    pub fn default_arbiter_size(self) -> Option<&'static str> {
        match self {
            VolumeKind::Ctdb => None,
            VolumeKind::Engine | VolumeKind::VmStore | VolumeKind::Iso => Some("1GB"),
            _ => Some("10GB"),
        }
    }

    /// The LV mount point of the volume's brick (`/gluster_bricks/enginedomain/brick1`).
    pub fn brick_mount(self) -> String {
        format!("/gluster_bricks/{}/brick1", self.stem())
    }

    /// The brick directory inside the mount (`/gluster_bricks/enginedomain/brick1/brick`).
    pub fn brick_directory(self) -> String {
        format!("{}/brick", self.brick_mount())
    }
}
