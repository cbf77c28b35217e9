//! Ansible module `hvp_free_disks`: the free disks of this node, as facts. Never changes
//! anything. Probing is `hvp_modules::blockdev`; the rules are `hvp_core::disks::classify`.

use hvp_core::disks::{classify, Criteria};
use hvp_modules::ansible::{
    run, ArgumentSpec, ModuleFailure, ModuleResult, OptionKind, OptionSpec,
};
use hvp_modules::blockdev;
use serde_json::{json, Map, Value};
use std::process::ExitCode;

fn spec() -> ArgumentSpec {
    ArgumentSpec::new(vec![
        OptionSpec::new("min_size_bytes", OptionKind::UnsignedInt)
            .default(json!(Criteria::default().min_size_bytes)),
        OptionSpec::new("accept_ssds", OptionKind::Bool).default(json!(false)),
        OptionSpec::new("device_types", OptionKind::StrList).default(json!(["disk"])),
    ])
}

fn main() -> ExitCode {
    run("hvp_free_disks", &spec(), |ctx| {
        let criteria = Criteria {
            min_size_bytes: ctx
                .params
                .u64("min_size_bytes")
                .unwrap_or(Criteria::default().min_size_bytes),
            accept_ssds: ctx.params.bool("accept_ssds"),
            device_types: ctx.params.str_list("device_types"),
        };
        if criteria.device_types.is_empty() {
            return Err(ModuleFailure::new(
                "parameter 'device_types' is empty: list the lsblk device types that may be used, \
                 e.g. [disk]",
            ));
        }
        let inventory = blockdev::gather(|device_type| {
            criteria
                .device_types
                .iter()
                .any(|allowed| allowed == device_type)
        })
        .map_err(|error| {
            ModuleFailure::new(format!(
                "hvp_free_disks: cannot probe the block devices: {error}"
            ))
        })?;
        let selection = classify(&inventory, &criteria);
        let mut facts = Map::new();
        facts.insert("hvp_free_disks".to_owned(), to_value(&selection.free_disks));
        facts.insert("hvp_free_ssds".to_owned(), to_value(&selection.free_ssds));
        facts.insert(
            "hvp_rejected_disks".to_owned(),
            to_value(&selection.rejected),
        );
        Ok(ModuleResult::new(false).facts(facts))
    })
}

fn to_value(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
