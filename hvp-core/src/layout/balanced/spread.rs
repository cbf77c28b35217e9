//! The volumes spread over every node: per tier and copy count a skeleton of replica sets
//! ([`super::sets`]), each volume taking its share `D_v / ΣS` of every set, or on large
//! skeletons whole sets ([`super::share`]), arbiters placed per set (per volume for whole
//! sets, [`super::arbiter`]) in a reserve on each candidate node.
//!
//! Arbiter reserves are found in passes: a first skeleton without them gives the arbiter
//! bytes; with `rotating` they are reserved evenly (plus `hvp_reserve_expansion`) on every
//! candidate's arbiter VG (a fast VG, else its last data VG; for whole-set classes plus the
//! largest arbiter brick) and the skeleton is built again;
//! a node whose arbiters still overflow its reserve gets the overflow added, and so on (at most
//! 8 passes, then E004).

use super::arbiter::{
    arbiter_bytes, place_arbiters, place_arbiters_in_room, place_volume_arbiters, ArbiterRequest,
    ROUNDING,
};
use super::build::{arbiter_candidates, next_brick, Built};
use super::capacity::EXTENT;
use super::checkpoint::Checkpoint;
use super::sets::{generate_sets, Unit};
use super::share::{by_whole_sets, share_sets};
use super::state::{place, BrickRef, PlacedLv};
use crate::facts::storage::{ArbiterPlacement, Demand, StorageVars};
use crate::layout::model::{replica_bound, PlanWarning, Tier};
use crate::report::{Problem, Report};
use crate::size::human_bytes;
use std::collections::BTreeMap;

/// What one class (tier × copies) came to.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassSummary {
    /// Tier.
    pub tier: Tier,
    /// Copies per set.
    pub copies: usize,
    /// The bound B_r of the class's units.
    pub bound: u64,
    /// With `hvp_layout_grouped`, Σ over the triples of their B_r (at most `bound`); else
    /// `bound`.
    pub group_bound: u64,
    /// What the class adds to the plan's bound: `bound`, except for the fixed-size class of
    /// a mixed tier (no `rest` volume), which can hold no more than its sizes: their sum
    /// (the rest of its slice goes back to the other class). The same for `group_bound`.
    pub counted_bound: u64,
    /// `group_bound`, capped like `counted_bound`.
    pub counted_group_bound: u64,
    /// Σ set sizes.
    pub sets_bytes: u64,
    /// Number of sets.
    pub sets: usize,
    /// The volumes take whole sets (a large skeleton, [`super::share`]) instead of a fraction
    /// of every set.
    pub whole: bool,
    /// Smallest set kept.
    pub min_set: u64,
    /// Dropped slivers (bytes per copy).
    pub dropped: u64,
    /// Raw bytes no set uses.
    pub stranded: u64,
    /// Per volume (index) its demand in bytes and how it was decided.
    pub volumes: Vec<(usize, u64, String)>,
}

/// The result of the spread volumes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpreadResult {
    /// Per class.
    pub classes: Vec<ClassSummary>,
    /// Arbiter reserve per node (bytes, expansion included).
    pub reserves: Vec<u64>,
    /// Warnings.
    pub warnings: Vec<PlanWarning>,
    /// Passes used.
    pub passes: usize,
}

/// One pass's outcome; its placements are in the `Built` it ran on.
struct Pass {
    classes: Vec<ClassSummary>,
    needed: Vec<u64>,
    overflow: Vec<u64>,
    /// The largest arbiter brick of a class shared by whole sets (0: none).
    largest: u64,
}

fn ceil_rounding(bytes: u64) -> u64 {
    bytes.div_ceil(ROUNDING) * ROUNDING
}

/// Plans every spread volume into `built`.
pub fn plan_spread(built: &mut Built, storage: &StorageVars) -> Result<SpreadResult, Report> {
    let node_count = built.infos.len();
    let arbitrated = built
        .specs
        .iter()
        .any(|spec| !spec.single && spec.arbitrated());
    let rotating: Vec<usize> = built
        .infos
        .iter()
        .filter(|info| info.data && info.arbiter && built.arbiter_vg[info.index].is_some())
        .map(|info| info.index)
        .filter(|_| arbitrated)
        .collect();
    let mut reserves = vec![0u64; node_count];
    for &node in &rotating {
        reserves[node] = storage.reserve_expansion;
    }
    let base = Checkpoint::save(built);
    let result = spread_passes(built, storage, &base, &rotating, reserves);
    if result.is_err() {
        // As before any pass (the VDO fallback, if it happened, stays).
        base.restore(built);
    }
    result
}

