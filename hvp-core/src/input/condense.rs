//! Keeping reports readable: one line per distinct problem, and a cap on the number of lines.
//!
//! One mistake must not print thousands of lines: identical problems are merged with their
//! count, and after [`MAX_LISTED`] distinct problems the rest are counted, not listed.

use std::collections::HashMap;
use std::hash::Hash;

/// How many distinct problems a report lists before it counts the rest.
pub const MAX_LISTED: usize = 50;

/// Distinct items in the order first seen, each with how often it occurred, and how many
/// occurrences were left out because of the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condensed<T> {
    /// Each distinct item (up to the cap) and its count.
    pub items: Vec<(T, usize)>,
    /// Distinct items left out by the cap.
    pub omitted: usize,
}

/// Merges identical items (keeping the first occurrence's place) and keeps at most `limit`
/// distinct ones. Linear in the number of items.
pub fn condense<T: Eq + Hash + Clone>(
    items: impl IntoIterator<Item = T>,
    limit: usize,
) -> Condensed<T> {
    let mut distinct: Vec<(T, usize)> = Vec::new();
    let mut index: HashMap<T, usize> = HashMap::new();
    for item in items {
        match index.get(&item) {
            Some(&position) => distinct[position].1 += 1,
            None => {
                index.insert(item.clone(), distinct.len());
                distinct.push((item, 1));
            }
        }
    }
    let omitted = distinct.len().saturating_sub(limit);
    distinct.truncate(limit);
    Condensed {
        items: distinct,
        omitted,
    }
}

/// The suffix that says how often a merged problem occurred (empty for one).
pub fn times(count: usize) -> String {
    if count > 1 {
        format!(" (reported {count} times)")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_and_caps() {
        let condensed = condense(["a", "b", "a", "c", "a", "d"], 2);
        assert_eq!(condensed.items, vec![("a", 3), ("b", 1)]);
        assert_eq!(condensed.omitted, 2);
        assert_eq!(times(3), " (reported 3 times)");
        assert_eq!(times(1), "");
    }
}
