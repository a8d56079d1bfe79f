//! Benchmarking visit plans: which hosts to visit for a seeker's topics
//! (from the guru finder), what to study at each with a learning objective,
//! the order of the stops that keeps travel short, a schedule per day, and
//! the plan as an iCalendar file.
//!
//! Route: a closed tour from the seeker's capital through the hosts and
//! back, built by nearest neighbour and improved by 2-opt; the tour that
//! starts from the order the hosts were found, also improved by 2-opt, is
//! the fallback, so a plan's route is never longer than visiting the hosts
//! in the order found. Consecutive hosts less than [`TRIP_SPLIT_KM`] apart
//! form one trip.
//!
//! Schedule (all times in the seeker's local time): the delegation leaves
//! at 08:00; road travel runs until 18:00 and resumes the next morning, a
//! flight that would land after 21:00 leaves the next morning; a study
//! session takes four hours and starts no later than 14:00, else the next
//! morning at 09:00. Travel by road is estimated at 50 km/h over 1.3 times
//! the great-circle distance; by air at three hours of transfers plus
//! 650 km/h. `AUTO` takes the road up to 400 km.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use entity::{PracticeStatus, outcome, practice, region};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use search::SearchEngine;
use uuid::Uuid;

use crate::domain::guru::{self, GuruQuery, GuruWeights, Suggestion};
use crate::domain::ics::{escape, line};
use crate::domain::region::query::distance_km;
use crate::error::{ApiError, Result};

/// Hosts farther apart than this start a new trip.
pub const TRIP_SPLIT_KM: f64 = 300.0;
const DAY_START: i64 = 8 * 60;
const DAY_END: i64 = 18 * 60;
const LATEST_LANDING: i64 = 21 * 60;
const STUDY_EARLIEST: i64 = 9 * 60;
const STUDY_LATEST_START: i64 = 14 * 60;
const STUDY_MINUTES: i64 = 4 * 60;
const MAX_TOPICS: usize = 5;
const MAX_HOSTS: usize = 10;
const MAX_SPAN_DAYS: i64 = 31;
const PRACTICES_PER_TOPIC: usize = 2;
/// A practice is studied for a topic when it matches at least this well
/// (relative to the topic's best match); the host's best practice always is.
const MIN_STUDY_RELEVANCE: f64 = 0.5;

/// How the delegation travels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TravelMode {
    /// Road up to 400 km, air beyond.
    #[default]
    Auto,
    Road,
    Air,
}

/// How one leg is travelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegMode {
    Road,
    Air,
}

impl LegMode {
    fn word(self) -> &'static str {
        match self {
            Self::Road => "by road",
            Self::Air => "by air",
        }
    }
}

/// What to plan.
#[derive(Clone, Debug)]
pub struct PlanInput {
    pub seeker: String,
    pub topics: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub max_hosts: usize,
    pub max_days: Option<usize>,
    pub travel_mode: TravelMode,
}

/// A practice to study at a stop.
#[derive(Clone, Debug)]
pub struct PlannedPractice {
    pub practice: practice::Model,
    pub topic: String,
    pub objective: String,
}

/// One host on the route.
#[derive(Clone, Debug)]
pub struct Stop {
    /// 1-based position on the route.
    pub order: u32,
    /// 1-based trip number.
    pub trip: u32,
    pub host: region::Model,
    /// The topics this host was chosen for.
    pub topics: Vec<String>,
    /// Best guru score of the host over its topics.
    pub score: f64,
    pub study_on: NaiveDate,
    /// Great-circle km from the previous place (home for the first stop).
    pub leg_km: f64,
    pub leg_mode: LegMode,
    pub leg_minutes: i64,
    pub practices: Vec<PlannedPractice>,
}

/// What an activity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivityKind {
    Travel,
    Study,
}

/// A block of a day.
#[derive(Clone, Debug)]
pub struct Activity {
    pub kind: ActivityKind,
    pub date: NaiveDate,
    /// Minutes after local midnight (seeker's time).
    pub start: i64,
    pub end: i64,
    /// The host studied, for a study block.
    pub host: Option<String>,
    /// The leg travelled, for a travel block (a leg split over a night
    /// gives two blocks with the same leg).
    pub leg: Option<Leg>,
    /// Titles of the practices studied, for a study block.
    pub practices: Vec<String>,
    /// The block in English words (built from the fields above).
    pub text: String,
}

