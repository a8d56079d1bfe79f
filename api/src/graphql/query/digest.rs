//! A region's digest.

use async_graphql::{Context, ID, Object};

use crate::domain::digest::{self, Window};
use crate::error::Result;
use crate::graphql::scalars::Date;
use crate::graphql::types::digest::RegionDigest;
use crate::graphql::{db, limits};

/// The digest query.
#[derive(Default)]
pub struct DigestQuery;

/// The digest query.
#[Object]
impl DigestQuery {
    /// A region's digest: learning requests posted in `[from, to]` in the
    /// sectors of its practices, expressions awaiting its answer, its own
    /// pending expressions, and what falls due by `to + dueWithinDays`
    /// (agreements expiring, due for evaluation or off track; follow-ups;
    /// visits). `to` defaults to today, `from` to a week before, the
    /// look-ahead to 30 days; at most 100 rows per list. Due dates as a
    /// calendar feed: `/regions/{code}/due.ics`.
    async fn digest(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Region code.")] region_code: ID,
        #[graphql(desc = "First day of the period (default a week before `to`).")] from: Option<
            Date,
        >,
        #[graphql(desc = "Last day of the period (default today).")] to: Option<Date>,
        #[graphql(desc = "Days after `to` to look for due dates (0 to 366, default 30).")]
        due_within_days: Option<i32>,
    ) -> Result<RegionDigest> {
        let window = Window::new(
            from.map(|d| d.0),
            to.map(|d| d.0),
            due_within_days.map(i64::from),
        )?;
        Ok(RegionDigest(
            digest::digest(
                db(ctx)?,
                &region_code.0,
                window,
                limits(ctx)?.follow_up_months,
            )
            .await?,
        ))
    }
}
