//! The two planner modes and every rule on which they differ.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::zone::{by_name_descending, Zone};

/// How faithfully the planner follows the original kickstarts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// What a new user wants: declaration order, bugs fixed, bad input rejected.
    #[default]
    Default,
    /// Bit-for-bit reproduction of the original, quirks included.
    Compat,
}

impl Mode {
    /// True in compat mode.
    pub fn is_compat(self) -> bool {
        self == Mode::Compat
    }

    /// Order in which a node tries the zones for each NIC (the first reached zone wins).
    ///
    /// Compat: `gluster, lan, mgmt, internal`, the hash order of bash 4.2.
    pub fn node_probe_order(self) -> [Zone; 4] {
        match self {
            Mode::Compat => [Zone::Gluster, Zone::Lan, Zone::Mgmt, Zone::Internal],
            Mode::Default => Zone::NODE_ZONES,
        }
    }

    /// Order of a node's `network` lines and of bond numbering.
    ///
    /// Compat: zones sorted by name, descending (`mgmt, lan, internal, gluster`).
    pub fn node_output_order(self) -> Vec<Zone> {
        match self {
            Mode::Compat => by_name_descending(&Zone::NODE_ZONES),
            Mode::Default => Zone::NODE_ZONES.to_vec(),
        }
    }

    /// Compares NIC names. Compat: byte-wise (`eth10` before `eth2`); default: digit runs
    /// compare as numbers (`eth2` before `eth10`).
    pub fn compare_nic_names(self, a: &str, b: &str) -> Ordering {
        match self {
            Mode::Compat => a.cmp(b),
            Mode::Default => natural_cmp(a, b),
        }
    }

    /// Whether an entry of the raw interface listing is a candidate NIC.
    ///
    /// Both modes drop `lo`, `bonding_masters` and `sit0`..`sit9`; the default mode also drops
    /// existing bonding masters (`bond<N>`), whose names collide with the bonds the plan creates.
    pub fn is_candidate_nic(self, name: &str) -> bool {
        if name == "lo" || name == "bonding_masters" || is_sit_0_to_9(name) {
            return false;
        }
        match self {
            Mode::Compat => true,
            Mode::Default => !is_bond_master(name),
        }
    }
}

fn is_sit_0_to_9(name: &str) -> bool {
    name.len() == 4 && name.starts_with("sit") && name.as_bytes()[3].is_ascii_digit()
}

fn is_bond_master(name: &str) -> bool {
    name.strip_prefix("bond")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
}

/// Natural order: runs of digits compare by value, everything else byte-wise.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut left, mut right) = (a.as_bytes(), b.as_bytes());
    loop {
        match (left.first(), right.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let left_len = left.iter().take_while(|c| c.is_ascii_digit()).count();
                let right_len = right.iter().take_while(|c| c.is_ascii_digit()).count();
                let left_digits = trim_zeros(&left[..left_len]);
                let right_digits = trim_zeros(&right[..right_len]);
                let order = left_digits
                    .len()
                    .cmp(&right_digits.len())
                    .then_with(|| left_digits.cmp(right_digits));
                if order != Ordering::Equal {
                    return order;
                }
                left = &left[left_len..];
                right = &right[right_len..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                left = &left[1..];
                right = &right[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&d| d == b'0').count();
    &digits[zeros..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mode: Mode, names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        names.sort_by(|a, b| mode.compare_nic_names(a, b));
        names
    }

    #[test]
    fn compat_sorts_bytewise_default_naturally() {
        let names = ["eth2", "eth10", "eth3", "em1", "eth02"];
        assert_eq!(
            sorted(Mode::Compat, &names),
            ["em1", "eth02", "eth10", "eth2", "eth3"]
        );
        assert_eq!(
            sorted(Mode::Default, &names),
            ["em1", "eth02", "eth2", "eth3", "eth10"]
        );
    }

    #[test]
    fn candidate_filter_matches_the_original() {
        for mode in [Mode::Compat, Mode::Default] {
            assert!(!mode.is_candidate_nic("lo"));
            assert!(!mode.is_candidate_nic("sit0"));
            assert!(!mode.is_candidate_nic("bonding_masters"));
            assert!(mode.is_candidate_nic("sit10"));
            assert!(mode.is_candidate_nic("eth0"));
            assert!(mode.is_candidate_nic("bondx"));
        }
        assert!(Mode::Compat.is_candidate_nic("bond0"));
        assert!(!Mode::Default.is_candidate_nic("bond0"));
    }

    #[test]
    fn probe_orders() {
        assert_eq!(Mode::Compat.node_probe_order()[0], Zone::Gluster);
        assert_eq!(Mode::Default.node_probe_order()[0], Zone::Mgmt);
    }
}
