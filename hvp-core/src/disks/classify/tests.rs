use super::*;
use crate::disks::inventory::{Holder, Mount};

const GB: u64 = 1_000_000_000;

fn disk(name: &str, size: u64) -> BlockDevice {
    BlockDevice {
        name: name.to_owned(),
        device_type: "disk".to_owned(),
        size_bytes: size,
        rotational: Some(true),
        ..BlockDevice::default()
    }
}

fn ssd(name: &str, size: u64) -> BlockDevice {
    BlockDevice {
        rotational: Some(false),
        ..disk(name, size)
    }
}

fn inventory(devices: Vec<BlockDevice>) -> Inventory {
    Inventory {
        devices,
        ..Inventory::default()
    }
}

fn names(disks: &[FreeDisk]) -> Vec<&str> {
    disks.iter().map(|disk| disk.name.as_str()).collect()
}

fn codes<'a>(selection: &'a Selection, name: &str) -> Vec<&'a str> {
    selection
        .rejected
        .iter()
        .find(|rejected| rejected.name == name)
        .map(|rejected| rejected.reason_codes.clone())
        .unwrap_or_default()
}

#[test]
fn a_clean_large_disk_is_free_with_what_is_known() {
    let mut sdb = disk("sdb", 500 * GB);
    sdb.model = Some("ST500DM002".to_owned());
    sdb.serial = Some("Z3T0ABCD".to_owned());
    sdb.by_id = vec![
        "ata-ST500DM002_Z3T0ABCD".to_owned(),
        "wwn-0x5000c5006b1c2d3e".to_owned(),
    ];
    let selection = classify(&inventory(vec![sdb]), &Criteria::default());
    assert_eq!(names(&selection.free_disks), ["sdb"]);
    let free = &selection.free_disks[0];
    assert_eq!(free.size, 500 * GB);
    assert!(free.rotational);
    assert_eq!(
        free.by_id.as_deref(),
        Some("/dev/disk/by-id/wwn-0x5000c5006b1c2d3e")
    );
    assert!(selection.free_ssds.is_empty());
    assert!(selection.rejected.is_empty());
}

#[test]
fn the_minimum_is_strict() {
    let selection = classify(
        &inventory(vec![disk("sda", 10 * GB), disk("sdb", 10 * GB + 1)]),
        &Criteria::default(),
    );
    assert_eq!(names(&selection.free_disks), ["sdb"]);
    assert_eq!(codes(&selection, "sda"), ["too_small"]);
    let text = selection.rejected[0].reasons[0].to_string();
    assert!(text.contains("10000000000 bytes"), "{text}");
    assert!(text.contains("not larger than min_size_bytes"), "{text}");
}

#[test]
fn ssds_always_go_to_free_ssds_and_to_free_disks_only_when_accepted() {
    let devices = vec![disk("sda", 200 * GB), ssd("nvme0n1", 200 * GB)];
    let refused = classify(&inventory(devices.clone()), &Criteria::default());
    assert_eq!(names(&refused.free_disks), ["sda"]);
    assert_eq!(names(&refused.free_ssds), ["nvme0n1"]);
    let accepted = classify(
        &inventory(devices),
        &Criteria {
            accept_ssds: true,
            ..Criteria::default()
        },
    );
    assert_eq!(names(&accepted.free_disks), ["sda", "nvme0n1"]);
    assert_eq!(names(&accepted.free_ssds), ["nvme0n1"]);
}

#[test]
fn unknown_rotation_counts_as_rotational() {
    let mut sda = disk("sda", 200 * GB);
    sda.rotational = None;
    let selection = classify(&inventory(vec![sda]), &Criteria::default());
    assert_eq!(names(&selection.free_disks), ["sda"]);
}

#[test]
fn device_types_filter_and_are_reported() {
    let mut loop0 = disk("loop0", 200 * GB);
    loop0.device_type = "loop".to_owned();
    let devices = vec![loop0];
    let default = classify(&inventory(devices.clone()), &Criteria::default());
    assert_eq!(codes(&default, "loop0"), ["device_type"]);
    assert_eq!(
        default.rejected[0].reasons[0].to_string(),
        "device type 'loop' is not in device_types (disk)"
    );
    let with_loops = classify(
        &inventory(devices),
        &Criteria {
            device_types: vec!["disk".to_owned(), "loop".to_owned()],
            ..Criteria::default()
        },
    );
    assert_eq!(names(&with_loops.free_disks), ["loop0"]);
}

