//! `berguru export-schema`: print the GraphQL schema (SDL).

use api::config::Config;

use super::CliResult;

#[derive(clap::Args, Debug)]
pub struct ExportSchemaArgs {
    /// Print the Apollo Federation v2 subgraph SDL instead of the public one.
    #[arg(long)]
    federation: bool,
}

pub(super) fn run(config: &Config, args: &ExportSchemaArgs) -> CliResult {
    let schema = api::graphql::build_schema(api::SchemaDeps {
        db: sea_orm::DatabaseConnection::default(),
        limits: config.limits,
        events: api::events::EventBus::default(),
        search: std::sync::Arc::new(search::embedded::EmbeddedEngine::in_ram()?),
        guru: config.guru,
    });
    let sdl = if args.federation {
        api::graphql::federation_sdl(&schema)
    } else {
        api::graphql::public_sdl(&schema)
    };
    print!("{sdl}");
    Ok(())
}
