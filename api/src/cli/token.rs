//! `berguru token create|revoke|list`: API tokens; `create` prints the
//! secret once.

use api::auth::Viewer;
use api::config::Config;
use api::domain::token as tokens;
use clap::Subcommand;

use super::{CliResult, DataArgs, describe};

#[derive(clap::Args, Debug)]
pub struct TokenArgs {
    #[command(subcommand)]
    action: TokenCommand,
    #[command(flatten)]
    pub(super) data: DataArgs,
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// Create a token and print its secret (shown only this once).
    Create {
        /// `admin` or `editor`.
        #[arg(long, value_parser = ["admin", "editor"])]
        role: String,
        /// Region code: the editor's region, or the admin's province (omit for a national admin).
        #[arg(long)]
        region: Option<String>,
        /// Who or what uses the token.
        #[arg(long, default_value = "command line")]
        name: String,
        /// Days until the token expires (never, when omitted).
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
    /// Revoke a token by id.
    Revoke {
        /// Token id (from `token list`).
        id: String,
    },
    /// List tokens.
    List,
}

pub(super) async fn run(config: &Config, args: TokenArgs) -> CliResult {
    let db = super::open_migrated(config).await?;
    match args.action {
        TokenCommand::Create {
            role,
            region,
            name,
            expires_in_days,
        } => create(&db, role, region, name, expires_in_days).await?,
        TokenCommand::Revoke { id } => {
            let id = api::domain::parse_id("id", &id).map_err(describe)?;
            let t = tokens::revoke(&db, &Viewer::Operator, id)
                .await
                .map_err(describe)?;
            println!("revoked token {} ({})", t.id, t.name);
        }
        TokenCommand::List => list(&db).await?,
    }
    Ok(())
}

async fn create(
    db: &sea_orm::DatabaseConnection,
    role: String,
    region: Option<String>,
    name: String,
    expires_in_days: Option<u32>,
) -> CliResult {
    let role = if role == "admin" {
        entity::TokenRole::Admin
    } else {
        entity::TokenRole::Editor
    };
    let expires_at =
        expires_in_days.map(|d| chrono::Utc::now() + chrono::Duration::days(i64::from(d)));
    let (secret, t) = tokens::create(
        db,
        &Viewer::Operator,
        tokens::NewToken {
            name,
            role,
            region_code: region,
            expires_at,
        },
    )
    .await
    .map_err(describe)?;
    eprintln!(
        "created token {} ({:?}{}); the secret below is shown only once:",
        t.id,
        t.role,
        t.region_code.map(|r| format!(" {r}")).unwrap_or_default()
    );
    println!("{secret}");
    Ok(())
}

async fn list(db: &sea_orm::DatabaseConnection) -> CliResult {
    for t in tokens::list(db, &Viewer::Operator)
        .await
        .map_err(describe)?
    {
        let state = if t.revoked_at.is_some() {
            "revoked".to_owned()
        } else if let Some(e) = t.expires_at {
            format!("expires {}", e.format("%Y-%m-%d"))
        } else {
            "active".to_owned()
        };
        println!(
            "{}\t{:?}\t{}\t{}\t{}",
            t.id,
            t.role,
            t.region_code.unwrap_or_else(|| "-".into()),
            state,
            t.name
        );
    }
    Ok(())
}
