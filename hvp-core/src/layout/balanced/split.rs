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
//! one class has `rest`, the other takes just its fixed sizes, see [`super::spread`].)

use crate::facts::storage::Demand;
use crate::layout::model::replica_bound;

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
}
