//! Building economy (楼宇经济): office buildings ranked by the tax their tenants pay; the
//! report counts those over 10 million yuan (税收超千万楼宇) and over 100 million (亿元楼宇).

/// 10 million yuan in fen.
pub const TEN_MILLION_YUAN: i64 = 10_000_000 * 100;
/// 100 million yuan in fen.
pub const HUNDRED_MILLION_YUAN: i64 = 100_000_000 * 100;

/// How many of `taxes` (fen) reach `threshold` (fen): "超千万" counts 10 million and more.
pub fn count_at_least(taxes: &[i64], threshold: i64) -> usize {
    taxes.iter().filter(|t| **t >= threshold).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_buildings_over_thresholds() {
        let taxes = [
            HUNDRED_MILLION_YUAN,
            HUNDRED_MILLION_YUAN - 1,
            TEN_MILLION_YUAN,
            TEN_MILLION_YUAN - 1,
            0,
        ];
        assert_eq!(count_at_least(&taxes, TEN_MILLION_YUAN), 3);
        assert_eq!(count_at_least(&taxes, HUNDRED_MILLION_YUAN), 1);
        assert_eq!(count_at_least(&[], TEN_MILLION_YUAN), 0);
    }
}
