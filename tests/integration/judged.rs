//! The judged set: real practices (`tests/fixtures/judged/practices.csv`,
//! each with its source in `links`) plus the demo data, and graded queries
//! (`tests/fixtures/judged/queries.tsv`). Every query is run through
//! `searchPractices`; NDCG@10 and MRR are printed per kind and overall, per
//! split (`tune`: the half the vocabulary was tuned on; `holdout`: the
//! other), per engine. One line:
//!
//! ```text
//! cargo test -p tests --test integration judged -- --nocapture
//! ```
//!
//! `JUDGED_VERBOSE=1` also prints every query with its figures and top
//! three.
//!
//! The issue's targets are NDCG@10 >= 0.85 and MRR >= 0.85 overall, no kind
//! below 0.70. The assertions hold the embedded engine to the targets where
//! they are met and otherwise to floors just below the measured figures
//! ([`FLOORS`]), so a regression fails and the gap stays visible.

use std::collections::BTreeMap;

use tests::{SearchBackend, search_scenario};

use super::*;

const PRACTICES: &str = include_str!("../fixtures/judged/practices.csv");
const QUERIES: &str = include_str!("../fixtures/judged/queries.tsv");

const SEARCH_PRACTICES: &str = r#"query ($q: String!, $first: Int) {
  searchPractices(query: $q, first: $first) { edges { node { slug } } } }"#;

/// The issue's targets.
const TARGET_OVERALL: f64 = 0.85;
const TARGET_KIND: f64 = 0.70;

/// Floors for the embedded engine where the targets are not met: (what,
/// NDCG@10 floor, MRR floor), "overall" or a kind, over both splits. Set
/// just below the figures measured when they were last changed (see
/// `search/README.md`).
const FLOORS: &[(&str, f64, f64)] = &[
    // None since 2026-12-07: with the glossary's civil-registration,
    // social-protection, employment and digital-government terms every
    // target is met (overall 0.864 / 0.958, english 0.754 / 1.000, the
    // lowest kind affix 0.715 / 0.840). A floor goes here, with the figure
    // it was set below, only if a change trades one kind for another.
];

/// One graded query.
struct Judged {
    id: String,
    split: String,
    kind: String,
    query: String,
    grades: Vec<(String, u32)>,
}

const KINDS: [&str; 8] = [
    "exact_title",
    "typo",
    "synonym",
    "affix",
    "english",
    "abbreviation",
    "region",
    "multi_word",
];

fn parse_queries(tsv: &str) -> Vec<Judged> {
    let mut out = Vec::new();
    let mut header = false;
    for (i, line) in tsv.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if !header {
            assert_eq!(
                cols,
                ["id", "split", "kind", "query", "judgments"],
                "queries.tsv line {}: header",
                i + 1
            );
            header = true;
            continue;
        }
        assert_eq!(cols.len(), 5, "queries.tsv line {}: {line:?}", i + 1);
        assert!(
            ["tune", "holdout"].contains(&cols[1]),
            "queries.tsv line {}: split {:?}",
            i + 1,
            cols[1]
        );
        assert!(
            KINDS.contains(&cols[2]),
            "queries.tsv line {}: kind {:?}",
            i + 1,
            cols[2]
        );
        let grades: Vec<(String, u32)> = cols[4]
            .split(',')
            .map(str::trim)
            .filter(|j| !j.is_empty())
            .map(|j| {
                let (slug, g) = j
                    .rsplit_once(':')
                    .unwrap_or_else(|| panic!("queries.tsv line {}: judgment {j:?}", i + 1));
                let g: u32 = g
                    .parse()
                    .unwrap_or_else(|_| panic!("queries.tsv line {}: grade {g:?}", i + 1));
                assert!(g <= 3, "queries.tsv line {}: grade {g}", i + 1);
                (slug.to_owned(), g)
            })
            .collect();
        out.push(Judged {
            id: cols[0].to_owned(),
            split: cols[1].to_owned(),
            kind: cols[2].to_owned(),
            query: cols[3].to_owned(),
            grades,
        });
    }
    out
}

