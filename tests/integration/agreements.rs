//! Agreements and the coordinator statistics built from them.

use crate::*;

scenario!(
    jawa_barat_stats_split_agreements_by_partner_category,
    with_demo,
    |app| async move {
        let d = app
        .data(
            r#"{ region(code: "32") { stats {
                practicesOwned agreementsTotal
                agreementsByPartnerCategory { withinProvince otherProvinces outsideProvince thirdParties }
            } } }"#,
        )
        .await;
        let s = &d["region"]["stats"];
        assert_eq!(s["practicesOwned"], 3);
        // Four regencies outside the province (5 Feb 2024), Jambi twice (2017-2019 and 2020).
        assert_eq!(s["agreementsTotal"], 6);
        let c = &s["agreementsByPartnerCategory"];
        assert_eq!(c["withinProvince"], 0);
        assert_eq!(c["otherProvinces"], 2);
        assert_eq!(c["outsideProvince"], 4);
        assert_eq!(c["thirdParties"], 0);
        app.close().await;
    }
);

scenario!(
    sumedang_gives_transfers_and_kolaka_timur_receives_one,
    with_demo,
    |app| async move {
        let d = app
            .data(
                r#"{
              sumedang: region(code: "32.11") { stats { transfersGiven visitsHosted
                agreementsByPartnerCategory { withinProvince outsideProvince } } }
              koltim: region(code: "74.11") { stats { transfersReceived transfersGiven } }
              lebak: region(code: "36.02") { stats { visitsMade } visitsMade { host { code } } }
            }"#,
            )
            .await;
        let s = &d["sumedang"]["stats"];
        assert_eq!(s["transfersGiven"], 2);
        assert_eq!(s["visitsHosted"], 2);
        // Sukabumi is in Jawa Barat, Lebak in Banten.
        assert_eq!(s["agreementsByPartnerCategory"]["withinProvince"], 1);
        assert_eq!(s["agreementsByPartnerCategory"]["outsideProvince"], 1);
        assert_eq!(d["koltim"]["stats"]["transfersReceived"], 1);
        assert_eq!(d["koltim"]["stats"]["transfersGiven"], 0);
        assert_eq!(d["lebak"]["stats"]["visitsMade"], 1);
        assert_eq!(d["lebak"]["visitsMade"][0]["host"]["code"], "32.11");
        app.close().await;
    }
);

scenario!(
    jambi_2020_memorandum_renews_and_widens_the_2017_cooperation,
    with_demo,
    |app| async move {
        let d = app
            .data(
                r#"{ agreement(id: "00000000-de70-4000-8000-000000000205") {
                kind stage signedOn signedPlace agencies scope continuation
                renews { title stage scope renewedBy { signedOn } }
                parties { signatoryName signatoryTitle region { code } }
                history { stage on note }
            } }"#,
            )
            .await;
        let a = &d["agreement"];
        assert_eq!(a["kind"], "NOTA_KESEPAKATAN");
        assert_eq!(a["signedOn"], "2020-03-12");
        assert_eq!(a["signedPlace"], "Gedung Pakuan, Bandung");
        assert_eq!(a["agencies"].as_array().map(Vec::len), Some(8));
        assert_eq!(a["continuation"], "RENEWS_AND_WIDENS");
        assert_eq!(a["renews"]["stage"], "ENDED");
        assert_eq!(
            a["renews"]["scope"],
            json!(["e-Samsat", "SKP online", "Perizinan"])
        );
        assert_eq!(a["renews"]["renewedBy"][0]["signedOn"], "2020-03-12");
        assert_eq!(a["history"][0]["stage"], "FRAMEWORK_SIGNED");
        let signatories: Vec<&str> = a["parties"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["signatoryName"].as_str())
            .collect();
        assert!(signatories.contains(&"Fachrori Umar") && signatories.contains(&"Ridwan Kamil"));
        app.close().await;
    }
);

scenario!(
    agreements_filter_by_party_kind_dates_and_practice,
    with_demo,
    |app| async move {
        let d = app
        .data(
            r#"{
              jabar: agreements(filter: { partyRegionCode: "32" }) { totalCount }
              feb2024: agreements(filter: { signedFrom: "2024-02-01", signedTo: "2024-02-29" }) { totalCount
                nodes { signedPlace parties { signatoryName region { name } } } }
              nota: agreements(filter: { kind: NOTA_KESEPAKATAN }) { totalCount }
              eoffice: agreements(filter: { practiceId: "00000000-de70-4000-8000-000000000101" }) { totalCount }
              ended: agreements(filter: { stage: ENDED }) { totalCount }
            }"#,
        )
        .await;
        assert_eq!(d["jabar"]["totalCount"], 6);
        assert_eq!(d["feb2024"]["totalCount"], 4);
        assert_eq!(
            d["feb2024"]["nodes"][0]["signedPlace"],
            "Aula Barat Gedung Sate, Kota Bandung"
        );
        assert_eq!(d["nota"]["totalCount"], 1);
        assert_eq!(d["eoffice"]["totalCount"], 2);
        assert_eq!(d["ended"]["totalCount"], 1);
        expect_error(
        &app.query(r#"{ agreements(filter: { signedFrom: "2024-03-01", signedTo: "2024-02-01" }) { totalCount } }"#).await,
        "BAD_USER_INPUT",
    );
        app.close().await;
    }
);

scenario!(
    paging_agreements_by_signing_date_puts_undated_last_and_visits_each_once,
    with_demo,
    |app| async move {
        let nodes = app
            .all_pages(
                r#"query ($after: String) { agreements(first: 2, after: $after) {
                    nodes { id signedOn } pageInfo { hasNextPage endCursor } } }"#,
                json!({}),
                "agreements",
            )
            .await;
        let ids: Vec<String> = nodes
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect();
        let dates: Vec<Option<String>> = nodes
            .iter()
            .map(|n| n["signedOn"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(ids.len(), 9);
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 9);
        let first_undated = dates
            .iter()
            .position(Option::is_none)
            .expect("two demo agreements are undated");
        assert!(
            dates[first_undated..].iter().all(Option::is_none),
            "{dates:?}"
        );
        let dated: Vec<&String> = dates[..first_undated].iter().flatten().collect();
        assert!(
            dated.windows(2).all(|w| w[0] >= w[1]),
            "latest first: {dated:?}"
        );
        app.close().await;
    }
);

scenario!(
    a_region_listed_twice_as_party_sees_the_agreement_once,
    with_demo,
    |app| async move {
        use entity::agreement_party;
        use sea_orm::{ActiveModelTrait, IntoActiveModel};
        // Add Jawa Barat a second time to the Jambi memorandum (e.g. two signing agencies).
        agreement_party::Model {
            id: uuid::Uuid::new_v4(),
            agreement_id: api::seed::ids::jambi_jabar_2020(),
            position: None,
            region_code: Some("32".into()),
            third_party_name: None,
            signatory_name: None,
            signatory_title: None,
        }
        .into_active_model()
        .insert(&app.db)
        .await
        .unwrap();
        let d = app
            .data(r#"{ region(code: "32") { agreements { id } stats { agreementsTotal } } }"#)
            .await;
        assert_eq!(d["region"]["agreements"].as_array().map(Vec::len), Some(6));
        assert_eq!(d["region"]["stats"]["agreementsTotal"], 6);
        app.close().await;
    }
);
