//! The guru score: weighted factors, each reported as a reason.

use std::collections::{HashMap, HashSet};

use entity::{AdoptionStage, PracticeStatus, Sector, region, region_index};

use super::MatchedPractice;
use super::evidence::{Evidence, IndexKind, latest, transfer_factor};
use super::likeness::Likeness;
use super::text::{outcome_text, plural};
use super::weights::GuruWeights;

/// Kilometres over which the distance factor falls to 1/e.
const DISTANCE_SCALE_KM: f64 = 700.0;

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

/// Everything a guru region is scored on.
pub(super) struct Candidate<'a> {
    pub seeker: &'a region::Model,
    pub guru: &'a region::Model,
    /// Its matching practices, best match first (never empty when scored).
    pub matched: &'a [MatchedPractice],
    pub like: &'a Likeness,
    pub distance: Option<f64>,
    /// The evidence of every candidate practice and the regions it names.
    pub evidence: &'a Evidence,
    pub regions: &'a HashMap<String, region::Model>,
    pub seeker_indices: Option<&'a Vec<region_index::Model>>,
    pub guru_indices: Option<&'a Vec<region_index::Model>>,
    pub sectors: &'a HashSet<Sector>,
}

/// A guru's score with its reasons.
pub(super) struct Scored {
    /// In `[0, 1]`: the contributions of the reasons add up to it.
    pub score: f64,
    /// Best contribution first; an index flag, if any, last.
    pub reasons: Vec<Reason>,
    /// The guru's index on the topic is below the seeker's.
    pub behind_seeker: bool,
}

/// Scores `c` with weights `w`: relevance, and every other factor scaled by
/// it (proof of practices that match half the topic counts half).
pub(super) fn score(w: &GuruWeights, c: &Candidate<'_>) -> Scored {
    let Some(top) = c.matched.first() else {
        return Scored {
            score: 0.0,
            reasons: Vec::new(),
            behind_seeker: false,
        };
    };
    let rel = top.relevance;
    let total = w.sum();
    let gated = total / rel.max(f64::MIN_POSITIVE);
    let mut reasons = vec![
        relevance_reason(c.matched, rel, w.relevance / total),
        evidence_reason(c, top, w.evidence / gated),
        transfers_reason(c, w.transfers / gated),
        Reason {
            factor: Factor::Likeness,
            contribution: w.likeness * c.like.value / gated,
            text: c.like.describe(c.seeker, c.guru),
        },
        distance_reason(c.distance, w.distance / gated),
    ];
    reasons.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    let score: f64 = reasons.iter().map(|r| r.contribution).sum();
    let flag = indices_flag(c);
    let behind_seeker = flag.as_ref().is_some_and(|(behind, _)| *behind);
    reasons.extend(flag.map(|(_, r)| r));
    Scored {
        score,
        reasons,
        behind_seeker,
    }
}

/// How well the practices match the topic (`weight` per unit of relevance).
fn relevance_reason(matched: &[MatchedPractice], rel: f64, weight: f64) -> Reason {
    let titles: Vec<&str> = matched
        .iter()
        .take(3)
        .map(|m| m.practice.title.as_str())
        .collect();
    Reason {
        factor: Factor::Relevance,
        contribution: weight * rel,
        text: format!(
            "{} matching practice{}: {} (topic match {:.0}% of the best; the other factors count in this proportion)",
            matched.len(),
            plural(matched.len()),
            titles.join("; "),
            rel * 100.0
        ),
    }
}

/// The best-evidenced matching practice: its measured outcome, status and
/// last verification.
fn evidence_reason(c: &Candidate<'_>, top: &MatchedPractice, weight: f64) -> Reason {
    let best = c
        .matched
        .iter()
        .max_by(|a, b| a.evidence.total_cmp(&b.evidence))
        .unwrap_or(top);
    let mut parts = Vec::new();
    match c
        .evidence
        .outcomes
        .get(&best.practice.id)
        .and_then(|os| os.iter().find(|o| o.achieved_value.is_some()))
    {
        Some(o) => parts.push(outcome_text(o)),
        None => parts.push("no measured outcome recorded".to_owned()),
    }
    parts.push(
        if best.practice.status == PracticeStatus::Active {
            "active"
        } else {
            "stopped"
        }
        .to_owned(),
    );
    parts.push(match best.practice.last_verified_on {
        Some(d) => format!("last verified {d}"),
        None => "never verified".to_owned(),
    });
    Reason {
        factor: Factor::Evidence,
        contribution: weight * best.evidence,
        text: format!("{}: {}", best.practice.title, parts.join(", ")),
    }
}

/// Transfers over all matching practices: adoptions, signed agreements,
/// visits hosted, and who adopted.
fn transfers_reason(c: &Candidate<'_>, weight: f64) -> Reason {
    let matched = c.matched;
    let completed: u32 = matched.iter().map(|m| m.completed_adoptions).sum();
    let under_way: u32 = matched.iter().map(|m| m.adoptions_under_way).sum();
    let agreements: u32 = matched.iter().map(|m| m.agreements).sum();
    let visits: u32 = matched.iter().map(|m| m.visits).sum();
    let reporting: u32 = matched.iter().map(|m| m.adopters_reporting_results).sum();
    let mut adopters: Vec<String> = matched
        .iter()
        .flat_map(|m| {
            c.evidence
                .adoptions
                .get(&m.practice.id)
                .into_iter()
                .flatten()
        })
        .filter(|a| a.stage != AdoptionStage::Stopped)
        .filter_map(|a| c.regions.get(&a.region_code).map(|r| r.name.clone()))
        .collect();
    adopters.sort();
    adopters.dedup();
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
    if reporting > 0 {
        t[0].push_str(&format!(
            "; {reporting} report{} measured results",
            if reporting == 1 { "s" } else { "" }
        ));
    }
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
    Reason {
        factor: Factor::Transfers,
        contribution: weight * transfer_factor(completed, under_way, agreements, visits, reporting),
        text,
    }
}

/// Nearer is better, decaying over [`DISTANCE_SCALE_KM`].
fn distance_reason(distance: Option<f64>, weight: f64) -> Reason {
    let (df, text) = match distance {
        Some(d) => (
            (-d / DISTANCE_SCALE_KM).exp(),
            format!("{:.0} km away (between the capitals, as the crow flies)", d),
        ),
        None => (0.0, "distance unknown (no coordinates)".to_owned()),
    };
    Reason {
        factor: Factor::Distance,
        contribution: weight * df,
        text,
    }
}

/// The index on the topic compared with the seeker's: flagged, not
/// weighted. `Some((behind, reason))` when both have a value.
fn indices_flag(c: &Candidate<'_>) -> Option<(bool, Reason)> {
    let kind = IndexKind::for_sectors(c.sectors);
    let ((g, gy), (s, sy)) = latest(c.guru_indices, kind).zip(latest(c.seeker_indices, kind))?;
    let behind = g < s;
    let name = &c.guru.name;
    let text = if behind {
        format!(
            "check first: {name}'s {} {g} ({gy}) is below yours, {s} ({sy})",
            kind.name()
        )
    } else {
        format!(
            "{name}'s {} {g} ({gy}) is at or above yours, {s} ({sy})",
            kind.name()
        )
    };
    Some((
        behind,
        Reason {
            factor: Factor::Indices,
            contribution: 0.0,
            text,
        },
    ))
}
