//! How a tier's units are divided when it holds both replica-3 and arbiter (2 copies +
//! arbiter) spread volumes that *both* ask for `rest`: each class gets a proportional slice of
//! every unit, the replica-3 class the raw bytes of its fixed and percentage sizes (3 copies,
//! 3 % margin) plus its weight's share of what remains, counted in copies:
//!
//! ```text
//! R     = raw − 1.03 × (3 × F3 + 2 × F2)           F = Σ fixed and N % sizes of a class
//! raw3  = 1.03 × 3 × F3 + R × 3·W3 / (3·W3 + 2·W2)  W = Σ rest weights of a class
//! ```
//!
//! so that one weight unit of `rest` gets the same usable bytes in either class. (When only
//! one class has `rest`, the other takes just its fixed sizes, see [`super::spread`]: enough
//! raw bytes that the slice's own sets, [`slice_sets_bytes`], hold them, first from what the
//! `rest` class cannot use on capped nodes, [`excess_units`].)

use super::build::Built;
use super::capacity::floor_extents;
use super::sets::{generate_sets, Unit};
use crate::facts::storage::{Demand, StorageVars};
use crate::layout::model::replica_bound;

/// `raw / total` of every unit, in whole extents: a class's slice of a mixed tier.
pub fn slice_units(units: &[Unit], raw: u128, total: u128) -> Vec<Unit> {
    units
        .iter()
        .map(|u| Unit {
            bytes: floor_extents(
                u64::try_from(u128::from(u.bytes) * raw / total.max(1)).unwrap_or(0),
            ),
            ..*u
        })
        .collect()
}

/// The bytes of every unit that a class of `copies` cannot use: on each node what lies above
/// the class's bound `B_copies` (the level at which the tier's nodes are capped), shared among
/// the node's units by size, in whole extents. A slice taken from these costs the other class
/// nothing.
pub fn excess_units(units: &[Unit], node_count: usize, copies: usize) -> Vec<Unit> {
    let mut capacities = vec![0u64; node_count];
    for unit in units {
        if let Some(capacity) = capacities.get_mut(unit.node) {
            *capacity = capacity.saturating_add(unit.bytes);
        }
    }
    let level = replica_bound(&capacities, copies);
    units
        .iter()
        .map(|u| {
            let capacity = capacities.get(u.node).copied().unwrap_or(0);
            let excess = capacity.saturating_sub(level);
            Unit {
                bytes: floor_extents(
                    u64::try_from(
                        u128::from(u.bytes) * u128::from(excess) / u128::from(capacity.max(1)),
                    )
                    .unwrap_or(0),
                ),
                ..*u
            }
        })
        .collect()
}

/// What the skeleton of `copies` over `units` holds (Σ set sizes, slivers below `min_set`
/// dropped), as [`super::spread`] builds it for the class.
pub fn slice_sets_bytes(
    built: &Built,
    storage: &StorageVars,
    units: &[Unit],
    copies: usize,
) -> u64 {
    let mut capacities = vec![0u64; built.infos.len()];
    for unit in units {
        if let Some(capacity) = capacities.get_mut(unit.node) {
            *capacity = capacity.saturating_add(unit.bytes);
        }
    }
    let min_set = storage.min_set.unwrap_or_else(|| {
        super::spread::automatic_min_set(replica_bound(&capacities, copies), units)
    });
    if built.groups.is_empty() {
        generate_sets(units, copies, min_set).total_bytes()
    } else {
        super::groups::grouped_sets(units, copies, min_set, &built.groups).total_bytes()
    }
}

/// Fixed and percentage bytes (of `bound`) and rest weights of some demands.
fn totals(demands: &[Demand], bound: u64) -> (u128, u128) {
    let mut fixed = 0u128;
    let mut weights = 0u128;
    for demand in demands {
        match *demand {
            Demand::Fixed { bytes } => fixed += u128::from(bytes),
            Demand::Percent { percent } => fixed += (bound as f64 * percent / 100.0) as u128,
            Demand::Rest { weight } => weights += u128::from(weight),
            Demand::None => {}
        }
    }
    (fixed, weights)
}

