//! The Meilisearch engine, through `meilisearch-sdk`. Every call is bounded by
//! a timeout (the SDK's HTTP client has none); a task that fails is an error;
//! filters are built from whitelisted attribute names with quoted, escaped
//! values ([`crate::filter`]). Settings are applied idempotently by
//! [`SearchEngine::prepare`].

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use meilisearch_sdk::client::{Client, SwapIndexes};
use meilisearch_sdk::errors::{Error as SdkError, ErrorCode};
use meilisearch_sdk::search::{FederationOptions, MergeFacets, Selectors};
use meilisearch_sdk::settings::{LocalizedAttributes, Settings};
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use serde_json::{Map, Value};

use crate::filter::FACETS;
use crate::{
    DocKind, Document, Highlight, Hit, Rebuild, Result, SearchEngine, SearchError, SearchRequest,
    SearchResponse, Sort, vocab,
};

const PRE: &str = "\u{1}";
const POST: &str = "\u{2}";

/// The Meilisearch engine.
#[derive(Clone)]
pub struct MeiliEngine {
    /// Indexing client (the indexing key).
    client: Client,
    /// Search client (the search key, or the indexing key when none).
    searcher: Client,
    prefix: String,
    timeout: Duration,
}

impl std::fmt::Debug for MeiliEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeiliEngine")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

fn sdk_error(e: SdkError) -> SearchError {
    match e {
        SdkError::Meilisearch(m) => match m.error_code {
            ErrorCode::InvalidSearchFilter | ErrorCode::InvalidSearchSort => {
                SearchError::Invalid(m.error_message)
            }
            _ => SearchError::Internal(format!("{:?}: {}", m.error_code, m.error_message)),
        },
        SdkError::Timeout => {
            SearchError::Unavailable("a Meilisearch task did not finish in time".into())
        }
        other => SearchError::Unavailable(other.to_string()),
    }
}

impl MeiliEngine {
    /// An engine on `url` with `api_key`; index names start with `prefix`
    /// (`berguru_` in production, unique per test).
    pub fn new(
        url: &str,
        api_key: Option<&str>,
        prefix: &str,
        timeout: Duration,
    ) -> Result<MeiliEngine> {
        Self::with_keys(url, api_key, None, prefix, timeout)
    }

    /// An engine that indexes with `api_key` and searches with `search_key`
    /// (a key limited to the `search` action), when given.
    pub fn with_keys(
        url: &str,
        api_key: Option<&str>,
        search_key: Option<&str>,
        prefix: &str,
        timeout: Duration,
    ) -> Result<MeiliEngine> {
        let client = Client::new(url, api_key).map_err(sdk_error)?;
        let searcher = Client::new(url, search_key.or(api_key)).map_err(sdk_error)?;
        Ok(MeiliEngine {
            client,
            searcher,
            prefix: prefix.to_owned(),
            timeout,
        })
    }

    /// The index name of a kind.
    pub fn uid(&self, kind: DocKind) -> String {
        format!("{}{}", self.prefix, kind.as_str())
    }

