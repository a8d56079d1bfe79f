//! Full-text search: `search` across practices, agreements and regions, and
//! `searchPractices` shaped as a connection. The engine (embedded or
//! Meilisearch) returns ids; the hits resolve to full objects through the
//! request's DataLoader, one batch per kind.

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, SimpleObject, Union};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use search::{DocKind, Filter, SearchRequest, Sort};
use uuid::Uuid;

use crate::error::{ApiError, Result};
use crate::graphql::enums::{AgreementStage, PracticeStatus, RegionKind, Sector};
use crate::graphql::loaders::{AgreementById, PracticeById, RegionByCode};
use crate::graphql::pagination::PageInfo;
use crate::graphql::types::{Agreement, Practice, Region, load_one, loader};
use crate::search_sync::Engine;

/// Longest query (characters).
const MAX_QUERY: usize = 200;
/// Deepest result reachable by paging (Meilisearch's default `maxTotalHits`).
const MAX_WINDOW: usize = 1000;
/// Most values in one filter list.
const MAX_FILTER_VALUES: usize = 50;

/// What a search hit is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchKind {
    /// A good practice.
    Practice,
    /// A cooperation agreement.
    Agreement,
    /// A province, regency or city.
    Region,
}

impl From<SearchKind> for DocKind {
    fn from(k: SearchKind) -> Self {
        match k {
            SearchKind::Practice => DocKind::Practice,
            SearchKind::Agreement => DocKind::Agreement,
            SearchKind::Region => DocKind::Region,
        }
    }
}

