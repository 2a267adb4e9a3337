//! Seeded randomness: the same seed gives the same jitter, `States.MathRandom` and `States.UUID`
//! values, so an execution can be replayed exactly (in tests, and in the browser after Reset).

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// The random source of one execution.
#[derive(Debug, Clone)]
pub(crate) struct Random(Xoshiro256PlusPlus);

impl Random {
    pub(crate) fn new(seed: u64) -> Random {
        Random(Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    /// A number in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// A whole number in `[low, high)`; `low` when the range is empty.
    pub(crate) fn below(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        self.0.random_range(low..high)
    }

    /// A random (version 4) UUID in its lower-case text form.
    pub(crate) fn uuid(&mut self) -> String {
        let mut bytes: [u8; 16] = self.0.random();
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_values() {
        let (mut a, mut b) = (Random::new(7), Random::new(7));
        assert_eq!(a.uuid(), b.uuid());
        assert_eq!(a.below(0, 1000), b.below(0, 1000));
        assert_ne!(Random::new(1).uuid(), Random::new(2).uuid());
    }

    #[test]
    fn uuid_is_version_4() {
        let id = Random::new(3).uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
    }

    #[test]
    fn ranges() {
        let mut r = Random::new(9);
        for _ in 0..100 {
            let n = r.below(-3, 3);
            assert!((-3..3).contains(&n));
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert_eq!(r.below(5, 5), 5);
    }
}