/// One leg of the route, for a travel block.
#[derive(Clone, Debug, PartialEq)]
pub struct Leg {
    pub from_name: String,
    pub to_name: String,
    pub km: f64,
    pub mode: LegMode,
    /// The way back to the seeker.
    pub home: bool,
}

impl Leg {
    /// E.g. "Kabupaten Lebak -> Kota Bandung (118 km by road)".
    fn describe(&self) -> String {
        format!(
            "{} -> {} ({:.0} km {}{})",
            self.from_name,
            self.to_name,
            self.km,
            self.mode.word(),
            if self.home { ", home" } else { "" }
        )
    }
}

/// A day of the plan.
#[derive(Clone, Debug)]
pub struct Day {
    pub number: u32,
    pub date: NaiveDate,
    pub activities: Vec<Activity>,
}

/// Something the planner wants the officials to know.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    /// `HOST_NOT_AHEAD`, `NO_GURU`, `NO_EVIDENCED_PRACTICE`, `NOT_ENOUGH_DAYS`.
    pub code: &'static str,
    pub message: String,
    pub host: Option<String>,
    pub topic: Option<String>,
}

/// A benchmarking itinerary.
#[derive(Clone, Debug)]
pub struct Plan {
    pub seeker: region::Model,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Hours ahead of UTC of the times in the plan (the seeker's).
    pub utc_offset: i32,
    pub travel_mode: TravelMode,
    pub stops: Vec<Stop>,
    pub days: Vec<Day>,
    /// Home back from the last stop, km.
    pub return_km: f64,
    /// The whole closed tour, km.
    pub total_km: f64,
    /// The closed tour visiting the hosts in the order they were found, km.
    pub found_order_km: f64,
    pub warnings: Vec<Warning>,
}

impl Plan {
    /// Number of trips.
    pub fn trips(&self) -> u32 {
        self.stops.last().map_or(0, |s| s.trip)
    }
}

struct Candidate {
    host: region::Model,
    topics: Vec<String>,
    score: f64,
    practices: Vec<PlannedPractice>,
}

/// Checks the input and returns it normalized (topics trimmed, deduplicated).
pub fn check(input: &PlanInput) -> Result<Vec<String>> {
    if input.topics.is_empty() {
        return Err(ApiError::bad_input(
            "input.topics",
            "name at least one topic to learn",
        ));
    }
    if input.topics.len() > MAX_TOPICS {
        return Err(ApiError::bad_input(
            "input.topics",
            format!("a plan covers at most {MAX_TOPICS} topics"),
        ));
    }
    let mut topics = Vec::new();
    for t in &input.topics {
        let t = guru::check_topic("input.topics", t)?;
        if !topics
            .iter()
            .any(|x: &String| x.to_lowercase() == t.to_lowercase())
        {
            topics.push(t);
        }
    }
    if input.to < input.from {
        return Err(ApiError::bad_input("input.to", "to is before from"));
    }
    if (input.to - input.from).num_days() >= MAX_SPAN_DAYS {
        return Err(ApiError::bad_input(
            "input.to",
            format!("a plan spans at most {MAX_SPAN_DAYS} days"),
        ));
    }
    if !(1..=MAX_HOSTS).contains(&input.max_hosts) {
        return Err(ApiError::bad_input(
            "input.maxHosts",
            format!("maxHosts is between 1 and {MAX_HOSTS}"),
        ));
    }
    if let Some(d) = input.max_days
        && !(1..=MAX_SPAN_DAYS as usize).contains(&d)
    {
        return Err(ApiError::bad_input(
            "input.maxDays",
            format!("maxDays is between 1 and {MAX_SPAN_DAYS}"),
        ));
    }
    crate::domain::region::query::check_code("input.seeker", &input.seeker)?;
    Ok(topics)
}

/// Plans a benchmarking itinerary.
pub async fn plan(
    db: &impl ConnectionTrait,
    engine: &dyn SearchEngine,
    weights: &GuruWeights,
    input: &PlanInput,
) -> Result<Plan> {
    let topics = check(input)?;
    let seeker = crate::domain::region::query::require(db, "input.seeker", &input.seeker).await?;
    let (per_topic, mut warnings) =
        gurus_per_topic(db, engine, weights, input, &seeker, &topics).await?;
    let mut chosen = choose_hosts(&per_topic, input.max_hosts);
    warnings.extend(hosts_not_ahead(&per_topic, &chosen, &seeker));
    let outcomes = load_outcomes(db, &chosen).await?;
    for c in &mut chosen {
        for p in &mut c.practices {
            p.objective = objective(
                &seeker,
                &c.host,
                &p.practice,
                &p.topic,
                outcomes.get(&p.practice.id).map(Vec::as_slice),
            );
        }
    }

    let span = usize::try_from((input.to - input.from).num_days() + 1).unwrap_or(1);
    let days_available = input.max_days.map_or(span, |d| d.min(span));
    loop {
        let plan = route_and_schedule(&seeker, &chosen, input);
        if plan.days.len() <= days_available || chosen.is_empty() {
            let mut plan = plan;
            plan.warnings.splice(0..0, warnings);
            return Ok(plan);
        }
        // Drop the host found last and plan again.
        if let Some(c) = chosen.pop() {
            warnings.push(Warning {
                code: "NOT_ENOUGH_DAYS",
                message: format!(
                    "{} left out: the visits do not fit in {days_available} day{}",
                    c.host.name,
                    if days_available == 1 { "" } else { "s" }
                ),
                host: Some(c.host.code.clone()),
                topic: c.topics.first().cloned(),
            });
        }
    }
}

type PerTopic = Vec<(String, Vec<Suggestion>)>;

/// The gurus of every topic, with a warning for a topic nobody teaches or
/// nobody teaches with measured results.
async fn gurus_per_topic(
    db: &impl ConnectionTrait,
    engine: &dyn SearchEngine,
    weights: &GuruWeights,
    input: &PlanInput,
    seeker: &region::Model,
    topics: &[String],
) -> Result<(PerTopic, Vec<Warning>)> {
    let mut warnings = Vec::new();
    let mut per_topic: Vec<(String, Vec<Suggestion>)> = Vec::new();
    for topic in topics {
        let found = guru::find_gurus(
            db,
            engine,
            weights,
            &GuruQuery {
                seeker: seeker.code.clone(),
                topic: topic.clone(),
                first: input.max_hosts.max(3),
                ..GuruQuery::default()
            },
        )
        .await?;
        if found.is_empty() {
            warnings.push(Warning {
                code: "NO_GURU",
                message: format!("no region has a practice matching \"{topic}\""),
                host: None,
                topic: Some(topic.clone()),
            });
        } else if !found.iter().any(|s| {
            s.practices
                .iter()
                .any(|m| m.measured && m.practice.status == PracticeStatus::Active)
        }) {
            warnings.push(Warning {
                code: "NO_EVIDENCED_PRACTICE",
                message: format!(
                    "no active practice with measured outcomes matches \"{topic}\": ask the \
                     hosts for evidence of results before the visit"
                ),
                host: None,
                topic: Some(topic.clone()),
            });
        }
        per_topic.push((topic.clone(), found));
    }
    Ok((per_topic, warnings))
}

/// Hosts, round-robin over the topics by rank (so every topic gets its best
/// guru before any gets a second), at most `max_hosts`; a chosen host is
/// also studied for every other topic it teaches well.
fn choose_hosts(per_topic: &PerTopic, max_hosts: usize) -> Vec<Candidate> {
    let mut chosen: Vec<Candidate> = Vec::new();
    let depth = per_topic.iter().map(|(_, s)| s.len()).max().unwrap_or(0);
    'pick: for rank in 0..depth {
        for (topic, found) in per_topic {
            let Some(s) = found.get(rank) else { continue };
            // Only real matches are worth a trip.
            if s.practices
                .first()
                .is_none_or(|m| m.relevance < MIN_STUDY_RELEVANCE)
            {
                continue;
            }
            if let Some(c) = chosen.iter_mut().find(|c| c.host.code == s.region.code) {
                if !c.topics.contains(topic)
                    && s.practices
                        .first()
                        .is_some_and(|m| m.relevance >= MIN_STUDY_RELEVANCE)
                {
                    c.topics.push(topic.clone());
                    c.score = c.score.max(s.score);
                    add_practices(c, topic, s);
                }
                continue;
            }
            if chosen.len() == max_hosts {
                break 'pick;
            }
            let mut c = Candidate {
                host: s.region.clone(),
                topics: vec![topic.clone()],
                score: s.score,
                practices: Vec::new(),
            };
            add_practices(&mut c, topic, s);
            chosen.push(c);
        }
    }
    // A chosen host may also be a guru of another topic further down that
    // topic's list: study that topic there too.
    for c in &mut chosen {
        for (topic, found) in per_topic {
            if c.topics.contains(topic) {
                continue;
            }
            if let Some(s) = found.iter().find(|s| {
                s.region.code == c.host.code
                    && s.practices
                        .first()
                        .is_some_and(|m| m.relevance >= MIN_STUDY_RELEVANCE)
            }) {
                c.topics.push(topic.clone());
                add_practices(c, topic, s);
            }
        }
    }
    chosen
}

