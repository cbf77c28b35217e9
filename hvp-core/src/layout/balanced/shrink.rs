//! W116: `rest` volumes shrunk to fit arbiter bricks (spec §8 step 4).
//!
//! Arbiter reserves are found in passes ([`super::spread`]): the reserve of a node whose
//! arbiter bricks overflow it grows by the overflow and the skeleton is built again, once.
//! When a node is still short after that, further growth is taken out of the `rest` volumes
//! (the units they share get smaller by the same bytes) instead of growing without saying so:
//! the plan reports W116 with the bytes the `rest` volumes lost.

use super::inputs::VolumeSpec;
use super::spread::ClassSummary;
use crate::facts::storage::Demand;
use crate::layout::model::PlanWarning;
use crate::size::human_bytes;

/// Σ of the `rest` volumes' demands (bytes per copy) over every class.
pub fn rest_bytes(classes: &[ClassSummary], specs: &[VolumeSpec]) -> u64 {
    classes
        .iter()
        .flat_map(|class| class.volumes.iter())
        .filter(|(v, _, _)| {
            specs
                .get(*v)
                .is_some_and(|spec| matches!(spec.demand, Demand::Rest { .. }))
        })
        .map(|(_, bytes, _)| *bytes)
        .fold(0u64, u64::saturating_add)
}

/// The W116 warning when the `rest` volumes went from `before` to `after` bytes (none when
/// they did not shrink).
pub fn warning(before: u64, after: u64, nodes: &[String]) -> Option<PlanWarning> {
    let shrunk = before.saturating_sub(after);
    if shrunk == 0 {
        return None;
    }
    Some(PlanWarning::new(
        "W116",
        if nodes.len() == 1 {
            format!("node {}", nodes[0])
        } else {
            format!("nodes {}", nodes.join(", "))
        },
        format!(
            "the arbiter bricks did not fit the reserve grown once: the rest volumes shrank by \
             {} ({shrunk} bytes) to make room",
            human_bytes(shrunk)
        ),
        "fine as planned; for rest volumes at full size give the arbiter nodes more disk \
         space or raise hvp_reserve_expansion",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w116_names_the_bytes_and_the_nodes() {
        assert!(warning(100, 100, &["n1".to_owned()]).is_none());
        assert!(warning(100, 120, &["n1".to_owned()]).is_none());
        let one = warning(10 << 30, 8 << 30, &["n1".to_owned()]).unwrap();
        assert_eq!(one.code, "W116");
        let text = one.problem.to_string();
        assert!(
            text.contains("node n1") && text.contains("2147483648 bytes"),
            "{text}"
        );
        let two = warning(3, 1, &["n1".to_owned(), "n2".to_owned()]).unwrap();
        assert!(two.problem.to_string().contains("nodes n1, n2"));
    }
}
