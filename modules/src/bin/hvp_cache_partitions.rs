//! Ansible module `hvp_cache_partitions`: creates the GPT partitions the balanced storage plan
//! splits a cache SSD into (`hvp_cache_partitions` of the gluster-ansible output: `{disk,
//! device, size_bytes}` per partition, in order). Only on a blank disk (no partition table, no
//! signature); a disk that already holds exactly the planned partitions is left alone
//! (`changed: false`); anything else is refused. The decisions are
//! `hvp_core::layout::balanced::cache::{gpt_layout, partition_action}`; check mode reports,
//! changes nothing.

use hvp_core::input::names::NameKind;
use hvp_core::layout::balanced::cache::{
    gpt_layout, parse_sfdisk_json, partition_action, partition_name, sfdisk_script, DiskState,
    GptPartition, PartitionAction,
};
use hvp_modules::ansible::{
    run, ArgumentSpec, ModuleFailure, ModuleResult, OptionKind, OptionSpec,
};
use hvp_modules::tool::tool;
use serde_json::{json, Value};
use std::io::Write;
use std::process::{ExitCode, Stdio};

const MIB: u64 = 1 << 20;

fn spec() -> ArgumentSpec {
    ArgumentSpec::new(vec![
        OptionSpec::new("partitions", OptionKind::List).required()
    ])
}

/// The planned partitions per disk, in first-seen order; every problem of the option at once.
fn planned(entries: &[Value]) -> Result<Vec<(String, Vec<u64>)>, String> {
    let mut disks: Vec<(String, Vec<u64>)> = Vec::new();
    let mut problems = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let field = |name: &str| entry.get(name);
        let (Some(disk), Some(device), Some(size)) = (
            field("disk").and_then(Value::as_str),
            field("device").and_then(Value::as_str),
            field("size_bytes").and_then(Value::as_u64),
        ) else {
            problems.push(format!(
                "partitions[{index}] needs disk, device and size_bytes (as in hvp_cache_partitions)"
            ));
            continue;
        };
        let Some(name) = disk.strip_prefix("/dev/") else {
            problems.push(format!(
                "partitions[{index}].disk {} is not a /dev/ path",
                hvp_core::input::escape::quoted(disk)
            ));
            continue;
        };
        if let Err(error) = NameKind::BlockDevice.check(name) {
            problems.push(format!("partitions[{index}].disk: {error}"));
            continue;
        }
        if size == 0 || size % MIB != 0 {
            problems.push(format!(
                "partitions[{index}].size_bytes {size} is not a positive whole number of MiB"
            ));
            continue;
        }
        let position = disks
            .iter()
            .position(|(d, _)| d == disk)
            .unwrap_or_else(|| {
                disks.push((disk.to_owned(), Vec::new()));
                disks.len() - 1
            });
        let sizes = &mut disks[position].1;
        let expected = format!("/dev/{}", partition_name(name, sizes.len() as u32 + 1));
        if device != expected {
            problems.push(format!(
                "partitions[{index}].device {} is not the next partition of {disk} ({expected})",
                hvp_core::input::escape::quoted(device)
            ));
            continue;
        }
        sizes.push(size);
    }
    if problems.is_empty() {
        Ok(disks)
    } else {
        Err(problems.join("; "))
    }
}

fn output(program: &str, args: &[&str]) -> Result<(i32, String, String), String> {
    let result = tool(program)
        .args(args)
        .output()
        .map_err(|error| format!("cannot run `{program}`: {error}"))?;
    Ok((
        result.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&result.stdout).into_owned(),
        String::from_utf8_lossy(&result.stderr).trim().to_owned(),
    ))
}