    fn kind_of(&self, uid: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| self.uid(*k) == uid)
    }

    async fn bounded<T>(
        &self,
        fut: impl Future<Output = std::result::Result<T, SdkError>>,
    ) -> Result<T> {
        match tokio::time::timeout(self.timeout, fut).await {
            Ok(r) => r.map_err(sdk_error),
            Err(_) => Err(SearchError::Unavailable(format!(
                "Meilisearch did not answer within {} ms",
                self.timeout.as_millis()
            ))),
        }
    }

    /// Waits for a task and fails if the task failed.
    async fn confirm(&self, task: TaskInfo) -> Result<()> {
        let wait = task.wait_for_completion(
            &self.client,
            Some(Duration::from_millis(20)),
            Some(self.timeout * 10),
        );
        let done = self.bounded(wait).await?;
        match done {
            Task::Failed { content } => Err(SearchError::Internal(format!(
                "Meilisearch task failed: {}",
                content.error.error_message
            ))),
            _ => Ok(()),
        }
    }

    async fn ensure_index(&self, uid: &str, kind: DocKind) -> Result<()> {
        let exists = self.bounded(self.client.get_raw_index(uid)).await;
        if exists.is_err() {
            let task = self
                .bounded(self.client.create_index(uid, Some("id")))
                .await?;
            // Another replica may have created it meanwhile: only a failure
            // other than "already exists" matters; the settings below tell.
            let _ = self.confirm(task).await;
        }
        let task = self
            .bounded(self.client.index(uid).set_settings(&settings(kind)))
            .await?;
        self.confirm(task).await
    }

    async fn add(&self, uid: &str, docs: &[Document]) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let values: Vec<Value> = docs
            .iter()
            .map(|d| match d {
                Document::Practice(p) => serde_json::to_value(p),
                Document::Agreement(a) => serde_json::to_value(a),
                Document::Region(r) => serde_json::to_value(r),
            })
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| SearchError::Internal(e.to_string()))?;
        let index = self.client.index(uid);
        let task = self
            .bounded(index.add_or_replace(&values, Some("id")))
            .await?;
        self.confirm(task).await
    }

    /// Deletes every index of this engine's prefix (tests).
    pub async fn drop_all(&self) -> Result<()> {
        for kind in DocKind::ALL {
            for uid in [self.uid(kind), format!("{}__rebuild", self.uid(kind))] {
                if let Ok(task) = self.bounded(self.client.delete_index(&uid)).await {
                    let _ = self.confirm(task).await;
                }
            }
        }
        Ok(())
    }
}

/// Settings of an index: searchable attributes in weight order, filters,
/// sorts, ranking rules with the proven-transfer rule, typo tolerance (the
/// defaults: one typo from 5 letters, two from 9), synonyms, stop words and
/// Indonesian as the language of every attribute.
pub fn settings(kind: DocKind) -> Settings {
    let searchable: &[&str] = match kind {
        DocKind::Practice => &[
            "title",
            "aliases",
            "ownerName",
            "sectorNames",
            "provinceName",
            "summary",
            "outcomes",
            "description",
            "lessons",
        ],
        DocKind::Agreement => &[
            "title",
            "aliases",
            "number",
            "partyNames",
            "scope",
            "agencies",
        ],
        DocKind::Region => &["name", "aliases", "capital", "provinceName", "code"],
    };
    let filterable: Vec<&str> = kind.facet_attributes().to_vec();
    let mut synonyms: HashMap<String, Vec<String>> = HashMap::new();
    for group in vocab::SYNONYMS {
        for p in *group {
            let others: Vec<String> = group
                .iter()
                .filter(|o| *o != p)
                .map(|o| (*o).to_owned())
                .collect();
            synonyms.entry((*p).to_owned()).or_default().extend(others);
        }
    }
    Settings::new()
        .with_searchable_attributes(searchable)
        .with_filterable_attributes(filterable)
        .with_sortable_attributes(["proven", "lastVerifiedDays"])
        .with_ranking_rules([
            "words",
            "typo",
            "proximity",
            "attribute",
            "sort",
            "exactness",
            "proven:desc",
        ])
        .with_synonyms(synonyms)
        .with_stop_words(vocab::STOP_WORDS)
        .with_localized_attributes([LocalizedAttributes {
            locales: vec!["ind".to_owned()],
            attribute_patterns: vec!["*".to_owned()],
        }])
}

/// Highlighted fields per kind.
fn highlighted(kind: DocKind) -> &'static [&'static str] {
    match kind {
        DocKind::Region => &["name"],
        _ => &["title", "summary"],
    }
}

/// Turns Meilisearch's marked text into an HTML-escaped snippet with `<em>`.
fn snippet(marked: &str) -> Option<String> {
    if !marked.contains(PRE) {
        return None;
    }
    let mut out = String::new();
    let mut rest = marked;
    while let Some(i) = rest.find(PRE) {
        crate::escape_html(&rest[..i], &mut out);
        rest = &rest[i + PRE.len()..];
        let j = rest.find(POST).unwrap_or(rest.len());
        out.push_str("<em>");
        crate::escape_html(&rest[..j], &mut out);
        out.push_str("</em>");
        rest = rest.get(j + POST.len()..).unwrap_or("");
    }
    crate::escape_html(rest, &mut out);
    Some(out)
}