fn grade(grades: &[(String, u32)], slug: &str) -> u32 {
    grades
        .iter()
        .find(|(s, _)| s == slug)
        .map_or(0, |(_, g)| *g)
}

/// NDCG@10 with gains 2^grade - 1.
pub fn ndcg_at_10(found: &[String], grades: &[(String, u32)]) -> f64 {
    let gain = |g: u32| f64::from(2u32.pow(g) - 1);
    let discount = |i: usize| ((i + 2) as f64).log2();
    let dcg: f64 = found
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, s)| gain(grade(grades, s)) / discount(i))
        .sum();
    let mut ideal: Vec<u32> = grades.iter().map(|(_, g)| *g).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, g)| gain(*g) / discount(i))
        .sum();
    if idcg == 0.0 { 0.0 } else { dcg / idcg }
}

/// Reciprocal rank of the first relevant result in the top 10: relevant is
/// grade 2 or more, or grade 1 for a query with no grade above 1.
pub fn reciprocal_rank(found: &[String], grades: &[(String, u32)]) -> f64 {
    let top = grades.iter().map(|(_, g)| *g).max().unwrap_or(0);
    let relevant = if top >= 2 { 2 } else { 1 };
    found
        .iter()
        .take(10)
        .position(|s| grade(grades, s) >= relevant)
        .map_or(0.0, |i| 1.0 / (i + 1) as f64)
}

#[derive(Default, Clone, Copy)]
struct Sum {
    n: usize,
    ndcg: f64,
    mrr: f64,
}

impl Sum {
    fn add(&mut self, ndcg: f64, mrr: f64) {
        self.n += 1;
        self.ndcg += ndcg;
        self.mrr += mrr;
    }
    fn ndcg(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.ndcg / self.n as f64
        }
    }
    fn mrr(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.mrr / self.n as f64
        }
    }
}

#[test]
fn metrics_are_right_on_hand_computed_cases() {
    let g = |v: &[(&str, u32)]| -> Vec<(String, u32)> {
        v.iter().map(|(s, g)| ((*s).to_owned(), *g)).collect()
    };
    let f = |v: &[&str]| -> Vec<String> { v.iter().map(|s| (*s).to_owned()).collect() };
    let grades = g(&[("a", 3), ("b", 1)]);
    assert!((ndcg_at_10(&f(&["a", "b"]), &grades) - 1.0).abs() < 1e-9);
    // b then a: (1 + 7/log2(3)) / (7 + 1/log2(3)).
    let want = (1.0 + 7.0 / 3f64.log2()) / (7.0 + 1.0 / 3f64.log2());
    assert!((ndcg_at_10(&f(&["b", "a"]), &grades) - want).abs() < 1e-9);
    assert_eq!(ndcg_at_10(&f(&["x"]), &grades), 0.0);
    assert_eq!(reciprocal_rank(&f(&["b", "x", "a"]), &grades), 1.0 / 3.0);
    assert_eq!(reciprocal_rank(&f(&["b"]), &g(&[("b", 1)])), 1.0);
    assert_eq!(reciprocal_rank(&f(&[]), &grades), 0.0);
}

#[test]
fn the_judged_files_parse_and_name_only_known_practices() {
    let queries = parse_queries(QUERIES);
    assert!(!queries.is_empty());
    let rows = api::domain::bulk::parse_practices(PRACTICES, api::domain::bulk::Format::Csv)
        .expect("judged practices parse");
    assert!(!rows.is_empty());
    let mut ids = std::collections::HashSet::new();
    for q in &queries {
        assert!(ids.insert(q.id.clone()), "query id {} twice", q.id);
        assert!(!q.grades.is_empty(), "{} has no judgment", q.id);
    }
}

