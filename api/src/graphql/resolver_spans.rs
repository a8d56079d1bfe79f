//! A `tracing` span per resolver at debug level (`resolver` with the field's
//! path, parent type and return type), so `BERGURU_LOG=api=debug,info` with a
//! span-aware subscriber shows where a slow query spends its time. The
//! extension is registered only when debug is enabled for this module as
//! the schema is built ([`wanted`]): any extension takes async-graphql off
//! its fast path, so at the default `info` level it costs nothing.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::{ServerResult, Value};
use tracing::Instrument;

/// True when a subscriber in force may record debug spans: the maximum
/// level over all live subscribers is debug or finer. Not asked through an
/// `enabled!` callsite, whose cached interest could come from another
/// thread's subscriber.
pub fn wanted() -> bool {
    tracing::level_filters::LevelFilter::current() >= tracing::level_filters::LevelFilter::DEBUG
}

/// The extension factory to add to the schema.
#[derive(Clone, Copy, Debug, Default)]
pub struct ResolverSpans;

impl ExtensionFactory for ResolverSpans {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ResolverSpans)
    }
}

#[async_trait::async_trait]
impl Extension for ResolverSpans {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.is_for_introspection || !tracing::enabled!(tracing::Level::DEBUG) {
            return next.run(ctx, info).await;
        }
        let span = tracing::debug_span!(
            "resolver",
            path = %info.path_node,
            parent_type = %info.parent_type,
            return_type = %info.return_type,
        );
        next.run(ctx, info).instrument(span).await
    }
}
