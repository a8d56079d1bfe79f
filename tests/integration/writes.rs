//! Writes of practices: access rules, validation, optimistic concurrency,
//! the audit trail.

use crate::*;

const SUMEDANG_E_OFFICE: &str = "00000000-de70-4000-8000-000000000101";

const UPDATE_TITLE: &str = r#"mutation ($id: ID!, $v: Int!, $t: String!) {
  updatePractice(input: { id: $id, version: $v, title: $t }) { practice { title version updatedAt } } }"#;

const CREATE: &str = r#"mutation ($in: CreatePracticeInput!) {
  createPractice(input: $in) { practice { id slug title version owner { code } sectors status lookingForAdopters } } }"#;

fn new_practice(owner: &str, title: &str) -> Value {
    json!({ "in": { "title": title, "summary": "Ringkasan", "ownerRegionCode": owner,
                    "sectors": ["E_GOVERNMENT"], "form": "GOVERNANCE" } })
}

scenario!(
    an_editor_of_lebak_cannot_edit_sumedangs_practice,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let resp = app
            .query_as(
                &lebak,
                UPDATE_TITLE,
                json!({ "id": SUMEDANG_E_OFFICE, "v": 1, "t": "Hijacked" }),
            )
            .await;
        expect_error(&resp, "FORBIDDEN");
        let d = app
            .data(&format!(
                r#"{{ practice(id: "{SUMEDANG_E_OFFICE}") {{ title version }} }}"#
            ))
            .await;
        assert_eq!(d["practice"]["title"], "Super aplikasi e-Office Sumedang");
        assert_eq!(d["practice"]["version"], 1);
        app.close().await;
    }
);

scenario!(
    an_editor_updates_its_own_practice_and_the_audit_trail_records_it,
    with_demo,
    |app| async move {
        let sumedang = app.token("editor", Some("32.11")).await;
        let d = app
            .data_as(
                &sumedang,
                UPDATE_TITLE,
                json!({ "id": SUMEDANG_E_OFFICE, "v": 1, "t": "e-Office Sumedang" }),
            )
            .await;
        assert_eq!(
            d["updatePractice"]["practice"]["title"],
            "e-Office Sumedang"
        );
        assert_eq!(d["updatePractice"]["practice"]["version"], 2);
        let admin = app.token("admin", None).await;
        let log = app
        .data_as(
            &admin,
            r#"query ($id: ID!) { auditLog(filter: { objectId: $id }) { nodes { action actor objectType before after } } }"#,
            json!({ "id": SUMEDANG_E_OFFICE }),
        )
        .await;
        let entry = &log["auditLog"]["nodes"][0];
        assert_eq!(entry["action"], "updatePractice");
        assert_eq!(entry["actor"], "editor 32.11");
        assert_eq!(entry["before"]["title"], "Super aplikasi e-Office Sumedang");
        assert_eq!(entry["after"]["title"], "e-Office Sumedang");
        let own = app
            .data(&format!(
                r#"{{ practice(id: "{SUMEDANG_E_OFFICE}") {{ changes {{ action actor }} }} }}"#
            ))
            .await;
        assert_eq!(own["practice"]["changes"][0]["action"], "updatePractice");
        app.close().await;
    }
);

scenario!(
    writes_without_a_valid_token_are_refused_and_change_nothing,
    with_demo,
    |app| async move {
        let resp = app
            .query_with(
                UPDATE_TITLE,
                json!({ "id": SUMEDANG_E_OFFICE, "v": 1, "t": "x" }),
            )
            .await;
        expect_error(&resp, "UNAUTHENTICATED");
        let resp = app
            .query_as(
                "bgr_not-a-token",
                UPDATE_TITLE,
                json!({ "id": SUMEDANG_E_OFFICE, "v": 1, "t": "x" }),
            )
            .await;
        expect_error(&resp, "UNAUTHENTICATED");

        let admin = app.token("admin", None).await;
        let sumedang = app.token("editor", Some("32.11")).await;
        let tokens = app
            .data_as(&admin, "{ apiTokens { id regionCode } }", json!({}))
            .await;
        let id = tokens["apiTokens"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["regionCode"] == "32.11")
            .unwrap()["id"]
            .clone();
        app.data_as(
            &admin,
            "mutation ($id: ID!) { revokeToken(input: { id: $id }) { token { revokedAt } } }",
            json!({ "id": id }),
        )
        .await;
        let resp = app
            .query_as(
                &sumedang,
                UPDATE_TITLE,
                json!({ "id": SUMEDANG_E_OFFICE, "v": 1, "t": "x" }),
            )
            .await;
        let e = expect_error(&resp, "UNAUTHENTICATED");
        assert!(e["message"].as_str().unwrap().contains("revoked"));

        // An expired token.
        let (secret, _) = api::domain::token::create(
            &app.db,
            &api::auth::Viewer::Operator,
            api::domain::token::NewToken {
                name: "short".into(),
                role: entity::TokenRole::Editor,
                region_code: Some("32.11".into()),
                expires_at: Some(chrono::Utc::now() + chrono::Duration::milliseconds(300)),
            },
        )
        .await
        .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let e = expect_error(
            &app.query_as(
                &secret,
                UPDATE_TITLE,
                json!({ "id": SUMEDANG_E_OFFICE, "v": 1, "t": "x" }),
            )
            .await,
            "UNAUTHENTICATED",
        );
        assert!(e["message"].as_str().unwrap().contains("expired"));
        let d = app
            .data(&format!(
                r#"{{ practice(id: "{SUMEDANG_E_OFFICE}") {{ title version }} }}"#
            ))
            .await;
        assert_eq!(d["practice"]["version"], 1);
        app.close().await;
    }
);

