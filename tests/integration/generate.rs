//! `berguru generate`: deterministic synthetic data that obeys the same
//! rules as data entered through the API, and that the API can serve.

use std::collections::HashMap;

use api::generate::{GenerateError, Options, generate};
use entity::{
    AgreementKind, AgreementStage, adoption, agreement, agreement_party, agreement_stage_change,
    practice, region_index, visit,
};
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};

use crate::*;

fn opts(seed: u64) -> Options {
    Options {
        practices: 400,
        agreements: 150,
        seed,
        replace: false,
        with_demo: false,
    }
}

/// (id, title) of every practice and (id, stage) of every agreement, sorted.
async fn fingerprint(app: &TestApp) -> (Vec<(String, String)>, Vec<(String, String)>) {
    let practices = practice::Entity::find()
        .order_by_asc(practice::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.id.to_string(), p.title))
        .collect();
    let agreements = agreement::Entity::find()
        .order_by_asc(agreement::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.id.to_string(), format!("{:?}", a.stage)))
        .collect();
    (practices, agreements)
}

scenario!(
    generate_is_deterministic_and_refuses_to_overwrite,
    spawn,
    |app| async move {
        let report = generate(&app.db, &opts(7), |_, _| {}).await.unwrap();
        assert_eq!(report.practices, 400);
        assert_eq!(report.agreements, 150);
        assert_eq!(practice::Entity::find().count(&app.db).await.unwrap(), 400);
        assert_eq!(
            adoption::Entity::find().count(&app.db).await.unwrap() as usize,
            report.adoptions
        );
        assert_eq!(
            visit::Entity::find().count(&app.db).await.unwrap() as usize,
            report.visits
        );
        assert!(report.adoptions > 0 && report.visits > 0 && report.outcomes > 0);
        // 552 regions, five years each.
        assert_eq!(report.region_indices, 552 * 5);
        let first = fingerprint(&app).await;

        // A second run without --replace writes nothing.
        let err = generate(&app.db, &opts(7), |_, _| {}).await.unwrap_err();
        assert!(
            matches!(
                err,
                GenerateError::NotEmpty {
                    practices: 400,
                    agreements: 150
                }
            ),
            "{err}"
        );
        assert_eq!(fingerprint(&app).await, first);

        // --replace with the same seed gives the same data; another seed not.
        let again = Options {
            replace: true,
            ..opts(7)
        };
        generate(&app.db, &again, |_, _| {}).await.unwrap();
        assert_eq!(fingerprint(&app).await, first);
        let other = Options {
            replace: true,
            ..opts(8)
        };
        generate(&app.db, &other, |_, _| {}).await.unwrap();
        assert_ne!(fingerprint(&app).await.0, first.0);
        assert_eq!(
            region_index::Entity::find().count(&app.db).await.unwrap(),
            552 * 5
        );
        app.close().await;
    }
);

scenario!(
    generated_agreements_follow_the_legal_path,
    spawn,
    |app| async move {
        let o = Options {
            practices: 600,
            agreements: 800,
            ..opts(11)
        };
        generate(&app.db, &o, |_, _| {}).await.unwrap();
        let agreements = agreement::Entity::find().all(&app.db).await.unwrap();
        let by_id: HashMap<_, _> = agreements.iter().map(|a| (a.id, a)).collect();
        let mut history: HashMap<_, Vec<agreement_stage_change::Model>> = HashMap::new();
        for c in agreement_stage_change::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
        {
            history.entry(c.agreement_id).or_default().push(c);
        }
        let mut parties: HashMap<_, usize> = HashMap::new();
        for p in agreement_party::Entity::find().all(&app.db).await.unwrap() {
            *parties.entry(p.agreement_id).or_default() += 1;
        }
        let horizon = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        let mut stages: HashMap<AgreementStage, usize> = HashMap::new();
        for a in &agreements {
            *stages.entry(a.stage).or_default() += 1;
            let mut h = history
                .remove(&a.id)
                .expect("every agreement has a history");
            h.sort_by_key(|c| c.on_date);
            assert_eq!(h[0].stage, AgreementStage::Proposed);
            for w in h.windows(2) {
                assert!(
                    api::domain::agreement::stage::allowed_next(a.kind, w[0].stage)
                        .contains(&w[1].stage),
                    "{:?} -> {:?} in {}",
                    w[0].stage,
                    w[1].stage,
                    a.title
                );
                assert!(w[0].on_date < w[1].on_date);
            }
            assert_eq!(h.last().unwrap().stage, a.stage, "stage is the last step");
            assert!(parties[&a.id] >= 2, "two parties at least");
            if let Some(d) = a.signed_on {
                assert!(d <= horizon, "signed in the past");
                assert!(a.valid_until.unwrap() > d);
            }
            if a.kind == Some(AgreementKind::PerjanjianKerjaSama) {
                let parent = by_id[&a.parent_id.expect("a PKS has a framework")];
                let signed = parent.signed_on.expect("under a signed framework");
                assert!(h[0].on_date.unwrap() > signed);
            }
            if let Some(prev) = a.continues_id {
                assert_eq!(by_id[&prev].stage, AgreementStage::Renewed);
            }
        }
        // Realistic proportions: the signed framework that goes no further is
        // the most common stage, and some agreements reach implementation.
        let stalled = stages[&AgreementStage::FrameworkSigned];
        assert!(stages.values().all(|n| *n <= stalled), "{stages:?}");
        assert!(stalled * 3 > agreements.len(), "{stages:?}");
        assert!(
            stages
                .get(&AgreementStage::InImplementation)
                .copied()
                .unwrap_or(0)
                > 0
        );
        assert!(
            agreements
                .iter()
                .any(|a| a.kind == Some(AgreementKind::PerjanjianKerjaSama))
        );
        app.close().await;
    }
);

scenario!(the_api_serves_generated_data, spawn, |app| async move {
    let o = Options {
        with_demo: true,
        ..opts(3)
    };
    generate(&app.db, &o, |_, _| {}).await.unwrap();
    api::search_sync::reindex(&app.db, app.state.search.as_ref(), |_, _| {})
        .await
        .unwrap();
    // The demo is there too, beside the generated practices.
    assert_eq!(practice::Entity::find().count(&app.db).await.unwrap(), 406);
    let data = app
        .data(
            r#"{ practices(first: 50) { totalCount nodes { title owner { name }
                    outcomes { metric baselineValue achievedValue }
                    agreements { stage parties { region { name } } } } } }"#,
        )
        .await;
    assert_eq!(data["practices"]["totalCount"], 406);
    assert_eq!(data["practices"]["nodes"].as_array().unwrap().len(), 50);
    let data = app
        .data(
            r#"{ searchPractices(query: "posyandu digital", first: 5) {
                    edges { node { title } } } }"#,
        )
        .await;
    let hits = data["searchPractices"]["edges"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits[0]["node"]["title"]
            .as_str()
            .unwrap()
            .contains("Posyandu Digital"),
        "{hits:?}"
    );
    let data = app
        .data(
            r#"{ findGurus(seeker: "36.02", topic: "e-office", first: 3) {
                    region { code } score } }"#,
        )
        .await;
    let gurus = data["findGurus"].as_array().unwrap();
    assert!(!gurus.is_empty());
    assert!(gurus.iter().all(|g| g["region"]["code"] != "36.02"));
    app.close().await;
});
