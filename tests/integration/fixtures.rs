//! Bulk test data: practices with outcomes and sectors, each transferred by
//! an agreement between its owner and another region.

use chrono::Utc;
use entity::*;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
use uuid::Uuid;

use crate::TestApp;

/// Owner regions and partner regions, kept disjoint so that every nested
/// query needs the same loads whatever the number of rows (a partner that
/// is also an owner would come from the DataLoader's cache instead).
const OWNERS: [&str; 3] = ["32.11", "32.73", "36.02"];
const PARTNERS: [&str; 3] = ["74.11", "62.08", "13.71"];

/// Inserts `n` practices titled `Fixture NNN`, each with two outcomes, one
/// sector and one agreement between its owner and another region.
pub async fn practices_with_agreements(app: &TestApp, n: usize) {
    let now = Utc::now();
    let mut practices = Vec::new();
    let mut sectors = Vec::new();
    let mut outcomes = Vec::new();
    let mut agreements = Vec::new();
    let mut parties = Vec::new();
    let mut links = Vec::new();
    for i in 0..n {
        let pid = Uuid::new_v4();
        let owner = OWNERS[i % OWNERS.len()];
        let partner = PARTNERS[i % PARTNERS.len()];
        practices.push(practice::Model {
            id: pid,
            slug: format!("fixture-{i:03}"),
            title: format!("Fixture {i:03}"),
            summary: "Test practice".into(),
            description: None,
            owner_region_code: owner.into(),
            form: PracticeForm::PublicService,
            is_digital: Some(true),
            maturity: Some(Maturity::Applied),
            status: if i % 5 == 0 {
                PracticeStatus::Stopped
            } else {
                PracticeStatus::Active
            },
            last_verified_on: None,
            year_started: Some(2020),
            looking_for_adopters: i % 2 == 0,
            contact: None,
            links: TextList::default(),
            lessons_learned: None,
            created_at: now,
            updated_at: now,
            version: 1,
            archived_at: None,
        });
        sectors.push(practice_sector::Model {
            practice_id: pid,
            sector: Sector::Health,
        });
        for k in 0..2 {
            outcomes.push(outcome::Model {
                id: Uuid::new_v4(),
                practice_id: pid,
                metric: format!("metric {k}"),
                unit: Some("%".into()),
                baseline_value: Some(10.0),
                baseline_year: Some(2020),
                achieved_value: Some(8.0),
                achieved_year: Some(2022),
                source: None,
            });
        }
        let aid = Uuid::new_v4();
        agreements.push(agreement::Model {
            id: aid,
            number: Some(format!("FX/{i:03}")),
            title: format!("Fixture agreement {i:03}"),
            kind: Some(AgreementKind::KesepakatanBersama),
            category: AgreementCategory::BetweenRegions,
            stage: AgreementStage::FrameworkSigned,
            signed_on: chrono::NaiveDate::from_ymd_opt(2023, 1, 1 + (i % 28) as u32),
            signed_place: None,
            valid_from: None,
            valid_until: None,
            scope: TextList::default(),
            agencies: TextList::default(),
            parent_id: None,
            continues_id: None,
            continuation: None,
            notes: None,
            created_at: now,
            updated_at: now,
            version: 1,
        });
        for (pos, code) in [(1, owner), (2, partner)] {
            parties.push(agreement_party::Model {
                id: Uuid::new_v4(),
                agreement_id: aid,
                position: Some(pos),
                region_code: Some(code.into()),
                third_party_name: None,
                signatory_name: None,
                signatory_title: None,
            });
        }
        links.push(agreement_practice::Model {
            agreement_id: aid,
            practice_id: pid,
        });
    }
    for p in practices {
        p.into_active_model()
            .insert(&app.db)
            .await
            .expect("practice");
    }
    practice_sector::Entity::insert_many(
        sectors.into_iter().map(IntoActiveModel::into_active_model),
    )
    .exec(&app.db)
    .await
    .expect("sectors");
    outcome::Entity::insert_many(outcomes.into_iter().map(IntoActiveModel::into_active_model))
        .exec(&app.db)
        .await
        .expect("outcomes");
    for a in agreements {
        a.into_active_model()
            .insert(&app.db)
            .await
            .expect("agreement");
    }
    agreement_party::Entity::insert_many(
        parties.into_iter().map(IntoActiveModel::into_active_model),
    )
    .exec(&app.db)
    .await
    .expect("parties");
    agreement_practice::Entity::insert_many(
        links.into_iter().map(IntoActiveModel::into_active_model),
    )
    .exec(&app.db)
    .await
    .expect("links");
}