#[async_trait::async_trait]
impl SearchEngine for MeiliEngine {
    fn name(&self) -> &'static str {
        "meilisearch"
    }

    async fn prepare(&self) -> Result<()> {
        for kind in DocKind::ALL {
            self.ensure_index(&self.uid(kind), kind).await?;
        }
        Ok(())
    }

    async fn upsert(&self, docs: Vec<Document>) -> Result<()> {
        for kind in DocKind::ALL {
            let of_kind: Vec<Document> =
                docs.iter().filter(|d| d.kind() == kind).cloned().collect();
            self.add(&self.uid(kind), &of_kind).await?;
        }
        Ok(())
    }

    async fn delete(&self, kind: DocKind, ids: Vec<String>) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids: Vec<String> = match kind {
            DocKind::Region => ids.iter().map(|c| crate::RegionDoc::id_of(c)).collect(),
            _ => ids,
        };
        let index = self.client.index(self.uid(kind));
        let task = self.bounded(index.delete_documents(&ids)).await?;
        self.confirm(task).await
    }

    async fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        let kinds = req.effective_kinds();
        if kinds.is_empty() {
            return Ok(SearchResponse {
                engine: "meilisearch",
                ..SearchResponse::default()
            });
        }
        let filter = req.filter.to_meili();
        let query = if vocab::words(&req.query).len() > 3 {
            vocab::shorten_long_synonyms(&req.query)
        } else {
            req.query.clone()
        };
        let uids: Vec<String> = kinds.iter().map(|k| self.uid(*k)).collect();
        let indexes: Vec<_> = uids.iter().map(|u| self.searcher.index(u)).collect();
        let sort: Vec<&str> = match req.sort {
            Sort::Relevance => vec![],
            Sort::MostProven => vec!["proven:desc"],
            Sort::RecentlyVerified => vec!["lastVerifiedDays:desc"],
        };
        let mut multi = self.searcher.multi_search();
        for (i, kind) in kinds.iter().enumerate() {
            let mut q = indexes[i].search();
            q.with_query(&query)
                .with_attributes_to_highlight(Selectors::Some(highlighted(*kind)))
                .with_highlight_pre_tag(PRE)
                .with_highlight_post_tag(POST)
                .with_attributes_to_crop(Selectors::Some(&[("summary", Some(30))]))
                .with_show_ranking_score(true);
            if let Some(f) = &filter {
                q.with_filter(f);
            }
            if !sort.is_empty() && *kind != DocKind::Region {
                q.with_sort(&sort);
            }
            multi.with_search_query(q);
        }
        let mut facets_by_index: HashMap<String, Vec<String>> = HashMap::new();
        for (i, kind) in kinds.iter().enumerate() {
            facets_by_index.insert(
                uids[i].clone(),
                kind.facet_attributes()
                    .iter()
                    .filter(|a| FACETS.contains(a))
                    .map(|a| (*a).to_owned())
                    .collect(),
            );
        }
        let federated = multi.with_federation(FederationOptions {
            offset: Some(req.offset),
            limit: Some(req.limit),
            facets_by_index: Some(facets_by_index),
            merge_facets: Some(MergeFacets {
                max_values_per_facet: Some(100),
            }),
            show_performance_details: None,
        });
        let res = self
            .bounded(federated.execute::<Map<String, Value>>())
            .await?;
        let mut out = SearchResponse {
            engine: "meilisearch",
            total: res.estimated_total_hits as u64,
            ..SearchResponse::default()
        };
        if let Some(dist) = res.facet_distribution {
            for (attr, values) in dist {
                let counts = values.into_iter().map(|(v, n)| (v, n as u64)).collect();
                out.facets.insert(attr, counts);
            }
        }
        for h in res.hits {
            let Some(fed) = &h.federation else { continue };
            let Some(kind) = self.kind_of(&fed.index_uid) else {
                continue;
            };
            let id = match kind {
                DocKind::Region => h.result.get("code").and_then(Value::as_str),
                _ => h.result.get("id").and_then(Value::as_str),
            }
            .unwrap_or_default()
            .to_owned();
            let mut highlights = Vec::new();
            if let Some(formatted) = &h.formatted_result {
                for field in highlighted(kind) {
                    if let Some(s) = formatted
                        .get(*field)
                        .and_then(Value::as_str)
                        .and_then(snippet)
                    {
                        let name = if *field == "name" { "title" } else { field };
                        highlights.push(Highlight {
                            field: name.to_owned(),
                            snippet: s,
                        });
                    }
                }
            }
            out.hits.push(Hit {
                kind,
                id,
                score: f64::from(fed.weighted_ranking_score),
                highlights,
            });
        }
        Ok(out)
    }

    async fn count(&self, kind: DocKind) -> Result<u64> {
        let stats = self
            .bounded(self.client.index(self.uid(kind)).get_stats())
            .await?;
        Ok(stats.number_of_documents as u64)
    }

    async fn health(&self) -> Result<()> {
        self.bounded(self.client.health()).await.map(|_| ())
    }

    async fn begin_rebuild(&self) -> Result<Box<dyn Rebuild>> {
        for kind in DocKind::ALL {
            let temp = format!("{}__rebuild", self.uid(kind));
            if let Ok(task) = self.bounded(self.client.delete_index(&temp)).await {
                let _ = self.confirm(task).await;
            }
            self.ensure_index(&temp, kind).await?;
            self.ensure_index(&self.uid(kind), kind).await?;
        }
        Ok(Box::new(MeiliRebuild {
            engine: self.clone(),
            added: HashMap::new(),
        }))
    }
}