scenario!(
    two_concurrent_updates_of_one_version_give_one_success_and_one_conflict,
    with_demo,
    |app| async move {
        let sumedang = app.token("editor", Some("32.11")).await;
        let a = app.query_as(
            &sumedang,
            UPDATE_TITLE,
            json!({ "id": SUMEDANG_E_OFFICE, "v": 1, "t": "Edit A" }),
        );
        let b = app.query_as(
            &sumedang,
            UPDATE_TITLE,
            json!({ "id": SUMEDANG_E_OFFICE, "v": 1, "t": "Edit B" }),
        );
        let (a, b) = tokio::join!(a, b);
        let ok: Vec<&Value> = [&a, &b]
            .into_iter()
            .filter(|r| r.get("errors").is_none())
            .collect();
        let conflicts: Vec<&Value> = [&a, &b]
            .into_iter()
            .filter(|r| r["errors"][0]["extensions"]["code"] == "CONFLICT")
            .collect();
        assert_eq!((ok.len(), conflicts.len()), (1, 1), "{a:#}\n{b:#}");
        let winner = ok[0]["data"]["updatePractice"]["practice"]["title"].clone();
        let d = app
            .data(&format!(
                r#"{{ practice(id: "{SUMEDANG_E_OFFICE}") {{ title version }} }}"#
            ))
            .await;
        assert_eq!(d["practice"]["title"], winner);
        assert_eq!(d["practice"]["version"], 2);
        app.close().await;
    }
);

scenario!(
    creating_a_practice_validates_input_and_fills_defaults,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let d = app
            .data_as(
                &lebak,
                CREATE,
                new_practice("36.02", "Layanan Satu Pintu Lebak"),
            )
            .await;
        let p = &d["createPractice"]["practice"];
        assert_eq!(p["slug"], "layanan-satu-pintu-lebak");
        assert_eq!(p["version"], 1);
        assert_eq!(p["status"], "ACTIVE");
        assert_eq!(p["lookingForAdopters"], false);
        // Same title again: a free slug is chosen.
        let d = app
            .data_as(
                &lebak,
                CREATE,
                new_practice("36.02", "Layanan Satu Pintu Lebak"),
            )
            .await;
        assert_eq!(
            d["createPractice"]["practice"]["slug"],
            "layanan-satu-pintu-lebak-2"
        );

        expect_error(
            &app.query_as(&lebak, CREATE, new_practice("32.11", "Not mine"))
                .await,
            "FORBIDDEN",
        );
        let e = expect_error(
            &app.query_as(&lebak, CREATE, new_practice("99.99", "Nowhere"))
                .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "ownerRegionCode");
        let e = expect_error(
            &app.query_as(&lebak, CREATE, new_practice("36.02", "   "))
                .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "title");
        let long = "x".repeat(301);
        expect_error(
            &app.query_as(&lebak, CREATE, new_practice("36.02", &long))
                .await,
            "BAD_USER_INPUT",
        );
        let mut no_sector = new_practice("36.02", "No sector");
        no_sector["in"]["sectors"] = json!([]);
        expect_error(
            &app.query_as(&lebak, CREATE, no_sector).await,
            "BAD_USER_INPUT",
        );
        let mut taken = new_practice("36.02", "Taken slug");
        taken["in"]["slug"] = json!("sumedang-e-office");
        expect_error(&app.query_as(&lebak, CREATE, taken).await, "CONFLICT");
        let total = app
            .data(r#"{ practices(filter: { ownerRegionCode: "36.02" }) { totalCount } }"#)
            .await;
        assert_eq!(
            total["practices"]["totalCount"], 2,
            "rejected inputs wrote nothing"
        );
        app.close().await;
    }
);

