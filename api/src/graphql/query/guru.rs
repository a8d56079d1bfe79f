//! The guru finder and what officials plan with it: `findGurus`,
//! `similarRegions`, `planVisits`, and the coordinator views
//! `cooperationStats`, `adoptionFunnel` and `practicesLookingForAdopters`.
//! The logic lives in `domain::{guru, visit_plan, cooperation}`; these
//! resolvers check input and shape the answer.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::Utc;

use crate::domain::agreement::cooperation::{self, CooperationStats as Stats, FunnelStage};
use crate::domain::guru::{self, Component, Factor, GuruQuery, GuruWeights};
use crate::domain::parse_id;
use crate::domain::practice::query as practices;
use crate::domain::region::query as regions;
use crate::domain::visit::plan::{ActivityKind, LegMode, Plan};
use crate::error::{ApiError, Result};
use crate::graphql::connection::PracticeConnection;
use crate::graphql::enums::{AdoptionStage, AgreementStage, RegionKind, Sector};
use crate::graphql::pagination::PageRequest;
use crate::graphql::query::PracticeOrderBy;
use crate::graphql::scalars::Date;
use crate::graphql::types::region::PartnerCategoryCounts;
use crate::graphql::types::{Adoption, Agreement, Practice, Region, Visit};
use crate::graphql::{db, limits};
use crate::search_sync::Engine;

/// Most suggestions `findGurus` returns.
const MAX_GURUS: i32 = 50;
/// Most regions `similarRegions` returns.
const MAX_SIMILAR: i32 = 100;

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

/// How a delegation travels.
#[derive(Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TravelMode {
    /// By road up to 400 km, by air beyond.
    #[default]
    Auto,
    /// By road only (50 km/h over 1.3 times the great-circle distance).
    Road,
    /// By air only (3 h of transfers plus 650 km/h).
    Air,
}

/// How one leg is travelled.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegTravel {
    /// By road.
    Road,
    /// By air.
    Air,
}

/// What to plan.
#[derive(InputObject, Clone, Debug)]
pub struct VisitPlanInput {
    /// The visiting region (code, e.g. "36.02").
    pub seeker: ID,
    /// What to learn, one to five topics, e.g. ["e-office", "desa digital"].
    pub topics: Vec<String>,
    /// First day available.
    pub from: Date,
    /// Last day available (at most 31 days after `from`).
    pub to: Date,
    /// Most hosts to visit, 1 to 10 (default 3).
    #[graphql(default = 3)]
    pub max_hosts: i32,
    /// Most days to travel (default: from `from` to `to`).
    pub max_days: Option<i32>,
    /// How to travel (default `AUTO`).
    #[graphql(default)]
    pub travel_mode: TravelMode,
}

/// A practice to study at a stop.
#[derive(SimpleObject)]
pub struct PlannedPractice {
    /// The practice.
    pub practice: Practice,
    /// The topic it was found for.
    pub topic: String,
    /// What the delegation should learn there.
    pub learning_objective: String,
}

/// A host on the route.
#[derive(SimpleObject)]
pub struct PlannedStop {
    /// Position on the route, from 1.
    pub order: i32,
    /// The trip it belongs to, from 1 (hosts close to each other share a trip).
    pub trip: i32,
    /// The host.
    pub host: Region,
    /// The topics it is visited for.
    pub topics: Vec<String>,
    /// Its best guru score over those topics.
    pub score: f64,
    /// Day of the study session.
    pub date: Date,
    /// Great-circle distance from the previous place (home for the first), km.
    pub distance_from_previous_km: f64,
    /// How that leg is travelled.
    pub travel: LegTravel,
    /// Estimated travel time of that leg, minutes.
    pub travel_minutes: i32,
    /// What to study there.
    pub practices: Vec<PlannedPractice>,
}

/// What a block of a day is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivityType {
    /// Travelling.
    Travel,
    /// A study session at a host.
    Study,
}

/// A block of a day, in the seeker's local time.
#[derive(SimpleObject)]
pub struct PlannedActivity {
    /// Travel or study.
    pub kind: ActivityType,
    /// Start, `HH:MM`.
    pub start: String,
    /// End, `HH:MM`.
    pub end: String,
    /// The host, for a study session.
    pub host: Option<Region>,
    /// What happens, e.g. "Kabupaten Lebak -> Kota Bandung (118 km by road)".
    pub description: String,
}

