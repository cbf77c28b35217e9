//! Keeping reports readable: one line per distinct problem, a few per kind, and a cap.
//!
//! One mistake must not print thousands of lines: identical problems are merged with their
//! count ([`condense`]); problems of one kind (same subject and fix, e.g. every node address a
//! too small subnet cannot hold) are listed [`MAX_PER_KIND`] times and then counted
//! ([`limit_per_kind`]); after [`MAX_LISTED`] lines the rest are counted, not listed.
//! [`tidy`] does all three.

use std::collections::HashMap;
use std::hash::Hash;

/// How many distinct problems a report lists before it counts the rest.
pub const MAX_LISTED: usize = 50;
/// How many problems of one kind a report lists before it counts the rest of that kind.
pub const MAX_PER_KIND: usize = 5;

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

/// Keeps the first `max` items of each kind (in order) and puts, right after the last one
/// kept, `summary(last, hidden)` for the items of that kind left out. Linear.
pub fn limit_per_kind<T, K: Eq + Hash>(
    items: Vec<T>,
    max: usize,
    kind: impl Fn(&T) -> K,
    summary: impl Fn(&T, usize) -> T,
) -> Vec<T> {
    let mut totals: HashMap<K, usize> = HashMap::new();
    for item in &items {
        *totals.entry(kind(item)).or_default() += 1;
    }
    let mut kept: HashMap<K, usize> = HashMap::new();
    let mut out = Vec::with_capacity(items.len().min(totals.len() * (max + 1)));
    for item in items {
        let key = kind(&item);
        let seen = kept.entry(key).or_default();
        *seen += 1;
        if *seen > max {
            continue;
        }
        let total = totals.get(&kind(&item)).copied().unwrap_or_default();
        let last_kept = *seen == max && total > max;
        let extra = last_kept.then(|| summary(&item, total - max));
        out.push(item);
        out.extend(extra);
    }
    out
}

/// The whole tidying of a report: identical items merged (`with_count(item, n)` for n > 1),
/// at most [`MAX_PER_KIND`] per kind (`like_these(last, hidden)`), at most [`MAX_LISTED`] in
/// all (`rest(hidden)` last).
pub fn tidy<T: Eq + Hash + Clone, K: Eq + Hash>(
    items: Vec<T>,
    kind: impl Fn(&T) -> K,
    with_count: impl Fn(T, usize) -> T,
    like_these: impl Fn(&T, usize) -> T,
    rest: impl Fn(usize) -> T,
) -> Vec<T> {
    let merged: Vec<T> = condense(items, usize::MAX)
        .items
        .into_iter()
        .map(|(item, count)| {
            if count > 1 {
                with_count(item, count)
            } else {
                item
            }
        })
        .collect();
    let mut limited = limit_per_kind(merged, MAX_PER_KIND, kind, like_these);
    if limited.len() > MAX_LISTED {
        let hidden = limited.len() - MAX_LISTED;
        limited.truncate(MAX_LISTED);
        limited.push(rest(hidden));
    }
    limited
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

    #[test]
    fn limits_each_kind_and_says_how_many_more() {
        let items = vec![(1, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (1, 'e')];
        let limited = limit_per_kind(
            items,
            2,
            |item| item.0,
            |last, hidden| (last.0, char::from_digit(hidden as u32, 10).unwrap()),
        );
        assert_eq!(limited, vec![(1, 'a'), (1, 'b'), (1, '2'), (2, 'c')]);
        let tidied = tidy(
            (0..200).map(|i| (i % 100, 0)).collect(),
            |item| item.0 % 3,
            |item, count| (item.0, count),
            |last, hidden| (last.0, 1000 + hidden),
            |hidden| (9999, hidden),
        );
        assert_eq!(tidied.len(), 3 * (MAX_PER_KIND + 1));
        assert_eq!(tidied[0], (0, 2));
        // Kind 0 holds 0, 3, …, 99 (34 items): five listed, then the summary after 12.
        let summary = tidied.iter().position(|item| *item == (12, 1029)).unwrap();
        assert_eq!(tidied[summary - 1], (12, 2));
    }
}
