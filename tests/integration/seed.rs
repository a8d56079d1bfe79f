//! The demo data set loads once and only once.

use entity::{agreement, practice, visit};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::*;

scenario!(
    loading_the_demo_twice_changes_nothing_the_second_time,
    spawn,
    |app| async move {
        assert_eq!(
            api::seed::load_demo(&app.db).await.unwrap(),
            api::seed::SeedOutcome::Loaded
        );
        let counts = || async {
            (
                practice::Entity::find().count(&app.db).await.unwrap(),
                agreement::Entity::find().count(&app.db).await.unwrap(),
                visit::Entity::find().count(&app.db).await.unwrap(),
            )
        };
        let before = counts().await;
        assert_eq!(before, (6, 9, 2));
        assert_eq!(
            api::seed::load_demo(&app.db).await.unwrap(),
            api::seed::SeedOutcome::AlreadyPresent
        );
        assert_eq!(counts().await, before);
        app.close().await;
    }
);