/// A day of the plan.
#[derive(SimpleObject)]
pub struct PlannedDay {
    /// Day number, from 1.
    pub day: i32,
    /// The date.
    pub date: Date,
    /// Its blocks, in order.
    pub activities: Vec<PlannedActivity>,
}

/// Something officials should know about a plan.
#[derive(SimpleObject, Clone, Debug)]
pub struct PlanWarning {
    /// Stable code: `HOST_NOT_AHEAD` (its index on the topic is below the
    /// seeker's), `NO_GURU` (nothing matches a topic),
    /// `NO_EVIDENCED_PRACTICE` (no active practice with measured outcomes
    /// for a topic), `NOT_ENOUGH_DAYS` (a host left out).
    pub code: String,
    /// The warning in words.
    pub message: String,
    /// The host concerned (code).
    pub host: Option<String>,
    /// The topic concerned.
    pub topic: Option<String>,
}

/// A benchmarking itinerary.
pub struct VisitPlan(pub Plan);

/// A benchmarking itinerary: hosts in route order, what to learn at each,
/// a schedule per day, warnings, and the plan as an iCalendar file.
#[Object]
impl VisitPlan {
    /// The visiting region.
    async fn seeker(&self) -> Region {
        Region(self.0.seeker.clone())
    }

    /// First day available.
    async fn from(&self) -> Date {
        Date(self.0.from)
    }

    /// Last day available.
    async fn to(&self) -> Date {
        Date(self.0.to)
    }

    /// Hours ahead of UTC of the times in `days` (the seeker's time zone).
    async fn utc_offset(&self) -> i32 {
        self.0.utc_offset
    }