/// A warning for every chosen host whose index on a topic is below the
/// seeker's.
fn hosts_not_ahead(
    per_topic: &PerTopic,
    chosen: &[Candidate],
    seeker: &region::Model,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for (topic, found) in per_topic {
        for s in found {
            if s.behind_seeker && chosen.iter().any(|c| c.host.code == s.region.code) {
                let why = s
                    .reasons
                    .iter()
                    .find(|r| r.factor == guru::Factor::Indices)
                    .map(|r| r.text.clone())
                    .unwrap_or_default();
                warnings.push(Warning {
                    code: "HOST_NOT_AHEAD",
                    message: format!(
                        "{} may not be ahead of {} on \"{topic}\": {why}",
                        s.region.name, seeker.name
                    ),
                    host: Some(s.region.code.clone()),
                    topic: Some(topic.clone()),
                });
            }
        }
    }
    warnings
}

fn add_practices(c: &mut Candidate, topic: &str, s: &Suggestion) {
    for (i, m) in s.practices.iter().take(PRACTICES_PER_TOPIC).enumerate() {
        if i > 0 && m.relevance < MIN_STUDY_RELEVANCE {
            break;
        }
        if c.practices.iter().any(|p| p.practice.id == m.practice.id) {
            continue;
        }
        c.practices.push(PlannedPractice {
            practice: m.practice.clone(),
            topic: topic.to_owned(),
            objective: String::new(),
        });
    }
}