struct MeiliRebuild {
    engine: MeiliEngine,
    /// Documents added per kind, to check the swap when its task is not
    /// visible to the key.
    added: HashMap<DocKind, u64>,
}

#[async_trait::async_trait]
impl Rebuild for MeiliRebuild {
    async fn add(&mut self, docs: Vec<Document>) -> Result<()> {
        for kind in DocKind::ALL {
            let of_kind: Vec<Document> =
                docs.iter().filter(|d| d.kind() == kind).cloned().collect();
            let temp = format!("{}__rebuild", self.engine.uid(kind));
            self.engine.add(&temp, &of_kind).await?;
            *self.added.entry(kind).or_default() += of_kind.len() as u64;
        }
        Ok(())
    }

    async fn finish(self: Box<Self>) -> Result<()> {
        let e = &self.engine;
        let swaps: Vec<SwapIndexes> = DocKind::ALL
            .iter()
            .map(|k| SwapIndexes {
                indexes: (e.uid(*k), format!("{}__rebuild", e.uid(*k))),
                rename: None,
            })
            .collect();
        let task = e.bounded(e.client.swap_indexes(&swaps)).await?;
        let wait = task.wait_for_completion(
            &e.client,
            Some(Duration::from_millis(20)),
            Some(e.timeout * 10),
        );
        let mut unseen = false;
        match tokio::time::timeout(e.timeout * 11, wait).await {
            Ok(Ok(Task::Failed { content })) => {
                return Err(SearchError::Internal(format!(
                    "Meilisearch index swap failed: {}",
                    content.error.error_message
                )));
            }
            Ok(Ok(_)) => {}
            // A key limited to `berguru_*` indexes cannot see a swap task
            // (it names no index). The deletions below queue behind it, so
            // once they are done the swap is too; the counts check it.
            Ok(Err(SdkError::Meilisearch(m))) if m.error_code == ErrorCode::TaskNotFound => {
                unseen = true;
            }
            Ok(Err(err)) => return Err(sdk_error(err)),
            Err(_) => {
                return Err(SearchError::Unavailable(
                    "Meilisearch did not finish the index swap in time".into(),
                ));
            }
        }
        for kind in DocKind::ALL {
            let temp = format!("{}__rebuild", e.uid(kind));
            let task = e.bounded(e.client.delete_index(&temp)).await?;
            e.confirm(task).await?;
        }
        if unseen {
            for kind in DocKind::ALL {
                let want = self.added.get(&kind).copied().unwrap_or(0);
                if e.count(kind).await? < want {
                    return Err(SearchError::Internal(format!(
                        "after the index swap {} holds fewer documents than were rebuilt",
                        e.uid(kind)
                    )));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_escaped_with_em_marks() {
        assert_eq!(
            snippet("Aplikasi \u{1}e-Office\u{2} <Sumedang>").as_deref(),
            Some("Aplikasi <em>e-Office</em> &lt;Sumedang&gt;")
        );
        assert_eq!(snippet("no match"), None);
    }

    #[test]
    fn filterable_settings_come_from_the_whitelist() {
        for kind in DocKind::ALL {
            for a in kind.facet_attributes() {
                assert!(crate::filter::FILTERABLE.contains(a));
            }
        }
    }
}
