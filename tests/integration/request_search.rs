//! Open learning requests are searchable, on the embedded engine always and
//! on Meilisearch when `MEILI_URL` is set, on SQLite and, with
//! `DATABASE_URL`, PostgreSQL: by Indonesian roots, typos and English
//! words; filtered by sector, province and region kind; found by the
//! universal `search` too; gone from the index once closed; rebuilt by a
//! reindex.

use tests::search_scenario;

use super::*;

const POST: &str = r#"mutation ($input: PostLearningRequestInput!) {
  postLearningRequest(input: $input) { request { id version } } }"#;

const SEARCH_REQUESTS: &str = r#"query ($q: String!, $f: LearningRequestSearchFilter) {
  searchLearningRequests(query: $q, filter: $f, first: 10) {
    totalCount engine
    facets { sector { value count } province { value count } }
    edges { cursor score highlights { field snippet expansions { kind from to } }
      node { id topic status region { code } } }
    pageInfo { hasNextPage endCursor } } }"#;

async fn topics(app: &TestApp, q: &str, filter: Value) -> Vec<String> {
    let d = app
        .data_with(SEARCH_REQUESTS, json!({ "q": q, "f": filter }))
        .await;
    d["searchLearningRequests"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{d:#}"))
        .iter()
        .map(|e| e["node"]["topic"].as_str().unwrap().to_owned())
        .collect()
}

const LEBAK_TOPIC: &str = "Administrasi perkantoran elektronik (e-Office)";
const PADANG_TOPIC: &str = "Promosi pariwisata digital";

search_scenario!(
    open_learning_requests_are_found_by_roots_typos_and_english_and_leave_when_closed,
    with_demo_search,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let padang = app.token("editor", Some("13.71")).await;
        let d = app
            .data_as(
                &lebak,
                POST,
                json!({ "input": {
                    "regionCode": "36.02",
                    "topic": LEBAK_TOPIC,
                    "sectors": ["E_GOVERNMENT"],
                    "problem": "Surat-menyurat antar-OPD masih di atas kertas",
                    "objectives": ["Memahami alur naskah dinas elektronik"],
                    "contactAgency": "Diskominfo Kabupaten Lebak"
                } }),
            )
            .await;
        let lebak_id = d["postLearningRequest"]["request"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        app.data_as(
            &padang,
            POST,
            json!({ "input": {
                "regionCode": "13.71",
                "topic": PADANG_TOPIC,
                "sectors": ["TOURISM"],
                "problem": "Kunjungan wisatawan belum terpantau",
                "objectives": ["Aplikasi promosi destinasi wisata"],
                "contactAgency": "Dinas Pariwisata Kota Padang"
            } }),
        )
        .await;
        app.sync_search().await;

        // As written, by a shared root, with a typo, and in English.
        for q in [
            "perkantoran elektronik",
            "kantor elektronik",
            "perkantoan elektronik",
            "e-office",
            "eoffice",
            "naskah dinas",
            "electronic",
        ] {
            let found = topics(&app, q, json!(null)).await;
            assert_eq!(
                found.first().map(String::as_str),
                Some(LEBAK_TOPIC),
                "{q:?} found {found:?}"
            );
        }
        let found = topics(&app, "wisata", json!(null)).await;
        assert_eq!(found, vec![PADANG_TOPIC.to_owned()], "wisata");
        let d = app
            .data_with(SEARCH_REQUESTS, json!({ "q": "kertas", "f": null }))
            .await;
        let c = &d["searchLearningRequests"];
        assert_eq!(c["totalCount"], 1, "{c:#}");
        assert_eq!(c["edges"][0]["node"]["region"]["code"], "36.02");
        assert_eq!(c["edges"][0]["node"]["status"], "OPEN");
        let snippet = c["edges"][0]["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["field"] == "summary")
            .unwrap_or_else(|| panic!("no summary highlight: {c:#}"));
        assert!(
            snippet["snippet"]
                .as_str()
                .unwrap()
                .contains("<em>kertas</em>"),
            "{snippet:#}"
        );

        // Filters: sector, province, region kind.
        assert_eq!(
            topics(&app, "", json!({ "sectors": ["TOURISM"] })).await,
            vec![PADANG_TOPIC.to_owned()]
        );
        assert_eq!(
            topics(&app, "", json!({ "provinces": ["36"] })).await,
            vec![LEBAK_TOPIC.to_owned()]
        );
        assert_eq!(
            topics(&app, "", json!({ "regionKinds": ["CITY"] })).await,
            vec![PADANG_TOPIC.to_owned()]
        );
        assert!(
            topics(&app, "", json!({ "provinces": ["32"] }))
                .await
                .is_empty()
        );
        let d = app
            .data_with(SEARCH_REQUESTS, json!({ "q": "", "f": null }))
            .await;
        let facets = &d["searchLearningRequests"]["facets"];
        assert_eq!(facets["sector"].as_array().unwrap().len(), 2, "{facets:#}");

        // The universal search finds requests too, and only them when asked.
        let d = app
            .data_with(
                r#"query { search(query: "perkantoran elektronik", filter: { kinds: [LEARNING_REQUEST] }) {
                  total hits { kind node { __typename ... on LearningRequest { id topic } } } } }"#,
                json!({}),
            )
            .await;
        let hits = d["search"]["hits"].as_array().unwrap();
        assert!(!hits.is_empty(), "{d:#}");
        assert!(hits.iter().all(
            |h| h["kind"] == "LEARNING_REQUEST" && h["node"]["__typename"] == "LearningRequest"
        ));
        assert_eq!(hits[0]["node"]["id"], lebak_id.as_str());
        let d = app
            .data_with(
                r#"query { search(query: "e-office") { hits { kind } } }"#,
                json!({}),
            )
            .await;
        let kinds: Vec<&str> = d["search"]["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["kind"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"PRACTICE"), "{kinds:?}");
        assert!(kinds.contains(&"LEARNING_REQUEST"), "{kinds:?}");

        // A changed topic is searchable by its new words.
        let d = app
            .data_as(
                &lebak,
                r#"mutation ($id: ID!) { updateLearningRequest(input: { id: $id, version: 1, topic: "Tata naskah dinas elektronik" }) { request { version } } }"#,
                json!({ "id": lebak_id }),
            )
            .await;
        let version = d["updateLearningRequest"]["request"]["version"]
            .as_i64()
            .unwrap();
        app.sync_search().await;
        assert_eq!(
            topics(&app, "tata naskah", json!(null)).await,
            vec!["Tata naskah dinas elektronik".to_owned()]
        );

        // Closed: no longer found, and gone from the index.
        app.data_as(
            &lebak,
            r#"mutation ($id: ID!, $v: Int!) { closeLearningRequest(input: { id: $id, version: $v, outcome: WITHDRAWN, note: "anggaran belum tersedia" }) { request { status } } }"#,
            json!({ "id": lebak_id, "v": version }),
        )
        .await;
        app.sync_search().await;
        // (Padang's request may still match "dinas": its contact agency is
        // the Dinas Pariwisata.)
        for q in ["naskah dinas", "tata naskah", "perkantoran elektronik"] {
            let found = topics(&app, q, json!(null)).await;
            assert!(
                !found
                    .iter()
                    .any(|t| t.contains("naskah") || t == LEBAK_TOPIC),
                "a withdrawn request is still found by {q:?}: {found:?}"
            );
        }
        assert_eq!(
            app.state
                .search
                .count(::search::DocKind::Request)
                .await
                .unwrap(),
            1
        );

        // A reindex rebuilds the open requests only.
        api::search_sync::reindex(&app.db, app.state.search.as_ref(), |_, _| {})
            .await
            .unwrap();
        assert_eq!(
            app.state
                .search
                .count(::search::DocKind::Request)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            topics(&app, "wisata", json!(null)).await,
            vec![PADANG_TOPIC.to_owned()]
        );
    }
);
