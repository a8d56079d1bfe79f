//! The Meilisearch engine, through `meilisearch-sdk`. Every call is bounded by
//! a timeout (the SDK's HTTP client has none); a task that fails is an error;
//! filters are built from whitelisted attribute names with quoted, escaped
//! values ([`crate::filter`]). Settings are applied idempotently by
//! [`SearchEngine::prepare`].
//!
//! Meilisearch has no Indonesian stemmer and no bilingual glossary, so
//! Berguru brings both: every document carries stemmed shadow fields
//! (`titleStem`, `summaryStem`, `bodyStem`: the text with each word replaced
//! by its root, [`meili_document`]) searched after the fields themselves,
//! and a search is sent as a federated multi-search of a few variants of
//! the query ([`variants`]): as typed, with its words' roots, translated
//! through the glossary and abbreviations, and each expansion alone, the
//! variants weighted below the query as typed.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use meilisearch_sdk::client::{Client, SwapIndexes};
use meilisearch_sdk::errors::{Error as SdkError, ErrorCode};
use meilisearch_sdk::search::{
    FederationOptions, MatchingStrategies, MergeFacets, SearchQuery, Selectors,
};
use meilisearch_sdk::settings::{LocalizedAttributes, Settings};
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use serde_json::{Map, Value};

use crate::filter::FACETS;
use crate::{
    DocKind, Document, Highlight, Hit, Matched, Rebuild, Result, SearchEngine, SearchError,
    SearchRequest, SearchResponse, Sort, vocab,
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
    /// The setting that holds the search client's key, named when
    /// Meilisearch refuses it.
    search_key_setting: &'static str,
    /// Set by `prepare` when an index held documents without the stemmed
    /// shadow fields.
    stale: std::sync::Arc<std::sync::atomic::AtomicBool>,
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
            // 401/403: no key, a wrong key, or a key without the action.
            // Waiting does not help; the operator must change a setting.
            ErrorCode::MissingAuthorizationHeader
            | ErrorCode::InvalidApiKey
            | ErrorCode::MissingMasterKey => SearchError::Refused(format!(
                "Meilisearch refused the key ({:?}): {}",
                m.error_code, m.error_message
            )),
            _ => SearchError::Internal(format!("{:?}: {}", m.error_code, m.error_message)),
        },
        SdkError::Timeout => {
            SearchError::Unavailable("a Meilisearch task did not finish in time".into())
        }
        other => SearchError::Unavailable(other.to_string()),
    }
}

