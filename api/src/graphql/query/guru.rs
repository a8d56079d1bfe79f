//! The guru finder and what officials plan with it: `findGurus`,
//! `similarRegions`, `planVisits`, and the coordinator views
//! `cooperationStats`, `adoptionFunnel` and `practicesLookingForAdopters`.
//! The logic lives in `domain::{guru, visit_plan, cooperation}`; these
//! resolvers check input and shape the answer. Their types are in
//! `types::{guru, visit_plan, cooperation}`.

use async_graphql::{Context, ID, Object};
use chrono::Utc;

use crate::domain::agreement::cooperation;
use crate::domain::guru::{self, GuruQuery, GuruWeights};
use crate::domain::parse_id;
use crate::domain::practice::query as practices;
use crate::domain::visit::plan as visit_plan;
use crate::error::{ApiError, Result};
use crate::graphql::connection::PracticeConnection;
use crate::graphql::db;
use crate::graphql::enums::RegionKind;
use crate::graphql::query::practice::{PracticeFilter, PracticeOrderBy, practice_connection};
use crate::graphql::scalars::Date;
use crate::graphql::types::cooperation::{AdoptionFunnel, AdoptionFunnelStage, CooperationStats};
use crate::graphql::types::guru::{
    GuruFilter, GuruPractice, GuruReason, GuruSuggestion, LikenessPart, SimilarRegion,
};
use crate::graphql::types::visit_plan::{TravelMode, VisitPlan, VisitPlanInput};
use crate::graphql::types::{Practice, Region, round1};
use crate::search_sync::Engine;

/// Most suggestions `findGurus` returns.
const MAX_GURUS: i32 = 50;
/// Most regions `similarRegions` returns.
const MAX_SIMILAR: i32 = 100;

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
pub fn plan_input(i: VisitPlanInput) -> Result<visit_plan::PlanInput> {
    Ok(visit_plan::PlanInput {
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
            TravelMode::Auto => visit_plan::TravelMode::Auto,
            TravelMode::Road => visit_plan::TravelMode::Road,
            TravelMode::Air => visit_plan::TravelMode::Air,
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
        #[graphql(
            desc = "The region looking for a guru (code, e.g. \"36.02\"); required unless `fromRequest` is given."
        )]
        seeker: Option<ID>,
        #[graphql(
            desc = "What it wants to learn, e.g. \"e-office\" (typos and synonyms work); required unless `fromRequest` is given."
        )]
        topic: Option<String>,
        #[graphql(
            desc = "A learning request (id) whose region is the seeker and whose topic is the topic; give it instead of `seeker` and `topic`."
        )]
        from_request: Option<ID>,
        filter: Option<GuruFilter>,
        #[graphql(desc = "How many suggestions (default 5, at most 50).")] first: Option<i32>,
    ) -> Result<Vec<GuruSuggestion>> {
        let first = bounded("first", first, 5, MAX_GURUS)?;
        let f = filter.unwrap_or_default();
        let (seeker, topic) = match (from_request, seeker, topic) {
            (Some(r), None, None) => {
                let id = parse_id("fromRequest", &r)?;
                guru::seeker_of_request(db(ctx)?, "fromRequest", id).await?
            }
            (Some(_), _, _) => {
                return Err(ApiError::bad_input(
                    "fromRequest",
                    "give either fromRequest or seeker and topic, not both",
                ));
            }
            (None, Some(s), Some(t)) => (s.0, t),
            (None, None, _) => {
                return Err(ApiError::bad_input(
                    "seeker",
                    "name the seeker (a region code) or give fromRequest",
                ));
            }
            (None, Some(_), None) => {
                return Err(ApiError::bad_input(
                    "topic",
                    "name what you want to learn or give fromRequest",
                ));
            }
        };
        let q = GuruQuery {
            seeker,
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
                        adopters_reporting_results: small(m.adopters_reporting_results),
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
            visit_plan::plan(db(ctx)?, engine(ctx)?.as_ref(), &weights(ctx), &input).await?,
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
        #[graphql(desc = "Which practices to list.")] filter: Option<PracticeFilter>,
        #[graphql(desc = "Ordering; title by default.", default)] order_by: PracticeOrderBy,
        #[graphql(desc = "Page size (at most the configured maximum, 100 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> Result<PracticeConnection> {
        practice_connection(ctx, filter, order_by, first, after, |f| {
            practices::PracticeFilter {
                status: Some(entity::PracticeStatus::Active),
                looking_for_adopters: Some(true),
                include_archived: false,
                ..f
            }
        })
        .await
    }
}

fn small(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