async fn load_outcomes(
    db: &impl ConnectionTrait,
    chosen: &[Candidate],
) -> Result<HashMap<Uuid, Vec<outcome::Model>>> {
    let ids: Vec<Uuid> = chosen
        .iter()
        .flat_map(|c| c.practices.iter().map(|p| p.practice.id))
        .collect();
    let mut out: HashMap<Uuid, Vec<outcome::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for o in outcome::Entity::find()
        .filter(outcome::Column::PracticeId.is_in(ids))
        .all(db)
        .await?
    {
        out.entry(o.practice_id).or_default().push(o);
    }
    Ok(out)
}

/// The learning objective of studying `p` at `host`.
pub fn objective(
    seeker: &region::Model,
    host: &region::Model,
    p: &practice::Model,
    topic: &str,
    outcomes: Option<&[outcome::Model]>,
) -> String {
    let evidence = outcomes
        .and_then(|os| os.iter().find(|o| o.achieved_value.is_some()))
        .map(|o| {
            format!(
                "check how the result was measured ({})",
                guru::outcome_text(o)
            )
        })
        .unwrap_or_else(|| "ask for measured results (none are recorded yet)".to_owned());
    format!(
        "{topic}: learn how {} runs \"{}\" (who runs it, what it costs, how it started), {evidence}, \
         and agree the next step to adopt it in {}",
        host.name, p.title, seeker.name
    )
}

fn coords(r: &region::Model) -> (f64, f64) {
    (r.latitude.unwrap_or(0.0), r.longitude.unwrap_or(0.0))
}

/// Length of the closed tour `0 -> order... -> 0` over the matrix `d`.
pub fn tour_length(d: &[Vec<f64>], order: &[usize]) -> f64 {
    let mut prev = 0;
    let mut len = 0.0;
    for &i in order {
        len += d[prev][i];
        prev = i;
    }
    len + d[prev][0]
}

