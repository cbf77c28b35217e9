//! Which recorded volumes grow, and by how much of the new replica sets (spec §13.3).
//!
//! * A plan that records its volumes' demands (`demand` in the plan JSON) grows the spread
//!   (`spread: all`), arbitrated volumes of the tier by those demands over the new sets'
//!   bytes `S`: `N%` → `N % × S`, `rest` + `weight` → what the percentages leave, by weight;
//!   fixed-size volumes keep their size.
//! * A plan recorded without demands grows every arbitrated volume but engine, ctdb and iso
//!   in proportion to its current usable size (the heuristic of plans recorded before hvp
//!   kept the demands).
//! * `grow: {volume: size}` replaces both: exactly the listed volumes grow, each by its size
//!   (`rest`: shares what the sizes leave, by recorded weight, else equally); what no volume
//!   takes stays free in the new thin pools.

use crate::drift::plan_view::{PlanVolume, RecordedPlan};
use crate::input::escape::quoted;
use crate::input::unknown::suggest;
use crate::report::Problem;
use crate::size::SizeSpec;
use crate::volumes::VolumeKind;
use serde_json::Value;
use std::collections::BTreeMap;

/// How a growing volume takes its part of the new sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Part {
    /// Exactly these bytes (a `grow` size).
    Bytes(u64),
    /// This percentage of the new sets' bytes.
    Percent(f64),
    /// A share, by this weight, of what sizes and percentages leave.
    Weight(u64),
    /// In proportion to the volume's usable bytes today (plans without demands).
    Proportional(u64),
}

/// A growing volume: its index in the recorded plan's volumes and its part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Growing {
    /// Index into `RecordedPlan::volumes`.
    pub volume: usize,
    /// How it grows.
    pub part: Part,
}

/// The [`VolumeKind`] of a recorded volume's `kind` text.
pub fn kind_of(text: &str) -> Option<VolumeKind> {
    VolumeKind::ALL.into_iter().find(|kind| {
        serde_json::to_value(kind)
            .ok()
            .as_ref()
            .and_then(Value::as_str)
            == Some(text)
    })
}

/// Why a recorded volume cannot take new sets of `tier`, if it cannot.
pub fn cannot_grow(volume: &PlanVolume, tier: &str) -> Option<&'static str> {
    if volume.replica.count == 2 && volume.replica.arbiter_count == 0 {
        return Some("it is replica 2 (it is converted to arbiter first, not grown)");
    }
    if volume.replica.count != 3 || volume.replica.arbiter_count != 1 {
        return Some("only arbitrated volumes (replica 3 arbiter 1) take 2-copy sets");
    }
    match &volume.demand {
        Some(demand) if demand.spread == "single" => Some("it is a single-set volume"),
        Some(demand) if demand.tier != tier => Some("it lives on the other tier"),
        Some(_) => None,
        None if matches!(
            kind_of(&volume.kind),
            Some(VolumeKind::Engine | VolumeKind::Ctdb | VolumeKind::Iso)
        ) =>
        {
            Some("it is a single-set volume")
        }
        None if tier != "slow" => Some("it lives on the other tier"),
        None => None,
    }
}

/// Usable bytes of a recorded volume: per set, its smallest data brick.
pub fn usable(volume: &PlanVolume) -> u64 {
    volume
        .replica_sets
        .iter()
        .map(|set| {
            set.bricks
                .iter()
                .filter(|brick| !brick.arbiter)
                .map(|brick| brick.size_bytes)
                .min()
                .unwrap_or(0)
        })
        .sum()
}

/// Reads `grow` (volume name → size text or `rest`) against the recorded volumes: every
/// unknown name (with the closest known one), unparsable size and volume that cannot grow at
/// once.
pub fn parse_grow(
    plan: &RecordedPlan,
    grow: &BTreeMap<String, String>,
) -> Result<BTreeMap<usize, Option<u64>>, Vec<Problem>> {
    let known: Vec<&str> = plan.volumes.iter().map(|v| v.name.as_str()).collect();
    let mut problems = Vec::new();
    let mut parsed = BTreeMap::new();
    for (name, size) in grow {
        let Some(index) = plan.volumes.iter().position(|v| &v.name == name) else {
            problems.push(Problem::error(
                format!("grow: {}", quoted(name)),
                format!(
                    "is not a volume of the recorded plan; {}",
                    suggest(name, &known).map_or_else(
                        || format!("its volumes are {}", known.join(", ")),
                        |close| format!("did you mean {}?", quoted(close))
                    )
                ),
                "name a volume of the recorded plan",
            ));
            continue;
        };
        let volume = &plan.volumes[index];
        let tier = volume.demand.as_ref().map_or("slow", |d| d.tier.as_str());
        if let Some(why) = cannot_grow(volume, tier) {
            problems.push(Problem::error(
                format!("grow: {}", quoted(name)),
                format!("cannot grow: {why}"),
                "grow only the spread arbitrated volumes (vmstore, the shares, backup, …)",
            ));
            continue;
        }
        if size.trim() == "rest" {
            parsed.insert(index, None);
            continue;
        }
        match SizeSpec::parse(size) {
            Ok(bytes) => {
                parsed.insert(index, Some(bytes.bytes()));
            }
            Err(_) => problems.push(Problem::error(
                format!("grow: {}", quoted(name)),
                format!(
                    "{} is not a size: write a number and a unit ('2TiB', '500GB') or 'rest'",
                    quoted(size)
                ),
                "give each volume the bytes it should gain",
            )),
        }
    }
    if problems.is_empty() {
        Ok(parsed)
    } else {
        Err(problems)
    }
}

