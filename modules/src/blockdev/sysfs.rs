//! Reading `/sys/block`, `/sys/class/block` and `/dev/disk/by-id`.

use super::ProbeError;
use hvp_core::disks::{BlockDevice, Holder, MdArray};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// A trimmed, non-empty sysfs attribute; `None` when absent or empty.
fn attribute(path: &Path) -> Option<String> {
    fs::read_to_string(path)
        .ok()
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

fn flag(path: &Path) -> Option<bool> {
    attribute(path).map(|value| value == "1")
}

/// Names of the entries of a directory, sorted; empty when it does not exist.
fn entries(path: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(path)
        .map(|listing| {
            listing
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// What sysfs says about the whole device `name` (type and signatures are filled in later);
/// `None` when the device vanished since `lsblk` listed it.
pub(super) fn read_device(sys_block: &Path, name: &str) -> Result<Option<BlockDevice>, ProbeError> {
    let base = sys_block.join(name);
    if !base.exists() {
        return Ok(None);
    }
    let size = fs::read_to_string(base.join("size")).map_err(|source| ProbeError::Read {
        path: base.join("size"),
        source,
    })?;
    let sectors: u64 = size.trim().parse().map_err(|_| ProbeError::Output {
        command: format!("cat {}", base.join("size").display()),
        detail: format!("'{}' is not a number of sectors", size.trim()),
    })?;
    let partitions: Vec<String> = entries(&base)
        .into_iter()
        .filter(|entry| base.join(entry).join("partition").exists())
        .collect();
    let mut holders: Vec<Holder> = Vec::new();
    for directory in std::iter::once(base.clone()).chain(partitions.iter().map(|p| base.join(p))) {
        for holder in entries(&directory.join("holders")) {
            if holders.iter().all(|known| known.name != holder) {
                let dm_uuid = attribute(&sys_block.join(&holder).join("dm/uuid"));
                holders.push(Holder {
                    name: holder,
                    dm_uuid,
                });
            }
        }
    }
    Ok(Some(BlockDevice {
        name: name.to_owned(),
        device_type: String::new(),
        // The kernel counts sizes in 512-byte sectors, whatever the logical block size.
        size_bytes: sectors.saturating_mul(512),
        removable: flag(&base.join("removable")).unwrap_or(false),
        read_only: flag(&base.join("ro")).unwrap_or(false),
        rotational: flag(&base.join("queue/rotational")),
        model: attribute(&base.join("device/model")),
        serial: attribute(&base.join("device/serial")).or_else(|| attribute(&base.join("serial"))),
        wwn: attribute(&base.join("device/wwid")).or_else(|| attribute(&base.join("wwid"))),
        by_id: Vec::new(),
        partitions,
        holders,
        signatures: Vec::new(),
        md: md_array(&base),
    }))
}

/// The md geometry under `<device>/md/` (an md array), else `None`.
fn md_array(base: &Path) -> Option<MdArray> {
    let md = base.join("md");
    let level = attribute(&md.join("level"))?;
    let number = |name: &str| {
        attribute(&md.join(name))
            .and_then(|text| text.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Some(MdArray {
        level,
        raid_disks: u32::try_from(number("raid_disks")).unwrap_or(0),
        chunk_bytes: number("chunk_size"),
    })
}

/// Every block device's kernel name (disks and partitions) by its `major:minor`.
pub(super) fn device_numbers(sys_class_block: &Path) -> BTreeMap<String, String> {
    entries(sys_class_block)
        .into_iter()
        .filter_map(|name| {
            attribute(&sys_class_block.join(&name).join("dev")).map(|number| (number, name))
        })
        .collect()
}

/// The `/dev/disk/by-id` link names of each kernel name.
pub(super) fn by_id_links(directory: &Path) -> BTreeMap<String, Vec<String>> {
    let mut links: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for link in entries(directory) {
        if let Ok(target) = fs::read_link(directory.join(&link)) {
            if let Some(name) = target.file_name() {
                links
                    .entry(name.to_string_lossy().into_owned())
                    .or_default()
                    .push(link);
            }
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake `/sys/block` with `sdb` (a plain disk) and `md0` (RAID6 of 6, 512 KiB chunk)
    /// and `md1` (RAID1: no chunk).
    fn fake_sys_block() -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("temp dir");
        let write = |path: &str, text: &str| {
            let path = root.path().join(path);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(path, text).expect("write");
        };
        write("sdb/size", "7814037168\n");
        write("sdb/queue/rotational", "1\n");
        write("md0/size", "31256148992\n");
        write("md0/queue/rotational", "1\n");
        write("md0/md/level", "raid6\n");
        write("md0/md/raid_disks", "6\n");
        write("md0/md/chunk_size", "524288\n");
        write("md1/size", "7814037168\n");
        write("md1/md/level", "raid1\n");
        write("md1/md/raid_disks", "2\n");
        write("md1/md/chunk_size", "0\n");
        root
    }

    #[test]
    fn md_arrays_report_level_disks_and_chunk_from_sysfs() {
        let root = fake_sys_block();
        let md0 = read_device(root.path(), "md0").unwrap().unwrap();
        assert_eq!(
            md0.md,
            Some(MdArray {
                level: "raid6".to_owned(),
                raid_disks: 6,
                chunk_bytes: 512 << 10,
            })
        );
        let md1 = read_device(root.path(), "md1").unwrap().unwrap();
        assert_eq!(md1.md.as_ref().map(|m| m.chunk_bytes), Some(0));
        let sdb = read_device(root.path(), "sdb").unwrap().unwrap();
        assert_eq!(sdb.md, None);
        // The free-disk facts carry the geometry the balanced policy reads (`md_raid`), only
        // for striped levels.
        let raid6 = hvp_core::disks::MdRaid::of(md0.md.as_ref().unwrap()).unwrap();
        let value = serde_json::to_value(&raid6).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"level": "raid6", "disks": 6, "stripe_unit": "512KiB"})
        );
        assert!(hvp_core::disks::MdRaid::of(md1.md.as_ref().unwrap()).is_none());
    }
}
