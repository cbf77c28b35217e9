//! Replica-set generation ("r-largest greedy", `docs/storage.md`): cuts the units (data VGs,
//! or what is left of them) of every node into replica sets whose members sit on distinct
//! nodes and are cut to one size δ, reaching the bound B_r minus dropped slivers.
//!
//! Each step takes the r nodes with the most remaining bytes (ties: inventory order), on each
//! its largest remaining unit (ties: unit order), and
//! `δ = min(those units, Σ/r − R_next)`, which keeps `max R ≤ Σ/r` so the bound stays
//! reachable. Sets below `min_set` are dropped (stranded). Pure and reusable: expansion calls
//! it on the free units only.

use std::cmp::Reverse;
use std::collections::BTreeSet;

/// A unit of capacity: one VG's bytes available for data bricks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// Node index (inventory position; lower wins ties).
    pub node: usize,
    /// Caller's unit id (lower wins ties on one node).
    pub id: usize,
    /// Bytes available.
    pub bytes: u64,
}

/// One generated set: the units of its members (one per node, in pick order) and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCut {
    /// Member units as `(node, unit id)`, in the order picked (largest node first).
    pub members: Vec<(usize, usize)>,
    /// Bytes of each member.
    pub bytes: u64,
}

/// The result of [`generate_sets`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Skeleton {
    /// Sets, largest first as generated.
    pub sets: Vec<SetCut>,
    /// Raw bytes (all copies) of dropped slivers and of capacity no set can use.
    pub stranded_bytes: u64,
    /// Bytes per copy of the dropped slivers.
    pub dropped_bytes: u64,
    /// Whether the step cap (`4 × (units + nodes)`) stopped the loop.
    pub capped: bool,
}

impl Skeleton {
    /// Σ of the set sizes (bytes per copy).
    pub fn total_bytes(&self) -> u64 {
        self.sets.iter().map(|set| set.bytes).sum()
    }
}

