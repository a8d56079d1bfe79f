//! Full-text search: `search` across practices, agreements, regions and open
//! learning requests; `searchPractices` and `searchLearningRequests` shaped
//! as connections. The engine (embedded or
//! Meilisearch) returns ids; the hits resolve to full objects through the
//! request's DataLoader, one batch per kind. The types are in
//! `types::search`.

use async_graphql::{Context, Object};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use search::{DocKind, Filter, SearchRequest, Sort};
use uuid::Uuid;

use crate::error::{ApiError, Result};
use crate::graphql::enums::{AgreementStage, PracticeStatus, RegionKind, Sector};
use crate::graphql::loaders::{AgreementById, LearningRequestById, PracticeById, RegionByCode};
use crate::graphql::pagination::PageInfo;
use crate::graphql::types::search::{
    LearningRequestSearchConnection, LearningRequestSearchEdge, LearningRequestSearchFilter,
    PracticeSearchConnection, PracticeSearchEdge, PracticeSearchFilter, PracticeSearchSort,
    SearchExpansion, SearchExpansionKind, SearchFacets, SearchFilter, SearchHighlight, SearchHit,
    SearchNode, SearchResult,
};
use crate::graphql::types::{Agreement, LearningRequest, Practice, Region, loader};
use crate::search_sync::Engine;

/// Longest query (characters).
const MAX_QUERY: usize = 200;
/// Deepest result reachable by paging (Meilisearch's default `maxTotalHits`).
const MAX_WINDOW: usize = 1000;
/// Most values in one filter list.
const MAX_FILTER_VALUES: usize = 50;

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
    let requests: Vec<LearningRequestById> = hits
        .iter()
        .filter(|h| h.kind == DocKind::Request)
        .filter_map(|h| Uuid::parse_str(&h.id).ok().map(LearningRequestById))
        .collect();
    let (p, a, r, q) = futures_util::try_join!(
        l.load_many(practices),
        l.load_many(agreements),
        l.load_many(regions),
        l.load_many(requests)
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
            // Closed since it was indexed: no longer a search result.
            DocKind::Request => Uuid::parse_str(&h.id)
                .ok()
                .and_then(|id| q.get(&LearningRequestById(id)))
                .filter(|m| m.status == entity::LearningRequestStatus::Open)
                .map(|m| SearchNode::LearningRequest(LearningRequest(m.clone()))),
        })
        .collect())
}

fn highlights(h: &search::Hit) -> Vec<SearchHighlight> {
    h.highlights
        .iter()
        .map(|x| SearchHighlight {
            field: x.field.clone(),
            snippet: x.snippet.clone(),
            expansions: x
                .expansions
                .iter()
                .map(|m| SearchExpansion {
                    kind: SearchExpansionKind::from_name(m.kind),
                    from: m.from.clone(),
                    to: m.to.clone(),
                })
                .collect(),
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

/// The parts of a search connection (`searchPractices`,
/// `searchLearningRequests`): the engine's page with each hit resolved and
/// made an edge by `edge` (a hit whose object is gone, or of another kind,
/// is dropped), the total, the facets and the page info.
struct SearchPage<E> {
    total_count: i64,
    engine: String,
    facets: SearchFacets,
    edges: Vec<E>,
    page_info: PageInfo,
}

async fn search_page<E>(
    ctx: &Context<'_>,
    request: &SearchRequest,
    edge: impl Fn(String, &search::Hit, SearchNode) -> Option<E>,
) -> Result<SearchPage<E>> {
    let res = engine(ctx)?.search(request).await?;
    let nodes = resolve(ctx, &res.hits).await?;
    let edges = res
        .hits
        .iter()
        .zip(nodes)
        .enumerate()
        .filter_map(|(i, (h, node))| edge(encode_cursor(request.offset + i), h, node?))
        .collect();
    Ok(SearchPage {
        total_count: i64::try_from(res.total).unwrap_or(i64::MAX),
        engine: res.engine.to_owned(),
        facets: SearchFacets::from(&res.facets),
        edges,
        page_info: page_info(request.offset, res.hits.len(), request.limit, res.total),
    })
}

#[Object]
impl SearchQuery {
    /// Searches practices, agreements, regions and open learning requests
    /// at once, with typos
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
        let page = search_page(ctx, &request, |cursor, h, node| match node {
            SearchNode::Practice(p) => Some(PracticeSearchEdge {
                cursor,
                score: h.score,
                highlights: highlights(h),
                node: p,
            }),
            _ => None,
        })
        .await?;
        Ok(PracticeSearchConnection {
            total_count: page.total_count,
            engine: page.engine,
            facets: page.facets,
            edges: page.edges,
            page_info: page.page_info,
        })
    }

    /// Searches open learning requests: what regions want to learn, for a
    /// guru region looking for a region it can teach. Same typo tolerance,
    /// Indonesian roots, English glossary and synonyms as `search`;
    /// fulfilled and withdrawn requests are not found. Fails with
    /// `SEARCH_UNAVAILABLE` when the engine cannot answer.
    #[graphql(complexity = "first.map_or(20, |f| f.max(0) as usize) * child_complexity + 1")]
    async fn search_learning_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to look for, e.g. \"tata naskah dinas\" or \"electronic office\".")]
        query: String,
        filter: Option<LearningRequestSearchFilter>,
        #[graphql(desc = "Page size (default 20, at most the configured maximum).")] first: Option<
            i32,
        >,
        #[graphql(desc = "`endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<LearningRequestSearchConnection> {
        let query = check_query(&query)?;
        let f = filter.unwrap_or_default();
        let (offset, first) = page(ctx, first, after)?;
        let filter = Filter {
            sectors: values::<Sector, entity::Sector>(f.sectors),
            provinces: provinces("filter.provinces", f.provinces)?,
            region_kinds: values::<RegionKind, entity::RegionKind>(f.region_kinds),
            ..Filter::default()
        };
        check_sizes(&filter)?;
        let request = SearchRequest {
            query,
            kinds: vec![DocKind::Request],
            filter,
            sort: Sort::Relevance,
            offset,
            limit: first,
        };
        let page = search_page(ctx, &request, |cursor, h, node| match node {
            SearchNode::LearningRequest(r) => Some(LearningRequestSearchEdge {
                cursor,
                score: h.score,
                highlights: highlights(h),
                node: r,
            }),
            _ => None,
        })
        .await?;
        Ok(LearningRequestSearchConnection {
            total_count: page.total_count,
            engine: page.engine,
            facets: page.facets,
            edges: page.edges,
            page_info: page.page_info,
        })
    }
}