/// A refusal of the key names the setting the operator must change.
fn name_setting(e: SearchError, setting: &str) -> SearchError {
    match e {
        SearchError::Refused(m) => SearchError::Refused(format!("{setting}: {m}")),
        other => other,
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
            search_key_setting: if search_key.is_some() {
                "meili_search_key (BERGURU_MEILI_SEARCH_KEY)"
            } else {
                "meili_api_key (BERGURU_MEILI_API_KEY)"
            },
            stale: std::sync::Arc::default(),
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

    /// Waits for a task (up to ten times the request timeout: Meilisearch
    /// runs tasks one after another, so a task may wait behind others) and
    /// fails if the task failed. Bounding the wait by the request timeout
    /// alone failed a batch whenever indexing took longer than one request
    /// may, and each retry queued one more task to wait behind: under
    /// load the outbox never caught up.
    async fn confirm(&self, task: TaskInfo) -> Result<()> {
        let patience = self.timeout * 10;
        let wait = task.wait_for_completion(
            &self.client,
            Some(Duration::from_millis(20)),
            Some(patience),
        );
        let done = match tokio::time::timeout(patience, wait).await {
            Ok(r) => r.map_err(sdk_error)?,
            Err(_) => {
                return Err(SearchError::Unavailable(format!(
                    "a Meilisearch task did not finish within {} ms",
                    patience.as_millis()
                )));
            }
        };
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
        if exists.is_ok() && kind != DocKind::Region && !uid.ends_with("__rebuild") {
            let index = self.client.index(uid);
            let searchable = self.bounded(index.get_searchable_attributes()).await?;
            if !searchable.iter().any(|a| a == STEM_FIELDS[0]) {
                self.stale.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
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
            .map(meili_document)
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

/// A document as sent to Meilisearch: its fields plus the stemmed shadow
/// fields `titleStem`, `summaryStem` and `bodyStem` (practices,
/// agreements and requests; regions are names only).
pub fn meili_document(doc: &Document) -> serde_json::Result<Value> {
    let (mut value, stems) = match doc {
        Document::Practice(p) => (
            serde_json::to_value(p)?,
            [
                vocab::stem_text(&p.title),
                vocab::stem_text(&p.summary),
                vocab::stem_text(&format!(
                    "{} {} {} {}",
                    p.description,
                    p.lessons,
                    p.outcomes.join(" "),
                    p.sector_names.join(" ")
                )),
            ],
        ),
        Document::Agreement(a) => (
            serde_json::to_value(a)?,
            [
                vocab::stem_text(&a.title),
                vocab::stem_text(&a.scope.join(" ")),
                String::new(),
            ],
        ),
        Document::Region(r) => return serde_json::to_value(r),
        Document::Request(r) => (
            serde_json::to_value(r)?,
            [
                vocab::stem_text(&r.title),
                vocab::stem_text(&r.summary),
                vocab::stem_text(&format!(
                    "{} {} {} {}",
                    r.objectives.join(" "),
                    r.practice_titles.join(" "),
                    r.contact_agency,
                    r.sector_names.join(" ")
                )),
            ],
        ),
    };
    if let Value::Object(map) = &mut value {
        // "Provinsi Jawa Tengah" must match all its words in the practices
        // of Jawa Tengah's regencies too: the province's name is stored
        // without the word, and Meilisearch, short of a document with
        // every word, drops the last one ("Provinsi Jawa" found Jawa
        // Timur's provincial practices first).
        if let Some(Value::String(p)) = map.get_mut("provinceName")
            && !p.is_empty()
            && !p.starts_with("Provinsi ")
        {
            *p = format!("Provinsi {p}");
        }
        for (name, text) in STEM_FIELDS.iter().zip(stems) {
            map.insert((*name).to_owned(), Value::String(text));
        }
    }
    Ok(value)
}

/// The stemmed shadow fields, searched after every other field.
pub const STEM_FIELDS: [&str; 3] = ["titleStem", "summaryStem", "bodyStem"];

/// Which words Meilisearch may leave out when no document has them all.
/// The query as typed (variant 0) drops words from the end (`last`,
/// Meilisearch's default), which keeps a multi-word need's first, leading
/// words; every other variant (roots, translations, expansions) drops the
/// most frequent first (`frequency`), so a root query keeps its rare,
/// telling root. Measured on the judged set (search/README.md), before the
/// province names gained "Provinsi": `last` everywhere 0.832 NDCG@10,
/// `frequency` everywhere 0.839 (multi-word needs lost 0.10), this split
/// 0.853.
fn matching_strategy(variant: usize) -> MatchingStrategies {
    if variant == 0 {
        MatchingStrategies::LAST
    } else {
        MatchingStrategies::FREQUENCY
    }
}

/// One query of a federated search: the text, its weight and why it is
/// sent (empty for the query as typed).
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub query: String,
    pub weight: f32,
    pub why: Vec<Matched>,
}

/// At most this many variants of one query (times the kinds searched).
pub const MAX_VARIANTS: usize = 6;

/// The queries sent for one search: the query as typed (weight 1, long
/// synonym phrases shortened as Meilisearch needs); with every word
/// replaced by its root (0.9), when that changes a word; translated, each
/// glossary, abbreviation or synonym phrase replaced by its first
/// expansion, longest first (0.85); and the expansions alone (0.7).
pub fn variants(query: &str) -> Vec<Variant> {
    let typed = if vocab::words(query).len() > 3 {
        vocab::shorten_long_synonyms(query)
    } else {
        query.to_owned()
    };
    let mut out = vec![Variant {
        query: typed,
        weight: 1.0,
        why: Vec::new(),
    }];
    let words = vocab::query_words(query);
    if words.is_empty() {
        return out;
    }
    let push = |out: &mut Vec<Variant>, v: Variant| {
        if out.len() < MAX_VARIANTS
            && !v.query.is_empty()
            && !out
                .iter()
                .any(|o| vocab::words(&o.query) == vocab::words(&v.query))
        {
            out.push(v);
        }
    };
    let roots: Vec<String> = words.iter().map(|w| vocab::stem_word(w)).collect();
    let why: Vec<Matched> = words
        .iter()
        .zip(&roots)
        .filter(|(w, r)| w != r)
        .map(|(w, r)| Matched {
            kind: "stem",
            from: w.clone(),
            to: r.clone(),
        })
        .collect();
    if !why.is_empty() {
        push(
            &mut out,
            Variant {
                query: roots.join(" "),
                weight: 0.9,
                why,
            },
        );
    }
    let expansions: Vec<vocab::Expansion> = vocab::expansions(&words)
        .into_iter()
        .filter(|e| e.kind != vocab::ExpansionKind::Joined)
        .collect();
    // Translated: replace matched windows, longest expansions first,
    // without overlaps.
    let keys: Vec<String> = words.iter().map(|w| vocab::key(w)).collect();
    let mut taken = vec![false; words.len()];
    let mut replaced: Vec<Option<Vec<String>>> = vec![None; words.len()];
    let mut why = Vec::new();
    for e in &expansions {
        let from: Vec<String> = e.from.iter().map(|w| vocab::key(w)).collect();
        let Some(start) = (0..words.len().saturating_sub(from.len() - 1)).find(|&i| {
            keys[i..i + from.len()] == from[..] && !taken[i..i + from.len()].contains(&true)
        }) else {
            continue;
        };
        for t in &mut taken[start..start + from.len()] {
            *t = true;
        }
        replaced[start] = Some(e.to.clone());
        why.push(matched(e));
    }
    if !why.is_empty() {
        let mut q: Vec<String> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            match (&replaced[i], taken[i]) {
                (Some(to), _) => q.extend(to.iter().cloned()),
                (None, true) => {}
                (None, false) => q.push(w.clone()),
            }
        }
        push(
            &mut out,
            Variant {
                query: q.join(" "),
                weight: 0.85,
                why,
            },
        );
    }
    for e in &expansions {
        push(
            &mut out,
            Variant {
                query: e.to.join(" "),
                weight: 0.7,
                why: vec![matched(e)],
            },
        );
    }
    out
}

fn matched(e: &vocab::Expansion) -> Matched {
    Matched {
        kind: e.kind.as_str(),
        from: e.from.join(" "),
        to: e.to.join(" "),
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
            "titleStem",
            "summaryStem",
            "bodyStem",
        ],
        DocKind::Agreement => &[
            "title",
            "aliases",
            "number",
            "partyNames",
            "scope",
            "agencies",
            "titleStem",
            "summaryStem",
        ],
        DocKind::Region => &["name", "aliases", "capital", "provinceName", "code"],
        DocKind::Request => &[
            "title",
            "aliases",
            "regionName",
            "sectorNames",
            "provinceName",
            "summary",
            "objectives",
            "practiceTitles",
            "contactAgency",
            "titleStem",
            "summaryStem",
            "bodyStem",
        ],
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
        self.stale
            .store(false, std::sync::atomic::Ordering::Relaxed);
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
        let variants = variants(&req.query);
        let uids: Vec<String> = kinds.iter().map(|k| self.uid(*k)).collect();
        let indexes: Vec<_> = uids.iter().map(|u| self.searcher.index(u)).collect();
        let sort: Vec<&str> = match req.sort {
            Sort::Relevance => vec![],
            Sort::MostProven => vec!["proven:desc"],
            Sort::RecentlyVerified => vec!["lastVerifiedDays:desc"],
        };
        let mut multi = self.searcher.multi_search();
        // Which variant each query of the request is.
        let mut variant_of: Vec<usize> = Vec::new();
        for (v, variant) in variants.iter().enumerate() {
            for (i, kind) in kinds.iter().enumerate() {
                let mut q: SearchQuery<'_, _> = indexes[i].search();
                q.with_query(&variant.query)
                    .with_attributes_to_highlight(Selectors::Some(highlighted(*kind)))
                    .with_highlight_pre_tag(PRE)
                    .with_highlight_post_tag(POST)
                    .with_attributes_to_crop(Selectors::Some(&[("summary", Some(30))]))
                    .with_show_ranking_score(true)
                    .with_matching_strategy(matching_strategy(v));
                if let Some(f) = &filter {
                    q.with_filter(f);
                }
                if !sort.is_empty() && *kind != DocKind::Region {
                    q.with_sort(&sort);
                }
                multi.with_search_query_and_weight(q, variant.weight);
                variant_of.push(v);
            }
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
        let mut seen = std::collections::HashSet::new();
        for h in res.hits {
            let Some(fed) = &h.federation else { continue };
            let Some(kind) = self.kind_of(&fed.index_uid) else {
                continue;
            };
            let why = variant_of
                .get(fed.queries_position)
                .and_then(|v| variants.get(*v))
                .map(|v| v.why.clone())
                .unwrap_or_default();
            let id = match kind {
                DocKind::Region => h.result.get("code").and_then(Value::as_str),
                _ => h.result.get("id").and_then(Value::as_str),
            }
            .unwrap_or_default()
            .to_owned();
            // A document found by several variants is listed once, where
            // it ranks best.
            if !seen.insert((kind, id.clone())) {
                continue;
            }
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
                            expansions: why.clone(),
                        });
                    }
                }
            }
            // Found through a variant but nothing marked in the shown
            // fields (a stem-only match: Meilisearch marks the words it
            // matched, here roots in the shadow fields): the title still
            // carries the explanation.
            if highlights.is_empty() && !why.is_empty() {
                let title = if kind == DocKind::Region {
                    "name"
                } else {
                    "title"
                };
                if let Some(text) = h.result.get(title).and_then(Value::as_str) {
                    let mut plain = String::new();
                    crate::escape_html(text, &mut plain);
                    highlights.push(Highlight {
                        field: "title".to_owned(),
                        snippet: plain,
                        expansions: why.clone(),
                    });
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

    /// `/health` needs no key, so a reachable Meilisearch that refuses
    /// Berguru's key would look healthy: after it, each client makes one
    /// call that needs its key (listing an index for indexing, a search of
    /// no hits for searching). An index not created yet is fine here: the
    /// worker creates it.
    async fn health(&self) -> Result<()> {
        self.bounded(self.client.health()).await?;
        let mut list = meilisearch_sdk::indexes::IndexesQuery::new(&self.client);
        list.with_limit(1);
        self.bounded(self.client.list_all_indexes_with(&list))
            .await
            .map_err(|e| name_setting(e, "meili_api_key (BERGURU_MEILI_API_KEY)"))?;
        let index = self.searcher.index(self.uid(DocKind::Practice));
        let probe = async {
            match index.search().with_limit(0).execute::<Value>().await {
                Err(SdkError::Meilisearch(m)) if m.error_code == ErrorCode::IndexNotFound => Ok(()),
                other => other.map(|_| ()),
            }
        };
        self.bounded(probe)
            .await
            .map_err(|e| name_setting(e, self.search_key_setting))
    }

    async fn stale(&self) -> Result<bool> {
        Ok(self.stale.load(std::sync::atomic::Ordering::Relaxed))
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
    fn documents_carry_stemmed_shadow_fields() {
        let doc = Document::Practice(crate::PracticeDoc {
            id: "p1".into(),
            title: "Pelaporan Keuangan Desa".into(),
            summary: "Penanganan pengaduan masyarakat".into(),
            description: "Kepegawaian".into(),
            ..crate::PracticeDoc::default()
        });
        let v = meili_document(&doc).unwrap();
        assert_eq!(v["title"], "Pelaporan Keuangan Desa");
        assert_eq!(v["titleStem"], "lapor uang desa");
        assert_eq!(v["summaryStem"], "tangan adu masyarakat");
        assert!(v["bodyStem"].as_str().unwrap().contains("pegawai"), "{v}");
        let region = Document::Region(crate::RegionDoc::default());
        assert!(meili_document(&region).unwrap().get("titleStem").is_none());
        // A practice's province is named with "Provinsi", so the words of
        // "Provinsi Jawa Tengah" all match its regencies' practices.
        let doc = Document::Practice(crate::PracticeDoc {
            province_name: "Jawa Tengah".into(),
            ..crate::PracticeDoc::default()
        });
        assert_eq!(
            meili_document(&doc).unwrap()["provinceName"],
            "Provinsi Jawa Tengah"
        );
        let s = serde_json::to_value(settings(DocKind::Practice)).unwrap();
        let searchable: Vec<&str> = s["searchableAttributes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        // The shadow fields come after every field as written, so the
        // attribute rule ranks exact forms above stem-only matches.
        assert_eq!(&searchable[searchable.len() - 3..], &STEM_FIELDS[..]);
    }

    #[test]
    fn a_search_sends_typed_stemmed_and_translated_variants() {
        let v = variants("complaint management systems for permits");
        assert_eq!(
            vocab::words(&v[0].query),
            vocab::words("complaint management systems for permits")
        );
        assert_eq!(v[0].weight, 1.0);
        assert!(v[0].why.is_empty());
        let translated = v
            .iter()
            .find(|x| x.weight == 0.85)
            .expect("a translated variant");
        assert!(
            translated
                .query
                .starts_with("sistem pengelolaan pengaduan "),
            "{translated:?}"
        );
        assert!(
            translated.why.iter().any(|m| m.kind == "glossary"),
            "{translated:?}"
        );
        assert!(v.len() <= MAX_VARIANTS);
        let stemmed = variants("pelaporan kepegawaian");
        assert_eq!(stemmed[1].query, "lapor pegawai");
        assert_eq!(stemmed[1].why[0].kind, "stem");
        // A query of roots only and no vocabulary is sent once.
        assert_eq!(variants("desa").len(), 1);
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
