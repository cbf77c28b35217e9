//! Arbiter bricks: how big (the file-count formula with its floor) and where (`rotating`,
//! `last`, `weakest`). Pure and reusable: expansion passes the arbiter bytes nodes already
//! carry, so new arbiters keep rotating fairly.

use std::collections::BTreeSet;

/// XFS minimum filesystem size: no arbiter brick may be smaller (E010).
pub const HARD_MINIMUM: u64 = 300 << 20;
/// Arbiter sizes are rounded up to this.
pub const ROUNDING: u64 = 256 << 20;
/// Size above which the brick filesystem needs `mkfs.xfs -i maxpct=25`.
pub const MAXPCT_ABOVE: u64 = 1 << 40;

/// The arbiter brick for a data brick of `data_bytes`, with files of about `unit_bytes`
/// (`min(average file, shard block)`):
/// `E = ceil(d / u) × 1.10` entries (≈ 10 % directories),
/// `A = max(floor, ceil_256MiB(4 KiB × E × 1.25))`.
pub fn arbiter_bytes(data_bytes: u64, unit_bytes: u64, floor: u64) -> u64 {
    let files = u128::from(data_bytes.div_ceil(unit_bytes.max(1)));
    // 4096 × 1.10 × 1.25 = 5632 bytes per file, exactly.
    let raw = files * 5632;
    let rounded = raw.div_ceil(u128::from(ROUNDING)) * u128::from(ROUNDING);
    u64::try_from(rounded).unwrap_or(u64::MAX).max(floor)
}

/// One set to give an arbiter to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArbiterRequest {
    /// Nodes holding its data members (never chosen).
    pub members: Vec<usize>,
    /// Bytes of all its arbiter bricks (one per volume).
    pub bytes: u64,
}

/// Picks an arbiter node per set, in order: among `candidates` not in the set, the one with
/// the least arbiter bytes so far (`existing` counts bricks already there), then the most
/// `free` bytes left for arbiters, then the later in inventory. `None` for a set no candidate
/// can take (every candidate is a member). `existing` and `free` are indexed by node.
pub fn place_arbiters(
    requests: &[ArbiterRequest],
    candidates: &[usize],
    existing: &[u64],
    free: &[u64],
) -> Vec<Option<usize>> {
    let node_count = existing.len().max(free.len());
    let mut carried: Vec<u64> = (0..node_count)
        .map(|node| existing.get(node).copied().unwrap_or(0))
        .collect();
    let mut left: Vec<u64> = (0..node_count)
        .map(|node| free.get(node).copied().unwrap_or(0))
        .collect();
    // Ordered by (carried asc, free desc, node desc): the first entry not in the set wins.
    let key = |node: usize, carried: &[u64], left: &[u64]| {
        (
            carried[node],
            std::cmp::Reverse(left[node]),
            std::cmp::Reverse(node),
        )
    };
    let mut order: BTreeSet<(u64, std::cmp::Reverse<u64>, std::cmp::Reverse<usize>)> = candidates
        .iter()
        .filter(|&&node| node < node_count)
        .map(|&node| key(node, &carried, &left))
        .collect();
    requests
        .iter()
        .map(|request| {
            let chosen = order
                .iter()
                .find(|(_, _, std::cmp::Reverse(node))| !request.members.contains(node))
                .map(|(_, _, std::cmp::Reverse(node))| *node)?;
            order.remove(&key(chosen, &carried, &left));
            carried[chosen] += request.bytes;
            left[chosen] = left[chosen].saturating_sub(request.bytes);
            order.insert(key(chosen, &carried, &left));
            Some(chosen)
        })
        .collect()
}

/// The fairness bound of `rotating`: per volume, at most `⌈sets / eligible⌉` arbiter bricks
/// on one node.
pub fn fairness_bound(sets: usize, eligible: usize) -> usize {
    sets.div_ceil(eligible.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    #[test]
    fn sizes_follow_the_spec_table_for_a_2_tib_brick() {
        let brick = 2048 * GIB;
        assert_eq!(
            arbiter_bytes(brick, 64 << 20, GIB),
            GIB,
            "vmstore: the floor"
        );
        assert_eq!(
            arbiter_bytes(brick, 8 << 20, GIB),
            1536 << 20,
            "backup 1.5 GiB"
        );
        assert_eq!(
            arbiter_bytes(brick, 1 << 20, GIB),
            11 * GIB,
            "unixshare 11 GiB"
        );
        assert_eq!(
            arbiter_bytes(brick, 256 << 10, GIB),
            44 * GIB,
            "winshare 44 GiB"
        );
    }

    #[test]
    fn rotating_placement_matches_the_five_node_example() {
        // Ex 2: sets by member nodes (0-based), every arbiter at the floor.
        let sets = [
            [0, 2],
            [3, 4],
            [3, 0],
            [2, 4],
            [3, 0],
            [3, 2],
            [4, 1],
            [3, 4],
            [3, 1],
        ];
        let requests: Vec<ArbiterRequest> = sets
            .iter()
            .map(|members| ArbiterRequest {
                members: members.to_vec(),
                bytes: GIB,
            })
            .collect();
        let chosen = place_arbiters(&requests, &[0, 1, 2, 3, 4], &[0; 5], &[10 * GIB; 5]);
        let chosen: Vec<usize> = chosen.into_iter().map(Option::unwrap).collect();
        assert_eq!(chosen, vec![4, 2, 1, 3, 4, 0, 3, 2, 0]);
    }

    #[test]
    fn existing_arbiter_bytes_count() {
        let requests = vec![ArbiterRequest {
            members: vec![3, 4],
            bytes: GIB,
        }];
        let chosen = place_arbiters(&requests, &[0, 1, 2], &[4 * GIB, 4 * GIB, 5 * GIB], &[]);
        assert_eq!(
            chosen,
            vec![Some(1)],
            "n3 carries more; n2 wins the tie with n1"
        );
        let none = place_arbiters(&requests, &[3, 4], &[0; 5], &[]);
        assert_eq!(none, vec![None]);
    }
}
