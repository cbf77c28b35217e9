//! Deterministic fault injection for mutating requests (`--fault-rate P --fault-seed S`).

/// What happens to one mutating request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injected {
    /// Served normally.
    None,
    /// 503 before acting.
    Unavailable,
    /// 409 "operation in progress" before acting.
    Busy,
    /// Acted, then the connection is dropped without a reply.
    Drop,
}

impl Injected {
    /// Name for the request log.
    pub fn name(self) -> &'static str {
        match self {
            Injected::None => "none",
            Injected::Unavailable => "unavailable",
            Injected::Busy => "busy",
            Injected::Drop => "drop",
        }
    }
}

/// A seeded SplitMix64 sequence: the same seed and request order give the same faults.
#[derive(Debug, Clone)]
pub struct Injector {
    rate: f64,
    state: u64,
}

impl Injector {
    /// `rate` in 0..=1 (clamped), `seed` any number.
    pub fn new(rate: f64, seed: u64) -> Injector {
        Injector {
            rate: if rate.is_finite() {
                rate.clamp(0.0, 1.0)
            } else {
                0.0
            },
            state: seed,
        }
    }

    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Decide the fate of the next mutating request.
    pub fn draw(&mut self) -> Injected {
        if self.rate <= 0.0 {
            return Injected::None;
        }
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        if u >= self.rate {
            return Injected::None;
        }
        match self.next() % 3 {
            0 => Injected::Unavailable,
            1 => Injected::Busy,
            _ => Injected::Drop,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_faults_and_rate_is_respected() {
        let a: Vec<Injected> = {
            let mut i = Injector::new(0.3, 7);
            (0..1000).map(|_| i.draw()).collect()
        };
        let b: Vec<Injected> = {
            let mut i = Injector::new(0.3, 7);
            (0..1000).map(|_| i.draw()).collect()
        };
        assert_eq!(a, b);
        let faults = a.iter().filter(|x| **x != Injected::None).count();
        assert!((200..400).contains(&faults), "{faults}");
        for k in [Injected::Unavailable, Injected::Busy, Injected::Drop] {
            assert!(a.contains(&k));
        }
        let mut none = Injector::new(0.0, 1);
        assert!((0..100).all(|_| none.draw() == Injected::None));
    }
}