/// The passes of [`plan_spread`], each started from `base`; `built` ends with the last one.
fn spread_passes(
    built: &mut Built,
    storage: &StorageVars,
    base: &Checkpoint,
    rotating: &[usize],
    mut reserves: Vec<u64>,
) -> Result<SpreadResult, Report> {
    let node_count = built.infos.len();
    let mut pass =
        super::vdo::with_fallback(built, |b| run_pass(b, base, storage, &reserves, false))?;
    let mut passes = 1;
    let even = storage.arbiter_placement == ArbiterPlacement::Rotating && !rotating.is_empty();
    // The largest whole-set arbiter brick the even reserves were sized for.
    let mut assumed_largest = 0;
    if even {
        let total: u64 = pass.needed.iter().sum();
        // Whole-set volumes have fewer, larger arbiter bricks: each node's reserve also
        // holds the largest one, so that the even share never strands one over its node.
        let share = ceil_rounding(total.div_ceil(rotating.len() as u64) + pass.largest);
        assumed_largest = pass.largest;
        for &node in rotating {
            reserves[node] = storage.reserve_expansion + share;
        }
        // Grouped: a triple's arbiters stay inside it, so its nodes share its own need.
        for group in &built.groups {
            let inside: Vec<usize> = rotating
                .iter()
                .copied()
                .filter(|&n| group.contains(n))
                .collect();
            let need: u64 = group.nodes.iter().map(|&n| pass.needed[n]).sum();
            let share = ceil_rounding(need.div_ceil(inside.len().max(1) as u64) + pass.largest);
            for node in inside {
                reserves[node] = storage.reserve_expansion + share;
            }
        }
        // One pass's state at a time: large plans are tens of MB each.
        drop(pass);
        pass = super::vdo::with_fallback(built, |b| run_pass(b, base, storage, &reserves, false))?;
        passes += 1;
    }
    // Grow once by the overflow; after that the growth shrinks the rest volumes (W116).
    let mut grown = 0;
    let mut shrink: Option<(u64, Vec<String>)> = None;
    while pass.overflow.iter().any(|&bytes| bytes > 0) && passes < 8 {
        if grown == 1 && shrink.is_none() {
            let short: Vec<String> = (0..node_count)
                .filter(|&node| pass.overflow[node] > 0)
                .map(|node| built.infos[node].name.clone())
                .collect();
            shrink = Some((
                super::shrink::rest_bytes(&pass.classes, &built.specs),
                short,
            ));
        }
        if even && pass.largest > assumed_largest {
            // The classes changed under the larger reserves (VDO classes that no longer
            // fit fell back to one skeleton shared by whole sets, spec §10): the even share
            // again, from this pass's arbiters and its largest brick.
            let total: u64 = pass.needed.iter().sum();
            let share = ceil_rounding(total.div_ceil(rotating.len() as u64) + pass.largest);
            assumed_largest = pass.largest;
            for &node in rotating {
                reserves[node] = reserves[node].max(storage.reserve_expansion + share);
            }
        }
        for (node, reserve) in reserves.iter_mut().enumerate() {
            if pass.overflow[node] > 0 && rotating.contains(&node) {
                // At least all the arbiter bytes the node got: the slack that held the
                // rest of them this pass belongs to the sets of the next.
                *reserve = (*reserve + ceil_rounding(pass.overflow[node]))
                    .max(ceil_rounding(pass.needed[node]));
            }
        }
        drop(pass);
        // Grown reserves steer the arbiters from here on (placed by room): with the byte
        // order alone, a large set's arbiters move to whichever node carries least in the
        // new skeleton and overflow there instead.
        pass = super::vdo::with_fallback(built, |b| run_pass(b, base, storage, &reserves, true))?;
        passes += 1;
        grown += 1;
    }
    let mut warnings = Vec::new();
    if let Some((before, nodes)) = shrink {
        let after = super::shrink::rest_bytes(&pass.classes, &built.specs);
        warnings.extend(super::shrink::warning(before, after, &nodes));
    }
    let overflow: Vec<Problem> = (0..node_count)
        .filter(|&node| pass.overflow[node] > 0)
        .map(|node| {
            Problem::error(
                format!("node {}", built.infos[node].name),
                format!(
                    "E004: its arbiter bricks need {} more than its disks have free",
                    human_bytes(pass.overflow[node])
                ),
                if even {
                    "give the node more disk space, raise hvp_reserve_expansion (the room kept \
                     for arbiter bricks on every node), or lower fixed volume sizes"
                } else {
                    "give the node more disk space, use hvp_arbiter_placement: rotating, or \
                     lower fixed volume sizes"
                },
            )
        })
        .collect();
    if !overflow.is_empty() {
        return Err(Report::new(overflow));
    }
    let _ = pass.needed;
    Ok(SpreadResult {
        classes: pass.classes,
        reserves,
        warnings,
        passes,
    })
}

