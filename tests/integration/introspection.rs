//! Introspection under the default limits: the query every tool sends
//! passes; a deliberately deep one is still refused; an operator can switch
//! introspection off without breaking federation.

use crate::*;

/// graphql-js `getIntrospectionQuery` with every option on (descriptions,
/// specifiedByUrl, directiveIsRepeatable, schemaDescription,
/// inputValueDeprecation, oneOf), its type reference nested `of_type` times.
fn full_introspection_query(of_type: usize) -> String {
    let mut type_ref = String::from("kind name");
    for _ in 0..of_type {
        type_ref = format!("kind name ofType {{ {type_ref} }}");
    }
    format!(
        r#"query IntrospectionQuery {{
  __schema {{
    description
    queryType {{ name kind }}
    mutationType {{ name kind }}
    subscriptionType {{ name kind }}
    types {{ ...FullType }}
    directives {{ name description isRepeatable locations args(includeDeprecated: true) {{ ...InputValue }} }}
  }}
}}
fragment FullType on __Type {{
  kind name description specifiedByURL isOneOf
  fields(includeDeprecated: true) {{
    name description
    args(includeDeprecated: true) {{ ...InputValue }}
    type {{ ...TypeRef }}
    isDeprecated deprecationReason
  }}
  inputFields(includeDeprecated: true) {{ ...InputValue }}
  interfaces {{ ...TypeRef }}
  enumValues(includeDeprecated: true) {{ name description isDeprecated deprecationReason }}
  possibleTypes {{ ...TypeRef }}
}}
fragment InputValue on __InputValue {{
  name description type {{ ...TypeRef }} defaultValue isDeprecated deprecationReason
}}
fragment TypeRef on __Type {{ {type_ref} }}"#
    )
}

scenario!(
    the_standard_introspection_query_passes_the_default_limits,
    spawn,
    |app| async move {
        for of_type in [7, 9, 12] {
            let resp = app.query(&full_introspection_query(of_type)).await;
            assert!(resp.get("errors").is_none(), "ofType x{of_type}: {resp:#}");
            let types = resp["data"]["__schema"]["types"].as_array().unwrap();
            let practice = types.iter().find(|t| t["name"] == "Practice").unwrap();
            assert!(
                !practice["description"].as_str().unwrap_or("").is_empty(),
                "Practice is documented"
            );
            assert_eq!(resp["data"]["__schema"]["queryType"]["name"], "Query");
        }
        // `__type` as GraphiQL's docs explorer and editors ask for one type.
        let one = app
            .query(r#"{ __type(name: "Practice") { name fields { name type { kind ofType { kind ofType { name } } } } } }"#)
            .await;
        assert!(one.get("errors").is_none(), "{one:#}");
        app.close().await;
    }
);

scenario!(
    a_deliberately_deep_introspection_query_is_refused,
    spawn,
    |app| async move {
        // fields { type { fields { type { ... } } } }: every level multiplies
        // the work, so it counts like any other nesting.
        let mut q = String::from("name");
        for _ in 0..8 {
            q = format!("fields {{ type {{ {q} }} }}");
        }
        let resp = app
            .query(&format!("{{ __schema {{ types {{ {q} }} }} }}"))
            .await;
        let e = expect_error(&resp, "QUERY_TOO_DEEP");
        assert!(
            e["message"].as_str().unwrap().contains("at most 12"),
            "{resp:#}"
        );
        assert!(resp["data"].is_null(), "nothing ran: {resp:#}");

        // An `ofType` chain far past what any tool sends counts too.
        let mut chain = String::from("name");
        for _ in 0..40 {
            chain = format!("ofType {{ {chain} }}");
        }
        let resp = app
            .query(&format!(r#"{{ __type(name: "Practice") {{ {chain} }} }}"#))
            .await;
        expect_error(&resp, "QUERY_TOO_DEEP");
        app.close().await;
    }
);

scenario!(
    introspection_can_be_switched_off_and_federation_still_works,
    spawn,
    |app| async move {
        let limits = api::config::Limits {
            introspection: false,
            ..api::config::Limits::default()
        };
        let closed = TestApp::spawn_with_limits(app.backend, limits)
            .await
            .unwrap();
        let resp = closed.query(&full_introspection_query(9)).await;
        let e = expect_error(&resp, "INTROSPECTION_DISABLED");
        assert!(e["message"].as_str().unwrap().contains("introspection"));
        expect_error(
            &closed
                .query(r#"{ __type(name: "Practice") { name } }"#)
                .await,
            "INTROSPECTION_DISABLED",
        );
        // `__typename` and the gateway's `_service` query still answer.
        let ok = closed
            .query(r#"{ __typename _service { sdl } regions { totalCount } }"#)
            .await;
        assert!(ok.get("errors").is_none(), "{ok:#}");
        assert!(
            ok["data"]["_service"]["sdl"]
                .as_str()
                .unwrap()
                .contains("type Practice")
        );
        assert_eq!(ok["data"]["__typename"], "Query");
        closed.close().await;
        app.close().await;
    }
);