#[test]
fn every_reason_is_listed() {
    let mut bad = disk("sdc", GB);
    bad.device_type = "rom".to_owned();
    bad.removable = true;
    bad.read_only = true;
    bad.partitions = vec!["sdc1".to_owned(), "sdc2".to_owned()];
    bad.signatures = vec![
        Signature::from_blkid("gpt", None, true),
        Signature::from_blkid("ext4", Some("filesystem"), false),
    ];
    bad.holders = vec![Holder {
        name: "dm-0".to_owned(),
        dm_uuid: Some("mpath-3600508b400105e210000900000490000".to_owned()),
    }];
    let inventory = Inventory {
        devices: vec![bad],
        lvm_pvs: vec!["sdc2".to_owned()],
        vdo_members: vec!["sdc".to_owned()],
        multipath_members: vec![],
        mounts: vec![Mount {
            device: "sdc1".to_owned(),
            mountpoint: "/boot".to_owned(),
        }],
        swaps: vec!["sdc2".to_owned()],
    };
    let selection = classify(&inventory, &Criteria::default());
    assert!(selection.free_disks.is_empty());
    assert_eq!(
        codes(&selection, "sdc"),
        [
            "device_type",
            "too_small",
            "removable",
            "read_only",
            "partitions",
            "partition_table",
            "filesystem",
            "holders",
            "mounted",
            "swap",
            "lvm_pv",
            "vdo_member",
            "multipath_member",
        ]
    );
    let texts: Vec<String> = selection.rejected[0]
        .reasons
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(texts.contains(&"has partitions: sdc1, sdc2".to_owned()));
    assert!(texts.contains(&"partition table: gpt".to_owned()));
    assert!(texts.contains(&"filesystem signature: ext4".to_owned()));
    assert!(texts.contains(&"mounted: /dev/sdc1 on /boot".to_owned()));
    assert!(texts.contains(&"LVM physical volume: /dev/sdc2".to_owned()));
    assert!(texts.contains(&"active swap: /dev/sdc2".to_owned()));
}

#[test]
fn memberships_of_other_disks_do_not_leak() {
    let inventory = Inventory {
        devices: vec![disk("sda", 200 * GB), disk("sdb", 200 * GB)],
        lvm_pvs: vec!["sda".to_owned()],
        mounts: vec![Mount {
            device: "sda".to_owned(),
            mountpoint: "/srv".to_owned(),
        }],
        ..Inventory::default()
    };
    let selection = classify(&inventory, &Criteria::default());
    assert_eq!(names(&selection.free_disks), ["sdb"]);
    assert_eq!(codes(&selection, "sda"), ["mounted", "lvm_pv"]);
}

#[test]
fn a_disk_named_like_a_prefix_is_not_confused() {
    // sda's partition list does not contain "sdaa", and pvs listing sdaa says nothing of sda.
    let mut sda = disk("sda", 200 * GB);
    sda.partitions = vec![];
    let inventory = Inventory {
        devices: vec![sda, disk("sdaa", 200 * GB)],
        lvm_pvs: vec!["sdaa".to_owned()],
        ..Inventory::default()
    };
    let selection = classify(&inventory, &Criteria::default());
    assert_eq!(names(&selection.free_disks), ["sda"]);
}

#[test]
fn blkid_types_map_to_kinds() {
    let cases = [
        ("LVM2_member", Some("raid"), SignatureKind::Lvm),
        ("linux_raid_member", Some("raid"), SignatureKind::Raid),
        ("swap", Some("other"), SignatureKind::Swap),
        ("xfs", Some("filesystem"), SignatureKind::Filesystem),
        ("crypto_LUKS", Some("crypto"), SignatureKind::Crypto),
        ("vdo", Some("other"), SignatureKind::Vdo),
        ("zfs_member", Some("other"), SignatureKind::Other),
    ];
    for (name, usage, kind) in cases {
        assert_eq!(
            Signature::from_blkid(name, usage, false).kind,
            kind,
            "{name}"
        );
    }
    assert_eq!(
        Signature::from_blkid("dos", None, true).kind,
        SignatureKind::PartitionTable
    );
}

#[test]
fn output_keeps_the_original_shape() {
    let selection = classify(
        &inventory(vec![disk("sdb", 200 * GB), disk("sdc", GB)]),
        &Criteria::default(),
    );
    let json = serde_json::to_value(&selection).unwrap();
    assert_eq!(
        json["free_disks"][0],
        serde_json::json!({"name": "sdb", "size": 200 * GB, "rotational": true})
    );
    assert_eq!(json["rejected"][0]["name"], "sdc");
    assert_eq!(json["rejected"][0]["type"], "disk");
    assert!(json["rejected"][0]["reasons"][0]
        .as_str()
        .unwrap()
        .starts_with("too small: 1000000000 bytes (1.0 GB)"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn device() -> impl Strategy<Value = BlockDevice> {
        (
            "[a-z]{2,4}",
            0u64..400 * GB,
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(any::<bool>()),
            any::<bool>(),
        )
            .prop_map(|(name, size, removable, read_only, rotational, parted)| {
                BlockDevice {
                    partitions: if parted {
                        vec![format!("{name}1")]
                    } else {
                        vec![]
                    },
                    removable,
                    read_only,
                    rotational,
                    ..disk(&name, size)
                }
            })
    }

    proptest! {
        #[test]
        fn every_device_is_either_free_or_rejected_with_a_reason(
            devices in proptest::collection::vec(device(), 0..8),
            accept_ssds in any::<bool>(),
            min in 0u64..400 * GB,
        ) {
            let criteria = Criteria { min_size_bytes: min, accept_ssds, ..Criteria::default() };
            let selection = classify(&inventory(devices.clone()), &criteria);
            let rotational_free = selection.free_disks.iter().filter(|d| d.rotational).count();
            prop_assert_eq!(
                rotational_free + selection.free_ssds.len() + selection.rejected.len(),
                devices.len()
            );
            for rejected in &selection.rejected {
                prop_assert!(!rejected.reasons.is_empty());
            }
            for free in selection.free_disks.iter().chain(&selection.free_ssds) {
                prop_assert!(free.size > min);
            }
            if !accept_ssds {
                prop_assert!(selection.free_disks.iter().all(|d| d.rotational));
            }
            prop_assert!(selection.free_ssds.iter().all(|d| !d.rotational));
        }
    }
}
