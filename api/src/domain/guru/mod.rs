//! The guru finder: which regions a seeker should learn a topic from, and
//! why. A score in `[0, 1]` adds up weighted factors, each also reported as
//! a reason in words an official understands:
//!
//! - relevance: how well the region's practices match the topic, from the
//!   search engine (so typos and synonyms work), relative to the best match;
//! - evidence: measured outcomes, active status and a recent verification;
//! - transfers: completed adoptions, signed agreements transferring the
//!   practice, benchmarking visits hosted to study it;
//! - likeness: kind, population, area, density, elevation, island group
//!   (see [`likeness`]);
//! - distance: great-circle distance between the capitals.
//!
//! Every factor but relevance is scaled by the relevance, so a region's
//! proof counts only as far as its practices match the topic: a guru with
//! many transfers of a practice that shares one word of the topic does not
//! outrank the region whose practice is the topic. The contributions of
//! the reasons add up to the score.
//!
//! The region indices (SPBE, IPP, innovation) do not add to the score: a
//! guru whose index on the topic is below the seeker's is flagged with a
//! reason, not hidden. The seeker is never suggested.
//!
//! Everything is read in a fixed number of statements whatever the number of
//! candidates: one search, then one query per table.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use entity::{practice, region};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use search::{DocKind, Filter, SearchEngine, SearchRequest, Sort};
use uuid::Uuid;

use crate::domain::region::query::distance_km;
use crate::error::{ApiError, Result};

mod evidence;
mod likeness;
mod score;
mod text;
mod weights;

use evidence::{Evidence, latest_indices};
pub use likeness::{Component, Likeness, Similar, likeness, similar_regions};
use score::{Candidate, score};
pub use score::{Factor, Reason};
pub use text::outcome_text;
pub use weights::GuruWeights;

/// What a seeker looks for.
#[derive(Clone, Debug, Default)]
pub struct GuruQuery {
    pub seeker: String,
    pub topic: String,
    /// Sector values as indexed (e.g. `E_GOVERNMENT`).
    pub sectors: Vec<String>,
    /// Province codes of the gurus.
    pub provinces: Vec<String>,
    /// Kinds of the gurus, as indexed (`REGENCY`...).
    pub region_kinds: Vec<String>,
    pub max_distance_km: Option<f64>,
    /// Only practices whose owner is looking for adopters.
    pub looking_for_adopters: Option<bool>,
    pub first: usize,
}

/// A practice of a suggested guru that matches the topic.
#[derive(Clone, Debug)]
pub struct MatchedPractice {
    pub practice: practice::Model,
    /// Match with the topic relative to the best match of the search, 0 to 1.
    pub relevance: f64,
    /// 0 to 1: measured outcomes, active, recently verified.
    pub evidence: f64,
    /// Has an outcome with an achieved value.
    pub measured: bool,
    pub completed_adoptions: u32,
    pub adoptions_under_way: u32,
    /// Adopters still running it whose follow-up reports an outcome they
    /// measured.
    pub adopters_reporting_results: u32,
    /// Signed agreements transferring it.
    pub agreements: u32,
    /// Visits hosted that studied it.
    pub visits: u32,
}

/// A region suggested as guru.
#[derive(Clone, Debug)]
pub struct Suggestion {
    pub region: region::Model,
    /// 0 to 1, the sum of the reasons' contributions.
    pub score: f64,
    /// Matching practices, best match first.
    pub practices: Vec<MatchedPractice>,
    /// Reasons, largest contribution first; flags last.
    pub reasons: Vec<Reason>,
    pub distance_km: Option<f64>,
    pub likeness: f64,
    /// Its index on the topic is below the seeker's.
    pub behind_seeker: bool,
}

/// How many practices the search may bring for one topic: the candidates.
const CANDIDATE_PRACTICES: usize = 200;
/// Longest topic (characters).
const MAX_TOPIC: usize = 200;