/// Nearest-neighbour order from place 0 over places `1..n`.
pub fn nearest_neighbour(d: &[Vec<f64>]) -> Vec<usize> {
    let n = d.len();
    let mut left: Vec<usize> = (1..n).collect();
    let mut order = Vec::with_capacity(n.saturating_sub(1));
    let mut at = 0;
    while !left.is_empty() {
        let (k, _) = left
            .iter()
            .enumerate()
            .min_by(|a, b| d[at][*a.1].total_cmp(&d[at][*b.1]))
            .unwrap_or((0, &0));
        at = left.remove(k);
        order.push(at);
    }
    order
}

/// Improves a closed tour from place 0 by 2-opt moves until none shortens it.
pub fn two_opt(d: &[Vec<f64>], order: &[usize]) -> Vec<usize> {
    let mut seq: Vec<usize> = std::iter::once(0)
        .chain(order.iter().copied())
        .chain(std::iter::once(0))
        .collect();
    let n = order.len();
    let mut improved = true;
    while improved {
        improved = false;
        for i in 1..n {
            for j in (i + 1)..=n {
                let delta = d[seq[i - 1]][seq[j]] + d[seq[i]][seq[j + 1]]
                    - d[seq[i - 1]][seq[i]]
                    - d[seq[j]][seq[j + 1]];
                if delta < -1e-9 {
                    seq[i..=j].reverse();
                    improved = true;
                }
            }
        }
    }
    seq[1..=n].to_vec()
}

fn leg(mode: TravelMode, km: f64) -> (LegMode, i64) {
    let m = match mode {
        TravelMode::Road => LegMode::Road,
        TravelMode::Air => LegMode::Air,
        TravelMode::Auto if km <= 400.0 => LegMode::Road,
        TravelMode::Auto => LegMode::Air,
    };
    let hours = match m {
        LegMode::Road => km * 1.3 / 50.0,
        LegMode::Air => 3.0 + km / 650.0,
    };
    (m, (hours * 60.0).round() as i64)
}

struct Clock {
    day: i64,
    t: i64,
    activities: Vec<(i64, Activity)>,
    from: NaiveDate,
}

impl Clock {
    fn date(&self, day: i64) -> NaiveDate {
        self.from + Duration::days(day)
    }

    /// Travels `minutes`: by road until 18:00, going on the next morning;
    /// a flight is never split: it leaves the next morning when it would
    /// land after 21:00.
    fn travel(&mut self, minutes: i64, leg: &Leg) {
        let text = leg.describe();
        if leg.mode == LegMode::Air {
            if self.t + minutes > LATEST_LANDING && minutes <= LATEST_LANDING - DAY_START {
                self.day += 1;
                self.t = DAY_START;
            }
            let a = Activity {
                kind: ActivityKind::Travel,
                date: self.date(self.day),
                start: self.t,
                end: self.t + minutes,
                host: None,
                leg: Some(leg.clone()),
                practices: Vec::new(),
                text,
            };
            self.activities.push((self.day, a));
            self.t += minutes;
            return;
        }
        let mut left = minutes.max(1);
        while left > 0 {
            if self.t >= DAY_END {
                self.day += 1;
                self.t = DAY_START;
            }
            let chunk = left.min(DAY_END - self.t);
            let a = Activity {
                kind: ActivityKind::Travel,
                date: self.date(self.day),
                start: self.t,
                end: self.t + chunk,
                host: None,
                leg: Some(leg.clone()),
                practices: Vec::new(),
                text: text.clone(),
            };
            self.activities.push((self.day, a));
            self.t += chunk;
            left -= chunk;
        }
    }

    fn study(&mut self, host: &str, practices: Vec<String>, text: String) -> NaiveDate {
        if self.t > STUDY_LATEST_START {
            self.day += 1;
            self.t = STUDY_EARLIEST;
        }
        self.t = self.t.max(STUDY_EARLIEST);
        let date = self.date(self.day);
        self.activities.push((
            self.day,
            Activity {
                kind: ActivityKind::Study,
                date,
                start: self.t,
                end: self.t + STUDY_MINUTES,
                host: Some(host.to_owned()),
                leg: None,
                practices,
                text,
            },
        ));
        self.t += STUDY_MINUTES;
        date
    }
}

