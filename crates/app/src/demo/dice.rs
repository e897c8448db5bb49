//! The demo's only source of randomness.
//!
//! A seed must give the same zone on every platform and with every future version of `rand`.
//! ChaCha8's output stream and `seed_from_u64` are value-stable by rand's policy, but the
//! *distributions* (`random_range`, `random_bool`, `choose`) may change their algorithm in a
//! minor release. So only the raw `next_u32` stream is used and every mapping from bits to a
//! choice is written out here.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Independent streams of one seed: adding a checkpoint must not reshuffle every person.
#[derive(Debug, Clone, Copy)]
pub(super) enum Stream {
    Persons = 1,
    CommunitySizes = 2,
    Checkpoints = 3,
    Codes = 4,
    Cases = 5,
    Quarantine = 6,
    Screening = 7,
}

pub(super) struct Dice(ChaCha8Rng);

impl Dice {
    pub(super) fn new(seed: u64, stream: Stream) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream as u64);
        Self(rng)
    }

    /// Uniform in `0..n` (`n > 0`), by Lemire's multiply-shift. Without the rejection step the
    /// bias is below n / 2^32, invisible at demo sizes, and the number of draws per call stays
    /// fixed, which keeps the streams easy to reason about.
    pub(super) fn below(&mut self, n: u32) -> u32 {
        debug_assert!(n > 0);
        ((u64::from(self.0.next_u32()) * u64::from(n)) >> 32) as u32
    }

    pub(super) fn index(&mut self, len: usize) -> usize {
        self.below(u32::try_from(len).expect("demo lists are short")) as usize
    }

    /// Uniform in `lo..=hi`.
    pub(super) fn between(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u32::try_from(hi - lo + 1).expect("demo ranges fit in u32");
        lo + i64::from(self.below(span))
    }

    /// True with probability `percent` / 100.
    pub(super) fn percent(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// An item of a `(item, weight)` table, with probability proportional to its weight.
    pub(super) fn weighted<'a, T>(&mut self, table: &'a [(T, u32)]) -> &'a T {
        let total: u32 = table.iter().map(|(_, w)| w).sum();
        let mut roll = self.below(total);
        for (item, w) in table {
            if roll < *w {
                return item;
            }
            roll -= w;
        }
        unreachable!("roll is below the total weight")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_of_one_seed_differ_and_repeat() {
        let draw = |stream| {
            let mut d = Dice::new(42, stream);
            (0..8).map(|_| d.below(1000)).collect::<Vec<_>>()
        };
        assert_eq!(draw(Stream::Persons), draw(Stream::Persons));
        assert_ne!(draw(Stream::Persons), draw(Stream::Checkpoints));
    }

    #[test]
    fn ranges_stay_inside() {
        let mut d = Dice::new(1, Stream::Persons);
        for _ in 0..10_000 {
            assert!((3..=5).contains(&d.between(3, 5)));
            assert!(d.below(7) < 7);
        }
        assert_eq!(*d.weighted(&[("only", 1), ("never", 0)]), "only");
    }
}