/// What `disk` holds now.
fn disk_state(disk: &str) -> Result<DiskState, String> {
    let name = disk.trim_start_matches("/dev/");
    let sectors = std::fs::read_to_string(format!("/sys/class/block/{name}/size"))
        .map_err(|error| format!("{disk}: cannot read its size from sysfs: {error}"))?;
    let size_bytes = sectors.trim().parse::<u64>().unwrap_or(0) * 512;
    let mut state = DiskState {
        size_bytes,
        ..DiskState::default()
    };
    // blkid -p: exit 2 when the disk carries nothing.
    let (code, text, error) = output("blkid", &["-p", "-o", "export", disk])?;
    match code {
        0 => {
            for line in text.lines() {
                match line.split_once('=') {
                    Some(("PTTYPE", kind)) => state.table = Some(kind.to_owned()),
                    Some(("TYPE", kind)) => state.signatures.push(kind.to_owned()),
                    _ => {}
                }
            }
        }
        2 => {}
        _ => return Err(format!("`blkid -p {disk}` failed: {error}")),
    }
    if state.table.is_some() {
        let (code, text, error) = output("sfdisk", &["--json", disk])?;
        if code != 0 {
            return Err(format!("`sfdisk --json {disk}` failed: {error}"));
        }
        let (label, partitions) = parse_sfdisk_json(&text)?;
        state.table = Some(label);
        state.partitions = partitions;
    }
    Ok(state)
}

fn create(disk: &str, planned: &[GptPartition]) -> Result<(), String> {
    let mut child = tool("sfdisk")
        .args(["--quiet", "--wipe", "always", disk])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run `sfdisk`: {error}"))?;
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(sfdisk_script(planned).as_bytes())
            .map_err(|error| format!("cannot feed sfdisk: {error}"))?;
    }
    let result = child
        .wait_with_output()
        .map_err(|error| format!("sfdisk: {error}"))?;
    if !result.status.success() {
        return Err(format!(
            "`sfdisk {disk}` failed: {}",
            String::from_utf8_lossy(&result.stderr).trim()
        ));
    }
    Ok(())
}

/// Waits (up to 10 s) until the kernel lists every planned partition of `disk`, asking it once
/// more with `partx -u` halfway (the re-read after sfdisk may land late); whether they are there.
fn wait_for_partitions(disk: &str, planned: &[GptPartition]) -> bool {
    let name = disk.trim_start_matches("/dev/");
    let present = || {
        planned.iter().all(|p| {
            std::path::Path::new(&format!(
                "/sys/class/block/{}",
                partition_name(name, p.number)
            ))
            .exists()
        })
    };
    for attempt in 0..100 {
        if present() {
            return true;
        }
        if attempt == 50 {
            let _ = output("partx", &["-u", disk]);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    present()
}

fn main() -> ExitCode {
    run("hvp_cache_partitions", &spec(), |ctx| {
        let entries = ctx
            .params
            .value("partitions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let disks = planned(&entries).map_err(ModuleFailure::new)?;
        let mut results = Vec::new();
        let mut to_create = Vec::new();
        let mut refused = Vec::new();
        for (disk, sizes) in &disks {
            let layout = gpt_layout(sizes);
            let state = disk_state(disk).map_err(ModuleFailure::new)?;
            match partition_action(&state, &layout) {
                PartitionAction::Create => to_create.push((disk.clone(), layout)),
                PartitionAction::Present => {
                    results.push(json!({"disk": disk, "action": "present", "partitions": layout}));
                }
                PartitionAction::Refuse(reason) => refused.push(format!("{disk}: {reason}")),
            }
        }
        if !refused.is_empty() {
            return Err(ModuleFailure::new(format!(
                "refusing to partition (nothing was changed): {}; wipe the disk only if it \
                 really is the planned cache SSD and nothing on it is needed",
                refused.join("; ")
            )));
        }
        let changed = !to_create.is_empty();
        let mut warnings: Vec<String> = Vec::new();
        let mut before = String::new();
        let mut after = String::new();
        for (disk, layout) in &to_create {
            if !ctx.check_mode {
                create(disk, layout).map_err(ModuleFailure::new)?;
                if !wait_for_partitions(disk, layout) {
                    warnings.push(format!(
                        "{disk}: the partitions are written but the kernel does not list them \
                         yet; run `partx -u {disk}` or reboot before the backend setup"
                    ));
                }
            }
            before.push_str(&format!("{disk}: blank\n"));
            after.push_str(&format!("{disk}:\n{}", sfdisk_script(layout)));
            results.push(json!({"disk": disk, "action": "created", "partitions": layout}));
        }
        let mut result = ModuleResult::new(changed).with("disks", results);
        for warning in warnings {
            result = result.warn(warning);
        }
        if changed && ctx.diff_mode {
            result = result.diff("before", &before, "after", &after);
        }
        Ok(result)
    })
}
