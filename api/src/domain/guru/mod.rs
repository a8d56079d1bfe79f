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

use chrono::{NaiveDate, Utc};
use entity::{
    AdoptionStage, PracticeStatus, RegionKind, Sector, adoption, agreement, agreement_practice,
    outcome, practice, practice_sector, region, region_index, visit, visit_practice,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use search::{DocKind, Filter, SearchEngine, SearchRequest, Sort};
use uuid::Uuid;

use crate::domain::agreement::stage;
use crate::domain::region::query::distance_km;
use crate::error::{ApiError, Result};

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

    fn sum(&self) -> f64 {
        self.relevance + self.evidence + self.transfers + self.likeness + self.distance
    }
}

/// A factor of the guru score, or a flag beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Factor {
    Relevance,
    Evidence,
    Transfers,
    Likeness,
    Distance,
    /// The guru's index on the topic compared with the seeker's (no weight).
    Indices,
}

/// One factor of a score, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    pub factor: Factor,
    /// Share of the score this factor gives (the contributions add up to the score).
    pub contribution: f64,
    pub text: String,
}

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
/// Distance at which the distance factor falls to 1/e.
const DISTANCE_SCALE_KM: f64 = 700.0;
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
    let request = SearchRequest {
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
    };
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
    let regions: HashMap<String, region::Model> = region::Entity::find()
        .filter(region::Column::Code.is_in(codes.iter().map(String::as_str)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.code.clone(), r))
        .collect();
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
            &seeker,
            region,
            &matched,
            &like,
            distance,
            &evidence,
            &regions,
            seeker_indices,
            indices.get(&code),
            &sectors,
        );
        matched.truncate(5);
        out.push(Suggestion {
            region: region.clone(),
            score: s.0,
            practices: matched,
            reasons: s.1,
            distance_km: distance,
            likeness: like.value,
            behind_seeker: s.2,
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

/// Least coverage credited to a hit whose matched words are not shown in
/// its highlights (a match through a synonym, or in the description).
const MIN_COVERAGE: f64 = 0.25;

/// The share of the topic's words a hit's highlights show matched (typos
/// and, for the last word, prefixes count, as in the engines).
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

/// The evidence and transfer records of a set of practices, read in one
/// statement per table.
#[derive(Default)]
struct Evidence {
    /// Practice -> (has achieved value, has baseline too, first metric text).
    outcomes: HashMap<Uuid, Vec<outcome::Model>>,
    adoptions: HashMap<Uuid, Vec<adoption::Model>>,
    /// Practice -> signed agreements transferring it.
    agreements: HashMap<Uuid, Vec<agreement::Model>>,
    /// Practice -> visits that studied it.
    visits: HashMap<Uuid, Vec<visit::Model>>,
    sectors: HashMap<Uuid, Vec<Sector>>,
}

impl Evidence {
    async fn load(db: &impl ConnectionTrait, practices: &[practice::Model]) -> Result<Self> {
        if practices.is_empty() {
            return Ok(Self::default());
        }
        let ids: Vec<Uuid> = practices.iter().map(|p| p.id).collect();
        let mut e = Self::default();
        for o in outcome::Entity::find()
            .filter(outcome::Column::PracticeId.is_in(ids.clone()))
            .all(db)
            .await?
        {
            e.outcomes.entry(o.practice_id).or_default().push(o);
        }
        for a in adoption::Entity::find()
            .filter(adoption::Column::PracticeId.is_in(ids.clone()))
            .all(db)
            .await?
        {
            e.adoptions.entry(a.practice_id).or_default().push(a);
        }
        let links = agreement_practice::Entity::find()
            .filter(agreement_practice::Column::PracticeId.is_in(ids.clone()))
            .all(db)
            .await?;
        let signed: HashMap<Uuid, agreement::Model> = if links.is_empty() {
            HashMap::new()
        } else {
            agreement::Entity::find()
                .filter(agreement::Column::Id.is_in(links.iter().map(|l| l.agreement_id)))
                .all(db)
                .await?
                .into_iter()
                .filter(|a| stage::is_proven_transfer(a.stage))
                .map(|a| (a.id, a))
                .collect()
        };
        for link in links {
            if let Some(a) = signed.get(&link.agreement_id) {
                e.agreements
                    .entry(link.practice_id)
                    .or_default()
                    .push(a.clone());
            }
        }
        let studied = visit_practice::Entity::find()
            .filter(visit_practice::Column::PracticeId.is_in(ids.clone()))
            .all(db)
            .await?;
        let visits: HashMap<Uuid, visit::Model> = if studied.is_empty() {
            HashMap::new()
        } else {
            visit::Entity::find()
                .filter(visit::Column::Id.is_in(studied.iter().map(|l| l.visit_id)))
                .all(db)
                .await?
                .into_iter()
                .map(|v| (v.id, v))
                .collect()
        };
        for link in studied {
            if let Some(v) = visits.get(&link.visit_id) {
                e.visits
                    .entry(link.practice_id)
                    .or_default()
                    .push(v.clone());
            }
        }
        for s in practice_sector::Entity::find()
            .filter(practice_sector::Column::PracticeId.is_in(ids))
            .all(db)
            .await?
        {
            e.sectors.entry(s.practice_id).or_default().push(s.sector);
        }
        Ok(e)
    }

    /// Regions named in the reasons (adopters, visitors).
    fn region_codes(&self) -> impl Iterator<Item = String> + '_ {
        self.adoptions
            .values()
            .flatten()
            .map(|a| a.region_code.clone())
            .chain(
                self.visits
                    .values()
                    .flatten()
                    .map(|v| v.visitor_region_code.clone()),
            )
    }

    fn matched(&self, p: practice::Model, relevance: f64, today: NaiveDate) -> MatchedPractice {
        let outcomes = self.outcomes.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
        let measured = outcomes.iter().any(|o| o.achieved_value.is_some());
        let with_baseline = outcomes
            .iter()
            .any(|o| o.achieved_value.is_some() && o.baseline_value.is_some());
        let mut evidence = if with_baseline {
            0.5
        } else if measured {
            0.35
        } else {
            0.0
        };
        if p.status == PracticeStatus::Active {
            evidence += 0.25;
        }
        evidence += 0.25 * recency(p.last_verified_on, today);
        let adoptions = self.adoptions.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
        let completed = adoptions
            .iter()
            .filter(|a| a.stage == AdoptionStage::Adopted)
            .count();
        let under_way = adoptions
            .iter()
            .filter(|a| {
                matches!(
                    a.stage,
                    AdoptionStage::Interested | AdoptionStage::Preparing | AdoptionStage::Piloting
                )
            })
            .count();
        let agreements = self.agreements.get(&p.id).map_or(0, Vec::len);
        let visits = self.visits.get(&p.id).map_or(0, |v| {
            v.iter()
                .filter(|v| v.host_region_code == p.owner_region_code)
                .count()
        });
        MatchedPractice {
            practice: p,
            relevance,
            evidence: evidence.clamp(0.0, 1.0),
            measured,
            completed_adoptions: count(completed),
            adoptions_under_way: count(under_way),
            agreements: count(agreements),
            visits: count(visits),
        }
    }

    fn sectors_of(&self, matched: &[MatchedPractice]) -> HashSet<Sector> {
        matched
            .iter()
            .flat_map(|m| {
                self.sectors
                    .get(&m.practice.id)
                    .into_iter()
                    .flatten()
                    .copied()
            })
            .collect()
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// 1 when verified in the last two years, falling to 0 at six years; 0 when never.
fn recency(verified: Option<NaiveDate>, today: NaiveDate) -> f64 {
    let Some(v) = verified else { return 0.0 };
    let years = (today - v).num_days() as f64 / 365.25;
    if years <= 2.0 {
        1.0
    } else {
        ((6.0 - years) / 4.0).clamp(0.0, 1.0)
    }
}

/// Transfers as a factor: saturates as proof accumulates.
fn transfer_factor(completed: u32, under_way: u32, agreements: u32, visits: u32) -> f64 {
    let raw = 2.0 * f64::from(completed)
        + f64::from(agreements)
        + 0.5 * f64::from(visits)
        + 0.25 * f64::from(under_way);
    1.0 - (-raw / 3.0).exp()
}

/// The index a topic is judged on, from the sectors of the matching practices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexKind {
    Spbe,
    PublicService,
    Innovation,
}

impl IndexKind {
    fn for_sectors(sectors: &HashSet<Sector>) -> Self {
        use Sector::*;
        if sectors
            .iter()
            .any(|s| matches!(s, EGovernment | SmartCity | DataAndStatistics | Encryption))
        {
            Self::Spbe
        } else if sectors.contains(&PublicService) {
            Self::PublicService
        } else {
            Self::Innovation
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Spbe => "SPBE index",
            Self::PublicService => "public service index (IPP)",
            Self::Innovation => "regional innovation index",
        }
    }

    fn value(self, i: &region_index::Model) -> Option<f64> {
        match self {
            Self::Spbe => i.spbe_index,
            Self::PublicService => i.public_service_index,
            Self::Innovation => i.innovation_index,
        }
    }
}

/// All index rows of each region, latest year first.
async fn latest_indices(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<HashMap<String, Vec<region_index::Model>>> {
    let mut out: HashMap<String, Vec<region_index::Model>> = HashMap::new();
    for i in region_index::Entity::find()
        .filter(region_index::Column::RegionCode.is_in(codes.iter().map(String::as_str)))
        .all(db)
        .await?
    {
        out.entry(i.region_code.clone()).or_default().push(i);
    }
    for v in out.values_mut() {
        v.sort_by_key(|i| std::cmp::Reverse(i.year));
    }
    Ok(out)
}

fn latest(rows: Option<&Vec<region_index::Model>>, kind: IndexKind) -> Option<(f64, i32)> {
    rows?
        .iter()
        .find_map(|i| kind.value(i).map(|v| (v, i.year)))
}

#[allow(clippy::too_many_arguments)]
fn score(
    w: &GuruWeights,
    seeker: &region::Model,
    guru: &region::Model,
    matched: &[MatchedPractice],
    like: &Likeness,
    distance: Option<f64>,
    evidence: &Evidence,
    regions: &HashMap<String, region::Model>,
    seeker_indices: Option<&Vec<region_index::Model>>,
    guru_indices: Option<&Vec<region_index::Model>>,
    sectors: &HashSet<Sector>,
) -> (f64, Vec<Reason>, bool) {
    let mut reasons = Vec::new();
    let Some(top) = matched.first() else {
        return (0.0, reasons, false);
    };
    // Relevance, and the scale of every other factor: proof of practices
    // that match half the topic counts half.
    let rel = top.relevance;
    let total = w.sum();
    let gated = total / rel.max(f64::MIN_POSITIVE);
    let titles: Vec<&str> = matched
        .iter()
        .take(3)
        .map(|m| m.practice.title.as_str())
        .collect();
    reasons.push(Reason {
        factor: Factor::Relevance,
        contribution: w.relevance * rel / total,
        text: format!(
            "{} matching practice{}: {} (topic match {:.0}% of the best; the other factors count in this proportion)",
            matched.len(),
            plural(matched.len()),
            titles.join("; "),
            rel * 100.0
        ),
    });

    // Evidence: the best-evidenced matching practice.
    let best_ev = matched
        .iter()
        .max_by(|a, b| a.evidence.total_cmp(&b.evidence))
        .unwrap_or(top);
    let mut ev_parts = Vec::new();
    if let Some(o) = evidence
        .outcomes
        .get(&best_ev.practice.id)
        .and_then(|os| os.iter().find(|o| o.achieved_value.is_some()))
    {
        ev_parts.push(outcome_text(o));
    } else {
        ev_parts.push("no measured outcome recorded".to_owned());
    }
    ev_parts.push(
        if best_ev.practice.status == PracticeStatus::Active {
            "active"
        } else {
            "stopped"
        }
        .to_owned(),
    );
    ev_parts.push(match best_ev.practice.last_verified_on {
        Some(d) => format!("last verified {d}"),
        None => "never verified".to_owned(),
    });
    reasons.push(Reason {
        factor: Factor::Evidence,
        contribution: w.evidence * best_ev.evidence / gated,
        text: format!("{}: {}", best_ev.practice.title, ev_parts.join(", ")),
    });

    // Transfers over all matching practices.
    let completed: u32 = matched.iter().map(|m| m.completed_adoptions).sum();
    let under_way: u32 = matched.iter().map(|m| m.adoptions_under_way).sum();
    let agreements: u32 = matched.iter().map(|m| m.agreements).sum();
    let visits: u32 = matched.iter().map(|m| m.visits).sum();
    let adopters: Vec<String> = {
        let mut names: Vec<String> = matched
            .iter()
            .flat_map(|m| evidence.adoptions.get(&m.practice.id).into_iter().flatten())
            .filter(|a| a.stage != AdoptionStage::Stopped)
            .filter_map(|a| regions.get(&a.region_code).map(|r| r.name.clone()))
            .collect();
        names.sort();
        names.dedup();
        names
    };
    let tf = transfer_factor(completed, under_way, agreements, visits);
    let mut t = vec![
        format!(
            "{completed} region{} adopted it",
            plural(completed as usize)
        ),
        format!(
            "{agreements} signed agreement{} transfer{} it",
            plural(agreements as usize),
            if agreements == 1 { "s" } else { "" }
        ),
        format!(
            "{visits} benchmarking visit{} hosted",
            plural(visits as usize)
        ),
    ];
    if under_way > 0 {
        t.push(format!(
            "{under_way} adoption{} under way",
            plural(under_way as usize)
        ));
    }
    let mut text = t.join(", ");
    if !adopters.is_empty() {
        let shown: Vec<&str> = adopters.iter().take(4).map(String::as_str).collect();
        text.push_str(&format!(
            " ({}{})",
            shown.join(", "),
            if adopters.len() > 4 { ", ..." } else { "" }
        ));
    }
    reasons.push(Reason {
        factor: Factor::Transfers,
        contribution: w.transfers * tf / gated,
        text,
    });

    // Likeness.
    reasons.push(Reason {
        factor: Factor::Likeness,
        contribution: w.likeness * like.value / gated,
        text: like.describe(seeker, guru),
    });

    // Distance.
    let (df, dtext) = match distance {
        Some(d) => (
            (-d / DISTANCE_SCALE_KM).exp(),
            format!("{:.0} km away (between the capitals, as the crow flies)", d),
        ),
        None => (0.0, "distance unknown (no coordinates)".to_owned()),
    };
    reasons.push(Reason {
        factor: Factor::Distance,
        contribution: w.distance * df / gated,
        text: dtext,
    });

    reasons.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    let score: f64 = reasons.iter().map(|r| r.contribution).sum();

    // Indices: flagged, not weighted.
    let kind = IndexKind::for_sectors(sectors);
    let mut behind = false;
    if let (Some((g, gy)), Some((s, sy))) =
        (latest(guru_indices, kind), latest(seeker_indices, kind))
    {
        behind = g < s;
        reasons.push(Reason {
            factor: Factor::Indices,
            contribution: 0.0,
            text: if behind {
                format!(
                    "check first: {}'s {} {g} ({gy}) is below yours, {s} ({sy})",
                    guru.name,
                    kind.name()
                )
            } else {
                format!(
                    "{}'s {} {g} ({gy}) is at or above yours, {s} ({sy})",
                    guru.name,
                    kind.name()
                )
            },
        });
    }
    (score, reasons, behind)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "Persentase penduduk miskin Jawa Barat 7.25% (2018) -> 6.82% (2019), measured".
pub fn outcome_text(o: &outcome::Model) -> String {
    let unit = o.unit.as_deref().unwrap_or("");
    let v = |x: f64, y: Option<i32>| {
        let sep = if unit == "%" || unit.is_empty() {
            ""
        } else {
            " "
        };
        match y {
            Some(y) => format!("{}{sep}{unit} ({y})", num(x)),
            None => format!("{}{sep}{unit}", num(x)),
        }
    };
    match (o.baseline_value, o.achieved_value) {
        (Some(b), Some(a)) => format!(
            "{} {} -> {} measured",
            o.metric,
            v(b, o.baseline_year),
            v(a, o.achieved_year)
        ),
        (None, Some(a)) => format!("{} {} measured", o.metric, v(a, o.achieved_year)),
        _ => format!("{} (no value yet)", o.metric),
    }
}

fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A part of the likeness of two regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Component {
    Kind,
    Population,
    Area,
    Density,
    Elevation,
    Island,
}

/// How alike two regions are, 0 (nothing alike) to 1 (alike in every
/// known respect), with its parts. Symmetric; 1 for a region with itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Likeness {
    pub value: f64,
    pub components: Vec<(Component, f64)>,
}

/// The island group of a province code (Kemendagri's first digit groups
/// them): Sumatera, Jawa, Bali-Nusa Tenggara, Kalimantan, Sulawesi, Maluku,
/// Papua.
pub fn island_group(code: &str) -> Option<&'static str> {
    match code.get(0..1)? {
        "1" | "2" => Some("Sumatera"),
        "3" => Some("Jawa"),
        "5" => Some("Bali-Nusa Tenggara"),
        "6" => Some("Kalimantan"),
        "7" => Some("Sulawesi"),
        "8" => Some("Maluku"),
        "9" => Some("Papua"),
        _ => None,
    }
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (a > 0.0 && b > 0.0).then(|| a.min(b) / a.max(b))
}

fn density(r: &region::Model) -> Option<f64> {
    let p = r.population? as f64;
    let a = r.area_km2?;
    (a > 0.0).then(|| p / a)
}

/// The likeness measure of [`find_gurus`] and `similarRegions`: the mean of
/// the parts both regions have data for. Kind: 1 same, 0.5 regency and
/// city, 0 province and regency or city. Population, area and density:
/// smaller over larger. Elevation of the capitals: `exp(-|difference| / 400 m)`.
/// Island group: 1 same, 0 not.
pub fn likeness(a: &region::Model, b: &region::Model) -> Likeness {
    let mut c = Vec::new();
    let kind = if a.kind == b.kind {
        1.0
    } else if a.kind != RegionKind::Province && b.kind != RegionKind::Province {
        0.5
    } else {
        0.0
    };
    c.push((Component::Kind, kind));
    if let (Some(x), Some(y)) = (a.population, b.population)
        && let Some(r) = ratio(x as f64, y as f64)
    {
        c.push((Component::Population, r));
    }
    if let (Some(x), Some(y)) = (a.area_km2, b.area_km2)
        && let Some(r) = ratio(x, y)
    {
        c.push((Component::Area, r));
    }
    if let (Some(x), Some(y)) = (density(a), density(b))
        && let Some(r) = ratio(x, y)
    {
        c.push((Component::Density, r));
    }
    if let (Some(x), Some(y)) = (a.elevation_m, b.elevation_m) {
        c.push((
            Component::Elevation,
            (-(f64::from(x) - f64::from(y)).abs() / 400.0).exp(),
        ));
    }
    if let (Some(x), Some(y)) = (island_group(&a.code), island_group(&b.code)) {
        c.push((Component::Island, if x == y { 1.0 } else { 0.0 }));
    }
    let value = c.iter().map(|(_, v)| v).sum::<f64>() / c.len() as f64;
    Likeness {
        value,
        components: c,
    }
}

fn kind_word(k: RegionKind) -> &'static str {
    match k {
        RegionKind::Province => "province",
        RegionKind::Regency => "regency",
        RegionKind::City => "city",
    }
}

/// "hilly (450 m)" for an elevation of the capital.
fn terrain(m: i32) -> String {
    let w = if m < 100 {
        "lowland"
    } else if m < 500 {
        "hilly"
    } else {
        "highland"
    };
    format!("{w} ({m} m)")
}

/// "1.2 M people" / "850 k people".
pub fn people(n: i64) -> String {
    let n = n as f64;
    if n >= 1e6 {
        format!("{} M people", num((n / 1e5).round() / 10.0))
    } else if n >= 1e3 {
        format!("{} k people", num((n / 1e3).round()))
    } else {
        format!("{n} people")
    }
}

impl Likeness {
    /// "similar (78%): regency like you, 1.2 M people (you 1.4 M), hilly
    /// (450 m) like you (...), same island group (Jawa); differs: ..."
    pub fn describe(&self, seeker: &region::Model, other: &region::Model) -> String {
        let mut alike = Vec::new();
        let mut differs = Vec::new();
        for (c, v) in &self.components {
            let close = *v >= 0.7;
            let text = match c {
                Component::Kind => {
                    if seeker.kind == other.kind {
                        format!("{} like you", kind_word(other.kind))
                    } else {
                        format!(
                            "a {} (you: {})",
                            kind_word(other.kind),
                            kind_word(seeker.kind)
                        )
                    }
                }
                Component::Population => format!(
                    "{} (you {})",
                    people(other.population.unwrap_or(0)),
                    people(seeker.population.unwrap_or(0))
                ),
                Component::Area => format!(
                    "{} km² (you {})",
                    num(other.area_km2.unwrap_or(0.0).round()),
                    num(seeker.area_km2.unwrap_or(0.0).round())
                ),
                Component::Density => format!(
                    "{} people/km² (you {})",
                    num(density(other).unwrap_or(0.0).round()),
                    num(density(seeker).unwrap_or(0.0).round())
                ),
                Component::Elevation => format!(
                    "{} (you {})",
                    terrain(other.elevation_m.unwrap_or(0)),
                    terrain(seeker.elevation_m.unwrap_or(0))
                ),
                Component::Island => {
                    let g = island_group(&other.code).unwrap_or("?");
                    if close {
                        format!("same island group ({g})")
                    } else {
                        format!(
                            "island group {g} (you {})",
                            island_group(&seeker.code).unwrap_or("?")
                        )
                    }
                }
            };
            if close {
                alike.push(text);
            } else {
                differs.push(text);
            }
        }
        let mut s = format!("{:.0}% alike", self.value * 100.0);
        if !alike.is_empty() {
            s.push_str(&format!("; similar: {}", alike.join(", ")));
        }
        if !differs.is_empty() {
            s.push_str(&format!("; differs: {}", differs.join(", ")));
        }
        s
    }
}

/// A region like another, for `similarRegions`.
#[derive(Clone, Debug)]
pub struct Similar {
    pub region: region::Model,
    pub likeness: Likeness,
    pub distance_km: Option<f64>,
    pub text: String,
}

/// The regions most like `code`, most alike first. Itself is left out,
/// unless `among` (a list to compare with, instead of all regions) names it.
pub async fn similar_regions(
    db: &impl ConnectionTrait,
    code: &str,
    kinds: &[RegionKind],
    among: &[String],
    first: usize,
) -> Result<Vec<Similar>> {
    crate::domain::region::query::check_code("code", code)?;
    for c in among {
        crate::domain::region::query::check_code("among", c)?;
    }
    let me = crate::domain::region::query::require(db, "code", code).await?;
    let mut q = region::Entity::find();
    if among.is_empty() {
        q = q.filter(region::Column::Code.ne(code));
    } else {
        q = q.filter(region::Column::Code.is_in(among.iter().map(String::as_str)));
    }
    if !kinds.is_empty() {
        q = q.filter(region::Column::Kind.is_in(kinds.iter().copied()));
    }
    let mut out: Vec<Similar> = q
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            let l = likeness(&me, &r);
            let text = l.describe(&me, &r);
            Similar {
                distance_km: coords(&me).zip(coords(&r)).map(|(a, b)| distance_km(a, b)),
                likeness: l,
                region: r,
                text,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.likeness
            .value
            .total_cmp(&a.likeness.value)
            .then(a.region.code.cmp(&b.region.code))
    });
    out.truncate(first);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(transfer_factor(0, 0, 0, 0), 0.0);
        assert!(transfer_factor(1, 0, 0, 0) > transfer_factor(0, 0, 1, 0));
        assert!(transfer_factor(5, 0, 5, 5) < 1.0);
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
