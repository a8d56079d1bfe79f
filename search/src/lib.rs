//! Full-text search for Berguru: one engine interface, two implementations.
//!
//! Four kinds of document are indexed: practices, agreements, regions and
//! open learning requests ([`DocKind`]).
//!
//! - [`embedded::EmbeddedEngine`]: tantivy, in the data folder (or in RAM for
//!   tests). The default: nothing to install.
//! - [`meili::MeiliEngine`]: Meilisearch through `meilisearch-sdk`, for
//!   production. Every call is bounded by a timeout.
//!
//! Both index the same [`Document`]s, accept the same [`Filter`], share the
//! Indonesian and domain vocabulary of [`vocab`], and answer with the same
//! [`SearchResponse`]. The API crate owns the outbox that keeps them in sync
//! with the database; this crate knows nothing of the database.

pub mod embedded;
pub mod filter;
pub mod meili;
pub mod stem;
pub mod vocab;

use std::collections::BTreeMap;
use std::fmt::Debug;

use serde::{Deserialize, Serialize};

pub use filter::Filter;

/// The kinds of searchable objects; each has an index of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DocKind {
    Practice,
    Agreement,
    Region,
    /// An open learning request (a region's posted need).
    Request,
}

impl DocKind {
    /// All kinds, in the order results are merged on ties.
    pub const ALL: [DocKind; 4] = [
        DocKind::Practice,
        DocKind::Agreement,
        DocKind::Region,
        DocKind::Request,
    ];

    /// Name used in index names and in the embedded `kind` field.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Practice => "practices",
            DocKind::Agreement => "agreements",
            DocKind::Region => "regions",
            DocKind::Request => "requests",
        }
    }

    /// The facet attributes documents of this kind carry.
    pub fn facet_attributes(self) -> &'static [&'static str] {
        match self {
            DocKind::Practice => &[
                filter::SECTOR,
                filter::PROVINCE,
                filter::REGION_KIND,
                filter::STATUS,
                filter::LOOKING_FOR_ADOPTERS,
                filter::HAS_OUTCOMES,
            ],
            DocKind::Agreement => &[filter::PROVINCE, filter::REGION_KIND, filter::STAGE],
            DocKind::Region => &[filter::PROVINCE, filter::REGION_KIND],
            DocKind::Request => &[filter::SECTOR, filter::PROVINCE, filter::REGION_KIND],
        }
    }
}

/// A good practice, as indexed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PracticeDoc {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub lessons: String,
    /// Sector codes (facet `sector`).
    pub sector: Vec<String>,
    /// Sector names in words (searchable).
    pub sector_names: Vec<String>,
    pub owner_name: String,
    pub owner_code: String,
    /// Province code of the owner (the owner's own code for a province).
    pub province: String,
    pub province_name: String,
    /// Kind of the owner region: PROVINCE, REGENCY or CITY.
    pub region_kind: String,
    /// Outcomes in words ("angka kemiskinan 7.25 -> 6.82 persen").
    pub outcomes: Vec<String>,
    pub status: String,
    /// ISO date of the last verification, if any.
    pub last_verified: Option<String>,
    /// Days since 1970-01-01 of the last verification (0 when never), to sort.
    pub last_verified_days: i64,
    pub looking_for_adopters: bool,
    pub has_outcomes: bool,
    pub completed_adoptions: u32,
    pub transferring_agreements: u32,
    /// Completed adoptions plus agreements that transfer the practice: the
    /// proven-transfer ranking signal.
    pub proven: u32,
    /// Hyphen-joined spellings ("eoffice" for "e-Office"), searchable.
    pub aliases: String,
}

/// An agreement, as indexed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementDoc {
    pub id: String,
    pub title: String,
    pub number: String,
    pub kind: String,
    pub stage: String,
    pub scope: Vec<String>,
    pub agencies: Vec<String>,
    pub party_names: Vec<String>,
    /// Province codes of the region parties (facet `province`).
    pub province: Vec<String>,
    /// Kinds of the region parties (facet `regionKind`).
    pub region_kind: Vec<String>,
    pub signed_on: Option<String>,
    pub valid_until: Option<String>,
    pub proven: u32,
    pub aliases: String,
}

/// A region, as indexed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionDoc {
    /// The code with `.` replaced by `_` (Meilisearch ids allow no dots).
    pub id: String,
    pub code: String,
    pub name: String,
    pub capital: String,
    pub province: String,
    pub province_name: String,
    pub region_kind: String,
    pub proven: u32,
    pub aliases: String,
}

impl RegionDoc {
    /// The document id of a region code.
    pub fn id_of(code: &str) -> String {
        code.replace('.', "_")
    }
}

/// An open learning request, as indexed: what a region wants to learn.
/// Only open requests are in the index; a fulfilled or withdrawn one is
/// removed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestDoc {
    pub id: String,
    /// The topic ("Tata naskah dinas elektronik").
    pub title: String,
    /// The problem the region has.
    pub summary: String,
    pub objectives: Vec<String>,
    /// Sector codes (facet `sector`).
    pub sector: Vec<String>,
    /// Sector names in words (searchable).
    pub sector_names: Vec<String>,
    /// The requesting region.
    pub region_name: String,
    pub region_code: String,
    /// Province code of the requesting region (its own code for a province).
    pub province: String,
    pub province_name: String,
    /// Kind of the requesting region: PROVINCE, REGENCY or CITY.
    pub region_kind: String,
    /// The agency (OPD) to contact.
    pub contact_agency: String,
    /// Titles of the practices the region has in mind.
    pub practice_titles: Vec<String>,
    /// ISO date the region would like to start, if it said.
    pub preferred_from: Option<String>,
    /// Always 0: a request proves no transfer (kept so that every index
    /// ranks on the same attributes).
    pub proven: u32,
    /// Hyphen-joined spellings ("eoffice" for "e-Office"), searchable.
    pub aliases: String,
}