/// One planning pass with the arbiter `reserves` per node; `in_room`: arbiters go to nodes
/// whose reserve still holds them ([`place_arbiters_in_room`]) rather than by bytes alone.
fn run_pass(
    built: &mut Built,
    base: &Checkpoint,
    storage: &StorageVars,
    reserves: &[u64],
    in_room: bool,
) -> Result<Pass, Report> {
    base.restore(built);
    let node_count = built.infos.len();
    // Reserve on the arbiter VG first, then the node's other VGs from the last.
    let mut reserved = vec![0u64; built.vgs.len()];
    for (node, &reserve) in reserves.iter().enumerate().take(node_count) {
        let mut need = reserve;
        if need == 0 {
            continue;
        }
        let mut order: Vec<usize> = built.arbiter_vg[node].into_iter().collect();
        order.extend(
            built.node_vgs[node]
                .iter()
                .rev()
                .copied()
                .filter(|&vg| Some(vg) != built.arbiter_vg[node]),
        );
        for vg in order {
            let take = need.min(built.vgs[vg].free);
            reserved[vg] += take;
            need -= take;
            if need == 0 {
                break;
            }
        }
    }
    let mut classes = Vec::new();
    let mut needed = vec![0u64; node_count];
    let mut overflow = vec![0u64; node_count];
    let mut largest = 0u64;
    let mut problems = Vec::new();
    let groups: Vec<super::vdo::Group> = [Tier::Slow, Tier::Fast]
        .into_iter()
        .flat_map(|tier| super::vdo::groups(built, tier, &reserved))
        .collect();
    for group in groups {
        let super::vdo::Group {
            tier,
            specs,
            units,
            percent_base,
        } = group;
        if specs.is_empty() {
            continue;
        }
        if units.is_empty() {
            problems.push(Problem::error(
                format!("tier {}", if tier == Tier::Fast { "fast" } else { "slow" }),
                format!(
                    "E004: volumes {} ask for this tier but no node has a disk for it",
                    specs
                        .iter()
                        .map(|&v| built.specs[v].name.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "add SSDs (fast) / HDDs (slow), or change the volumes' tier in hvp_volume_layout",
            ));
            continue;
        }
        let three: Vec<usize> = specs
            .iter()
            .copied()
            .filter(|&v| built.specs[v].copies == 3)
            .collect();
        let two: Vec<usize> = specs
            .iter()
            .copied()
            .filter(|&v| built.specs[v].copies == 2)
            .collect();
        let is_rest = |v: &usize| matches!(built.specs[*v].demand, Demand::Rest { .. });
        // `N%` is of the whole tier's bound (spec §2), for both classes of a mixed tier too,
        // never of one class's slice; with VDO of the tier before its split.
        let tier_capacities = percent_base
            .clone()
            .unwrap_or_else(|| node_capacities(&units, node_count));
        let mixed = !three.is_empty() && !two.is_empty();
        let split = if mixed {
            // The class without `rest` takes a proportional slice of every unit; with `rest`
            // in both, the replica-3 class takes its share by weight (`super::split`).
            let both_rest = three.iter().any(is_rest) && two.iter().any(is_rest);
            let (minor, copies) = if both_rest || !three.iter().any(is_rest) {
                (three.clone(), 3)
            } else {
                (two.clone(), 2)
            };
            let capacities = &tier_capacities;
            // `N%` is of what the sets can hold: the triples' bound when grouped.
            let layout_bound = |capacities: &[u64]| {
                if built.groups.is_empty() {
                    replica_bound(capacities, copies)
                } else {
                    super::groups::grouped_bound(capacities, copies, &built.groups)
                }
            };
            let bound = layout_bound(capacities);
            let demand: u128 = minor
                .iter()
                .map(|&v| u128::from(fixed_demand(&built.specs[v].demand, bound)))
                .sum();
            let total: u128 = units.iter().map(|u| u128::from(u.bytes)).sum();
            let raw = if both_rest {
                let demands = |volumes: &[usize]| -> Vec<Demand> {
                    volumes.iter().map(|&v| built.specs[v].demand).collect()
                };
                super::split::replica3_raw(&demands(&three), &demands(&two), capacities, total)
            } else {
                // Raw bytes whose slice holds the demand + 3 %: `copies ×` on a tier where no
                // node is capped, more where capped nodes (or triples) strand some.
                let own = u128::from(layout_bound(&node_capacities(&units, node_count)));
                let mut raw = (demand * 103 / 100 * total)
                    .checked_div(own)
                    .unwrap_or(total)
                    .max(demand * copies as u128 * 103 / 100);
                // The slice's sets drop slivers below `min_set`: grow it by what they miss,
                // plus 0.5 % of the demand (growing by the shortfall alone only closes most
                // of it each time: the grown slice drops slivers of its own).
                for _ in 0..8 {
                    let slice = super::split::slice_units(&units, raw.min(total), total);
                    let held = u128::from(super::split::slice_sets_bytes(
                        built, storage, &slice, copies,
                    ));
                    if held >= demand || raw >= total {
                        break;
                    }
                    raw += ((demand - held + demand / 200) * total).div_ceil(own.max(1)) * 11 / 10;
                }
                raw
            };
            // First choice: a slice of what the other class cannot use (the bytes above its
            // bound on capped nodes), when the slice's own sets hold the demand there.
            let from_excess = (!both_rest && built.groups.is_empty())
                .then(|| excess_slice(built, storage, &units, copies, demand))
                .flatten();
            Some((minor, copies, raw.min(total), total, from_excess))
        } else {
            None
        };
        let mut class_list: Vec<(Vec<usize>, usize, Vec<Unit>)> = Vec::new();
        // Mixed tier: the whole units, so that the second class also gets what the first
        // class's sets leave unused (its slice's margin and dropped slivers).
        let mut whole_units: Option<Vec<Unit>> = None;
        match split {
            Some((minor, copies, raw, total, from_excess)) => {
                whole_units = Some(units.clone());
                let minor_units =
                    from_excess.unwrap_or_else(|| super::split::slice_units(&units, raw, total));
                let major_units: Vec<Unit> = units
                    .iter()
                    .zip(&minor_units)
                    .map(|(u, m)| Unit {
                        bytes: u.bytes - m.bytes,
                        ..*u
                    })
                    .collect();
                let major = if copies == 3 {
                    two.clone()
                } else {
                    three.clone()
                };
                class_list.push((minor, copies, minor_units));
                class_list.push((major, 5 - copies, major_units));
            }
            None => {
                let copies = if three.is_empty() { 2 } else { 3 };
                class_list.push((specs.clone(), copies, units));
            }
        }
        let mut consumed_before: Option<Vec<u64>> = None;
        for (volumes, copies, units) in class_list {
            let has_rest = volumes
                .iter()
                .any(|&v| matches!(built.specs[v].demand, Demand::Rest { .. }));
            let units = match (&consumed_before, &whole_units) {
                (Some(consumed), Some(whole)) => left_by_first_class(whole, &units, consumed),
                _ => units,
            };
            match run_class(
                built,
                storage,
                tier,
                copies,
                &volumes,
                &units,
                (reserves, &needed, in_room),
                (&tier_capacities, mixed),
            ) {
                Ok(mut outcome) => {
                    let fixed_slice =
                        whole_units.is_some() && consumed_before.is_none() && !has_rest;
                    if fixed_slice {
                        let sizes: u64 = outcome
                            .summary
                            .volumes
                            .iter()
                            .map(|&(_, bytes, _)| bytes)
                            .sum();
                        let summary = &mut outcome.summary;
                        summary.counted_bound = summary.bound.min(sizes);
                        summary.counted_group_bound = summary.group_bound.min(sizes);
                    }
                    largest = largest.max(outcome.largest);
                    for node in 0..node_count {
                        needed[node] += outcome.needed[node];
                        overflow[node] += outcome.overflow[node];
                    }
                    classes.push(outcome.summary);
                    consumed_before = Some(outcome.consumed);
                }
                Err(mut class_problems) => problems.append(&mut class_problems),
            }
        }
    }
    if !problems.is_empty() {
        return Err(Report::new(problems));
    }
    Ok(Pass {
        classes,
        needed,
        overflow,
        largest,
    })
}

/// A mixed tier's slice for the class of `copies` taken only from the bytes the other class
/// cannot use ([`super::split::excess_units`]): the demand + 3 % of them, grown by what the
/// slice's sets drop as slivers, or `None` when even all of them would not hold the demand.
fn excess_slice(
    built: &Built,
    storage: &StorageVars,
    units: &[Unit],
    copies: usize,
    demand: u128,
) -> Option<Vec<Unit>> {
    let excess = super::split::excess_units(units, built.infos.len(), 5 - copies);
    let total: u128 = excess.iter().map(|u| u128::from(u.bytes)).sum();
    if total == 0 {
        return None;
    }
    let mut raw = (demand * copies as u128 * 103 / 100).min(total);
    for _ in 0..8 {
        let slice = super::split::slice_units(&excess, raw, total);
        let held = u128::from(super::split::slice_sets_bytes(
            built, storage, &slice, copies,
        ));
        if held >= demand + demand * 3 / 100 {
            return Some(slice);
        }
        if raw >= total {
            return None;
        }
        raw = (raw + (demand + demand * 3 / 100 - held) * copies as u128 + demand / 200).min(total);
    }
    None
}

/// The second class of a mixed tier: each unit less what the first class's data bricks took
/// there (never less than its own slice: the first class takes at most its slice).
fn left_by_first_class(whole: &[Unit], slice: &[Unit], consumed: &[u64]) -> Vec<Unit> {
    whole
        .iter()
        .zip(slice)
        .map(|(unit, own)| Unit {
            bytes: unit
                .bytes
                .saturating_sub(consumed.get(unit.id).copied().unwrap_or(0))
                .max(own.bytes),
            ..*unit
        })
        .collect()
}

/// The smallest set kept: `max(32 GiB, 0.25 % × B_r)` as the spec says, but never more than
/// 1 % of the largest unit: on large clusters 0.25 % of the bound is more than a whole disk
/// and would drop real sets, not slivers.
pub fn automatic_min_set(bound: u64, units: &[Unit]) -> u64 {
    let largest = units.iter().map(|unit| unit.bytes).max().unwrap_or(0);
    (32u64 << 30).max((bound / 400).min(largest / 100))
}

fn node_capacities(units: &[Unit], node_count: usize) -> Vec<u64> {
    let mut capacities = vec![0u64; node_count];
    for unit in units {
        capacities[unit.node] = capacities[unit.node].saturating_add(unit.bytes);
    }
    capacities
}

fn fixed_demand(demand: &Demand, bound: u64) -> u64 {
    match demand {
        Demand::Fixed { bytes } => *bytes,
        Demand::Percent { percent } => (bound as f64 * percent / 100.0) as u64,
        Demand::Rest { .. } | Demand::None => 0,
    }
}

/// Arbiters of whole-set volumes: per volume, in set order, [`place_volume_arbiters`] over its
/// pieces, the arbiter bytes carried so far (single-set volumes, earlier volumes) counted.
fn whole_set_arbiters(
    requests: &[ArbiterRequest],
    sizes: &[Vec<(usize, u64)>],
    candidates: &[usize],
    built: &Built,
    mut free: Vec<u64>,
) -> Vec<Vec<Option<usize>>> {
    let mut chosen: Vec<Vec<Option<usize>>> =
        sizes.iter().map(|here| vec![None; here.len()]).collect();
    let mut carried = built.arbiter_bytes.clone();
    // The pieces of each volume, in set order; volumes in the order their runs start.
    let mut volumes: Vec<usize> = Vec::new();
    let mut pieces: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
    for (set, here) in sizes.iter().enumerate() {
        for (position, &(v, _)) in here.iter().enumerate() {
            if !pieces.contains_key(&v) {
                volumes.push(v);
            }
            pieces.entry(v).or_default().push((set, position));
        }
    }
    for v in volumes {
        let list = &pieces[&v];
        let volume_requests: Vec<ArbiterRequest> = list
            .iter()
            .map(|&(set, position)| ArbiterRequest {
                members: requests[set].members.clone(),
                bytes: sizes[set][position].1,
            })
            .collect();
        let nodes = place_volume_arbiters(&volume_requests, candidates, &mut carried, &mut free);
        for (&(set, position), node) in list.iter().zip(nodes) {
            chosen[set][position] = node;
        }
    }
    chosen
}

/// What one class of a tier planned.
struct ClassOutcome {
    /// The class's figures for the table and the JSON.
    summary: ClassSummary,
    /// Arbiter bytes needed per node.
    needed: Vec<u64>,
    /// Arbiter bytes per node that found no room.
    overflow: Vec<u64>,
    /// The largest arbiter brick when the class is shared by whole sets (else 0).
    largest: u64,
    /// Data-brick bytes taken per VG (indexed like `Built::vgs`).
    consumed: Vec<u64>,
}

#[allow(clippy::too_many_arguments)]
fn run_class(
    built: &mut Built,
    storage: &StorageVars,
    tier: Tier,
    copies: usize,
    volumes: &[usize],
    units: &[Unit],
    (reserves, used, in_room): (&[u64], &[u64], bool),
    (percent_base, mixed): (&[u64], bool),
) -> Result<ClassOutcome, Vec<Problem>> {
    let node_count = built.infos.len();
    let capacities = node_capacities(units, node_count);
    let bound = replica_bound(&capacities, copies);
    // `N%` is of the tier's bound, also when VDO splits the tier into two skeletons.
    // Grouped (`hvp_layout_grouped`): the triples' bound, which is what the sets can hold.
    let layout_bound = |capacities: &[u64]| {
        if built.groups.is_empty() {
            replica_bound(capacities, copies)
        } else {
            super::groups::grouped_bound(capacities, copies, &built.groups)
        }
    };
    // Mixed tier: of the whole tier (`percent_base`, the volume's own copies), not this slice.
    let percent_bound = layout_bound(percent_base);
    let min_set = storage
        .min_set
        .unwrap_or_else(|| automatic_min_set(bound, units));
    let (skeleton, group_bound) = if built.groups.is_empty() {
        (generate_sets(units, copies, min_set), bound)
    } else {
        (
            super::groups::grouped_sets(units, copies, min_set, &built.groups),
            super::groups::grouped_bound(&capacities, copies, &built.groups),
        )
    };
    let sets_bytes = skeleton.total_bytes();
    // Demands.
    let mut fixed_total: u64 = 0;
    let mut demands: Vec<(usize, u64, String)> = Vec::new();
    let weights: u64 = volumes
        .iter()
        .map(|&v| match built.specs[v].demand {
            Demand::Rest { weight } => u64::from(weight),
            _ => 0,
        })
        .sum();
    for &v in volumes {
        let spec = &built.specs[v];
        match spec.demand {
            Demand::Fixed { bytes } => {
                fixed_total += bytes;
                demands.push((v, bytes, format!("fixed {}", human_bytes(bytes))));
            }
            Demand::Percent { percent } => {
                let bytes = fixed_demand(&spec.demand, percent_bound);
                fixed_total += bytes;
                demands.push((
                    v,
                    bytes,
                    format!(
                        "{percent}% of the {}bound {}{}",
                        if built.groups.is_empty() {
                            ""
                        } else {
                            "triples' "
                        },
                        human_bytes(percent_bound),
                        if mixed {
                            format!(" (the whole tier at {copies} copies)")
                        } else {
                            String::new()
                        }
                    ),
                ));
            }
            _ => {}
        }
    }
    if fixed_total > sets_bytes {
        let named: Vec<String> = demands
            .iter()
            .map(|(v, bytes, _)| format!("{} {}", built.specs[*v].name, human_bytes(*bytes)))
            .collect();
        return Err(vec![Problem::error(
            "volumes",
            format!(
                "E004: the fixed and percentage sizes ({}) need {} but the disks hold {} (bound {}) with {} copies: short by {}",
                named.join(", "),
                human_bytes(fixed_total),
                human_bytes(sets_bytes),
                human_bytes(bound),
                copies,
                human_bytes(fixed_total - sets_bytes)
            ),
            "lower those hvp_<volume>_size variables, or add disks or nodes",
        )]);
    }
    let rest_total = sets_bytes - fixed_total;
    for &v in volumes {
        if let Demand::Rest { weight } = built.specs[v].demand {
            let bytes = u64::try_from(
                u128::from(rest_total) * u128::from(weight) / u128::from(weights.max(1)),
            )
            .unwrap_or(0);
            demands.push((
                v,
                bytes,
                format!(
                    "rest, weight {weight} of {weights}: {} of the {} the sets hold after the fixed sizes",
                    human_bytes(bytes),
                    human_bytes(rest_total)
                ),
            ));
        }
    }
    demands.sort_by_key(|(v, _, _)| *v);
    // Bricks: each volume's pieces of the sets (a fraction of every set, or whole sets on
    // large skeletons: `super::share`).
    let floor = storage.arbiter_floor;
    let set_sizes: Vec<u64> = skeleton.sets.iter().map(|set| set.bytes).collect();
    let demand_bytes: Vec<u64> = demands.iter().map(|&(_, bytes, _)| bytes).collect();
    let whole = by_whole_sets(set_sizes.len());
    let pieces = share_sets(&set_sizes, &demand_bytes);
    let mut requests: Vec<ArbiterRequest> = Vec::with_capacity(skeleton.sets.len());
    let mut arbiter_sizes: Vec<Vec<(usize, u64)>> = Vec::with_capacity(skeleton.sets.len());
    let mut set_bricks: Vec<Vec<(usize, Vec<BrickRef>)>> = Vec::with_capacity(skeleton.sets.len());
    let mut consumed = vec![0u64; built.vgs.len()];
    for (set, here) in skeleton.sets.iter().zip(&pieces) {
        let mut per_volume = Vec::with_capacity(here.len());
        let mut sizes = Vec::with_capacity(here.len());
        let mut bytes = 0u64;
        for &(position, brick) in here {
            let v = demands[position].0;
            // Thick bricks of a spread volume leave the pool (`capacity::take_thick`).
            let thick = built.specs[v].thick;
            let brick = if thick {
                super::capacity::thick_size(
                    brick,
                    set.members.iter().map(|&(_, vg)| &built.vgs[vg]),
                )
            } else {
                brick
            };
            if brick < EXTENT {
                continue;
            }
            let mut bricks = Vec::with_capacity(copies + 1);
            for &(node, vg) in &set.members {
                let index = next_brick(&mut built.counters, node, v, false);
                consumed[vg] += brick;
                if thick {
                    super::capacity::take_thick(&mut built.vgs[vg], brick);
                }
                bricks.push(place(
                    &mut built.vgs,
                    vg,
                    PlacedLv {
                        index,
                        arbiter: false,
                        size: brick,
                        thin: !thick,
                        volume: v,
                    },
                    false,
                ));
            }
            if copies == 2 {
                let arbiter = arbiter_bytes(brick, built.specs[v].file_unit, floor);
                sizes.push((v, arbiter));
                bytes += arbiter;
            }
            per_volume.push((v, bricks));
        }
        requests.push(ArbiterRequest {
            members: set.members.iter().map(|(node, _)| *node).collect(),
            bytes,
        });
        arbiter_sizes.push(sizes);
        set_bricks.push(per_volume);
    }
    let mut needed = vec![0u64; node_count];
    let mut overflow = vec![0u64; node_count];
    if copies == 2 {
        let candidates = arbiter_candidates(built);
        let free: Vec<u64> = (0..node_count)
            .map(|node| {
                if built.infos[node].data {
                    // What the classes before this one left of the reserve.
                    reserves[node].saturating_sub(used[node])
                } else {
                    built.arbiter_vg[node].map_or(0, |vg| built.vgs[vg].free)
                }
            })
            .collect();
        // Per set, per piece: the arbiter's node.
        let choose = |requests: &[ArbiterRequest],
                      sizes: &[Vec<(usize, u64)>],
                      candidates: &[usize]|
         -> Vec<Vec<Option<usize>>> {
            if whole {
                whole_set_arbiters(requests, sizes, candidates, built, free.clone())
            } else {
                let place = if in_room {
                    place_arbiters_in_room
                } else {
                    place_arbiters
                };
                place(requests, candidates, &built.arbiter_bytes, &free)
                    .into_iter()
                    .zip(sizes)
                    .map(|(node, sizes)| vec![node; sizes.len().max(1)])
                    .collect()
            }
        };
        let chosen: Vec<Vec<Option<usize>>> = if built.groups.is_empty() {
            choose(&requests, &arbiter_sizes, &candidates)
        } else {
            // Grouped: each triple's sets get arbiters from inside it, fairly among its nodes.
            let firsts: Vec<usize> = requests
                .iter()
                .map(|request| request.members.first().copied().unwrap_or(usize::MAX))
                .collect();
            let mut chosen: Vec<Vec<Option<usize>>> = arbiter_sizes
                .iter()
                .map(|sizes| vec![None; sizes.len().max(1)])
                .collect();
            let by_group = super::groups::sets_by_group(&built.groups, &firsts);
            for (group, sets) in built.groups.iter().zip(by_group) {
                if sets.is_empty() {
                    continue;
                }
                let inside: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&n| group.contains(n))
                    .collect();
                let sub_requests: Vec<ArbiterRequest> =
                    sets.iter().map(|&set| requests[set].clone()).collect();
                let sub_sizes: Vec<Vec<(usize, u64)>> =
                    sets.iter().map(|&set| arbiter_sizes[set].clone()).collect();
                for (&set, nodes) in sets.iter().zip(choose(&sub_requests, &sub_sizes, &inside)) {
                    chosen[set] = nodes;
                }
            }
            chosen
        };
        if chosen.iter().flatten().any(Option::is_none) {
            return Err(vec![Problem::error(
                "nodes",
                "E011: a replica set has no node outside it that may hold its arbiter",
                "give a third node role any or arbiter",
            )]);
        }
        for (set, nodes) in chosen.iter().enumerate() {
            for (position, (&(v, size), node)) in arbiter_sizes[set].iter().zip(nodes).enumerate() {
                let Some(node) = *node else {
                    continue;
                };
                needed[node] += size;
                let target = built.arbiter_vg[node]
                    .filter(|&vg| built.vgs[vg].free >= size)
                    .or_else(|| {
                        // Not a VDO VG kept for the VDO volumes (spec §10) unless this is one.
                        built.node_vgs[node].iter().copied().find(|&vg| {
                            built.vgs[vg].free >= size
                                && super::vdo::may_hold(built, vg, built.specs[v].vdo)
                        })
                    });
                let Some(vg) = target else {
                    overflow[node] += size;
                    continue;
                };
                let index = next_brick(&mut built.counters, node, v, true);
                let brick = place(
                    &mut built.vgs,
                    vg,
                    PlacedLv {
                        index,
                        arbiter: true,
                        size,
                        thin: true,
                        volume: v,
                    },
                    true,
                );
                built.arbiter_bytes[node] += size;
                if let Some((_, bricks)) = set_bricks[set].get_mut(position) {
                    bricks.push(brick);
                }
            }
        }
    }
    for per_volume in set_bricks {
        for (v, bricks) in per_volume {
            built.sets[v].push(bricks);
        }
    }
    let summary = ClassSummary {
        tier,
        copies,
        bound,
        group_bound,
        counted_bound: bound,
        counted_group_bound: group_bound,
        sets_bytes,
        sets: skeleton.sets.len(),
        whole,
        min_set,
        dropped: skeleton.dropped_bytes,
        stranded: skeleton.stranded_bytes,
        volumes: demands,
    };
    let largest = if whole {
        arbiter_sizes
            .iter()
            .flatten()
            .map(|&(_, size)| size)
            .max()
            .unwrap_or(0)
    } else {
        0
    };
    Ok(ClassOutcome {
        summary,
        needed,
        overflow,
        largest,
        consumed,
    })
}
