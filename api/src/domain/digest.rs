//! A region's digest: what happened in its cooperation over a period and
//! what falls due soon, on one page (GraphQL `digest`) and as an
//! iCalendar feed of due dates (`/regions/{code}/due.ics`).
//!
//! - **News** in `[from, to]`: learning requests other regions posted in
//!   the sectors of the region's own practices (what it could teach);
//!   expressions of interest answering the region's requests that await
//!   its answer; the region's own expressions still pending.
//! - **Due** by `to + due_within_days`: agreements it is party to that
//!   expire (term ending from `from` on), are due for an evaluation or are
//!   off track on `to`; its adoptions due for a follow-up (a province's:
//!   also its regencies' and cities'); benchmarking visits it makes or
//!   hosts starting in the window.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate, Utc};
use entity::{
    ExpressionStatus, LearningRequestStatus, agreement, agreement_party, expression_of_interest,
    learning_request, learning_request_sector, practice, practice_sector, visit,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::domain::adoption::follow_up;
use crate::domain::agreement::{achievement, query as agreements};
use crate::error::{ApiError, Result};

/// Longest period a digest covers (days).
pub const MAX_PERIOD_DAYS: i64 = 366;
/// Longest look-ahead for due dates (days).
pub const MAX_DUE_WITHIN_DAYS: i64 = 366;
/// Most rows of each list.
pub const MAX_ROWS: usize = 100;

/// The window a digest covers.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Due dates up to `to + due_within_days`.
    pub due_within_days: i64,
}

impl Window {
    /// The window asked for: `to` defaults to today, `from` to a week
    /// before `to`, the look-ahead to 30 days.
    pub fn new(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        due_within_days: Option<i64>,
    ) -> Result<Self> {
        let to = to.unwrap_or_else(|| Utc::now().date_naive());
        let from = from.unwrap_or(to - Duration::days(7));
        if from > to {
            return Err(ApiError::bad_input(
                "from",
                "the period starts after it ends",
            ));
        }
        if (to - from).num_days() > MAX_PERIOD_DAYS {
            return Err(ApiError::bad_input(
                "from",
                format!("a digest covers at most {MAX_PERIOD_DAYS} days"),
            ));
        }
        let due_within_days = due_within_days.unwrap_or(30);
        if !(0..=MAX_DUE_WITHIN_DAYS).contains(&due_within_days) {
            return Err(ApiError::bad_input(
                "dueWithinDays",
                format!("must be between 0 and {MAX_DUE_WITHIN_DAYS}"),
            ));
        }
        Ok(Self {
            from,
            to,
            due_within_days,
        })
    }

    /// The last day due dates are looked for.
    pub fn due_by(&self) -> NaiveDate {
        self.to + Duration::days(self.due_within_days)
    }
}

/// What a region's digest holds.
#[derive(Clone, Debug)]
pub struct Digest {
    pub region: String,
    pub window: Window,
    pub new_requests: Vec<learning_request::Model>,
    pub awaiting_answer: Vec<expression_of_interest::Model>,
    pub own_pending: Vec<expression_of_interest::Model>,
    pub agreements_expiring: Vec<agreement::Model>,
    pub agreements_due_for_evaluation: Vec<agreement::Model>,
    pub agreements_off_track: Vec<agreement::Model>,
    pub follow_ups_due: Vec<follow_up::Due>,
    pub visits: Vec<visit::Model>,
    /// Names of the regions the visits involve, by code.
    pub region_names: std::collections::HashMap<String, String>,
}