    /// The hosts in route order.
    async fn stops(&self) -> Vec<PlannedStop> {
        self.0
            .stops
            .iter()
            .map(|s| PlannedStop {
                order: i32::try_from(s.order).unwrap_or(i32::MAX),
                trip: i32::try_from(s.trip).unwrap_or(i32::MAX),
                host: Region(s.host.clone()),
                topics: s.topics.clone(),
                score: s.score,
                date: Date(s.study_on),
                distance_from_previous_km: round1(s.leg_km),
                travel: match s.leg_mode {
                    LegMode::Road => LegTravel::Road,
                    LegMode::Air => LegTravel::Air,
                },
                travel_minutes: i32::try_from(s.leg_minutes).unwrap_or(i32::MAX),
                practices: s
                    .practices
                    .iter()
                    .map(|p| PlannedPractice {
                        practice: Practice(p.practice.clone()),
                        topic: p.topic.clone(),
                        learning_objective: p.objective.clone(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// Number of trips (runs of hosts less than 300 km apart).
    async fn trips(&self) -> i32 {
        i32::try_from(self.0.trips()).unwrap_or(i32::MAX)
    }

    /// The schedule, day by day.
    async fn days(&self) -> Vec<PlannedDay> {
        let hosts: std::collections::HashMap<&str, &entity::region::Model> = self
            .0
            .stops
            .iter()
            .map(|s| (s.host.code.as_str(), &s.host))
            .collect();
        self.0
            .days
            .iter()
            .map(|d| PlannedDay {
                day: i32::try_from(d.number).unwrap_or(i32::MAX),
                date: Date(d.date),
                activities: d
                    .activities
                    .iter()
                    .map(|a| PlannedActivity {
                        kind: match a.kind {
                            ActivityKind::Travel => ActivityType::Travel,
                            ActivityKind::Study => ActivityType::Study,
                        },
                        start: crate::domain::visit::plan::clock_time(a.start),
                        end: crate::domain::visit::plan::clock_time(a.end),
                        host: a
                            .host
                            .as_deref()
                            .and_then(|h| hosts.get(h))
                            .map(|r| Region((*r).clone())),
                        description: a.text.clone(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// Days the schedule takes.
    async fn days_used(&self) -> i32 {
        i32::try_from(self.0.days.len()).unwrap_or(i32::MAX)
    }

    /// The way back home from the last host, km.
    async fn return_distance_km(&self) -> f64 {
        round1(self.0.return_km)
    }

    /// The whole round trip (home, every host, home), great-circle km.
    async fn total_distance_km(&self) -> f64 {
        round1(self.0.total_km)
    }

    /// The round trip visiting the hosts in the order they were found, km:
    /// `totalDistanceKm` is never more.
    async fn found_order_distance_km(&self) -> f64 {
        round1(self.0.found_order_km)
    }

    /// What officials should know before they go.
    async fn warnings(&self) -> Vec<PlanWarning> {
        self.0
            .warnings
            .iter()
            .map(|w| PlanWarning {
                code: w.code.to_owned(),
                message: w.message.clone(),
                host: w.host.clone(),
                topic: w.topic.clone(),
            })
            .collect()
    }

    /// The plan as an iCalendar (RFC 5545) file, one event per study session
    /// and travel block; also at `GET /visits/plan.ics`.
    async fn ics(&self) -> String {
        crate::domain::visit::plan::to_ics(&self.0)
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Agreements at one stage.
#[derive(SimpleObject)]
pub struct StageCount {
    /// The stage.
    pub stage: AgreementStage,
    /// Agreements at it.
    pub count: i64,
}

/// How far frameworks got: the complaint is that agreements stall at the MoU.
#[derive(SimpleObject)]
pub struct CooperationFunnel {
    /// Framework agreements (Kesepakatan Bersama, Nota Kesepakatan) signed.
    pub frameworks_signed: i64,
    /// ... with an implementing agreement (Perjanjian Kerja Sama) signed.
    pub reached_implementing_agreement: i64,
    /// ... being implemented or evaluated.
    pub reached_implementation: i64,
    /// Frameworks still without an implementing agreement a year after
    /// signing (or with no signing date recorded).
    pub stalled_after_framework: i64,
}

/// A region's cooperation over a period.
pub struct CooperationStats(pub Stats);

/// A region's cooperation over a period, as a coordinator reports it.
#[Object]
impl CooperationStats {
    /// The region.
    async fn region(&self) -> Region {
        Region(self.0.region.clone())
    }

    /// Start of the period (agreements dated by signing, else by recording).
    async fn from(&self) -> Option<Date> {
        self.0.from.map(Date)
    }

    /// End of the period.
    async fn to(&self) -> Option<Date> {
        self.0.to.map(Date)
    }

    /// The day expiry, stalling and evaluation are judged at (today).
    async fn as_of(&self) -> Date {
        Date(self.0.as_of)
    }

    /// Agreements in the period.
    async fn total(&self) -> i64 {
        i64::try_from(self.0.agreements.len()).unwrap_or(i64::MAX)
    }

    /// By the category of the partner; an agreement with partners in two
    /// categories counts in both.
    async fn by_partner_category(&self) -> PartnerCategoryCounts {
        self.0.by_category.into()
    }

    /// By stage along the legal path (stages with none are left out).
    async fn by_stage(&self) -> Vec<StageCount> {
        self.0
            .by_stage
            .iter()
            .map(|(s, n)| StageCount {
                stage: (*s).into(),
                count: *n,
            })
            .collect()
    }

    /// How far the frameworks got.
    async fn funnel(&self) -> CooperationFunnel {
        CooperationFunnel {
            frameworks_signed: self.0.frameworks_signed,
            reached_implementing_agreement: self.0.reached_implementing_agreement,
            reached_implementation: self.0.reached_implementation,
            stalled_after_framework: i64::try_from(self.0.stalled_after_framework.len())
                .unwrap_or(i64::MAX),
        }
    }

    /// The stalled frameworks, oldest first.
    async fn stalled(&self) -> Vec<Agreement> {
        let mut v: Vec<_> = self.0.stalled_after_framework.clone();
        v.sort_by_key(|a| (a.signed_on, a.id));
        v.into_iter().map(Agreement).collect()
    }

    /// Agreements not closed whose term ends within 180 days.
    async fn expiring(&self) -> Vec<Agreement> {
        self.0.expiring.iter().cloned().map(Agreement).collect()
    }

    /// Running agreements with no evaluation in the last six months.
    async fn due_for_evaluation(&self) -> Vec<Agreement> {
        self.0
            .due_for_evaluation
            .iter()
            .cloned()
            .map(Agreement)
            .collect()
    }

    /// The agreements in the period, latest first.
    async fn agreements(&self) -> Vec<Agreement> {
        self.0.agreements.iter().cloned().map(Agreement).collect()
    }
}

/// One stage of an adoption funnel.
pub struct AdoptionFunnelStage(FunnelStage);

/// Adoptions at one stage, with what lies behind them.
#[Object]
impl AdoptionFunnelStage {
    /// The stage.
    async fn stage(&self) -> AdoptionStage {
        self.0.stage.into()
    }

    /// Adoptions at it.
    async fn count(&self) -> i64 {
        i64::try_from(self.0.adoptions.len()).unwrap_or(i64::MAX)
    }

    /// The adoptions, by region code.
    async fn adoptions(&self) -> Vec<Adoption> {
        self.0.adoptions.iter().cloned().map(Adoption).collect()
    }

    /// Agreements under which these adoptions happen.
    async fn agreements(&self, ctx: &Context<'_>) -> Result<Vec<Agreement>> {
        let l = crate::graphql::types::loader(ctx)?;
        let found = l
            .load_many(
                self.0
                    .agreement_ids
                    .iter()
                    .map(|id| crate::graphql::loaders::AgreementById(*id)),
            )
            .await?;
        Ok(self
            .0
            .agreement_ids
            .iter()
            .filter_map(|id| found.get(&crate::graphql::loaders::AgreementById(*id)))
            .cloned()
            .map(Agreement)
            .collect())
    }

    /// Benchmarking visits behind these adoptions (linked to them, or made
    /// by the adopter to study the practice), earliest first.
    async fn visits(&self) -> Vec<Visit> {
        self.0.visits.iter().cloned().map(Visit).collect()
    }
}

/// Where the adopters of a practice stand.
#[derive(SimpleObject)]
pub struct AdoptionFunnel {
    /// The practice.
    pub practice: Practice,
    /// All adoptions.
    pub total: i64,
    /// Interested, preparing, piloting, adopted, stopped, in that order.
    pub stages: Vec<AdoptionFunnelStage>,
}

/// Guru finder and coordinator queries.
#[derive(Default)]
pub struct GuruQueries;

fn engine<'a>(ctx: &'a Context<'_>) -> Result<&'a Engine> {
    ctx.data::<Engine>()
        .map_err(|_| ApiError::internal(&crate::graphql::types::MissingContext("search engine")))
}

fn weights(ctx: &Context<'_>) -> GuruWeights {
    ctx.data_opt::<GuruWeights>().copied().unwrap_or_default()
}

fn provinces(v: Option<Vec<String>>) -> Result<Vec<String>> {
    let v = v.unwrap_or_default();
    for p in &v {
        if p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::bad_input(
                "filter.provinces",
                format!("{p:?} is not a province code; use two digits, e.g. \"32\""),
            ));
        }
    }
    Ok(v)
}

fn bounded(field: &str, v: Option<i32>, default: i32, max: i32) -> Result<usize> {
    let v = v.unwrap_or(default);
    if !(1..=max).contains(&v) {
        return Err(ApiError::bad_input(
            field,
            format!("{field} is between 1 and {max}"),
        ));
    }
    Ok(usize::try_from(v).unwrap_or(1))
}

/// The domain input of a GraphQL plan input.
pub fn plan_input(i: VisitPlanInput) -> Result<crate::domain::visit::plan::PlanInput> {
    Ok(crate::domain::visit::plan::PlanInput {
        seeker: i.seeker.0,
        topics: i.topics,
        from: i.from.0,
        to: i.to.0,
        max_hosts: usize::try_from(i.max_hosts)
            .map_err(|_| ApiError::bad_input("input.maxHosts", "maxHosts is between 1 and 10"))?,
        max_days: i
            .max_days
            .map(|d| {
                usize::try_from(d).map_err(|_| {
                    ApiError::bad_input("input.maxDays", "maxDays is between 1 and 31")
                })
            })
            .transpose()?,
        travel_mode: match i.travel_mode {
            TravelMode::Auto => crate::domain::visit::plan::TravelMode::Auto,
            TravelMode::Road => crate::domain::visit::plan::TravelMode::Road,
            TravelMode::Air => crate::domain::visit::plan::TravelMode::Air,
        },
    })
}

#[Object]
impl GuruQueries {
    /// Regions to learn a topic from, best first, each with a score and the
    /// reasons behind it in words: matching practices, their evidence,
    /// proven transfers, likeness to the seeker and distance (weights in
    /// configuration). A guru whose index on the topic is below the
    /// seeker's is flagged (`behindSeeker`), not hidden. The seeker is
    /// never suggested. Fails with `SEARCH_UNAVAILABLE` when the search
    /// engine cannot answer.
    #[graphql(complexity = "first.map_or(5, |f| f.max(0) as usize) * child_complexity + 1")]
    async fn find_gurus(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The region looking for a guru (code, e.g. \"36.02\").")] seeker: ID,
        #[graphql(desc = "What it wants to learn, e.g. \"e-office\" (typos and synonyms work).")]
        topic: String,
        filter: Option<GuruFilter>,
        #[graphql(desc = "How many suggestions (default 5, at most 50).")] first: Option<i32>,
    ) -> Result<Vec<GuruSuggestion>> {
        let first = bounded("first", first, 5, MAX_GURUS)?;
        let f = filter.unwrap_or_default();
        let q = GuruQuery {
            seeker: seeker.0,
            topic,
            sectors: f
                .sectors
                .unwrap_or_default()
                .into_iter()
                .map(|s| entity::wire_name(&entity::Sector::from(s)))
                .collect(),
            provinces: provinces(f.provinces)?,
            region_kinds: f
                .region_kinds
                .unwrap_or_default()
                .into_iter()
                .map(|k| entity::wire_name(&entity::RegionKind::from(k)))
                .collect(),
            max_distance_km: f.max_distance_km,
            looking_for_adopters: f.looking_for_adopters,
            first,
        };
        let found = guru::find_gurus(db(ctx)?, engine(ctx)?.as_ref(), &weights(ctx), &q).await?;
        Ok(found
            .into_iter()
            .map(|s| GuruSuggestion {
                region: Region(s.region),
                score: s.score,
                practices: s
                    .practices
                    .into_iter()
                    .map(|m| GuruPractice {
                        relevance: m.relevance,
                        evidence: m.evidence,
                        measured: m.measured,
                        completed_adoptions: small(m.completed_adoptions),
                        adoptions_under_way: small(m.adoptions_under_way),
                        agreements: small(m.agreements),
                        visits_hosted: small(m.visits),
                        practice: Practice(m.practice),
                    })
                    .collect(),
                reasons: s
                    .reasons
                    .into_iter()
                    .map(|r| GuruReason {
                        factor: r.factor.into(),
                        contribution: r.contribution,
                        text: r.text,
                    })
                    .collect(),
                distance_km: s.distance_km.map(round1),
                likeness: s.likeness,
                behind_seeker: s.behind_seeker,
            })
            .collect())
    }

    /// The regions most like a region, most alike first: kind, population,
    /// area, density, elevation and island group (the likeness `findGurus`
    /// uses), with the parts and a text.
    #[graphql(complexity = "first.map_or(10, |f| f.max(0) as usize) * child_complexity + 1")]
    async fn similar_regions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The region (code, e.g. \"36.02\").")] code: ID,
        #[graphql(desc = "Only regions of these kinds.")] kinds: Option<Vec<RegionKind>>,
        #[graphql(
            desc = "Compare with these regions only (codes; the region itself may be one, \
                    with likeness 1 and distance 0)."
        )]
        among: Option<Vec<ID>>,
        #[graphql(desc = "How many (default 10, at most 100).")] first: Option<i32>,
    ) -> Result<Vec<SimilarRegion>> {
        let first = bounded("first", first, 10, MAX_SIMILAR)?;
        let kinds: Vec<entity::RegionKind> = kinds
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let among: Vec<String> = among.unwrap_or_default().into_iter().map(|c| c.0).collect();
        if among.len() > MAX_SIMILAR as usize {
            return Err(ApiError::bad_input(
                "among",
                format!("among lists at most {MAX_SIMILAR} regions"),
            ));
        }
        Ok(
            guru::similar_regions(db(ctx)?, &code.0, &kinds, &among, first)
                .await?
                .into_iter()
                .map(|s| SimilarRegion {
                    region: Region(s.region),
                    likeness: s.likeness.value,
                    parts: s
                        .likeness
                        .components
                        .iter()
                        .map(|(c, v)| LikenessPart {
                            component: (*c).into(),
                            value: *v,
                        })
                        .collect(),
                    text: s.text,
                    distance_km: s.distance_km.map(round1),
                })
                .collect(),
        )
    }

    /// Proposes a benchmarking itinerary for a seeker's topics: the hosts
    /// (best gurus, each topic's best first), what to learn at each, the
    /// route (2-opt, never longer than the order found), a schedule per
    /// day, warnings, and an iCalendar file. Nothing is saved: pass the
    /// stops to `saveVisitPlan` to schedule the visits.
    #[graphql(complexity = 50)]
    async fn plan_visits(&self, ctx: &Context<'_>, input: VisitPlanInput) -> Result<VisitPlan> {
        let input = plan_input(input)?;
        Ok(VisitPlan(
            crate::domain::visit::plan::plan(
                db(ctx)?,
                engine(ctx)?.as_ref(),
                &weights(ctx),
                &input,
            )
            .await?,
        ))
    }

    /// A region's cooperation over a period: agreements by partner category
    /// and by stage, how many frameworks reached an implementing agreement
    /// and implementation, which stalled, which expire within 180 days and
    /// which are due for evaluation.
    async fn cooperation_stats(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The region (code, e.g. \"32\").")] region: ID,
        #[graphql(desc = "Agreements dated (signed, else recorded) on or after this day.")]
        from: Option<Date>,
        #[graphql(desc = "... and on or before this day.")] to: Option<Date>,
    ) -> Result<CooperationStats> {
        Ok(CooperationStats(
            cooperation::cooperation_stats(
                db(ctx)?,
                &region.0,
                from.map(|d| d.0),
                to.map(|d| d.0),
                Utc::now().date_naive(),
            )
            .await?,
        ))
    }

    /// Where the adopters of a practice stand: interested, preparing,
    /// piloting, adopted, stopped, with the agreements and visits behind
    /// each stage.
    async fn adoption_funnel(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The practice id.")] practice: ID,
    ) -> Result<AdoptionFunnel> {
        let id = parse_id("practice", &practice.0)?;
        let (p, stages) = cooperation::adoption_funnel(db(ctx)?, id).await?;
        let total = stages.iter().map(|s| s.adoptions.len()).sum::<usize>();
        Ok(AdoptionFunnel {
            practice: Practice(p),
            total: i64::try_from(total).unwrap_or(i64::MAX),
            stages: stages.into_iter().map(AdoptionFunnelStage).collect(),
        })
    }

    /// Active practices whose owners are looking for adopters: where a
    /// region is welcome to come and learn. Same filter, order and paging
    /// as `practices` (the filter's status and lookingForAdopters are
    /// fixed).
    #[graphql(complexity = "first.map_or(20, |f| f.max(0) as usize) * child_complexity + 1")]
    async fn practices_looking_for_adopters(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which practices to list.")] filter: Option<
            crate::graphql::query::PracticeFilter,
        >,
        #[graphql(desc = "Ordering; title by default.", default)] order_by: PracticeOrderBy,
        #[graphql(desc = "Page size (at most the configured maximum, 100 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> Result<PracticeConnection> {
        let order = match order_by {
            PracticeOrderBy::Title => practices::PracticeOrder::Title,
            PracticeOrderBy::UpdatedAt => practices::PracticeOrder::UpdatedAt,
        };
        let page = PageRequest::new(first, after, order.name(), limits(ctx)?)?;
        let filter = filter.unwrap_or_default();
        if let Some(code) = &filter.owner_region_code {
            regions::check_code("filter.ownerRegionCode", code)?;
        }
        let f = practices::PracticeFilter {
            owner_region_code: filter.owner_region_code.map(|c| c.0),
            province_code: filter.province_code.map(|c| c.0),
            sector: filter.sector.map(Into::into),
            status: Some(entity::PracticeStatus::Active),
            looking_for_adopters: Some(true),
            include_archived: false,
        };
        let db = db(ctx)?;
        practices::check_filter(db, &f).await?;
        let rows = practices::list(db, &f, order, page.after.as_ref(), page.first).await?;
        let edges = rows
            .items
            .into_iter()
            .map(|p| (order.cursor(&p), p))
            .collect();
        Ok(PracticeConnection::new(
            edges,
            rows.has_next,
            practices::filtered(&f),
        ))
    }
}

fn small(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
