use super::*;
use hvp_core::disks::SignatureKind;

#[test]
fn lsblk_json_new_and_old_styles() {
    let new = r#"{"blockdevices": [
        {"name": "sda", "type": "disk", "model": "ST4000NM0035-1V4107", "serial": "ZC1ABCDE",
         "wwn": "0x5000c500a1b2c3d4"},
        {"name": "loop0", "type": "loop", "model": null, "serial": null, "wwn": null}
    ]}"#;
    let devices = lsblk_json(new).unwrap();
    assert_eq!(devices.len(), 2);
    assert_eq!(devices[0].model.as_deref(), Some("ST4000NM0035-1V4107"));
    assert_eq!(devices[1].device_type, "loop");
    assert_eq!(devices[1].serial, None);
    // util-linux 2.32 (EL8) prints every value as a string, with padding.
    let old = r#"{"blockdevices": [{"name": "sr0", "type": "rom", "model": "DVD-ROM  ",
        "serial": "", "wwn": null}]}"#;
    let devices = lsblk_json(old).unwrap();
    assert_eq!(devices[0].model.as_deref(), Some("DVD-ROM"));
    assert_eq!(devices[0].serial, None);
    assert!(lsblk_json("{}").unwrap_err().contains("blockdevices"));
    assert!(lsblk_json("not json").is_err());
}

#[test]
fn blkid_export_gives_filesystems_and_partition_tables() {
    let ext4 = "DEVNAME=/dev/loop1\nUUID=0b8d6a9e-1\nVERSION=1.0\nBLOCK_SIZE=4096\nTYPE=ext4\nUSAGE=filesystem\n";
    let found = blkid_export(ext4);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].kind, found[0].name.as_str()),
        (SignatureKind::Filesystem, "ext4")
    );
    let gpt = "DEVNAME=/dev/loop2\nPTUUID=9a281129-8a47\nPTTYPE=gpt\n";
    let found = blkid_export(gpt);
    assert_eq!(
        (found[0].kind, found[0].name.as_str()),
        (SignatureKind::PartitionTable, "gpt")
    );
    let pv = "DEVNAME=/dev/loop4\nUUID=abc\nVERSION=LVM2 001\nTYPE=LVM2_member\nUSAGE=raid\n";
    assert_eq!(blkid_export(pv)[0].kind, SignatureKind::Lvm);
    assert!(blkid_export("").is_empty());
}

#[test]
fn mountinfo_numbers_and_escaped_mount_points() {
    let text = "\
22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
95 22 7:3 / /mnt/with\\040space rw,relatime shared:50 - ext4 /dev/loop3 rw
";
    assert_eq!(
        mountinfo(text),
        [
            ("254:1".to_owned(), "/".to_owned()),
            ("7:3".to_owned(), "/mnt/with space".to_owned())
        ]
    );
}

#[test]
fn swaps_skip_the_header() {
    let text = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/zram0                              partition\t8388604\t\t0\t\t100\n/swap\\040file file 1024 0 -2\n";
    assert_eq!(swaps(text), ["/dev/zram0", "/swap file"]);
}

#[test]
fn pvs_and_vdo_paths() {
    assert_eq!(
        pvs("  /dev/loop4 \n  /dev/sdb2\n  [unknown]\n"),
        ["/dev/loop4", "/dev/sdb2"]
    );
    let vdo = "VDO status:\n  Date: '2019-03-28 10:00:00+01:00'\nVDOs:\n  vdo_sdb:\n    Acknowledgement threads: 1\n    Storage device: /dev/disk/by-id/scsi-3600508b1001c\n  vdo_sdc:\n    Storage device: \"/dev/sdc\"\n";
    assert_eq!(
        vdo_storage_devices(vdo),
        ["/dev/disk/by-id/scsi-3600508b1001c", "/dev/sdc"]
    );
}
