//! Apollo Federation v2: entity keys and `_entities` through the DataLoaders.

use crate::*;

const ENTITIES: &str = r#"query ($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on Region { code name stats { practicesOwned } } }
}"#;

scenario!(
    entities_for_100_regions_take_as_many_statements_as_for_10,
    spawn,
    |app| async move {
        let codes: Vec<String> =
            app.data("{ regions(first: 100) { nodes { code } } }").await["regions"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["code"].as_str().unwrap().to_owned())
                .collect();
        let reps = |n: usize| {
            json!(
                codes[..n]
                    .iter()
                    .map(|c| json!({ "__typename": "Region", "code": c }))
                    .collect::<Vec<_>>()
            )
        };

        app.reset_statements();
        let ten = app.data_with(ENTITIES, json!({ "reps": reps(10) })).await;
        let ten_count = app.statements();
        app.reset_statements();
        let hundred = app.data_with(ENTITIES, json!({ "reps": reps(100) })).await;
        let hundred_count = app.statements();

        assert_eq!(ten["_entities"].as_array().map(Vec::len), Some(10));
        assert_eq!(hundred["_entities"].as_array().map(Vec::len), Some(100));
        assert_eq!(hundred["_entities"][99]["code"], codes[99].as_str());
        assert_eq!(ten_count, hundred_count, "{:?}", app.backend);
        app.close().await;
    }
);

scenario!(
    practice_agreement_and_visit_references_resolve_by_id,
    with_demo,
    |app| async move {
        let d = app
        .data_with(
            r#"query ($reps: [_Any!]!) { _entities(representations: $reps) {
                ... on Practice { slug } ... on Agreement { signedOn } ... on Visit { visitor { code } } } }"#,
            json!({ "reps": [
                { "__typename": "Practice", "id": "00000000-de70-4000-8000-000000000103" },
                { "__typename": "Agreement", "id": "00000000-de70-4000-8000-000000000205" },
                { "__typename": "Visit", "id": "00000000-de70-4000-8000-000000000601" },
                { "__typename": "Practice", "id": "11111111-1111-4111-8111-111111111111" }
            ] }),
        )
        .await;
        let e = &d["_entities"];
        assert_eq!(e[0]["slug"], "jabar-desa-digital");
        assert_eq!(e[1]["signedOn"], "2020-03-12");
        assert_eq!(e[2]["visitor"]["code"], "36.02");
        assert!(e[3].is_null(), "an unknown id resolves to null");
        app.close().await;
    }
);

scenario!(
    the_subgraph_sdl_declares_federation_v2_keys,
    spawn,
    |app| async move {
        let d = app.data("{ _service { sdl } }").await;
        let sdl = d["_service"]["sdl"].as_str().unwrap();
        assert!(sdl.contains("specs.apollo.dev/federation/v2"), "{sdl}");
        for key in [
            r#"type Region @key(fields: "code")"#,
            r#"type Practice @key(fields: "id")"#,
            r#"type Agreement @key(fields: "id")"#,
            r#"type Visit @key(fields: "id")"#,
        ] {
            assert!(sdl.contains(key), "missing {key}");
        }
        app.close().await;
    }
);