/// The volumes of `tier` that grow and how; `grow` as [`parse_grow`] returned it (empty: by
/// the recorded demands).
pub fn growing(
    plan: &RecordedPlan,
    grow: &BTreeMap<usize, Option<u64>>,
    tier: &str,
) -> Vec<Growing> {
    let weight = |volume: &PlanVolume| {
        volume
            .demand
            .as_ref()
            .and_then(|d| d.weight)
            .map_or(1, u64::from)
    };
    plan.volumes
        .iter()
        .enumerate()
        .filter(|(_, volume)| cannot_grow(volume, tier).is_none())
        .filter_map(|(index, volume)| {
            let part = if !grow.is_empty() {
                match grow.get(&index)? {
                    Some(bytes) => Part::Bytes(*bytes),
                    None => Part::Weight(weight(volume)),
                }
            } else {
                match &volume.demand {
                    None => Part::Proportional(usable(volume)),
                    Some(demand) => match demand.mode.as_str() {
                        "percent" => Part::Percent(demand.percent?),
                        "rest" => Part::Weight(weight(volume)),
                        _ => return None,
                    },
                }
            };
            Some(Growing {
                volume: index,
                part,
            })
        })
        .collect()
}

/// Bytes each growing volume takes of `total` new bytes (in the order of `growing`); `Err`
/// with the shortfall when sizes and percentages ask for more than `total`.
pub fn targets(growing: &[Growing], total: u64) -> Result<Vec<u64>, u64> {
    let total128 = u128::from(total);
    let fixed: u128 = growing
        .iter()
        .map(|g| match g.part {
            Part::Bytes(bytes) => u128::from(bytes),
            // Percent of the new sets, computed in millionths to stay in integers.
            Part::Percent(percent) => total128 * (percent * 10_000.0).round() as u128 / 1_000_000,
            _ => 0,
        })
        .sum();
    if fixed > total128 {
        return Err(u64::try_from(fixed - total128).unwrap_or(u64::MAX));
    }
    let left = total128 - fixed;
    let weights: u128 = growing
        .iter()
        .map(|g| match g.part {
            Part::Weight(weight) => u128::from(weight),
            _ => 0,
        })
        .sum();
    let before: u128 = growing
        .iter()
        .map(|g| match g.part {
            Part::Proportional(bytes) => u128::from(bytes),
            _ => 0,
        })
        .sum();
    let count = growing.len() as u128;
    Ok(growing
        .iter()
        .map(|g| {
            let bytes = match g.part {
                Part::Bytes(bytes) => u128::from(bytes),
                Part::Percent(percent) => {
                    total128 * (percent * 10_000.0).round() as u128 / 1_000_000
                }
                Part::Weight(weight) => (left * u128::from(weight))
                    .checked_div(weights)
                    .unwrap_or(0),
                Part::Proportional(bytes) => (total128 * u128::from(bytes))
                    .checked_div(before)
                    .unwrap_or(total128 / count.max(1)),
            };
            u64::try_from(bytes).unwrap_or(u64::MAX)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_percentages_first_then_weights() {
        let growing = [
            Growing {
                volume: 0,
                part: Part::Bytes(100),
            },
            Growing {
                volume: 1,
                part: Part::Percent(10.0),
            },
            Growing {
                volume: 2,
                part: Part::Weight(3),
            },
            Growing {
                volume: 3,
                part: Part::Weight(1),
            },
        ];
        assert_eq!(targets(&growing, 1000), Ok(vec![100, 100, 600, 200]));
        assert_eq!(targets(&growing[..1], 60), Err(40));
    }

    #[test]
    fn without_demands_in_proportion_to_today() {
        let growing = [
            Growing {
                volume: 0,
                part: Part::Proportional(300),
            },
            Growing {
                volume: 1,
                part: Part::Proportional(100),
            },
        ];
        assert_eq!(targets(&growing, 1000), Ok(vec![750, 250]));
    }
}
