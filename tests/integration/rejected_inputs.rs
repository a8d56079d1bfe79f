//! Every rejected input answers a stable code and changes nothing. The
//! scenario records the audit log length before and checks it after: a
//! refused write leaves no trace.

use crate::*;

const E_OFFICE: &str = "00000000-de70-4000-8000-000000000101";
const LEBAK_SUMEDANG: &str = "00000000-de70-4000-8000-000000000208";

scenario!(
    rejected_inputs_answer_their_code_and_write_nothing,
    with_demo,
    |app| async move {
        let admin = app.token("admin", None).await;
        let jabar_admin = app.token("admin", Some("32")).await;
        let lebak = app.token("editor", Some("36.02")).await;
        let sumedang = app.token("editor", Some("32.11")).await;
        let before = audit_len(&app, &admin).await;

        let cases: Vec<(&str, &str, Value, &str)> = vec![
            (
                "control characters in a title",
                &sumedang,
                json!({ "q": "mutation ($id: ID!) { updatePractice(input: { id: $id, version: 1, title: \"bad\\u0007title\" }) { practice { id } } }", "v": { "id": E_OFFICE } }),
                "BAD_USER_INPUT",
            ),
            (
                "a malformed id",
                &sumedang,
                json!({ "q": "mutation { verifyPractice(input: { id: \"x\", version: 1 }) { practice { id } } }", "v": {} }),
                "BAD_USER_INPUT",
            ),
            (
                "an unknown practice",
                &sumedang,
                json!({ "q": "mutation { verifyPractice(input: { id: \"11111111-1111-4111-8111-111111111111\", version: 1 }) { practice { id } } }", "v": {} }),
                "NOT_FOUND",
            ),
            (
                "a stale version",
                &sumedang,
                json!({ "q": "mutation ($id: ID!) { verifyPractice(input: { id: $id, version: 7 }) { practice { id } } }", "v": { "id": E_OFFICE } }),
                "CONFLICT",
            ),
            (
                "an implausible start year",
                &sumedang,
                json!({ "q": "mutation ($id: ID!) { updatePractice(input: { id: $id, version: 1, yearStarted: 1800 }) { practice { id } } }", "v": { "id": E_OFFICE } }),
                "BAD_USER_INPUT",
            ),
            (
                "an outcome without a value",
                &sumedang,
                json!({ "q": "mutation ($id: ID!) { addOutcome(input: { practiceId: $id, outcome: { metric: \"x\" } }) { outcome { id } } }", "v": { "id": E_OFFICE } }),
                "BAD_USER_INPUT",
            ),
            (
                "removing a party from a signed agreement",
                &lebak,
                json!({ "q": "mutation { removeAgreementParty(input: { partyId: \"00000000-de70-4000-8000-000000001070\" }) { agreement { id } } }", "v": {} }),
                "BAD_USER_INPUT",
            ),
            (
                "linking an unknown practice",
                &lebak,
                json!({ "q": "mutation ($a: ID!) { linkAgreementPractice(input: { agreementId: $a, practiceId: \"11111111-1111-4111-8111-111111111111\" }) { agreement { id } } }", "v": { "a": LEBAK_SUMEDANG } }),
                "BAD_USER_INPUT",
            ),
            (
                "a party that is both a region and a third party",
                &lebak,
                json!({ "q": "mutation ($a: ID!) { addAgreementParty(input: { agreementId: $a, party: { regionCode: \"32.02\", thirdPartyName: \"PT X\" } }) { party { id } } }", "v": { "a": LEBAK_SUMEDANG } }),
                "BAD_USER_INPUT",
            ),
            (
                "an evaluation by a region that is not a party",
                &lebak,
                json!({ "q": "mutation ($a: ID!) { recordEvaluation(input: { agreementId: $a, on: \"2024-01-01\", findings: \"x\" }) { evaluation { id } } }", "v": { "a": "00000000-de70-4000-8000-000000000206" } }),
                "FORBIDDEN",
            ),
            (
                "a delegation of zero",
                &lebak,
                json!({ "q": "mutation { scheduleVisit(input: { visitorRegionCode: \"36.02\", hostRegionCode: \"32.11\", startsOn: \"2026-12-01\", endsOn: \"2026-12-01\", delegationSize: 0 }) { visit { id } } }", "v": {} }),
                "BAD_USER_INPUT",
            ),
            (
                "a visit of 40 days",
                &lebak,
                json!({ "q": "mutation { scheduleVisit(input: { visitorRegionCode: \"36.02\", hostRegionCode: \"32.11\", startsOn: \"2026-12-01\", endsOn: \"2027-01-10\" }) { visit { id } } }", "v": {} }),
                "BAD_USER_INPUT",
            ),
            (
                "a latitude outside Indonesia",
                &jabar_admin,
                json!({ "q": "mutation { correctRegionProfile(input: { code: \"32.11\", version: 1, latitude: 48.8 }) { region { code } } }", "v": {} }),
                "BAD_USER_INPUT",
            ),
            (
                "a province admin creating a national admin token",
                &jabar_admin,
                json!({ "q": "mutation { createToken(input: { name: \"x\", role: ADMIN }) { secret } }", "v": {} }),
                "FORBIDDEN",
            ),
            (
                "an editor token without a region",
                &admin,
                json!({ "q": "mutation { createToken(input: { name: \"x\", role: EDITOR }) { secret } }", "v": {} }),
                "BAD_USER_INPUT",
            ),
            (
                "an admin token scoped to a regency",
                &admin,
                json!({ "q": "mutation { createToken(input: { name: \"x\", role: ADMIN, regionCode: \"32.11\" }) { secret } }", "v": {} }),
                "BAD_USER_INPUT",
            ),
            (
                "an editor reading the audit log",
                &lebak,
                json!({ "q": "{ auditLog { totalCount } }", "v": {} }),
                "FORBIDDEN",
            ),
        ];
        for (what, token, case, code) in cases {
            let resp = app
                .query_as(token, case["q"].as_str().unwrap(), case["v"].clone())
                .await;
            let errors = resp["errors"]
                .as_array()
                .unwrap_or_else(|| panic!("{what}: expected {code}, got {resp:#}"));
            assert_eq!(errors[0]["extensions"]["code"], code, "{what}: {resp:#}");
        }
        assert_eq!(
            audit_len(&app, &admin).await,
            before,
            "a refused write left an audit entry"
        );
        let d = app
            .data(&format!(
                r#"{{ practice(id: "{E_OFFICE}") {{ version title lastVerifiedOn }} }}"#
            ))
            .await;
        assert_eq!(d["practice"]["version"], 1);
        app.close().await;
    }
);

async fn audit_len(app: &TestApp, admin: &str) -> Value {
    app.data_as(admin, "{ auditLog(first: 100) { totalCount } }", json!({}))
        .await["auditLog"]["totalCount"]
        .clone()
}
