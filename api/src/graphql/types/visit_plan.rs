//! Types of `planVisits`: what to plan (`VisitPlanInput`) and the
//! itinerary (`VisitPlan`: stops, days, warnings, iCalendar).

use async_graphql::{Enum, ID, InputObject, Object, SimpleObject};

use crate::domain::visit::plan::{self as visit_plan, ActivityKind, LegMode, Plan};
use crate::graphql::scalars::Date;
use crate::graphql::types::{Practice, Region, round1};

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

/// Hosts planned when `maxHosts` is not given.
pub const DEFAULT_MAX_HOSTS: i32 = 3;

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
    #[graphql(default_with = "DEFAULT_MAX_HOSTS")]
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
    /// What happens, in English words, e.g. "Kabupaten Lebak -> Kota
    /// Bandung (118 km by road)"; `leg` and `practiceTitles` hold the same
    /// facts as fields, to word them in another language.
    pub description: String,
    /// The leg travelled, for a travel block (a leg split over a night
    /// appears in two blocks).
    pub leg: Option<PlannedLeg>,
    /// Titles of the practices studied, for a study block (empty for
    /// travel).
    pub practice_titles: Vec<String>,
}

/// One leg of the route, as a travel block shows it.
#[derive(SimpleObject)]
pub struct PlannedLeg {
    /// Where the leg starts (region name).
    pub from_name: String,
    /// Where the leg ends (region name).
    pub to_name: String,
    /// Estimated distance in km, one decimal.
    pub distance_km: f64,
    /// By road or by air.
    pub travel: LegTravel,
    /// True for the way back to the visiting region.
    pub home: bool,
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
                        start: visit_plan::clock_time(a.start),
                        end: visit_plan::clock_time(a.end),
                        host: a
                            .host
                            .as_deref()
                            .and_then(|h| hosts.get(h))
                            .map(|r| Region((*r).clone())),
                        description: a.text.clone(),
                        leg: a.leg.as_ref().map(|l| PlannedLeg {
                            from_name: l.from_name.clone(),
                            to_name: l.to_name.clone(),
                            distance_km: round1(l.km),
                            travel: match l.mode {
                                LegMode::Road => LegTravel::Road,
                                LegMode::Air => LegTravel::Air,
                            },
                            home: l.home,
                        }),
                        practice_titles: a.practices.clone(),
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
        visit_plan::to_ics(&self.0)
    }
}
