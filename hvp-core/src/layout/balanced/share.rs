//! How the spread volumes of one class share its skeleton of replica sets.
//!
//! * **Fraction of every set** (the spec's rule, small skeletons): volume `v` gets
//!   `f_v = D_v / ΣS` of every set `s` (a brick of `⌊S_s × D_v / ΣS⌋` extents on each member),
//!   so every volume spreads over all nodes proportionally.
//! * **Whole sets** (large skeletons, more than [`WHOLE_SETS_ABOVE`] sets): the sets, in
//!   skeleton order, are laid end to end and the volumes, in volume order, take consecutive
//!   runs of `D_v` bytes of that line. A volume gets whole sets; only the set at the boundary
//!   between two volumes is split (each part cut to equal size on every member), so every
//!   volume still gets its bytes while a set carries one volume (two at a boundary) and the
//!   plan has about `copies × (sets + volumes)` bricks instead of `copies × sets × volumes`.
//!
//! In both rules a piece below one extent is left out, and sizes are whole extents.

use super::capacity::{floor_extents, EXTENT};

/// Skeletons with more sets than this are shared by whole sets; up to this many sets, every
/// volume takes its fraction of every set. 64 keeps every volume of a small cluster (the
/// worked examples, 3–8 nodes, have at most a few dozen sets) on every set, and caps the
/// bricks of a volume on large clusters near `sets / volumes` instead of `sets`.
pub const WHOLE_SETS_ABOVE: usize = 64;

/// Whether a skeleton of `sets` sets is shared by whole sets.
pub fn by_whole_sets(sets: usize) -> bool {
    sets > WHOLE_SETS_ABOVE
}

/// For each set (sizes `sets`, bytes per member) the pieces `(volume position, brick bytes)`
/// the volumes (demands `demands`, bytes, in volume order) take of it, by the rule
/// [`by_whole_sets`] picks. `Σ demands` must not exceed `Σ sets`.
pub fn share_sets(sets: &[u64], demands: &[u64]) -> Vec<Vec<(usize, u64)>> {
    if by_whole_sets(sets.len()) {
        whole_sets(sets, demands)
    } else {
        fractions(sets, demands)
    }
}

/// Every volume takes `D_v / ΣS` of every set.
pub fn fractions(sets: &[u64], demands: &[u64]) -> Vec<Vec<(usize, u64)>> {
    let total: u128 = sets.iter().map(|&bytes| u128::from(bytes)).sum();
    sets.iter()
        .map(|&set| {
            demands
                .iter()
                .enumerate()
                .filter_map(|(position, &demand)| {
                    let brick = floor_extents(
                        u64::try_from(u128::from(set) * u128::from(demand) / total.max(1))
                            .unwrap_or(0),
                    );
                    (brick >= EXTENT).then_some((position, brick))
                })
                .collect()
        })
        .collect()
}

/// The volumes take consecutive runs of the sets laid end to end; a set is split only where
/// one volume's run ends and the next one's starts.
pub fn whole_sets(sets: &[u64], demands: &[u64]) -> Vec<Vec<(usize, u64)>> {
    let mut pieces: Vec<Vec<(usize, u64)>> = Vec::with_capacity(sets.len());
    let mut volume = 0;
    // Bytes of the current volume still to give.
    let mut owed = demands.first().copied().unwrap_or(0);
    for &set in sets {
        let mut here = Vec::new();
        let mut left = set;
        while left > 0 && volume < demands.len() {
            let take = owed.min(left);
            let brick = floor_extents(take);
            if brick >= EXTENT {
                here.push((volume, brick));
            }
            left -= take;
            owed -= take;
            if owed == 0 {
                volume += 1;
                owed = demands.get(volume).copied().unwrap_or(0);
            }
        }
        pieces.push(here);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    fn volume_bytes(pieces: &[Vec<(usize, u64)>], volume: usize) -> u64 {
        pieces
            .iter()
            .flatten()
            .filter(|(v, _)| *v == volume)
            .map(|(_, bytes)| bytes)
            .sum()
    }

    #[test]
    fn small_skeletons_give_every_volume_a_fraction_of_every_set() {
        let sets = [100 * GIB, 50 * GIB];
        let pieces = share_sets(&sets, &[90 * GIB, 60 * GIB]);
        assert_eq!(
            pieces,
            vec![
                vec![(0, 60 * GIB), (1, 40 * GIB)],
                vec![(0, 30 * GIB), (1, 20 * GIB)]
            ]
        );
    }

    #[test]
    fn the_threshold_is_on_the_number_of_sets() {
        assert!(!by_whole_sets(WHOLE_SETS_ABOVE));
        assert!(by_whole_sets(WHOLE_SETS_ABOVE + 1));
        let sets = vec![10 * GIB; WHOLE_SETS_ABOVE + 1];
        let pieces = share_sets(&sets, &[10 * GIB, 10 * GIB * WHOLE_SETS_ABOVE as u64]);
        assert_eq!(
            pieces[0],
            vec![(0, 10 * GIB)],
            "whole sets above the threshold"
        );
        let sets = vec![10 * GIB; WHOLE_SETS_ABOVE];
        let pieces = share_sets(&sets, &[10 * GIB, 10 * GIB * 63]);
        assert_eq!(pieces[0].len(), 2, "fractions up to the threshold");
    }

    #[test]
    fn whole_sets_split_only_at_volume_boundaries() {
        let sets = [40 * GIB, 30 * GIB, 20 * GIB, 10 * GIB];
        let pieces = whole_sets(&sets, &[50 * GIB, 25 * GIB, 25 * GIB]);
        assert_eq!(
            pieces,
            vec![
                vec![(0, 40 * GIB)],
                vec![(0, 10 * GIB), (1, 20 * GIB)],
                vec![(1, 5 * GIB), (2, 15 * GIB)],
                vec![(2, 10 * GIB)],
            ]
        );
        let split = pieces.iter().filter(|set| set.len() > 1).count();
        assert!(split < 3, "at most one split per boundary");
    }

    #[test]
    fn every_volume_gets_its_bytes_and_leftovers_stay_free() {
        let sets: Vec<u64> = (0..200).map(|i| (1000 - i) * GIB).collect();
        let demands = [30_000 * GIB, 3 * GIB, 0, 100_000 * GIB, 40_000 * GIB];
        let pieces = whole_sets(&sets, &demands);
        for (volume, &demand) in demands.iter().enumerate() {
            assert_eq!(volume_bytes(&pieces, volume), demand, "volume {volume}");
        }
        for (set, here) in sets.iter().zip(&pieces) {
            assert!(here.iter().map(|(_, bytes)| bytes).sum::<u64>() <= *set);
        }
        // A set carries a second (third…) volume only where a run ends inside it.
        let extra: usize = pieces.iter().map(|here| here.len().saturating_sub(1)).sum();
        assert!(extra < demands.len());
        assert!(pieces[0].len() == 1 && pieces[1].len() == 1);
    }

    #[test]
    fn pieces_are_whole_extents_and_slivers_are_left_out() {
        let sets = [10 * GIB + 3 * EXTENT + 5, 10 * GIB];
        let pieces = whole_sets(&sets, &[10 * GIB + 3 * EXTENT + 1, 2 * EXTENT - 1]);
        assert_eq!(pieces[0], vec![(0, 10 * GIB + 3 * EXTENT)]);
        assert_eq!(
            pieces[1],
            vec![(1, EXTENT)],
            "the 4 bytes set 0 gives volume 1 are left out"
        );
        for piece in pieces.iter().flatten() {
            assert_eq!(piece.1 % EXTENT, 0);
        }
    }
}