/// Validates a topic: not empty, not too long, no control characters.
pub fn check_topic(field: &str, topic: &str) -> Result<String> {
    let t = topic.trim();
    if t.is_empty() {
        return Err(ApiError::bad_input(
            field,
            "name what you want to learn, e.g. \"e-office\" or \"desa digital\"",
        ));
    }
    if t.chars().count() > MAX_TOPIC {
        return Err(ApiError::bad_input(
            field,
            format!("a topic is at most {MAX_TOPIC} characters"),
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(ApiError::bad_input(
            field,
            "a topic contains no control characters",
        ));
    }
    Ok(t.to_owned())
}

/// The seeker and topic a learning request stands for: its region looks
/// for gurus on its topic (`findGurus(fromRequest:)`). Its sectors are not
/// turned into a filter: a practice tagged otherwise may still teach it.
pub async fn seeker_of_request(
    db: &impl ConnectionTrait,
    field: &str,
    id: Uuid,
) -> Result<(String, String)> {
    let r = entity::learning_request::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::bad_input(field, format!("no learning request has id {id}")))?;
    Ok((r.region_code, r.topic))
}

/// Suggests gurus for `q.seeker` on `q.topic`, best first.
pub async fn find_gurus(
    db: &impl ConnectionTrait,
    engine: &dyn SearchEngine,
    weights: &GuruWeights,
    q: &GuruQuery,
) -> Result<Vec<Suggestion>> {
    let topic = check_topic("topic", &q.topic)?;
    if let Some(d) = q.max_distance_km
        && !(d.is_finite() && d > 0.0)
    {
        return Err(ApiError::bad_input(
            "filter.maxDistanceKm",
            "maxDistanceKm must be a positive number of kilometres",
        ));
    }
    crate::domain::region::query::check_code("seeker", &q.seeker)?;
    let seeker = crate::domain::region::query::require(db, "seeker", &q.seeker).await?;
    let request = search_request(q, topic);
    let found = engine.search(&request).await?;
    let relevance = topic_relevance(&request.query, &found.hits);
    let ids: Vec<Uuid> = relevance.keys().copied().collect();
    let practices: Vec<practice::Model> = if ids.is_empty() {
        Vec::new()
    } else {
        practice::Entity::find()
            .filter(practice::Column::Id.is_in(ids))
            .filter(practice::Column::ArchivedAt.is_null())
            .filter(practice::Column::OwnerRegionCode.ne(seeker.code.as_str()))
            .all(db)
            .await?
    };
    let evidence = Evidence::load(db, &practices).await?;
    let owners: Vec<String> = practices
        .iter()
        .map(|p| p.owner_region_code.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut codes = owners.clone();
    codes.push(seeker.code.clone());
    codes.extend(evidence.region_codes());
    let regions = regions_by_code(db, &codes).await?;
    let indices = latest_indices(db, &codes).await?;
    let today = Utc::now().date_naive();

    let mut by_owner: BTreeMap<String, Vec<MatchedPractice>> = BTreeMap::new();
    for p in practices {
        let rel = relevance.get(&p.id).copied().unwrap_or(0.0);
        let m = evidence.matched(p, rel, today);
        by_owner
            .entry(m.practice.owner_region_code.clone())
            .or_default()
            .push(m);
    }
    let seeker_indices = indices.get(&seeker.code);
    let mut out = Vec::new();
    for (code, mut matched) in by_owner {
        let Some(region) = regions.get(&code) else {
            continue;
        };
        matched.sort_by(|a, b| {
            b.relevance
                .total_cmp(&a.relevance)
                .then(b.evidence.total_cmp(&a.evidence))
                .then(a.practice.title.cmp(&b.practice.title))
        });
        let distance = coords(&seeker)
            .zip(coords(region))
            .map(|(a, b)| distance_km(a, b));
        if let (Some(max), Some(d)) = (q.max_distance_km, distance)
            && d > max
        {
            continue;
        }
        let like = likeness(&seeker, region);
        let sectors = evidence.sectors_of(&matched);
        let s = score(
            weights,
            &Candidate {
                seeker: &seeker,
                guru: region,
                matched: &matched,
                like: &like,
                distance,
                evidence: &evidence,
                regions: &regions,
                seeker_indices,
                guru_indices: indices.get(&code),
                sectors: &sectors,
            },
        );
        matched.truncate(5);
        out.push(Suggestion {
            region: region.clone(),
            score: s.score,
            practices: matched,
            reasons: s.reasons,
            distance_km: distance,
            likeness: like.value,
            behind_seeker: s.behind_seeker,
        });
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.region.code.cmp(&b.region.code))
    });
    out.truncate(q.first);
    Ok(out)
}

