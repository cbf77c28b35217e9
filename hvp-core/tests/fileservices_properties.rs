//! Invariants of `/etc/ctdb/nodes`: whatever the current file and the new member set, a member
//! already listed keeps its line (its PNN), every member is listed exactly once, no line is
//! dropped, and planning again from the result changes nothing.

use std::net::Ipv4Addr;

use hvp_core::fileservices::members::nodes_file;
use hvp_core::fileservices::model::{CtdbMember, NodesLine};
use proptest::prelude::*;

fn address(last: u8) -> Ipv4Addr {
    Ipv4Addr::new(10, 0, 0, last)
}

fn text(lines: &[NodesLine]) -> String {
    lines
        .iter()
        .map(|l| match l {
            NodesLine::Node(a) => format!("{a}\n"),
            NodesLine::Deleted(a) => format!("#{a}\n"),
        })
        .collect()
}

proptest! {
    #[test]
    fn members_keep_their_pnn(
        existing in proptest::sample::subsequence((1u8..=12).collect::<Vec<_>>(), 0..=12)
            .prop_shuffle(),
        deleted_mask in proptest::collection::vec(any::<bool>(), 12),
        members in proptest::sample::subsequence((1u8..=12).collect::<Vec<_>>(), 1..=12)
            .prop_shuffle(),
    ) {
        let current: String = existing
            .iter()
            .zip(&deleted_mask)
            .map(|(last, deleted)| format!("{}{}\n", if *deleted { "#" } else { "" }, address(*last)))
            .collect();
        let members: Vec<CtdbMember> = members
            .iter()
            .enumerate()
            .map(|(index, last)| CtdbMember {
                name: format!("n{last}"),
                index,
                address: address(*last),
                active: true,
            })
            .collect();
        let mut problems = Vec::new();
        let lines = nodes_file(&members, Some(&current), &mut problems);
        prop_assert!(problems.is_empty());
        // No line of the current file is dropped: its lines are the prefix.
        prop_assert!(lines.len() >= existing.len());
        for (k, last) in existing.iter().enumerate() {
            let kept = match &lines[k] {
                NodesLine::Node(a) => *a == address(*last),
                NodesLine::Deleted(a) => *a == address(*last).to_string(),
            };
            prop_assert!(kept, "line {} moved: {:?}", k, lines);
            // A listed member stays a node at its line, whether or not it was commented out.
            let is_member = members.iter().any(|m| m.address == address(*last));
            prop_assert_eq!(matches!(lines[k], NodesLine::Node(_)), is_member);
        }
        // Every member exactly once.
        for member in &members {
            let count = lines.iter().filter(|l| **l == NodesLine::Node(member.address)).count();
            prop_assert_eq!(count, 1);
        }
        // Stable: planning again from the written file gives the same file.
        let again = nodes_file(&members, Some(&text(&lines)), &mut problems);
        prop_assert_eq!(again, lines);
    }
}
