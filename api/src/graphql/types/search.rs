//! Types of full-text search: the filters and sort of `search` and
//! `searchPractices`, hits, highlights, facets and the practice connection.

use async_graphql::{ComplexObject, Context, Enum, InputObject, SimpleObject, Union};
use search::DocKind;

use crate::error::Result;
use crate::graphql::enums::{AgreementStage, PracticeStatus, RegionKind, Sector};
use crate::graphql::loaders::RegionByCode;
use crate::graphql::pagination::PageInfo;
use crate::graphql::types::{Agreement, LearningRequest, Practice, Region, load_one};

/// What a search hit is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchKind {
    /// A good practice.
    Practice,
    /// A cooperation agreement.
    Agreement,
    /// A province, regency or city.
    Region,
    /// An open learning request: what a region wants to learn.
    LearningRequest,
}

impl From<SearchKind> for DocKind {
    fn from(k: SearchKind) -> Self {
        match k {
            SearchKind::Practice => DocKind::Practice,
            SearchKind::Agreement => DocKind::Agreement,
            SearchKind::Region => DocKind::Region,
            SearchKind::LearningRequest => DocKind::Request,
        }
    }
}

impl From<DocKind> for SearchKind {
    fn from(k: DocKind) -> Self {
        match k {
            DocKind::Practice => SearchKind::Practice,
            DocKind::Agreement => SearchKind::Agreement,
            DocKind::Region => SearchKind::Region,
            DocKind::Request => SearchKind::LearningRequest,
        }
    }
}

/// Narrows `search`. Within a list any value matches; across fields all
/// must hold. A filter on a field a kind does not have leaves that kind out
/// (a `stages` filter returns agreements only).
#[derive(InputObject, Clone, Debug, Default)]
pub struct SearchFilter {
    /// Only these kinds (default: all).
    pub kinds: Option<Vec<SearchKind>>,
    /// Practices and learning requests in any of these sectors.
    pub sectors: Option<Vec<Sector>>,
    /// Objects in any of these provinces (two-digit codes, e.g. "32").
    pub provinces: Option<Vec<String>>,
    /// Owner region kind (practices), party kinds (agreements), region kind,
    /// or the requesting region's kind (learning requests).
    pub region_kinds: Option<Vec<RegionKind>>,
    /// Practices with any of these statuses.
    pub statuses: Option<Vec<PracticeStatus>>,
    /// Agreements at any of these stages.
    pub stages: Option<Vec<AgreementStage>>,
    /// Practices whose owner is (or is not) looking for adopters.
    pub looking_for_adopters: Option<bool>,
    /// Practices with (or without) measured outcomes.
    pub has_measured_outcomes: Option<bool>,
}

/// Narrows `searchPractices`.
#[derive(InputObject, Clone, Debug, Default)]
pub struct PracticeSearchFilter {
    /// Any of these sectors.
    pub sectors: Option<Vec<Sector>>,
    /// Owner in any of these provinces (two-digit codes, e.g. "32").
    pub provinces: Option<Vec<String>>,
    /// Owner of any of these kinds.
    pub owner_region_kinds: Option<Vec<RegionKind>>,
    /// Any of these statuses.
    pub statuses: Option<Vec<PracticeStatus>>,
    /// Owner is (or is not) looking for adopters.
    pub looking_for_adopters: Option<bool>,
    /// With (or without) measured outcomes.
    pub has_measured_outcomes: Option<bool>,
}

/// Narrows `searchLearningRequests` (only open requests are searchable).
#[derive(InputObject, Clone, Debug, Default)]
pub struct LearningRequestSearchFilter {
    /// About any of these sectors.
    pub sectors: Option<Vec<Sector>>,
    /// Posted by a region in any of these provinces (two-digit codes, e.g.
    /// "36" for Banten).
    pub provinces: Option<Vec<String>>,
    /// Posted by a region of any of these kinds.
    pub region_kinds: Option<Vec<RegionKind>>,
}

/// One open learning request found by `searchLearningRequests`.
#[derive(SimpleObject)]
pub struct LearningRequestSearchEdge {
    /// Cursor of this result, for `after`.
    pub cursor: String,
    /// Relevance within this answer, higher is better (between 0 and 1).
    pub score: f64,
    /// Matched parts of the topic (`title`) and the problem (`summary`).
    pub highlights: Vec<SearchHighlight>,
    /// The request.
    pub node: LearningRequest,
}

/// Open learning requests matching a search, best first: what a guru
/// region looks through to find a region it can teach.
#[derive(SimpleObject)]
pub struct LearningRequestSearchConnection {
    /// Number of matching open requests (estimated by Meilisearch).
    pub total_count: i64,
    /// Which engine answered: `embedded` or `meilisearch`.
    pub engine: String,
    /// Counts per sector, province and region kind over all matches.
    pub facets: SearchFacets,
    /// This page of results.
    pub edges: Vec<LearningRequestSearchEdge>,
    /// Paging.
    pub page_info: PageInfo,
}

/// Order of `searchPractices` results.
#[derive(Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PracticeSearchSort {
    /// Best match first; practices proven by transfers break ties.
    #[default]
    Relevance,
    /// Most completed adoptions and transferring agreements first.
    MostProven,
    /// Most recently verified first.
    RecentlyVerified,
}