/// The search for the candidate practices of `q` (at most
/// [`CANDIDATE_PRACTICES`], so typos and synonyms work as in search).
fn search_request(q: &GuruQuery, topic: String) -> SearchRequest {
    SearchRequest {
        query: topic,
        kinds: vec![DocKind::Practice],
        filter: Filter {
            sectors: q.sectors.clone(),
            provinces: q.provinces.clone(),
            region_kinds: q.region_kinds.clone(),
            statuses: Vec::new(),
            stages: Vec::new(),
            looking_for_adopters: q.looking_for_adopters,
            has_outcomes: None,
        },
        sort: Sort::Relevance,
        offset: 0,
        limit: CANDIDATE_PRACTICES,
    }
}

/// The regions with `codes`, by code.
async fn regions_by_code(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<HashMap<String, region::Model>> {
    Ok(region::Entity::find()
        .filter(region::Column::Code.is_in(codes.iter().map(String::as_str)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.code.clone(), r))
        .collect())
}

/// Least coverage credited to a hit whose matched words are not shown in
/// its highlights (a match through a synonym, or in the description).
const MIN_COVERAGE: f64 = 0.25;

/// The share of the topic's words a hit's highlights show matched (typos
/// and, for the last word, prefixes count, as in the engines; so do words
/// the highlights explain as reached through an expansion).
pub fn coverage(topic: &str, hit: &search::Hit) -> f64 {
    // One-letter words ("e" of "e-office") match too much to count.
    let all = search::vocab::query_words(topic);
    let q: Vec<String> = if all.iter().any(|w| w.chars().count() > 1) {
        all.into_iter().filter(|w| w.chars().count() > 1).collect()
    } else {
        all
    };
    if q.is_empty() {
        return 0.0;
    }
    let mut shown: Vec<String> = Vec::new();
    for h in &hit.highlights {
        // Topic words the engine reached through the glossary, an
        // abbreviation, a synonym or a root ("permit" shown as "perizinan").
        for m in &h.expansions {
            shown.extend(search::vocab::words(&m.from));
        }
        let mut rest = h.snippet.as_str();
        while let Some(start) = rest.find("<em>") {
            let after = &rest[start + 4..];
            let Some(end) = after.find("</em>") else {
                break;
            };
            shown.extend(search::vocab::words(&after[..end]));
            rest = &after[end + 5..];
        }
    }
    let matched = q
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            shown
                .iter()
                .any(|t| search::vocab::word_matches(t, w, i + 1 == q.len()))
        })
        .count();
    matched as f64 / q.len() as f64
}

/// Relevance of each practice hit to the topic, 1 for the best: the
/// engine's score relative to the best, times the share of the topic's
/// words the hit matches (engines squash scores into a narrow band, so a
/// practice matching one word of two would otherwise look as relevant as
/// one matching both).
fn topic_relevance(topic: &str, hits: &[search::Hit]) -> HashMap<Uuid, f64> {
    let best = hits
        .iter()
        .map(|h| h.score)
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let mut raw: HashMap<Uuid, f64> = HashMap::new();
    for h in hits {
        if let Ok(id) = Uuid::parse_str(&h.id) {
            let r = (h.score / best).clamp(0.0, 1.0) * coverage(topic, h).max(MIN_COVERAGE);
            let e = raw.entry(id).or_insert(0.0);
            *e = e.max(r);
        }
    }
    let top = raw.values().copied().fold(0.0_f64, f64::max);
    if top > 0.0 {
        for v in raw.values_mut() {
            *v /= top;
        }
    }
    raw
}

