//! Practices: the demo's evidence, filters, orderings and pagination.

use crate::*;

scenario!(
    desa_digital_shows_its_poverty_outcome_and_guru,
    with_demo,
    |app| async move {
        let d = app
        .data(
            r#"{ practice(slug: "jabar-desa-digital") {
                title isDigital status sectors
                owner { code name }
                outcomes { metric unit baselineValue baselineYear achievedValue achievedYear change source }
            } }"#,
        )
        .await;
        let p = &d["practice"];
        assert_eq!(p["owner"]["code"], "32");
        assert_eq!(p["status"], "ACTIVE");
        let o = &p["outcomes"][0];
        assert_eq!(o["baselineValue"], 7.25);
        assert_eq!(o["achievedValue"], 6.82);
        assert_eq!(o["change"], -0.43);
        assert_eq!(o["unit"], "%");
        app.close().await;
    }
);

scenario!(
    sumedang_e_office_is_transferred_by_two_agreements_and_studied_on_two_visits,
    with_demo,
    |app| async move {
        let d = app
        .data(
            r#"{ region(code: "32.11") {
                practices { slug agreements { signedOn parties { region { code } } } visits { visitor { code } startsOn days }
                            adoptions { region { code } stage } }
                indices { year publicServiceIndex }
            } }"#,
        )
        .await;
        let r = &d["region"];
        assert_eq!(r["indices"][0]["publicServiceIndex"], 3.8);
        let p = &r["practices"][0];
        assert_eq!(p["slug"], "sumedang-e-office");
        assert_eq!(p["agreements"].as_array().map(Vec::len), Some(2));
        assert_eq!(p["agreements"][0]["signedOn"], "2022-05-31");
        let mut visitors: Vec<&str> = p["visits"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v["visitor"]["code"].as_str())
            .collect();
        visitors.sort();
        assert_eq!(visitors, ["32.02", "36.02"]);
        assert_eq!(p["visits"][0]["days"], 1);
        assert_eq!(p["adoptions"].as_array().map(Vec::len), Some(2));
        app.close().await;
    }
);

scenario!(
    practices_filter_by_owner_province_sector_status_and_adopter_search,
    with_demo,
    |app| async move {
        let d = app
            .data(
                r#"{
              jabarProvince: practices(filter: { provinceCode: "32" }) { totalCount }
              ownedByJabar: practices(filter: { ownerRegionCode: "32" }) { totalCount }
              smartCity: practices(filter: { sector: SMART_CITY }) { nodes { slug } }
              looking: practices(filter: { lookingForAdopters: true }) { totalCount }
              stopped: practices(filter: { status: STOPPED }) { totalCount }
            }"#,
            )
            .await;
        // Jawa Barat's three, Sumedang's e-Office and Bandung's smart city.
        assert_eq!(d["jabarProvince"]["totalCount"], 5);
        assert_eq!(d["ownedByJabar"]["totalCount"], 3);
        assert_eq!(d["smartCity"]["nodes"][0]["slug"], "bandung-smart-city");
        assert_eq!(d["looking"]["totalCount"], 2);
        assert_eq!(d["stopped"]["totalCount"], 0);
        app.close().await;
    }
);

scenario!(
    paging_practices_by_title_and_by_update_visits_each_once,
    spawn,
    |app| async move {
        crate::fixtures::practices_with_agreements(&app, 23).await;
        for order in ["TITLE", "UPDATED_AT"] {
            let seen: Vec<String> = app
                .all_pages(
                    r#"query ($after: String, $order: PracticeOrderBy!) {
                        practices(first: 5, after: $after, orderBy: $order) {
                          nodes { slug } pageInfo { hasNextPage endCursor } } }"#,
                    json!({ "order": order }),
                    "practices",
                )
                .await
                .iter()
                .map(|n| n["slug"].as_str().unwrap().to_owned())
                .collect();
            let mut unique = seen.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 23, "{order}: {seen:?}");
            assert_eq!(seen.len(), 23, "{order}: {seen:?}");
            if order == "TITLE" {
                assert_eq!(seen, unique, "title order");
            }
        }
        app.close().await;
    }
);

scenario!(
    a_cursor_from_one_ordering_is_refused_by_another,
    spawn,
    |app| async move {
        crate::fixtures::practices_with_agreements(&app, 3).await;
        let d = app
            .data(r#"{ practices(first: 1) { pageInfo { endCursor } } }"#)
            .await;
        let cursor = d["practices"]["pageInfo"]["endCursor"]
            .as_str()
            .unwrap()
            .to_owned();
        let resp = app
        .query_with(
            r#"query ($c: String) { practices(first: 1, after: $c, orderBy: UPDATED_AT) { totalCount } }"#,
            json!({ "c": cursor }),
        )
        .await;
        let e = expect_error(&resp, "BAD_USER_INPUT");
        assert_eq!(e["extensions"]["field"], "after");
        app.close().await;
    }
);

scenario!(
    practice_lookup_needs_exactly_one_well_formed_key,
    with_demo,
    |app| async move {
        expect_error(
            &app.query(r#"{ practice(id: "not-a-uuid") { title } }"#)
                .await,
            "BAD_USER_INPUT",
        );
        expect_error(
            &app.query(r#"{ practice { title } }"#).await,
            "BAD_USER_INPUT",
        );
        expect_error(
            &app.query(
                r#"{ practice(id: "00000000-de70-4000-8000-000000000101", slug: "x") { title } }"#,
            )
            .await,
            "BAD_USER_INPUT",
        );
        let d = app
            .data(r#"{ practice(id: "00000000-de70-4000-8000-000000000101") { slug } }"#)
            .await;
        assert_eq!(d["practice"]["slug"], "sumedang-e-office");
        let d = app
            .data(r#"{ practice(id: "11111111-1111-4111-8111-111111111111") { slug } }"#)
            .await;
        assert!(d["practice"].is_null());
        expect_error(
            &app.query(r#"{ practices(filter: { ownerRegionCode: "99.99" }) { totalCount } }"#)
                .await,
            "BAD_USER_INPUT",
        );
        app.close().await;
    }
);
