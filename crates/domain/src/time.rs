//! Time conventions: stored as integer milliseconds UTC, shown in Asia/Shanghai.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

/// Asia/Shanghai has been UTC+8 without daylight saving since 1991, which covers every date the
/// platform stores; a fixed offset keeps the pure domain free of a time-zone database.
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("constant offset")
}

pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// `2020-03-27 08:30` in Asia/Shanghai.
pub fn format_local(ms: i64) -> String {
    to_local(ms).format("%Y-%m-%d %H:%M").to_string()
}

pub fn to_local(ms: i64) -> DateTime<FixedOffset> {
    shanghai()
        .timestamp_millis_opt(ms)
        .single()
        .unwrap_or_else(|| {
            shanghai()
                .timestamp_millis_opt(0)
                .single()
                .expect("epoch is representable")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_shanghai_time() {
        // 2020-03-27T00:30:00Z is 08:30 in Jiaxing.
        assert_eq!(format_local(1_585_269_000_000), "2020-03-27 08:30");
    }
}
