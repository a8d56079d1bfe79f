//! A damaged or missing embedded index folder at start is rebuilt from the
//! database, not a crash.

use std::sync::Arc;

use super::*;

async fn practices_in(engine: &::search::embedded::EmbeddedEngine) -> u64 {
    ::search::SearchEngine::count(engine, ::search::DocKind::Practice)
        .await
        .unwrap()
}

scenario!(
    a_damaged_or_missing_index_folder_is_rebuilt_at_start,
    with_demo,
    |app| async move {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("search");
        let want = app.data("{ practices { totalCount } }").await["practices"]["totalCount"]
            .as_u64()
            .unwrap();
        {
            let engine = ::search::embedded::EmbeddedEngine::open(&root).unwrap();
            assert!(
                api::search_sync::ensure_complete(&app.db, &engine)
                    .await
                    .unwrap()
            );
            assert_eq!(practices_in(&engine).await, want);
        }
        // Garble the live generation's metadata.
        let current = std::fs::read_to_string(root.join("CURRENT")).unwrap();
        let live = root.join(current.trim());
        std::fs::write(live.join("meta.json"), b"{ not json").unwrap();
        let engine = ::search::embedded::EmbeddedEngine::open(&root)
            .expect("a damaged index opens as an empty one");
        assert!(
            api::search_sync::ensure_complete(&app.db, &engine)
                .await
                .unwrap(),
            "and is rebuilt"
        );
        assert_eq!(practices_in(&engine).await, want);
        let fresh = std::fs::read_to_string(root.join("CURRENT")).unwrap();
        assert_ne!(
            fresh.trim(),
            current.trim(),
            "CURRENT names the new generation"
        );
        drop(engine);
        // The whole folder gone: a new one, rebuilt.
        std::fs::remove_dir_all(&root).unwrap();
        let engine = Arc::new(::search::embedded::EmbeddedEngine::open(&root).unwrap());
        assert!(
            api::search_sync::ensure_complete(&app.db, engine.as_ref())
                .await
                .unwrap()
        );
        assert_eq!(practices_in(&engine).await, want);
        app.close().await;
    }
);