/// One document of any kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    Practice(PracticeDoc),
    Agreement(AgreementDoc),
    Region(RegionDoc),
    Request(RequestDoc),
}

impl Document {
    pub fn kind(&self) -> DocKind {
        match self {
            Document::Practice(_) => DocKind::Practice,
            Document::Agreement(_) => DocKind::Agreement,
            Document::Region(_) => DocKind::Region,
            Document::Request(_) => DocKind::Request,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Document::Practice(d) => &d.id,
            Document::Agreement(d) => &d.id,
            Document::Region(d) => &d.id,
            Document::Request(d) => &d.id,
        }
    }
}

/// Order of results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first; proven transfers break ties.
    #[default]
    Relevance,
    /// Most completed adoptions and transferring agreements first.
    MostProven,
    /// Most recently verified first.
    RecentlyVerified,
}

/// A search.
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    pub query: String,
    /// Which kinds to search; empty means all.
    pub kinds: Vec<DocKind>,
    pub filter: Filter,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
}

impl SearchRequest {
    /// The kinds searched, after the filter excluded those that lack a
    /// filtered attribute (a `stage` filter only applies to agreements).
    pub fn effective_kinds(&self) -> Vec<DocKind> {
        let kinds: Vec<DocKind> = if self.kinds.is_empty() {
            DocKind::ALL.to_vec()
        } else {
            self.kinds.clone()
        };
        kinds
            .into_iter()
            .filter(|k| {
                self.filter
                    .attributes()
                    .iter()
                    .all(|a| k.facet_attributes().contains(a))
            })
            .collect()
    }
}

/// A highlighted part of a field: matched words between `<em>` and `</em>`,
/// everything else HTML-escaped.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Highlight {
    pub field: String,
    pub snippet: String,
    /// How words of the query reached the marked words when not as
    /// written: a glossary entry, an abbreviation, a synonym or a shared
    /// root.
    pub expansions: Vec<Matched>,
}

/// Why a marked word matched a query that did not contain it as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Matched {
    /// `glossary`, `abbreviation`, `synonym`, `joined` or `stem`.
    pub kind: &'static str,
    /// The query words.
    pub from: String,
    /// What they were expanded to (for `stem`, the root shared by the query
    /// word and the marked word).
    pub to: String,
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub kind: DocKind,
    /// The object id: a UUID for practices, agreements and requests, the
    /// region code for regions.
    pub id: String,
    /// Relevance between 0 and 1 (higher is better); comparable within one
    /// answer.
    pub score: f64,
    pub highlights: Vec<Highlight>,
}

/// Value counts of one facet attribute.
pub type FacetCounts = BTreeMap<String, BTreeMap<String, u64>>;

/// An answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResponse {
    pub hits: Vec<Hit>,
    /// Number of matching documents (estimated by Meilisearch).
    pub total: u64,
    /// Counts per facet attribute and value over all matches.
    pub facets: FacetCounts,
    /// Which engine answered: `embedded` or `meilisearch`.
    pub engine: &'static str,
}

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The engine cannot be reached, timed out or failed a task.
    #[error("search engine unavailable: {0}")]
    Unavailable(String),
    /// The request cannot be run (a bad filter value, say).
    #[error("{0}")]
    Invalid(String),
    /// The engine answers but refuses Berguru's configuration: a missing,
    /// wrong or under-privileged key. Waiting does not help; an operator
    /// must change a setting, which the message names.
    #[error("search engine refused the configuration: {0}")]
    Refused(String),
    /// A bug or a broken index.
    #[error("search engine error: {0}")]
    Internal(String),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// A search engine: the embedded one or Meilisearch.
#[async_trait::async_trait]
pub trait SearchEngine: Send + Sync + Debug {
    /// `embedded` or `meilisearch`.
    fn name(&self) -> &'static str;
    /// Creates the indexes and applies settings; idempotent.
    async fn prepare(&self) -> Result<()>;
    /// Adds or replaces documents; returns once the engine confirmed them.
    async fn upsert(&self, docs: Vec<Document>) -> Result<()>;
    /// Removes documents by id; unknown ids are fine.
    async fn delete(&self, kind: DocKind, ids: Vec<String>) -> Result<()>;
    /// Runs a search.
    async fn search(&self, request: &SearchRequest) -> Result<SearchResponse>;
    /// Number of documents of a kind.
    async fn count(&self, kind: DocKind) -> Result<u64>;
    /// Whether the engine answers, and accepts Berguru's credentials for
    /// indexing and for searching (a reachable Meilisearch that refuses the
    /// key is not healthy: [`SearchError::Refused`]).
    async fn health(&self) -> Result<()>;
    /// Starts a rebuild into fresh indexes; search keeps answering from the
    /// current ones until [`Rebuild::finish`] swaps them in.
    async fn begin_rebuild(&self) -> Result<Box<dyn Rebuild>>;
    /// Whether the documents predate the index settings (indexed before the
    /// stemmed shadow fields existed), known after [`SearchEngine::prepare`]:
    /// the index must then be rebuilt even when its counts are right.
    async fn stale(&self) -> Result<bool> {
        Ok(false)
    }
}

/// A rebuild under way.
#[async_trait::async_trait]
pub trait Rebuild: Send {
    async fn add(&mut self, docs: Vec<Document>) -> Result<()>;
    /// Swaps the new indexes in and drops the old ones.
    async fn finish(self: Box<Self>) -> Result<()>;
}

/// Escapes text for HTML, for snippets.
pub(crate) fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}