/// The raw bytes (out of `total`) for the replica-3 class, given the demands of the replica-3
/// (`three`) and arbiter (`two`) volumes and the node capacities percentages are taken of.
pub fn replica3_raw(three: &[Demand], two: &[Demand], capacities: &[u64], total: u128) -> u128 {
    let (fixed3, weights3) = totals(three, replica_bound(capacities, 3));
    let (fixed2, weights2) = totals(two, replica_bound(capacities, 2));
    let raw_fixed3 = fixed3 * 3 * 103 / 100;
    let raw_fixed2 = fixed2 * 2 * 103 / 100;
    let rest = total.saturating_sub(raw_fixed3 + raw_fixed2);
    let shares = 3 * weights3 + 2 * weights2;
    let rest3 = (rest * 3 * weights3).checked_div(shares).unwrap_or(0);
    (raw_fixed3 + rest3).min(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(node: usize, id: usize, bytes: u64) -> Unit {
        Unit { node, id, bytes }
    }

    #[test]
    fn one_weight_unit_gets_the_same_usable_bytes_in_both_classes() {
        let caps = [1000u64 << 30; 3];
        let total = 3000u128 << 30;
        // Weights 1 and 1, nothing fixed: 3 / 5 of the raw bytes for replica 3 (600 GiB usable
        // each way: 1800 raw for replica 3, 1200 raw for 2 copies).
        let raw = replica3_raw(
            &[Demand::Rest { weight: 1 }],
            &[Demand::Rest { weight: 1 }],
            &caps,
            total,
        );
        assert_eq!(raw, 1800u128 << 30);
        // Fixed replica-3 bytes come first (with the 3 % margin), then the shares.
        let raw = replica3_raw(
            &[
                Demand::Fixed { bytes: 100 << 30 },
                Demand::Rest { weight: 2 },
            ],
            &[Demand::Rest { weight: 3 }],
            &caps,
            total,
        );
        let fixed = (100u128 << 30) * 3 * 103 / 100;
        let expected = fixed + (total - fixed) * 6 / 12;
        assert_eq!(raw, expected);
        // Never more than there is.
        let raw = replica3_raw(
            &[
                Demand::Fixed { bytes: 5000 << 30 },
                Demand::Rest { weight: 1 },
            ],
            &[Demand::Rest { weight: 1 }],
            &caps,
            total,
        );
        assert_eq!(raw, total);
    }

    #[test]
    fn the_excess_is_what_lies_above_the_other_class_bound() {
        use crate::layout::balanced::capacity::EXTENT;
        const TIB: u64 = 1 << 40;
        // Replica 3 over 1, 10, 10, 1 TiB: the bound is 2 TiB (1 + 1 + 2 + 2 = 3 × 2), so the
        // two large nodes have 8 TiB each the replica-3 class cannot use, split by unit size.
        let units = [
            unit(0, 0, TIB),
            unit(1, 1, 6 * TIB),
            unit(1, 2, 4 * TIB),
            unit(2, 3, 10 * TIB),
            unit(3, 4, TIB),
        ];
        let excess: Vec<u64> = excess_units(&units, 4, 3).iter().map(|u| u.bytes).collect();
        let expected = [0, 8 * TIB * 6 / 10, 8 * TIB * 4 / 10, 8 * TIB, 0];
        for (got, want) in excess.iter().zip(expected) {
            assert!(want - got < EXTENT, "{got} vs {want}");
            assert_eq!(got % EXTENT, 0);
        }
        // Nothing is capped: no excess.
        let even = [unit(0, 0, TIB), unit(1, 1, TIB), unit(2, 2, TIB)];
        assert!(excess_units(&even, 3, 3).iter().all(|u| u.bytes == 0));
    }

    #[test]
    fn a_slice_is_the_same_fraction_of_every_unit_in_whole_extents() {
        use crate::layout::balanced::capacity::EXTENT;
        let units: Vec<Unit> = [(0, 1000u64 << 30), (1, 3000 << 30), (2, (500 << 30) + 7)]
            .into_iter()
            .enumerate()
            .map(|(id, (node, bytes))| Unit { node, id, bytes })
            .collect();
        let total: u128 = units.iter().map(|u| u128::from(u.bytes)).sum();
        let slice = slice_units(&units, total / 4, total);
        for (unit, part) in units.iter().zip(&slice) {
            assert_eq!((part.node, part.id), (unit.node, unit.id));
            assert_eq!(part.bytes % EXTENT, 0);
            let quarter = unit.bytes / 4;
            assert!(
                part.bytes <= quarter && quarter - part.bytes <= EXTENT,
                "{part:?}"
            );
        }
        assert!(slice_units(&units, 0, total).iter().all(|u| u.bytes == 0));
    }
}
