//! Resolver spans: one `resolver` span per resolved field when the server
//! starts at debug level, none (and no extension) at info.
// Test code: a panic is a failed assertion.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use tracing_subscriber::layer::{Context, SubscriberExt};

use tests::{Backend, TestApp};

#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Spans {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: Context<'_, S>,
    ) {
        if attrs.metadata().name() == "resolver" {
            struct Path(String);
            impl tracing::field::Visit for Path {
                fn record_debug(&mut self, f: &tracing::field::Field, v: &dyn std::fmt::Debug) {
                    if f.name() == "path" {
                        self.0 = format!("{v:?}");
                    }
                }
            }
            let mut p = Path(String::new());
            attrs.record(&mut p);
            self.0.lock().unwrap().push(p.0);
        }
    }
}

/// The spans of one query on a server started under a subscriber at
/// `level`: the extension is registered when the schema is built, as the
/// binary does after installing its log filter.
async fn spans_at(level: tracing::Level) -> Vec<String> {
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::filter::LevelFilter::from_level(level))
        .with(spans.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    spans.0.lock().unwrap().clear();
    app.data(r#"{ region(code: "32.11") { name practices { slug } } }"#)
        .await;
    let seen = spans.0.lock().unwrap().clone();
    app.close().await;
    seen
}

#[tokio::test(flavor = "current_thread")]
async fn a_span_per_resolver_at_debug_level_only() {
    let debug = spans_at(tracing::Level::DEBUG).await;
    assert!(debug.iter().any(|p| p == "region"), "{debug:?}");
    assert!(debug.iter().any(|p| p == "region.name"), "{debug:?}");
    assert!(
        debug.iter().any(|p| p.starts_with("region.practices")),
        "{debug:?}"
    );
    let info = spans_at(tracing::Level::INFO).await;
    assert!(info.is_empty(), "{info:?}");
}