fn route_and_schedule(seeker: &region::Model, chosen: &[Candidate], input: &PlanInput) -> Plan {
    let places: Vec<(f64, f64)> = std::iter::once(coords(seeker))
        .chain(chosen.iter().map(|c| coords(&c.host)))
        .collect();
    let d: Vec<Vec<f64>> = places
        .iter()
        .map(|a| places.iter().map(|b| distance_km(*a, *b)).collect())
        .collect();
    let found: Vec<usize> = (1..places.len()).collect();
    let a = two_opt(&d, &nearest_neighbour(&d));
    let b = two_opt(&d, &found);
    let order = if tour_length(&d, &a) <= tour_length(&d, &b) {
        a
    } else {
        b
    };

    let mut clock = Clock {
        day: 0,
        t: DAY_START,
        activities: Vec::new(),
        from: input.from,
    };
    let mut stops = Vec::new();
    let mut prev = 0;
    let mut trip = 1;
    for (k, &i) in order.iter().enumerate() {
        let c = &chosen[i - 1];
        let km = d[prev][i];
        if k > 0 && km > TRIP_SPLIT_KM {
            trip += 1;
        }
        let (mode, minutes) = leg(input.travel_mode, km);
        let from_name = if prev == 0 {
            seeker.name.as_str()
        } else {
            chosen[prev - 1].host.name.as_str()
        };
        clock.travel(
            minutes,
            &Leg {
                from_name: from_name.to_owned(),
                to_name: c.host.name.clone(),
                km,
                mode,
                home: false,
            },
        );
        let titles: Vec<String> = c
            .practices
            .iter()
            .map(|p| p.practice.title.clone())
            .collect();
        let text = format!("Study at {}: {}", c.host.name, titles.join("; "));
        let study_on = clock.study(&c.host.code, titles, text);
        stops.push(Stop {
            order: u32::try_from(k + 1).unwrap_or(u32::MAX),
            trip,
            host: c.host.clone(),
            topics: c.topics.clone(),
            score: c.score,
            study_on,
            leg_km: km,
            leg_mode: mode,
            leg_minutes: minutes,
            practices: c.practices.clone(),
        });
        prev = i;
    }
    let return_km = if order.is_empty() { 0.0 } else { d[prev][0] };
    if !order.is_empty() {
        let (mode, minutes) = leg(input.travel_mode, return_km);
        clock.travel(
            minutes,
            &Leg {
                from_name: chosen[prev - 1].host.name.clone(),
                to_name: seeker.name.clone(),
                km: return_km,
                mode,
                home: true,
            },
        );
    }
    let mut days: Vec<Day> = Vec::new();
    for (day, a) in clock.activities {
        let number = u32::try_from(day + 1).unwrap_or(u32::MAX);
        match days.last_mut() {
            Some(d) if d.number == number => d.activities.push(a),
            _ => days.push(Day {
                number,
                date: a.date,
                activities: vec![a],
            }),
        }
    }
    Plan {
        seeker: seeker.clone(),
        from: input.from,
        to: input.to,
        utc_offset: seeker.utc_offset.unwrap_or(7),
        travel_mode: input.travel_mode,
        total_km: tour_length(&d, &order),
        found_order_km: tour_length(&d, &found),
        return_km,
        stops,
        days,
        warnings: Vec::new(),
    }
}

