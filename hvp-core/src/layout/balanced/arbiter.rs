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

/// [`place_arbiters`] with room: each request goes, by the same order (least arbiter bytes,
/// most `free`, later in inventory), to the first candidate outside the set whose `free` still
/// holds it; only when no candidate outside the set has the room does it go to the first one
/// regardless (its node then overflows, and the caller grows that node's reserve). With
/// lumpy requests (few sets carrying the arbiters of small-file volumes) the byte order alone
/// sends a large request to a node whose reserve the smaller ones already used.
pub fn place_arbiters_in_room(
    requests: &[ArbiterRequest],
    candidates: &[usize],
    existing: &[u64],
    free: &[u64],
) -> Vec<Option<usize>> {
    type Key = (u64, std::cmp::Reverse<u64>, std::cmp::Reverse<usize>);
    let node_count = existing.len().max(free.len());
    let mut carried: Vec<u64> = (0..node_count)
        .map(|node| existing.get(node).copied().unwrap_or(0))
        .collect();
    let mut left: Vec<u64> = (0..node_count)
        .map(|node| free.get(node).copied().unwrap_or(0))
        .collect();
    let key = |node: usize, carried: &[u64], left: &[u64]| -> Key {
        (
            carried[node],
            std::cmp::Reverse(left[node]),
            std::cmp::Reverse(node),
        )
    };
    let mut order: BTreeSet<Key> = candidates
        .iter()
        .filter(|&&node| node < node_count)
        .map(|&node| key(node, &carried, &left))
        .collect();
    requests
        .iter()
        .map(|request| {
            let outside = |(_, _, std::cmp::Reverse(node)): &&Key| !request.members.contains(node);
            let chosen = order
                .iter()
                .filter(outside)
                .find(|(_, std::cmp::Reverse(room), _)| *room >= request.bytes)
                .or_else(|| order.iter().find(outside))
                .map(|(_, _, std::cmp::Reverse(node))| *node)?;
            order.remove(&key(chosen, &carried, &left));
            carried[chosen] += request.bytes;
            left[chosen] = left[chosen].saturating_sub(request.bytes);
            order.insert(key(chosen, &carried, &left));
            Some(chosen)
        })
        .collect()
}

/// Arbiter placement for one volume that takes whole sets ([`super::share`]): each request
/// goes to the candidate not in the set with the fewest arbiters of this volume so far, then
/// the least arbiter bytes (`carried`, all volumes), then the most `free`, then the later in
/// inventory, skipping candidates whose `free` is below the request while one has room. Counting per volume keeps every volume within the fairness bound even when the
/// volumes before it left the nodes' arbiter bytes uneven. `carried` and `free` (indexed by
/// node) are updated with the chosen requests.
pub fn place_volume_arbiters(
    requests: &[ArbiterRequest],
    candidates: &[usize],
    carried: &mut [u64],
    free: &mut [u64],
) -> Vec<Option<usize>> {
    type Key = (usize, u64, std::cmp::Reverse<u64>, std::cmp::Reverse<usize>);
    let node_count = carried.len().min(free.len());
    let mut counts = vec![0usize; node_count];
    let key = |node: usize, counts: &[usize], carried: &[u64], free: &[u64]| -> Key {
        (
            counts[node],
            carried[node],
            std::cmp::Reverse(free[node]),
            std::cmp::Reverse(node),
        )
    };
    let mut order: BTreeSet<Key> = candidates
        .iter()
        .filter(|&&node| node < node_count)
        .map(|&node| key(node, &counts, carried, free))
        .collect();
    // The candidates by free bytes: when none outside the set has room, skip the scan.
    let mut rooms: BTreeSet<(u64, usize)> = candidates
        .iter()
        .filter(|&&node| node < node_count)
        .map(|&node| (free[node], node))
        .collect();
    requests
        .iter()
        .map(|request| {
            let outside =
                |(_, _, _, std::cmp::Reverse(node)): &&Key| !request.members.contains(node);
            let roomy = rooms
                .iter()
                .rev()
                .find(|(_, node)| !request.members.contains(node))
                .is_some_and(|&(room, _)| room >= request.bytes);
            let chosen = roomy
                .then(|| {
                    order
                        .iter()
                        .filter(outside)
                        .find(|(_, _, std::cmp::Reverse(room), _)| *room >= request.bytes)
                })
                .flatten()
                .or_else(|| order.iter().find(outside))
                .map(|(_, _, _, std::cmp::Reverse(node))| *node)?;
            order.remove(&key(chosen, &counts, carried, free));
            rooms.remove(&(free[chosen], chosen));
            counts[chosen] += 1;
            carried[chosen] += request.bytes;
            free[chosen] = free[chosen].saturating_sub(request.bytes);
            order.insert(key(chosen, &counts, carried, free));
            rooms.insert((free[chosen], chosen));
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
    fn whole_set_volumes_count_their_own_arbiters_first() {
        // Node 0 already carries far fewer bytes: byte-greedy would give it every set;
        // counting this volume's arbiters first rotates them.
        let requests: Vec<ArbiterRequest> = (0..6)
            .map(|_| ArbiterRequest {
                members: vec![3, 4],
                bytes: GIB,
            })
            .collect();
        let mut carried = vec![0, 40 * GIB, 40 * GIB, 0, 0];
        let mut free = vec![100 * GIB; 5];
        let chosen = place_volume_arbiters(&requests, &[0, 1, 2, 3, 4], &mut carried, &mut free);
        let chosen: Vec<usize> = chosen.into_iter().map(Option::unwrap).collect();
        assert_eq!(chosen, vec![0, 2, 1, 0, 2, 1]);
        assert!(chosen
            .iter()
            .all(|&node| fairness_bound(6, 3) >= chosen.iter().filter(|&&n| n == node).count()));
        assert_eq!(carried, vec![2 * GIB, 42 * GIB, 42 * GIB, 0, 0]);
        assert_eq!(free[0], 98 * GIB);
        let none = place_volume_arbiters(&requests[..1], &[3, 4], &mut carried, &mut free);
        assert_eq!(none, vec![None]);
    }

    #[test]
    fn placement_in_room_skips_nodes_whose_reserve_is_used() {
        // Node 2 carries the least but has 3 GiB left: the 10 GiB request goes to node 1,
        // the 1 GiB one after it to node 2; nothing has room for 50 GiB: least bytes wins.
        let requests: Vec<ArbiterRequest> = [10, 1, 50]
            .iter()
            .map(|&gib| ArbiterRequest {
                members: vec![0],
                bytes: gib * GIB,
            })
            .collect();
        let existing = [0, 5 * GIB, 2 * GIB];
        let free = [100 * GIB, 20 * GIB, 3 * GIB];
        let chosen = place_arbiters_in_room(&requests, &[0, 1, 2], &existing, &free);
        assert_eq!(chosen, vec![Some(1), Some(2), Some(2)]);
        let plain = place_arbiters(&requests, &[0, 1, 2], &existing, &free);
        assert_eq!(plain[0], Some(2), "without room the least bytes win");
        let none = place_arbiters_in_room(&requests[..1], &[0], &existing, &free);
        assert_eq!(none, vec![None]);
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
