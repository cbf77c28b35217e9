//! Per-use bounds on the layout variables' sizes ([`crate::input::size_rules`]): every brick
//! at least the XFS minimum and at most the LVM maximum; under VDO, 120 % of a brick within
//! the VDO logical maximum.

use super::vars::VolumeSettings;
use crate::input::size_rules::{SizeUse, VDO_MAX_LOGICAL_BYTES};
use crate::report::Problem;
use crate::size::human_bytes;
use crate::volumes::VolumeKind;
use std::collections::BTreeMap;

pub(super) fn check(
    volumes: &BTreeMap<VolumeKind, VolumeSettings>,
    use_vdo: bool,
    problems: &mut Vec<Problem>,
) {
    for (kind, settings) in volumes {
        let sizes = [
            (kind.size_variable(), Some(&settings.size)),
            (
                kind.arbiter_size_variable().unwrap_or_default(),
                settings.arbiter_size.as_ref(),
            ),
        ];
        for (variable, size) in sizes {
            let Some(size) = size else { continue };
            if let Err(reason) = SizeUse::Brick.check(size) {
                problems.push(Problem::error(
                    format!("variable {variable}"),
                    reason,
                    "give a brick size between 300MB and 8EB",
                ));
                continue;
            }
            // The data-node VDO volume's logical size is 120 % of its bricks (arbiters have none).
            let logical = u128::from(size.bytes()) * 6 / 5;
            if use_vdo
                && variable == kind.size_variable()
                && logical > u128::from(VDO_MAX_LOGICAL_BYTES)
            {
                problems.push(Problem::error(
                    format!("variable {variable}"),
                    format!(
                        "'{size}' needs a VDO logical size of 120 % = {}, above VDO's maximum of {}",
                        human_bytes(u64::try_from(logical).unwrap_or(u64::MAX)),
                        human_bytes(VDO_MAX_LOGICAL_BYTES)
                    ),
                    "lower the size, or set hvp_use_vdo: false",
                ));
            }
        }
    }
}