/// `HH:MM` of minutes after midnight.
pub fn clock_time(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn utc_stamp(date: NaiveDate, minutes: i64, utc_offset: i32) -> String {
    let local = date.and_time(NaiveTime::MIN) + Duration::minutes(minutes);
    let utc = local - Duration::hours(i64::from(utc_offset));
    utc.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The plan as an iCalendar (RFC 5545) file: one event per study session
/// and per travel block, in UTC.
pub fn to_ics(plan: &Plan) -> String {
    let mut out = String::new();
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Berguru//Benchmarking visit plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        line(&mut out, l);
    }
    line(
        &mut out,
        &format!(
            "X-WR-CALNAME:{}",
            escape(&format!("Benchmarking visits of {}", plan.seeker.name))
        ),
    );
    let hosts: HashMap<&str, &Stop> = plan
        .stops
        .iter()
        .map(|s| (s.host.code.as_str(), s))
        .collect();
    let mut n = 0;
    for day in &plan.days {
        for a in &day.activities {
            n += 1;
            line(&mut out, "BEGIN:VEVENT");
            line(
                &mut out,
                &format!(
                    "UID:berguru-{}-{}-{n}@berguru",
                    plan.seeker.code.replace('.', "-"),
                    plan.from.format("%Y%m%d")
                ),
            );
            line(&mut out, &format!("DTSTAMP:{stamp}"));
            line(
                &mut out,
                &format!("DTSTART:{}", utc_stamp(a.date, a.start, plan.utc_offset)),
            );
            line(
                &mut out,
                &format!("DTEND:{}", utc_stamp(a.date, a.end, plan.utc_offset)),
            );
            let stop = a.host.as_deref().and_then(|h| hosts.get(h));
            match (a.kind, stop) {
                (ActivityKind::Study, Some(s)) => {
                    line(
                        &mut out,
                        &format!(
                            "SUMMARY:{}",
                            escape(&format!("Benchmarking visit: {}", s.host.name))
                        ),
                    );
                    let place = match &s.host.capital {
                        Some(c) => format!("{c}, {}", s.host.name),
                        None => s.host.name.clone(),
                    };
                    line(&mut out, &format!("LOCATION:{}", escape(&place)));
                    if let (Some(lat), Some(lon)) = (s.host.latitude, s.host.longitude) {
                        line(&mut out, &format!("GEO:{lat:.6};{lon:.6}"));
                    }
                    let mut desc = String::new();
                    for p in &s.practices {
                        let _ = writeln!(desc, "- {}", p.objective);
                    }
                    line(
                        &mut out,
                        &format!("DESCRIPTION:{}", escape(desc.trim_end())),
                    );
                }
                _ => {
                    line(
                        &mut out,
                        &format!("SUMMARY:{}", escape(&format!("Travel: {}", a.text))),
                    );
                    line(&mut out, "TRANSP:TRANSPARENT");
                }
            }
            line(&mut out, "END:VEVENT");
        }
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(points: &[(f64, f64)]) -> Vec<Vec<f64>> {
        points
            .iter()
            .map(|a| points.iter().map(|b| distance_km(*a, *b)).collect())
            .collect()
    }

    #[test]
    fn two_opt_never_lengthens_and_uncrosses() {
        // A square visited crosswise: 2-opt must uncross it.
        let d = matrix(&[(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]);
        let crossed = vec![3, 1, 2];
        let better = two_opt(&d, &crossed);
        assert!(tour_length(&d, &better) < tour_length(&d, &crossed) - 1.0);
        // Pseudo-random points: never longer than the start, a permutation.
        let mut x: u64 = 42;
        let mut pts = vec![(-6.0, 106.0)];
        for _ in 0..9 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let a = (x >> 33) as f64 / f64::from(u32::MAX >> 1);
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let b = (x >> 33) as f64 / f64::from(u32::MAX >> 1);
            pts.push((-8.0 + 4.0 * a, 104.0 + 10.0 * b));
        }
        let d = matrix(&pts);
        let start: Vec<usize> = (1..pts.len()).collect();
        let opt = two_opt(&d, &start);
        assert!(tour_length(&d, &opt) <= tour_length(&d, &start) + 1e-9);
        let mut sorted = opt.clone();
        sorted.sort();
        assert_eq!(sorted, start);
        let nn = nearest_neighbour(&d);
        assert!(tour_length(&d, &two_opt(&d, &nn)) <= tour_length(&d, &nn) + 1e-9);
    }

    #[test]
    fn ics_lines_are_escaped_and_folded() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        let long = format!("DESCRIPTION:{}", "é".repeat(60));
        line(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), long);
        assert_eq!(
            utc_stamp(
                NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
                9 * 60,
                7
            ),
            "20261201T020000Z"
        );
    }

    #[test]
    fn travel_splits_over_nights() {
        let mut c = Clock {
            day: 0,
            t: DAY_START,
            activities: Vec::new(),
            from: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
        };
        let leg = |mode| Leg {
            from_name: "A".into(),
            to_name: "B".into(),
            km: 1.0,
            mode,
            home: false,
        };
        c.travel(12 * 60, &leg(LegMode::Road));
        assert_eq!(c.day, 1);
        assert_eq!(c.t, DAY_START + 2 * 60);
        let d = c.study("32.11", Vec::new(), "x".into());
        assert_eq!(d, NaiveDate::from_ymd_opt(2026, 12, 2).expect("date"));
        assert_eq!(clock_time(c.t), "14:00");
        // A flight is not split over a night: it leaves the next morning.
        c.travel(8 * 60, &leg(LegMode::Air));
        assert_eq!(c.day, 2);
        assert_eq!(clock_time(c.t), "16:00");
    }
}
