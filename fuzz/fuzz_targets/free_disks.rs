//! `hvp_free_disks`'s probe parsers (`hvp_modules::blockdev::parse`) → inventory →
//! `hvp_core::disks::classify`. The first byte picks which text the rest is: 0 `lsblk --json`,
//! 1 `blkid -p -o export` (of `sdb`), 2 `/proc/self/mountinfo`, 3 `/proc/swaps`, 4 `pvs`,
//! 5 `vdo status`. The other sources stay those of a fixed three-disk machine. No panic, no
//! raw control character in a reason or an error, the same selection twice.
#![no_main]

use hvp_core::disks::{classify, BlockDevice, Criteria, Inventory, Mount};
use hvp_fuzz::assert_no_raw_control;
use hvp_modules::blockdev::parse;
use libfuzzer_sys::fuzz_target;

/// A disk of the fixed machine: 4 TB, rotational unless its name says nvme.
fn disk(name: &str) -> BlockDevice {
    BlockDevice {
        name: name.to_owned(),
        device_type: "disk".to_owned(),
        size_bytes: 4_000_787_030_016,
        rotational: Some(!name.starts_with("nvme")),
        ..BlockDevice::default()
    }
}

/// `/dev/NAME` → `NAME` (the probe resolves paths to kernel names).
fn kernel_names(paths: Vec<String>) -> Vec<String> {
    paths
        .iter()
        .filter_map(|path| path.strip_prefix("/dev/"))
        .map(str::to_owned)
        .collect()
}

fn inventory(selector: u8, text: &str) -> Result<Inventory, String> {
    let mut inventory = Inventory {
        devices: ["sdb", "sdc", "nvme0n1"].map(disk).to_vec(),
        ..Inventory::default()
    };
    match selector % 6 {
        0 => {
            inventory.devices = parse::lsblk_json(text)?
                .into_iter()
                .map(|entry| BlockDevice {
                    device_type: entry.device_type,
                    model: entry.model,
                    serial: entry.serial,
                    wwn: entry.wwn,
                    ..disk(&entry.name)
                })
                .collect()
        }
        1 => inventory.devices[0].signatures = parse::blkid_export(text),
        2 => {
            let numbers = [
                ("8:16", "sdb"),
                ("8:17", "sdb1"),
                ("8:32", "sdc"),
                ("259:0", "nvme0n1"),
            ];
            inventory.mounts = parse::mountinfo(text)
                .into_iter()
                .filter_map(|(number, mountpoint)| {
                    let (_, device) = numbers.iter().find(|(n, _)| *n == number)?;
                    Some(Mount {
                        device: (*device).to_owned(),
                        mountpoint,
                    })
                })
                .collect();
            inventory.devices[0].partitions = vec!["sdb1".to_owned()];
        }
        3 => inventory.swaps = kernel_names(parse::swaps(text)),
        4 => inventory.lvm_pvs = kernel_names(parse::pvs(text)),
        _ => inventory.vdo_members = kernel_names(parse::vdo_storage_devices(text)),
    }
    Ok(inventory)
}

fn run(selector: u8, text: &str) -> String {
    let inventory = match inventory(selector, text) {
        Ok(inventory) => inventory,
        Err(error) => {
            assert_no_raw_control("lsblk error", &error);
            return error;
        }
    };
    let mut out = Vec::new();
    for accept_ssds in [false, true] {
        let criteria = Criteria {
            accept_ssds,
            ..Criteria::default()
        };
        let selection = classify(&inventory, &criteria);
        for rejected in &selection.rejected {
            for reason in &rejected.reasons {
                assert_no_raw_control("reason", &reason.to_string());
            }
        }
        out.push(serde_json::to_string(&selection).unwrap_or_default());
    }
    out.join("\n")
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    // The probe reads every tool's output as UTF-8, lossily.
    let text = String::from_utf8_lossy(rest);
    assert_eq!(
        run(selector, &text),
        run(selector, &text),
        "not deterministic"
    );
});