/// Cuts `units` into sets of `copies` members on distinct nodes; sets smaller than
/// `min_set` bytes are dropped. `O((units + nodes) · log)` per step count.
pub fn generate_sets(units: &[Unit], copies: usize, min_set: u64) -> Skeleton {
    let mut skeleton = Skeleton::default();
    if copies == 0 {
        return skeleton;
    }
    let node_count = units.iter().map(|unit| unit.node + 1).max().unwrap_or(0);
    // Nodes above the bound are capped at it first (the excess is stranded), from their
    // smallest units: then `max R ≤ Σ/r` holds from the start and the greedy reaches B_r.
    let mut capacities: Vec<u64> = vec![0; node_count];
    for unit in units {
        capacities[unit.node] = capacities[unit.node].saturating_add(unit.bytes);
    }
    let bound = crate::layout::model::replica_bound(&capacities, copies);
    let mut units: Vec<Unit> = units.to_vec();
    for (node, &capacity) in capacities.iter().enumerate() {
        let mut excess = capacity.saturating_sub(bound);
        if excess == 0 || capacity == 0 {
            continue;
        }
        let mut mine: Vec<usize> = (0..units.len())
            .filter(|&i| units[i].node == node)
            .collect();
        mine.sort_by_key(|&i| (units[i].bytes, std::cmp::Reverse(units[i].id)));
        for i in mine {
            let cut = excess.min(units[i].bytes);
            units[i].bytes -= cut;
            excess -= cut;
            skeleton.stranded_bytes += cut;
            if excess == 0 {
                break;
            }
        }
    }
    let units = &units[..];
    let mut remaining: Vec<u64> = vec![0; node_count];
    let mut per_node: Vec<BTreeSet<(Reverse<u64>, usize, usize)>> =
        vec![BTreeSet::new(); node_count];
    for (position, unit) in units.iter().enumerate() {
        if unit.bytes == 0 {
            continue;
        }
        remaining[unit.node] = remaining[unit.node].saturating_add(unit.bytes);
        per_node[unit.node].insert((Reverse(unit.bytes), unit.id, position));
    }
    let mut order: BTreeSet<(Reverse<u64>, usize)> = remaining
        .iter()
        .enumerate()
        .filter(|(_, bytes)| **bytes > 0)
        .map(|(node, bytes)| (Reverse(*bytes), node))
        .collect();
    let mut total: u128 = remaining.iter().map(|&bytes| u128::from(bytes)).sum();
    let cap = 4 * (units.len() + node_count) + 4;
    let mut steps = 0;
    // Reused by every step: a large skeleton takes tens of thousands of steps.
    let mut top: Vec<usize> = Vec::with_capacity(copies);
    let mut picks: Vec<(Reverse<u64>, usize, usize)> = Vec::with_capacity(copies);
    while order.len() >= copies {
        steps += 1;
        if steps > cap {
            skeleton.capped = true;
            break;
        }
        let mut iter = order.iter();
        top.clear();
        top.extend(iter.by_ref().take(copies).map(|(_, node)| *node));
        let next = iter.next().map_or(0, |(Reverse(bytes), _)| *bytes);
        picks.clear();
        picks.extend(
            top.iter()
                .filter_map(|&node| per_node[node].iter().next().copied()),
        );
        let smallest = picks
            .iter()
            .map(|(Reverse(bytes), _, _)| *bytes)
            .min()
            .unwrap_or(0);
        let headroom = (total / copies as u128).saturating_sub(u128::from(next));
        let mut delta = u64::try_from(u128::from(smallest).min(headroom)).unwrap_or(smallest);
        if delta == 0 {
            // Integer rounding only: take the smallest unit so that every step progresses.
            delta = smallest;
        }
        if delta == 0 {
            break;
        }
        let members: Vec<(usize, usize)> = top
            .iter()
            .zip(&picks)
            .map(|(&node, (_, id, _))| (node, *id))
            .collect();
        for (&node, pick) in top.iter().zip(&picks) {
            order.remove(&(Reverse(remaining[node]), node));
            per_node[node].remove(pick);
            let (Reverse(bytes), id, position) = *pick;
            let left = bytes - delta;
            if left > 0 {
                per_node[node].insert((Reverse(left), id, position));
            }
            remaining[node] -= delta;
            if remaining[node] > 0 {
                order.insert((Reverse(remaining[node]), node));
            }
        }
        total -= u128::from(delta) * copies as u128;
        if delta >= min_set {
            skeleton.sets.push(SetCut {
                members,
                bytes: delta,
            });
        } else {
            skeleton.dropped_bytes += delta;
            skeleton.stranded_bytes += delta * copies as u64;
        }
    }
    skeleton.stranded_bytes += remaining.iter().sum::<u64>();
    skeleton
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(node: usize, id: usize, bytes: u64) -> Unit {
        Unit { node, id, bytes }
    }

    #[test]
    fn equal_nodes_pair_whole_disks() {
        let units: Vec<Unit> = (0..3)
            .flat_map(|node| (0..2).map(move |disk| unit(node, node * 2 + disk, 100)))
            .collect();
        let skeleton = generate_sets(&units, 2, 1);
        assert_eq!(skeleton.total_bytes(), 300, "the bound ΣC/2");
        for set in &skeleton.sets {
            assert_ne!(set.members[0].0, set.members[1].0);
        }
        assert_eq!(skeleton.stranded_bytes, 0);
    }

    #[test]
    fn a_capped_node_strands_its_excess() {
        let units = vec![unit(0, 0, 1000), unit(1, 1, 10), unit(2, 2, 10)];
        let skeleton = generate_sets(&units, 2, 1);
        assert_eq!(skeleton.total_bytes(), 20, "ΣC − C_max");
        assert_eq!(skeleton.stranded_bytes, 980);
    }

    #[test]
    fn three_copies_reach_the_bound() {
        let units: Vec<Unit> = (0..4).map(|node| unit(node, node, 300)).collect();
        let skeleton = generate_sets(&units, 3, 1);
        assert_eq!(skeleton.total_bytes(), 400);
        assert!(skeleton.sets.iter().all(|set| set.members.len() == 3));
    }

    #[test]
    fn slivers_below_the_minimum_are_dropped() {
        let units = vec![
            unit(0, 0, 100),
            unit(1, 1, 100),
            unit(1, 2, 5),
            unit(2, 3, 105),
        ];
        let skeleton = generate_sets(&units, 2, 10);
        assert!(skeleton.sets.iter().all(|set| set.bytes >= 10));
        assert_eq!(
            skeleton.total_bytes() * 2 + skeleton.stranded_bytes,
            310,
            "every byte is in a set or stranded"
        );
    }
}