/// A matched part of a field: matched words inside `<em>`…`</em>`, all other
/// text HTML-escaped, so it can be inserted as HTML.
#[derive(SimpleObject, Clone, Debug)]
pub struct SearchHighlight {
    /// `title` or `summary` (a region's name is reported as `title`).
    pub field: String,
    /// The highlighted text (long summaries are cropped around the match).
    pub snippet: String,
    /// Why marked words matched a query that did not contain them as
    /// written: an English term translated through the glossary, an
    /// abbreviation expanded (or the reverse), a synonym, or a word sharing
    /// its Indonesian root with a query word. Empty when every marked word
    /// is a query word (within the typo budget).
    pub expansions: Vec<SearchExpansion>,
}

/// How a query reached words it did not contain as written.
#[derive(SimpleObject, Clone, Debug)]
pub struct SearchExpansion {
    /// `GLOSSARY`, `ABBREVIATION`, `SYNONYM`, `JOINED` or `STEM`.
    pub kind: SearchExpansionKind,
    /// The query words.
    pub from: String,
    /// What they were searched as: the Indonesian (or English) term, the
    /// expansion or abbreviation, the synonym, or (for `STEM`) the shared
    /// root.
    pub to: String,
}

/// The kinds of query expansion.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchExpansionKind {
    /// English to Indonesian or back, through the glossary.
    Glossary,
    /// An abbreviation to its expansion or back.
    Abbreviation,
    /// A phrase of the same synonym group.
    Synonym,
    /// Two query words written as one ("e office" -> "eoffice").
    Joined,
    /// A word with the same Indonesian root ("pelaporan" for "laporan").
    Stem,
}

impl SearchExpansionKind {
    /// The kind of an engine's explanation.
    pub(crate) fn from_name(name: &str) -> Self {
        match name {
            "glossary" => Self::Glossary,
            "abbreviation" => Self::Abbreviation,
            "synonym" => Self::Synonym,
            "joined" => Self::Joined,
            _ => Self::Stem,
        }
    }
}

/// How many matches have one value of a facet.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct FacetValue {
    /// The value: an enum value (e.g. `E_GOVERNMENT`, `REGENCY`) or, for
    /// provinces, the two-digit code.
    pub value: String,
    /// Matches with this value.
    pub count: i64,
    #[graphql(skip)]
    is_province: bool,
}

#[ComplexObject]
impl FacetValue {
    /// The province, for the `province` facet.
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        if !self.is_province {
            return Ok(None);
        }
        Ok(load_one(ctx, RegionByCode(self.value.clone()))
            .await?
            .map(Region))
    }
}

/// Counts per value over all matches, to narrow a search down.
#[derive(SimpleObject, Clone, Debug, Default)]
pub struct SearchFacets {
    /// Practice sectors.
    pub sector: Vec<FacetValue>,
    /// Provinces (of owners, parties or regions).
    pub province: Vec<FacetValue>,
    /// Region kinds.
    pub region_kind: Vec<FacetValue>,
    /// Practice statuses.
    pub status: Vec<FacetValue>,
    /// Agreement stages.
    pub stage: Vec<FacetValue>,
}

impl SearchFacets {
    /// The facets of an engine answer, largest count first.
    pub(crate) fn from(counts: &search::FacetCounts) -> Self {
        let list = |attr: &str| -> Vec<FacetValue> {
            let mut v: Vec<FacetValue> = counts
                .get(attr)
                .map(|m| {
                    m.iter()
                        .map(|(value, count)| FacetValue {
                            value: value.clone(),
                            count: i64::try_from(*count).unwrap_or(i64::MAX),
                            is_province: attr == search::filter::PROVINCE,
                        })
                        .collect()
                })
                .unwrap_or_default();
            v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            v
        };
        Self {
            sector: list(search::filter::SECTOR),
            province: list(search::filter::PROVINCE),
            region_kind: list(search::filter::REGION_KIND),
            status: list(search::filter::STATUS),
            stage: list(search::filter::STAGE),
        }
    }
}

/// The object a hit found.
#[derive(Union)]
pub enum SearchNode {
    Practice(Practice),
    Agreement(Agreement),
    Region(Region),
    LearningRequest(LearningRequest),
}

/// One result of `search`.
#[derive(SimpleObject)]
pub struct SearchHit {
    /// What was found.
    pub kind: SearchKind,
    /// Relevance within this answer, higher is better (between 0 and 1).
    pub score: f64,
    /// Where the query matched.
    pub highlights: Vec<SearchHighlight>,
    /// The object itself.
    pub node: SearchNode,
}

/// The answer of `search`.
#[derive(SimpleObject)]
pub struct SearchResult {
    /// Matches in all (Meilisearch estimates it).
    pub total: i64,
    /// Which engine answered: `embedded` or `meilisearch`.
    pub engine: String,
    /// Counts per facet value over all matches.
    pub facets: SearchFacets,
    /// This page of hits, best first.
    pub hits: Vec<SearchHit>,
    /// Paging: pass `endCursor` as `after`.
    pub page_info: PageInfo,
}

/// One practice found by `searchPractices`.
#[derive(SimpleObject)]
pub struct PracticeSearchEdge {
    /// Cursor of this edge.
    pub cursor: String,
    /// Relevance within this answer, higher is better (between 0 and 1).
    pub score: f64,
    /// Where the query matched.
    pub highlights: Vec<SearchHighlight>,
    /// The practice.
    pub node: Practice,
}

/// Practices found, a page at a time.
#[derive(SimpleObject)]
pub struct PracticeSearchConnection {
    /// Matches in all (Meilisearch estimates it).
    pub total_count: i64,
    /// Which engine answered: `embedded` or `meilisearch`.
    pub engine: String,
    /// Counts per facet value over all matches.
    pub facets: SearchFacets,
    /// This page, best first.
    pub edges: Vec<PracticeSearchEdge>,
    /// Paging: pass `endCursor` as `after`.
    pub page_info: PageInfo,
}
