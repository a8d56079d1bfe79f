//! How much each factor weighs in a guru's score.

/// How much each factor weighs in a guru's score (configuration keys
/// `guru_weight_*`). They need not add up to one: the score divides by
/// their sum.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GuruWeights {
    pub relevance: f64,
    pub evidence: f64,
    pub transfers: f64,
    pub likeness: f64,
    pub distance: f64,
}

impl Default for GuruWeights {
    fn default() -> Self {
        Self {
            relevance: 0.35,
            evidence: 0.20,
            transfers: 0.25,
            likeness: 0.15,
            distance: 0.05,
        }
    }
}

impl GuruWeights {
    /// Checks that every weight is finite and non-negative and one is positive.
    pub fn validate(&self) -> std::result::Result<(), String> {
        let all = [
            self.relevance,
            self.evidence,
            self.transfers,
            self.likeness,
            self.distance,
        ];
        if all.iter().any(|w| !w.is_finite() || *w < 0.0) {
            return Err("guru weights must be finite and not negative".to_owned());
        }
        if all.iter().sum::<f64>() <= 0.0 {
            return Err("at least one guru weight must be positive".to_owned());
        }
        Ok(())
    }

    pub(super) fn sum(&self) -> f64 {
        self.relevance + self.evidence + self.transfers + self.likeness + self.distance
    }
}
