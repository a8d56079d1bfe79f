//! Regions: the reference data, lookups, filters and pagination.

use crate::*;

scenario!(
    all_552_regions_are_loaded_with_their_kinds,
    spawn,
    |app| async move {
        let d = app
            .data(
                r#"{
              all: regions { totalCount }
              provinces: regions(filter: { kind: PROVINCE }) { totalCount }
              regencies: regions(filter: { kind: REGENCY }) { totalCount }
              cities: regions(filter: { kind: CITY }) { totalCount }
            }"#,
            )
            .await;
        assert_eq!(d["all"]["totalCount"], 552);
        assert_eq!(d["provinces"]["totalCount"], 38);
        assert_eq!(d["regencies"]["totalCount"], 416);
        assert_eq!(d["cities"]["totalCount"], 98);
        app.close().await;
    }
);

scenario!(
    a_region_shows_its_reference_facts_and_province,
    spawn,
    |app| async move {
        let d = app
        .data(
            r#"{ region(code: "32.11") {
                code name kind capital latitude longitude population areaKm2 utcOffset elevationM densityPerKm2
                province { code name }
            } }"#,
        )
        .await;
        let r = &d["region"];
        assert_eq!(r["code"], "32.11");
        assert_eq!(r["name"], "Kabupaten Sumedang");
        assert_eq!(r["kind"], "REGENCY");
        assert_eq!(r["utcOffset"], 7);
        assert_eq!(r["province"]["name"], "Jawa Barat");
        assert!(r["population"].as_i64().unwrap_or(0) > 1_000_000);
        assert!(r["latitude"].as_f64().is_some_and(|l| l < -6.0 && l > -7.5));
        app.close().await;
    }
);

scenario!(
    regions_filter_by_province_and_name_prefix,
    spawn,
    |app| async move {
        let d = app
            .data(
                r#"{
              jabar: regions(filter: { provinceCode: "32" }) { totalCount }
              sumed: regions(filter: { namePrefix: "sumed" }) { nodes { code name } }
              kota: regions(filter: { namePrefix: "Kota Bandung", kind: CITY }) { nodes { code } }
              pct: regions(filter: { namePrefix: "%" }) { totalCount }
              sub: region(code: "32") { subRegions { code } }
            }"#,
            )
            .await;
        assert_eq!(
            d["jabar"]["totalCount"], 27,
            "Jawa Barat has 18 regencies and 9 cities"
        );
        let codes: Vec<&str> = d["sumed"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|n| n["code"].as_str())
            .collect();
        assert!(codes.contains(&"32.11"), "{codes:?}");
        assert_eq!(d["kota"]["nodes"][0]["code"], "32.73");
        assert_eq!(
            d["pct"]["totalCount"], 0,
            "LIKE wildcards in the prefix are escaped"
        );
        assert_eq!(d["sub"]["subRegions"].as_array().map(Vec::len), Some(27));
        app.close().await;
    }
);

scenario!(
    paging_through_regions_visits_each_once_in_code_order,
    spawn,
    |app| async move {
        let seen: Vec<String> = app
            .all_pages(
                r#"query ($after: String) { regions(first: 100, after: $after) {
                    nodes { code } pageInfo { hasNextPage endCursor } } }"#,
                json!({}),
                "regions",
            )
            .await
            .iter()
            .map(|n| n["code"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(seen.len(), 552);
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(seen, sorted);
        app.close().await;
    }
);

scenario!(
    unknown_and_malformed_region_codes_are_told_apart,
    spawn,
    |app| async move {
        let d = app.data(r#"{ region(code: "99.99") { name } }"#).await;
        assert!(d["region"].is_null(), "a well-formed unknown code is null");
        let e = expect_error(
            &app.query(r#"{ region(code: "sumedang") { name } }"#).await,
            "BAD_USER_INPUT",
        );
        assert!(e["message"].as_str().unwrap().contains("32.11"));
        expect_error(
            &app.query(r#"{ regions(filter: { provinceCode: "99" }) { totalCount } }"#)
                .await,
            "BAD_USER_INPUT",
        );
        expect_error(
            &app.query(r#"{ regions(filter: { provinceCode: "32.11" }) { totalCount } }"#)
                .await,
            "BAD_USER_INPUT",
        );
        app.close().await;
    }
);
