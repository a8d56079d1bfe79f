//! Types of the guru finder: `findGurus` (filter, suggestions and the
//! reasons behind them) and `similarRegions` (likeness and its parts).

use async_graphql::{Enum, InputObject, SimpleObject};

use crate::domain::guru::{Component, Factor};
use crate::graphql::enums::{RegionKind, Sector};
use crate::graphql::types::{Practice, Region};

/// Narrows `findGurus`.
#[derive(InputObject, Clone, Debug, Default)]
pub struct GuruFilter {
    /// Only practices in any of these sectors.
    pub sectors: Option<Vec<Sector>>,
    /// Only gurus in any of these provinces (two-digit codes, e.g. "32").
    pub provinces: Option<Vec<String>>,
    /// Only gurus of these kinds.
    pub region_kinds: Option<Vec<RegionKind>>,
    /// Only gurus whose capital is at most this far from the seeker's (km).
    pub max_distance_km: Option<f64>,
    /// Only practices whose owner is (or is not) looking for adopters.
    pub looking_for_adopters: Option<bool>,
}

/// A factor of a guru's score, or a flag beside it.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuruFactor {
    /// How well the region's practices match the topic (search relevance).
    Relevance,
    /// Measured outcomes, active status, recent verification.
    Evidence,
    /// Completed adoptions, signed agreements transferring the practice,
    /// benchmarking visits hosted to study it.
    Transfers,
    /// How alike the guru and the seeker are (kind, population, area,
    /// density, elevation, island group).
    Likeness,
    /// Distance between the capitals.
    Distance,
    /// The guru's index (SPBE, IPP or innovation) compared with the
    /// seeker's; contributes nothing, flags a guru that may not be ahead.
    Indices,
}

impl From<Factor> for GuruFactor {
    fn from(f: Factor) -> Self {
        match f {
            Factor::Relevance => Self::Relevance,
            Factor::Evidence => Self::Evidence,
            Factor::Transfers => Self::Transfers,
            Factor::Likeness => Self::Likeness,
            Factor::Distance => Self::Distance,
            Factor::Indices => Self::Indices,
        }
    }
}

/// Why a guru is suggested, one factor in words.
#[derive(SimpleObject, Clone, Debug)]
pub struct GuruReason {
    /// The factor.
    pub factor: GuruFactor,
    /// What this factor adds to the score (the contributions add up to it;
    /// 0 for the `INDICES` flag).
    pub contribution: f64,
    /// The factor in words, e.g. "2 signed agreements transfer it".
    pub text: String,
}

/// A practice of a suggested guru matching the topic.
#[derive(SimpleObject)]
pub struct GuruPractice {
    /// The practice.
    pub practice: Practice,
    /// Match with the topic relative to the best match, 0 to 1.
    pub relevance: f64,
    /// Evidence, 0 to 1: measured outcomes (0.5), active (0.25), verified in
    /// the last two years (0.25, fading to 0 at six).
    pub evidence: f64,
    /// It has a measured outcome.
    pub measured: bool,
    /// Regions that completed its adoption.
    pub completed_adoptions: i32,
    /// Adoptions interested, preparing or piloting.
    pub adoptions_under_way: i32,
    /// Adopters still running it whose follow-up reports an outcome they
    /// measured themselves: evidence that it works elsewhere.
    pub adopters_reporting_results: i32,
    /// Signed agreements transferring it.
    pub agreements: i32,
    /// Benchmarking visits hosted to study it.
    pub visits_hosted: i32,
}

/// A region suggested as guru for a topic.
#[derive(SimpleObject)]
pub struct GuruSuggestion {
    /// The guru.
    pub region: Region,
    /// 0 to 1; the sum of the reasons' contributions.
    pub score: f64,
    /// Its practices matching the topic, best match first (at most 5).
    pub practices: Vec<GuruPractice>,
    /// The score in words, largest contribution first; the `INDICES` flag last.
    pub reasons: Vec<GuruReason>,
    /// Great-circle distance between the capitals, km.
    pub distance_km: Option<f64>,
    /// How alike it is to the seeker, 0 to 1 (as in `similarRegions`).
    pub likeness: f64,
    /// Its index on the topic is below the seeker's: check it is ahead
    /// before you go.
    pub behind_seeker: bool,
}

/// A part of the likeness of two regions.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LikenessComponent {
    /// Province, regency or city (1 same, 0.5 regency and city, 0 otherwise).
    Kind,
    /// Population, smaller over larger.
    Population,
    /// Area, smaller over larger.
    Area,
    /// People per km², smaller over larger.
    Density,
    /// Elevation of the capitals, exp(-difference / 400 m).
    Elevation,
    /// Same island group (Sumatera, Jawa, Bali-Nusa Tenggara, Kalimantan,
    /// Sulawesi, Maluku, Papua).
    Island,
}

impl From<Component> for LikenessComponent {
    fn from(c: Component) -> Self {
        match c {
            Component::Kind => Self::Kind,
            Component::Population => Self::Population,
            Component::Area => Self::Area,
            Component::Density => Self::Density,
            Component::Elevation => Self::Elevation,
            Component::Island => Self::Island,
        }
    }
}

/// One part of a likeness and its value.
#[derive(SimpleObject, Clone, Debug)]
pub struct LikenessPart {
    /// Which part.
    pub component: LikenessComponent,
    /// 0 (unlike) to 1 (alike).
    pub value: f64,
}

/// A region like another.
#[derive(SimpleObject)]
pub struct SimilarRegion {
    /// The region.
    pub region: Region,
    /// 0 to 1: the mean of the parts both regions have data for. Symmetric;
    /// a region is 1 with itself.
    pub likeness: f64,
    /// The parts.
    pub parts: Vec<LikenessPart>,
    /// The likeness in words.
    pub text: String,
    /// Great-circle distance between the capitals, km.
    pub distance_km: Option<f64>,
}