fn coords(r: &region::Model) -> Option<(f64, f64)> {
    r.latitude.zip(r.longitude)
}

#[cfg(test)]
mod tests {
    use super::evidence::{recency, transfer_factor};
    use super::likeness::{island_group, people};
    use super::*;
    use chrono::NaiveDate;
    use entity::{RegionKind, outcome};

    fn region(code: &str, kind: RegionKind, pop: i64, area: f64, elev: i32) -> region::Model {
        region::Model {
            code: code.into(),
            province_code: code.get(0..2).filter(|_| code.len() > 2).map(str::to_owned),
            kind,
            name: format!("Region {code}"),
            capital: None,
            latitude: Some(-6.0),
            longitude: Some(107.0),
            elevation_m: Some(elev),
            utc_offset: Some(7),
            area_km2: Some(area),
            population: Some(pop),
            version: 1,
            updated_at: None,
        }
    }

    #[test]
    fn likeness_is_symmetric_and_one_with_itself() {
        let a = region("36.02", RegionKind::Regency, 1_386_793, 3_305.0, 40);
        let b = region("32.11", RegionKind::Regency, 1_152_507, 1_518.0, 450);
        let c = region("74.11", RegionKind::Regency, 120_000, 3_700.0, 120);
        let p = region("32", RegionKind::Province, 48_000_000, 35_378.0, 700);
        for (x, y) in [(&a, &b), (&a, &c), (&b, &p), (&c, &p)] {
            let l1 = likeness(x, y).value;
            let l2 = likeness(y, x).value;
            assert!((l1 - l2).abs() < 1e-12, "{l1} vs {l2}");
            assert!((0.0..=1.0).contains(&l1));
        }
        for x in [&a, &b, &c, &p] {
            assert!((likeness(x, x).value - 1.0).abs() < 1e-12);
        }
        // Two Javanese regencies of similar size are more alike than a
        // regency and a province.
        assert!(likeness(&a, &b).value > likeness(&a, &p).value);
        assert!(likeness(&a, &b).value > likeness(&a, &c).value);
    }

    #[test]
    fn transfers_saturate_and_recency_decays() {
        assert_eq!(transfer_factor(0, 0, 0, 0, 0), 0.0);
        assert!(transfer_factor(1, 0, 0, 0, 0) > transfer_factor(0, 0, 1, 0, 0));
        assert!(transfer_factor(5, 0, 5, 5, 0) < 1.0);
        // An adopter reporting measured results weighs beyond the adoption.
        assert!(transfer_factor(1, 0, 0, 0, 1) > transfer_factor(1, 0, 0, 0, 0));
        assert!(transfer_factor(5, 0, 5, 5, 5) < 1.0);
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        assert_eq!(recency(None, today), 0.0);
        assert_eq!(recency(NaiveDate::from_ymd_opt(2025, 1, 1), today), 1.0);
        let old = recency(NaiveDate::from_ymd_opt(2022, 5, 31), today);
        assert!(old > 0.0 && old < 0.5, "{old}");
        assert_eq!(recency(NaiveDate::from_ymd_opt(2015, 1, 1), today), 0.0);
    }

    #[test]
    fn words_for_officials() {
        assert_eq!(people(1_152_507), "1.2 M people");
        assert_eq!(people(850_400), "850 k people");
        let o = outcome::Model {
            id: Uuid::nil(),
            practice_id: Uuid::nil(),
            metric: "poverty".into(),
            unit: Some("%".into()),
            baseline_value: Some(7.25),
            baseline_year: Some(2018),
            achieved_value: Some(6.82),
            achieved_year: Some(2019),
            source: None,
        };
        assert_eq!(
            outcome_text(&o),
            "poverty 7.25% (2018) -> 6.82% (2019) measured"
        );
        assert_eq!(island_group("36.02"), Some("Jawa"));
        assert_eq!(island_group("74"), Some("Sulawesi"));
        assert!(GuruWeights::default().validate().is_ok());
        let bad = GuruWeights {
            relevance: -1.0,
            ..GuruWeights::default()
        };
        assert!(bad.validate().is_err());
    }
}
