//! Tiering: what a node's fast disks (SSD, NVMe) become next to its data disks.
//!
//! | node has | result |
//! |---|---|
//! | only fast disks (all-flash) | the fast disks are data disks |
//! | data + fast, a volume asks for `tier: fast` (or `hvp_fast_use: tier`) | fast VGs |
//! | data + fast, Σ fast ≥ 1 % of Σ data | LV cache of the data pools |
//! | data + fast, Σ fast < 1 % | unused, W115 |

use crate::facts::storage::{CacheMode, FastUse};

/// What the fast disks of one node become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FastRole {
    /// No fast disk.
    Nothing,
    /// All-flash node: the fast disks are its data disks.
    Data,
    /// Fast VGs for `tier: fast` volumes (and arbiter bricks).
    FastVg,
    /// LV cache in front of the slow pools.
    Cache,
    /// Unused, with the reason.
    Unused(&'static str),
}

/// Decides for a node with `data_bytes` of data disks and `fast_bytes` of fast disks.
pub fn fast_role(
    data_bytes: u64,
    fast_bytes: u64,
    fast_use: FastUse,
    cache_mode: CacheMode,
    fast_volume_wanted: bool,
) -> FastRole {
    if fast_bytes == 0 {
        return FastRole::Nothing;
    }
    if data_bytes == 0 {
        return FastRole::Data;
    }
    match fast_use {
        FastUse::None => FastRole::Unused("hvp_fast_use is none"),
        FastUse::Tier => FastRole::FastVg,
        FastUse::Auto if fast_volume_wanted => FastRole::FastVg,
        FastUse::Auto | FastUse::Cache => {
            if cache_mode == CacheMode::None {
                FastRole::Unused("hvp_cache_mode is none and no volume asks for the fast tier")
            } else if u128::from(fast_bytes) * 100 < u128::from(data_bytes) {
                FastRole::Unused(
                    "too small to cache: less than 1 % of the node's data disks (W115)",
                )
            } else {
                FastRole::Cache
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_table() {
        let auto = |data, fast, wanted| {
            fast_role(data, fast, FastUse::Auto, CacheMode::Writethrough, wanted)
        };
        assert_eq!(auto(0, 100, false), FastRole::Data);
        assert_eq!(auto(1000, 100, true), FastRole::FastVg);
        assert_eq!(auto(1000, 100, false), FastRole::Cache);
        assert!(matches!(auto(100_000, 100, false), FastRole::Unused(_)));
        assert_eq!(auto(1000, 0, false), FastRole::Nothing);
        assert!(matches!(
            fast_role(1000, 100, FastUse::None, CacheMode::Writethrough, true),
            FastRole::Unused(_)
        ));
    }
}