search_scenario!(
    judged_set_ndcg_and_mrr,
    with_demo_search,
    |app| async move {
        let rows = api::domain::bulk::parse_practices(PRACTICES, api::domain::bulk::Format::Csv)
            .expect("judged practices parse");
        let n = rows.len();
        let report = api::domain::bulk::import_practices(
            &app.db,
            &api::auth::Viewer::Operator,
            rows,
            false,
            |_| {},
        )
        .await
        .expect("judged practices import");
        assert_eq!(report.created, n, "{report:?}");
        app.sync_search().await;
        let engine = match app.search_backend {
            SearchBackend::Embedded => "embedded",
            SearchBackend::Meili => "meilisearch",
        };
        let verbose = std::env::var_os("JUDGED_VERBOSE").is_some();
        let queries = parse_queries(QUERIES);
        // (split, kind) -> sums; split "all" and kind "overall" aggregate.
        let mut sums: BTreeMap<(String, String), Sum> = BTreeMap::new();
        let mut lines = String::new();
        for q in &queries {
            let d = app
                .data_with(SEARCH_PRACTICES, json!({ "q": q.query, "first": 10 }))
                .await;
            let found: Vec<String> = d["searchPractices"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["slug"].as_str().unwrap().to_owned())
                .collect();
            let ndcg = ndcg_at_10(&found, &q.grades);
            let rr = reciprocal_rank(&found, &q.grades);
            for split in [q.split.as_str(), "all"] {
                for kind in [q.kind.as_str(), "overall"] {
                    sums.entry((split.to_owned(), kind.to_owned()))
                        .or_default()
                        .add(ndcg, rr);
                }
            }
            if verbose {
                lines.push_str(&format!(
                    "  {:<8} {:<7} {:<12} ndcg {ndcg:.3} rr {rr:.3}  {:?} -> {:?}\n",
                    q.id,
                    q.split,
                    q.kind,
                    q.query,
                    &found[..found.len().min(3)]
                ));
            }
        }
        let mut table = format!(
            "judged set on {engine}: {} practices + demo, {} queries\n{:<14}{:>22}{:>22}{:>22}\n",
            n,
            queries.len(),
            "kind",
            "tune ndcg/mrr (n)",
            "holdout ndcg/mrr (n)",
            "all ndcg/mrr (n)"
        );
        for kind in KINDS.iter().copied().chain(["overall"]) {
            let cell = |split: &str| -> String {
                sums.get(&(split.to_owned(), kind.to_owned())).map_or_else(
                    || "-".to_owned(),
                    |s| format!("{:.3}/{:.3} ({})", s.ndcg(), s.mrr(), s.n),
                )
            };
            table.push_str(&format!(
                "{kind:<14}{:>22}{:>22}{:>22}\n",
                cell("tune"),
                cell("holdout"),
                cell("all")
            ));
        }
        println!("{table}{lines}");
        if engine != "embedded" {
            // Floors are measured on the embedded engine; the Meilisearch pass
            // reports its figures for the table in search/README.md.
            return;
        }
        let all = |kind: &str| sums.get(&("all".to_owned(), kind.to_owned())).copied();
        let overall = all("overall").expect("queries ran");
        let mut failures = Vec::new();
        for kind in KINDS.iter().copied().chain(["overall"]) {
            let Some(s) = all(kind) else { continue };
            let target = if kind == "overall" {
                TARGET_OVERALL
            } else {
                TARGET_KIND
            };
            let (floor_ndcg, floor_mrr) = FLOORS
                .iter()
                .find(|(k, _, _)| *k == kind)
                .map_or((target, target), |(_, a, b)| (*a, *b));
            if s.ndcg() < floor_ndcg.min(target) || s.mrr() < floor_mrr.min(target) {
                failures.push(format!(
                    "{kind}: ndcg {:.3} mrr {:.3} below floor {floor_ndcg:.3}/{floor_mrr:.3}",
                    s.ndcg(),
                    s.mrr()
                ));
            }
        }
        assert!(failures.is_empty(), "{}\n{table}", failures.join("\n"));
        eprintln!(
            "judged set on {engine}: NDCG@10 {:.3}, MRR {:.3}",
            overall.ndcg(),
            overall.mrr()
        );
    }
);
