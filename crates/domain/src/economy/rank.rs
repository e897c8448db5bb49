//! Rankings among the city's districts ("增幅列全市第一"): highest first, ties share a rank and
//! the next rank skips (1, 2, 2, 4 — competition ranking, as statistics bulletins do).

/// Ranks of `items` by value, highest first. Returns `(key, rank)` in rank order; ties keep
/// the input order.
pub fn competition_rank<K: Clone>(items: &[(K, i64)]) -> Vec<(K, u32)> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| items[b].1.cmp(&items[a].1).then(a.cmp(&b)));
    let mut out = Vec::with_capacity(items.len());
    let mut rank = 0u32;
    let mut previous: Option<i64> = None;
    for (position, &i) in order.iter().enumerate() {
        let v = items[i].1;
        if previous != Some(v) {
            rank = position as u32 + 1;
            previous = Some(v);
        }
        out.push((items[i].0.clone(), rank));
    }
    out
}

/// The rank of `key` among `items`, if it is there.
pub fn rank_of<K: Clone + PartialEq>(items: &[(K, i64)], key: &K) -> Option<u32> {
    competition_rank(items)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, r)| r)
}

/// `第一` … `第十`, then `第11`: how a report states a rank.
pub fn ordinal_zh(rank: u32) -> String {
    const DIGITS: [&str; 11] = [
        "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    match rank {
        1..=10 => format!("第{}", DIGITS[rank as usize]),
        _ => format!("第{rank}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        let r = competition_rank(&[("a", 5), ("b", 9), ("c", 5), ("d", 1)]);
        assert_eq!(r, vec![("b", 1), ("a", 2), ("c", 2), ("d", 4)]);
        assert_eq!(rank_of(&[("a", 5), ("b", 9), ("c", 5)], &"c"), Some(2));
        assert_eq!(rank_of(&[("a", 5)], &"z"), None);
        assert!(competition_rank::<&str>(&[]).is_empty());
        let all_tied = competition_rank(&[("x", 3), ("y", 3), ("z", 3)]);
        assert!(all_tied.iter().all(|(_, r)| *r == 1));
    }

    #[test]
    fn budget_revenue_growth_third_in_the_city() {
        // Growth in bp of the zone and its peers: +10% is the third highest.
        let growth = [
            ("330402", 1000),
            ("330402NH", 820),
            ("330411", 950),
            ("330421", 1420),
            ("330482", 1150),
            ("330424", 760),
            ("330481", 880),
            ("330483", 910),
        ];
        assert_eq!(rank_of(&growth, &"330402"), Some(3));
        assert_eq!(ordinal_zh(3), "第三");
        assert_eq!(ordinal_zh(1), "第一");
        assert_eq!(ordinal_zh(10), "第十");
        assert_eq!(ordinal_zh(12), "第12");
    }
}
