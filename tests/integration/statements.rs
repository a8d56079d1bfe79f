//! The number of SQL statements of a query depends on its shape, never on
//! how many rows it returns: every relation goes through a DataLoader.
//!
//! The shape must really be the same: the fixtures keep partner regions
//! apart from owner regions, and the query asks for regions at one level
//! only, so no batch can be served from the request's cache in one run and
//! from the database in the other.

use crate::*;

const NESTED: &str = r#"
query ($first: Int!) {
  practices(first: $first) {
    edges { node {
      title
      owner { name }
      sectors
      outcomes { metric achievedValue }
      agreements {
        title
        parties { roleLabel region { name kind } }
        practices { title }
      }
    } }
  }
}"#;

scenario!(
    nested_query_over_5_and_50_practices_issues_the_same_number_of_statements,
    spawn,
    |app| async move {
        crate::fixtures::practices_with_agreements(&app, 60).await;

        app.reset_statements();
        let small = app.data_with(NESTED, json!({ "first": 5 })).await;
        let small_count = app.statements();
        let small_log = app.statement_log();

        app.reset_statements();
        let large = app.data_with(NESTED, json!({ "first": 50 })).await;
        let large_count = app.statements();

        assert_eq!(
            small["practices"]["edges"].as_array().map(Vec::len),
            Some(5)
        );
        let edges = large["practices"]["edges"].as_array().expect("edges");
        assert_eq!(edges.len(), 50);
        // The data really is nested: every practice has its owner, two outcomes
        // and an agreement with two parties.
        for e in edges {
            let n = &e["node"];
            assert!(n["owner"]["name"].is_string());
            assert_eq!(n["outcomes"].as_array().map(Vec::len), Some(2));
            assert_eq!(
                n["agreements"][0]["parties"].as_array().map(Vec::len),
                Some(2)
            );
        }
        assert!(small_count > 0, "the statement counter saw nothing");
        assert_eq!(
            small_count, large_count,
            "statements grew with rows on {:?}: {small_count} for 5, {large_count} for 50\n{small_log:#?}",
            app.backend
        );
        app.close().await;
    }
);

scenario!(
    region_stats_for_many_regions_take_the_same_statements_as_for_few,
    with_demo,
    |app| async move {
        let q = r#"query ($n: Int!) { regions(first: $n) { nodes { code stats { agreementsTotal practicesOwned } } } }"#;
        app.reset_statements();
        app.data_with(q, json!({ "n": 3 })).await;
        let few = app.statements();
        app.reset_statements();
        app.data_with(q, json!({ "n": 100 })).await;
        let many = app.statements();
        assert_eq!(few, many, "{:?}", app.backend);
        app.close().await;
    }
);