fn day_start(d: NaiveDate) -> chrono::DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// The digest of region `code` over `window`.
pub async fn digest(
    db: &impl ConnectionTrait,
    code: &str,
    window: Window,
    follow_up_months: u32,
) -> Result<Digest> {
    crate::domain::region::query::require(db, "regionCode", code).await?;
    let posted_from = day_start(window.from);
    let posted_until = day_start(window.to + Duration::days(1));

    // Requests of others in the sectors of the region's own practices.
    let own_practices: Vec<Uuid> = practice::Entity::find()
        .filter(practice::Column::OwnerRegionCode.eq(code))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let sectors: std::collections::HashSet<entity::Sector> = if own_practices.is_empty() {
        Default::default()
    } else {
        practice_sector::Entity::find()
            .filter(practice_sector::Column::PracticeId.is_in(own_practices))
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.sector)
            .collect()
    };
    let new_requests = if sectors.is_empty() {
        Vec::new()
    } else {
        let ids: BTreeSet<Uuid> = learning_request_sector::Entity::find()
            .filter(learning_request_sector::Column::Sector.is_in(sectors))
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.learning_request_id)
            .collect();
        learning_request::Entity::find()
            .filter(learning_request::Column::Id.is_in(ids))
            .filter(learning_request::Column::RegionCode.ne(code))
            .filter(learning_request::Column::Status.eq(LearningRequestStatus::Open))
            .filter(learning_request::Column::CreatedAt.gte(posted_from))
            .filter(learning_request::Column::CreatedAt.lt(posted_until))
            .order_by_desc(learning_request::Column::CreatedAt)
            .order_by_desc(learning_request::Column::Id)
            .limit(MAX_ROWS as u64)
            .all(db)
            .await?
    };

    // Expressions waiting for the region's answer, and its own pending.
    let own_requests: Vec<Uuid> = learning_request::Entity::find()
        .filter(learning_request::Column::RegionCode.eq(code))
        .filter(learning_request::Column::Status.eq(LearningRequestStatus::Open))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let awaiting_answer = if own_requests.is_empty() {
        Vec::new()
    } else {
        expression_of_interest::Entity::find()
            .filter(expression_of_interest::Column::LearningRequestId.is_in(own_requests))
            .filter(expression_of_interest::Column::Status.eq(ExpressionStatus::Pending))
            .order_by_asc(expression_of_interest::Column::CreatedAt)
            .order_by_asc(expression_of_interest::Column::Id)
            .limit(MAX_ROWS as u64)
            .all(db)
            .await?
    };
    let own_pending = expression_of_interest::Entity::find()
        .filter(expression_of_interest::Column::RegionCode.eq(code))
        .filter(expression_of_interest::Column::Status.eq(ExpressionStatus::Pending))
        .order_by_asc(expression_of_interest::Column::CreatedAt)
        .order_by_asc(expression_of_interest::Column::Id)
        .limit(MAX_ROWS as u64)
        .all(db)
        .await?;

    // The region's agreements: expiring, due for evaluation, off track.
    let parties: Vec<Uuid> = agreement_party::Entity::find()
        .filter(agreement_party::Column::RegionCode.eq(code))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.agreement_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let due_by = window.due_by();
    let (agreements_expiring, agreements_due_for_evaluation) = if parties.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            agreements::expiring(
                db,
                Some(window.from),
                due_by + Duration::days(1),
                Some(parties.clone()),
                Some(MAX_ROWS as u64),
            )
            .await?,
            agreements::due_for_evaluation(db, window.to, Some(parties), Some(MAX_ROWS as u64))
                .await?,
        )
    };
    let agreements_off_track = achievement::off_track(db, Some(code), window.to, MAX_ROWS)
        .await?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    let follow_ups_due =
        follow_up::due_for_follow_up(db, code, due_by, follow_up_months, MAX_ROWS).await?;
    let visits = visit::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(visit::Column::VisitorRegionCode.eq(code))
                .add(visit::Column::HostRegionCode.eq(code)),
        )
        .filter(visit::Column::StartsOn.gte(window.from))
        .filter(visit::Column::StartsOn.lte(due_by))
        .order_by_asc(visit::Column::StartsOn)
        .order_by_asc(visit::Column::Id)
        .limit(MAX_ROWS as u64)
        .all(db)
        .await?;
    let codes: BTreeSet<String> = visits
        .iter()
        .flat_map(|v| [v.visitor_region_code.clone(), v.host_region_code.clone()])
        .collect();
    let region_names = if codes.is_empty() {
        Default::default()
    } else {
        entity::region::Entity::find()
            .filter(entity::region::Column::Code.is_in(codes))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.code, r.name))
            .collect()
    };
    Ok(Digest {
        region: code.to_owned(),
        window,
        new_requests,
        awaiting_answer,
        own_pending,
        agreements_expiring,
        agreements_due_for_evaluation,
        agreements_off_track,
        follow_ups_due,
        visits,
        region_names,
    })
}

/// The digest's due dates as an iCalendar (RFC 5545) file of all-day
/// events: agreements' term ends, follow-ups due, visits (first to last
/// day). Each event's UID is stable (kind and object id), so a calendar
/// that subscribes to the feed updates events instead of duplicating them.
pub fn to_ics(d: &Digest, region_name: &str) -> String {
    use crate::domain::ics::{escape, line};
    let mut out = String::new();
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Berguru//Cooperation due dates//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        line(&mut out, l);
    }
    line(
        &mut out,
        &format!(
            "X-WR-CALNAME:{}",
            escape(&format!("Berguru: due dates of {region_name}"))
        ),
    );
    let day = |d: NaiveDate| d.format("%Y%m%d").to_string();
    let mut event = |uid: String, start: NaiveDate, end: NaiveDate, summary: String| {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{uid}@berguru"));
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(&mut out, &format!("DTSTART;VALUE=DATE:{}", day(start)));
        // DTEND of an all-day event is the day after the last.
        line(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", day(end + Duration::days(1))),
        );
        line(&mut out, &format!("SUMMARY:{}", escape(&summary)));
        line(&mut out, "END:VEVENT");
    };
    for a in &d.agreements_expiring {
        if let Some(until) = a.valid_until {
            event(
                format!("agreement-ends-{}", a.id),
                until,
                until,
                format!("Agreement ends: {}", a.title),
            );
        }
    }
    for f in &d.follow_ups_due {
        event(
            format!("follow-up-{}-{}", f.adoption.id, day(f.next)),
            f.next,
            f.next,
            "Adoption follow-up due: does the practice still run?".to_owned(),
        );
    }
    let name = |code: &String| d.region_names.get(code).unwrap_or(code).clone();
    for v in &d.visits {
        let summary = if v.visitor_region_code == d.region {
            format!("Benchmarking visit to {}", name(&v.host_region_code))
        } else {
            format!("Benchmarking visit from {}", name(&v.visitor_region_code))
        };
        event(format!("visit-{}", v.id), v.starts_on, v.ends_on, summary);
    }
    line(&mut out, "END:VCALENDAR");
    out
}
