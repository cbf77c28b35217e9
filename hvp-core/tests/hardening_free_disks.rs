//! Regression test of the `free_disks` fuzz target (`docs/fuzzing.md`): what the probed
//! machine printed (a `blkid` value, a mount point, a device name) reaches the reasons of
//! `hvp_free_disks` escaped, one line per reason. The fuzzer found a blkid `TYPE` value
//! holding a raw shift-out character (`\x0e`) printed as it was.

use hvp_core::disks::{classify, BlockDevice, Criteria, Inventory, Mount, Signature};

fn disk(name: &str) -> BlockDevice {
    BlockDevice {
        name: name.to_owned(),
        device_type: "disk".to_owned(),
        size_bytes: 4_000_787_030_016,
        rotational: Some(true),
        ..BlockDevice::default()
    }
}

#[test]
fn fuzz_finding_probed_text_in_reasons_is_escaped() {
    let mut sdb = disk("sdb");
    sdb.signatures = vec![Signature::from_blkid(
        "LVM2_member\u{e}USAGE=raid",
        None,
        false,
    )];
    let mut sdc = disk("sdc");
    sdc.partitions = vec!["sdc1".to_owned()];
    let inventory = Inventory {
        devices: vec![sdb, sdc, disk("sd\u{1b}[31md")],
        mounts: vec![Mount {
            device: "sdc1".to_owned(),
            mountpoint: "/mnt/a\nforged line".to_owned(),
        }],
        swaps: vec!["sd\u{1b}[31md".to_owned()],
        ..Inventory::default()
    };
    let selection = classify(&inventory, &Criteria::default());
    let reasons: Vec<String> = selection
        .rejected
        .iter()
        .flat_map(|rejected| rejected.reasons.iter().map(ToString::to_string))
        .collect();
    assert!(reasons.len() >= 3, "{reasons:?}");
    for reason in &reasons {
        assert!(!reason.chars().any(char::is_control), "{reason:?}");
    }
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("LVM2_member\\u{e}USAGE=raid")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("/mnt/a\\nforged line")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("sd\\u{1b}[31md")),
        "{reasons:?}"
    );
}