scenario!(
    archive_restore_verify_and_adopter_flag_are_versioned_writes,
    with_demo,
    |app| async move {
        let jabar = app.token("admin", Some("32")).await;
        let id = SUMEDANG_E_OFFICE;
        let d = app
        .data_as(&jabar, "mutation ($id: ID!) { archivePractice(input: { id: $id, version: 1 }) { practice { archivedAt version } } }", json!({ "id": id }))
        .await;
        assert!(d["archivePractice"]["practice"]["archivedAt"].is_string());
        let listed = app.data(r#"{ practices(filter: { ownerRegionCode: "32.11" }) { totalCount } all: practices(filter: { ownerRegionCode: "32.11", includeArchived: true }) { totalCount } }"#).await;
        assert_eq!(
            (
                listed["practices"]["totalCount"].clone(),
                listed["all"]["totalCount"].clone()
            ),
            (json!(0), json!(1))
        );
        app.data_as(&jabar, "mutation ($id: ID!) { restorePractice(input: { id: $id, version: 2 }) { practice { version } } }", json!({ "id": id })).await;
        let d = app
        .data_as(&jabar, "mutation ($id: ID!) { verifyPractice(input: { id: $id, version: 3 }) { practice { lastVerifiedOn version } } }", json!({ "id": id }))
        .await;
        assert_eq!(
            d["verifyPractice"]["practice"]["lastVerifiedOn"],
            chrono::Utc::now().date_naive().to_string()
        );
        let d = app
        .data_as(&jabar, "mutation ($id: ID!) { setLookingForAdopters(input: { id: $id, version: 4, lookingForAdopters: false }) { practice { lookingForAdopters version } } }", json!({ "id": id }))
        .await;
        assert_eq!(d["setLookingForAdopters"]["practice"]["version"], 5);
        // A province admin of Jawa Barat may not touch Banten's Lebak.
        let lebak_practice = app
            .data_as(
                &app.token("editor", Some("36.02")).await,
                CREATE,
                new_practice("36.02", "Lebak"),
            )
            .await;
        let lid = lebak_practice["createPractice"]["practice"]["id"].clone();
        expect_error(
        &app.query_as(&jabar, "mutation ($id: ID!) { archivePractice(input: { id: $id, version: 1 }) { practice { id } } }", json!({ "id": lid })).await,
        "FORBIDDEN",
    );
        app.close().await;
    }
);

scenario!(
    outcomes_are_added_updated_and_removed_with_their_practice_versioned,
    with_demo,
    |app| async move {
        let sumedang = app.token("editor", Some("32.11")).await;
        let d = app
        .data_as(
            &sumedang,
            r#"mutation ($id: ID!) { addOutcome(input: { practiceId: $id, outcome: { metric: "Waktu tanda tangan surat", unit: "hari", baselineValue: 3, baselineYear: 2020, achievedValue: 1, achievedYear: 2022 } }) { outcome { id change } practice { version } } }"#,
            json!({ "id": SUMEDANG_E_OFFICE }),
        )
        .await;
        assert_eq!(d["addOutcome"]["outcome"]["change"], -2.0);
        assert_eq!(d["addOutcome"]["practice"]["version"], 2);
        let oid = d["addOutcome"]["outcome"]["id"].clone();
        let e = expect_error(
        &app.query_as(&sumedang, r#"mutation ($id: ID!) { updateOutcome(input: { id: $id, outcome: { metric: "x", achievedValue: 1, baselineYear: 2022, achievedYear: 2020 } }) { outcome { id } } }"#, json!({ "id": oid })).await,
        "BAD_USER_INPUT",
    );
        assert_eq!(e["extensions"]["field"], "achievedYear");
        let d = app
        .data_as(&sumedang, r#"mutation ($id: ID!) { removeOutcome(input: { id: $id }) { practice { version outcomes { id } } } }"#, json!({ "id": oid }))
        .await;
        assert_eq!(d["removeOutcome"]["practice"]["version"], 3);
        assert_eq!(
            d["removeOutcome"]["practice"]["outcomes"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        app.close().await;
    }
);