impl From<DocKind> for SearchKind {
    fn from(k: DocKind) -> Self {
        match k {
            DocKind::Practice => SearchKind::Practice,
            DocKind::Agreement => SearchKind::Agreement,
            DocKind::Region => SearchKind::Region,
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
    /// Practices in any of these sectors.
    pub sectors: Option<Vec<Sector>>,
    /// Objects in any of these provinces (two-digit codes, e.g. "32").
    pub provinces: Option<Vec<String>>,
    /// Owner region kind (practices), party kinds (agreements) or region kind.
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
    fn from(counts: &search::FacetCounts) -> Self {
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

/// Search queries.
#[derive(Default)]
pub struct SearchQuery;

fn engine<'a>(ctx: &'a Context<'_>) -> Result<&'a Engine> {
    ctx.data::<Engine>()
        .map_err(|_| ApiError::internal(&crate::graphql::types::MissingContext("search engine")))
}

fn check_query(query: &str) -> Result<String> {
    let q = query.trim();
    if q.chars().count() > MAX_QUERY {
        return Err(ApiError::bad_input(
            "query",
            format!("query is longer than {MAX_QUERY} characters"),
        ));
    }
    if q.chars().any(char::is_control) {
        return Err(ApiError::bad_input(
            "query",
            "query contains control characters",
        ));
    }
    Ok(q.to_owned())
}

fn provinces(field: &str, v: Option<Vec<String>>) -> Result<Vec<String>> {
    let v = v.unwrap_or_default();
    for p in &v {
        if p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::bad_input(
                field,
                format!("{p:?} is not a province code; use two digits, e.g. \"32\" for Jawa Barat"),
            ));
        }
    }
    Ok(v)
}

fn values<T: Copy, E: sea_orm::ActiveEnum<Value = String> + From<T>>(
    v: Option<Vec<T>>,
) -> Vec<String> {
    v.unwrap_or_default()
        .into_iter()
        .map(|x| entity::wire_name(&E::from(x)))
        .collect()
}

fn check_sizes(filter: &Filter) -> Result<()> {
    for (attr, vals) in filter.conditions() {
        if vals.len() > MAX_FILTER_VALUES {
            return Err(ApiError::bad_input(
                "filter",
                format!("{attr} lists more than {MAX_FILTER_VALUES} values"),
            ));
        }
    }
    Ok(())
}

fn page(ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> Result<(usize, usize)> {
    let limits = crate::graphql::limits(ctx)?;
    let first = match first {
        None => limits.default_page_size as usize,
        Some(f) if f < 0 => {
            return Err(ApiError::bad_input("first", "first must not be negative"));
        }
        Some(f) => {
            let f = usize::try_from(f).unwrap_or(0);
            if f > limits.max_page_size as usize {
                return Err(ApiError::bad_input(
                    "first",
                    format!("first may be at most {}", limits.max_page_size),
                ));
            }
            f
        }
    };
    let offset = match after {
        None => 0,
        Some(c) => decode_cursor(&c)? + 1,
    };
    if offset + first > MAX_WINDOW {
        return Err(ApiError::bad_input(
            "after",
            format!(
                "search results can be paged through the first {MAX_WINDOW} only; narrow the search with a filter"
            ),
        ));
    }
    Ok((offset, first))
}

fn encode_cursor(position: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("search:{position}"))
}

fn decode_cursor(c: &str) -> Result<usize> {
    URL_SAFE_NO_PAD
        .decode(c)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("search:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| ApiError::bad_input("after", "not a cursor of this search"))
}

/// The objects behind the hits, loaded in one batch per kind; hits whose
/// object is gone (deleted since it was indexed) are dropped.
async fn resolve(ctx: &Context<'_>, hits: &[search::Hit]) -> Result<Vec<Option<SearchNode>>> {
    let l = loader(ctx)?;
    let practices: Vec<PracticeById> = hits
        .iter()
        .filter(|h| h.kind == DocKind::Practice)
        .filter_map(|h| Uuid::parse_str(&h.id).ok().map(PracticeById))
        .collect();
    let agreements: Vec<AgreementById> = hits
        .iter()
        .filter(|h| h.kind == DocKind::Agreement)
        .filter_map(|h| Uuid::parse_str(&h.id).ok().map(AgreementById))
        .collect();
    let regions: Vec<RegionByCode> = hits
        .iter()
        .filter(|h| h.kind == DocKind::Region)
        .map(|h| RegionByCode(h.id.clone()))
        .collect();
    let (p, a, r) = futures_util::try_join!(
        l.load_many(practices),
        l.load_many(agreements),
        l.load_many(regions)
    )?;
    Ok(hits
        .iter()
        .map(|h| match h.kind {
            DocKind::Practice => Uuid::parse_str(&h.id)
                .ok()
                .and_then(|id| p.get(&PracticeById(id)))
                .filter(|m| m.archived_at.is_none())
                .map(|m| SearchNode::Practice(Practice(m.clone()))),
            DocKind::Agreement => Uuid::parse_str(&h.id)
                .ok()
                .and_then(|id| a.get(&AgreementById(id)))
                .map(|m| SearchNode::Agreement(Agreement(m.clone()))),
            DocKind::Region => r
                .get(&RegionByCode(h.id.clone()))
                .map(|m| SearchNode::Region(Region(m.clone()))),
        })
        .collect())
}

fn highlights(h: &search::Hit) -> Vec<SearchHighlight> {
    h.highlights
        .iter()
        .map(|x| SearchHighlight {
            field: x.field.clone(),
            snippet: x.snippet.clone(),
        })
        .collect()
}

fn page_info(offset: usize, returned: usize, first: usize, total: u64) -> PageInfo {
    let end = offset + returned;
    PageInfo {
        has_next_page: returned == first && (end as u64) < total && end < MAX_WINDOW,
        end_cursor: (returned > 0).then(|| encode_cursor(end - 1)),
    }
}

#[Object]
impl SearchQuery {
    /// Searches practices, agreements and regions at once, with typos
    /// forgiven, synonyms (SPBE / e-government, smart city / kota cerdas,
    /// e-office / tata naskah dinas elektronik, ...) and results proven by
    /// transfers favoured. An empty query lists everything the filter keeps.
    /// Fails with `SEARCH_UNAVAILABLE` when the engine cannot answer.
    #[graphql(complexity = "first.map_or(20, |f| f.max(0) as usize) * child_complexity + 1")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to look for, e.g. \"e-ofice sumedang\".")] query: String,
        filter: Option<SearchFilter>,
        #[graphql(desc = "Page size (default 20, at most the configured maximum).")] first: Option<
            i32,
        >,
        #[graphql(desc = "`endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<SearchResult> {
        let query = check_query(&query)?;
        let f = filter.unwrap_or_default();
        let (offset, first) = page(ctx, first, after)?;
        let filter = Filter {
            sectors: values::<Sector, entity::Sector>(f.sectors),
            provinces: provinces("filter.provinces", f.provinces)?,
            region_kinds: values::<RegionKind, entity::RegionKind>(f.region_kinds),
            statuses: values::<PracticeStatus, entity::PracticeStatus>(f.statuses),
            stages: values::<AgreementStage, entity::AgreementStage>(f.stages),
            looking_for_adopters: f.looking_for_adopters,
            has_outcomes: f.has_measured_outcomes,
        };
        check_sizes(&filter)?;
        let request = SearchRequest {
            query,
            kinds: f
                .kinds
                .unwrap_or_default()
                .into_iter()
                .map(DocKind::from)
                .collect(),
            filter,
            sort: Sort::Relevance,
            offset,
            limit: first,
        };
        let engine = engine(ctx)?;
        let res = engine.search(&request).await?;
        let nodes = resolve(ctx, &res.hits).await?;
        let returned = res.hits.len();
        let hits = res
            .hits
            .iter()
            .zip(nodes)
            .filter_map(|(h, node)| {
                node.map(|node| SearchHit {
                    kind: h.kind.into(),
                    score: h.score,
                    highlights: highlights(h),
                    node,
                })
            })
            .collect();
        Ok(SearchResult {
            total: i64::try_from(res.total).unwrap_or(i64::MAX),
            engine: res.engine.to_owned(),
            facets: SearchFacets::from(&res.facets),
            hits,
            page_info: page_info(offset, returned, first, res.total),
        })
    }

    /// Searches practices only, as a connection: what a region uses to find
    /// a practice to adopt. Same typo tolerance, synonyms and facets as
    /// `search`. Fails with `SEARCH_UNAVAILABLE` when the engine cannot
    /// answer.
    #[graphql(complexity = "first.map_or(20, |f| f.max(0) as usize) * child_complexity + 1")]
    async fn search_practices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to look for, e.g. \"desa digtal\".")] query: String,
        filter: Option<PracticeSearchFilter>,
        #[graphql(desc = "Order (default: relevance).")] sort: Option<PracticeSearchSort>,
        #[graphql(desc = "Page size (default 20, at most the configured maximum).")] first: Option<
            i32,
        >,
        #[graphql(desc = "`endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<PracticeSearchConnection> {
        let query = check_query(&query)?;
        let f = filter.unwrap_or_default();
        let (offset, first) = page(ctx, first, after)?;
        let filter = Filter {
            sectors: values::<Sector, entity::Sector>(f.sectors),
            provinces: provinces("filter.provinces", f.provinces)?,
            region_kinds: values::<RegionKind, entity::RegionKind>(f.owner_region_kinds),
            statuses: values::<PracticeStatus, entity::PracticeStatus>(f.statuses),
            stages: Vec::new(),
            looking_for_adopters: f.looking_for_adopters,
            has_outcomes: f.has_measured_outcomes,
        };
        check_sizes(&filter)?;
        let request = SearchRequest {
            query,
            kinds: vec![DocKind::Practice],
            filter,
            sort: match sort.unwrap_or_default() {
                PracticeSearchSort::Relevance => Sort::Relevance,
                PracticeSearchSort::MostProven => Sort::MostProven,
                PracticeSearchSort::RecentlyVerified => Sort::RecentlyVerified,
            },
            offset,
            limit: first,
        };
        let engine = engine(ctx)?;
        let res = engine.search(&request).await?;
        let nodes = resolve(ctx, &res.hits).await?;
        let returned = res.hits.len();
        let edges = res
            .hits
            .iter()
            .zip(nodes)
            .enumerate()
            .filter_map(|(i, (h, node))| match node {
                Some(SearchNode::Practice(p)) => Some(PracticeSearchEdge {
                    cursor: encode_cursor(offset + i),
                    score: h.score,
                    highlights: highlights(h),
                    node: p,
                }),
                _ => None,
            })
            .collect();
        Ok(PracticeSearchConnection {
            total_count: i64::try_from(res.total).unwrap_or(i64::MAX),
            engine: res.engine.to_owned(),
            facets: SearchFacets::from(&res.facets),
            edges,
            page_info: page_info(offset, returned, first, res.total),
        })
    }
}
