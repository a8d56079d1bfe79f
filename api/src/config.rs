//! One typed configuration: defaults, then an optional TOML file, then
//! `BERGURU_*` environment variables (and `DATABASE_URL`), then command-line
//! flags; validated once at start and passed down. Nothing below `main` reads
//! the environment.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Problems found while loading or validating the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{key}: {message}")]
    Invalid { key: &'static str, message: String },
}

/// A value that must never be printed (database URLs carry passwords).
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// The validated configuration of a Berguru process.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub listen: SocketAddr,
    /// Folder holding the SQLite database (and, later, the search index).
    pub data_dir: PathBuf,
    /// Database URL; `None` means SQLite in `data_dir`.
    pub database_url: Option<Secret>,
    /// Load the demo data set into an empty embedded database on `serve`.
    pub seed_demo: bool,
    /// Limits of the GraphQL API.
    pub limits: Limits,
    /// Maximum database connections in the pool.
    pub db_max_connections: u32,
    /// `tracing` filter directive, e.g. `info` or `api=debug,info`.
    pub log: String,
    /// Refuse reads without a valid token (writes always need one).
    pub require_token_for_reads: bool,
    /// Browser origins allowed by CORS (`*` for any); empty: none.
    pub cors_allowed_origins: Vec<String>,
    /// The search engine.
    pub search: SearchConfig,
    /// Weights of the guru score (`findGurus`).
    pub guru: crate::domain::guru::GuruWeights,
}

/// Which search engine answers, and how to reach Meilisearch.
#[derive(Clone, Debug)]
pub struct SearchConfig {
    /// Meilisearch URL; `None` means the embedded engine in `data_dir/search`.
    pub meili_url: Option<String>,
    /// Meilisearch API key (an indexing key with search rights; never the
    /// master key in production).
    pub meili_api_key: Option<Secret>,
    /// Meilisearch key for searches only (optional; else `meili_api_key`).
    pub meili_search_key: Option<Secret>,
    /// Prefix of the Meilisearch index names.
    pub index_prefix: String,
    /// Bound on every Meilisearch call, in milliseconds.
    pub timeout_ms: u64,
    /// How often the outbox worker looks for changes, in milliseconds.
    pub outbox_poll_ms: u64,
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self {
            meili_url: None,
            meili_api_key: None,
            meili_search_key: None,
            index_prefix: "berguru_".to_owned(),
            timeout_ms: 2_000,
            outbox_poll_ms: 250,
        }
    }
}

/// Limits that protect the server from oversized requests.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Page size when `first` is not given.
    pub default_page_size: u32,
    /// Largest `first` accepted; larger is `BAD_USER_INPUT`.
    pub max_page_size: u32,
    /// Maximum query depth (introspection's `ofType` links do not count; see
    /// `graphql::shape`).
    pub max_depth: usize,
    /// Whether `__schema` and `__type` are answered. Off, such queries are
    /// refused with `INTROSPECTION_DISABLED`; `__typename` and federation's
    /// `_service` keep working.
    pub introspection: bool,
    /// Maximum query complexity; a list field counts `first` times its children.
    pub max_complexity: usize,
    /// Maximum number of aliases in one query.
    pub max_aliases: usize,
    /// Maximum request body, bytes.
    pub max_body_bytes: usize,
    /// Automatic persisted queries kept in memory.
    pub apq_cache_size: usize,
    /// Memory for cached query responses, MiB; 0 turns the cache off.
    pub response_cache_mb: usize,
    /// Longest a cached response is served, seconds (writes through
    /// Berguru invalidate at once; this bounds writes made behind its back).
    pub response_cache_ttl_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            default_page_size: 20,
            max_page_size: 100,
            max_depth: 12,
            introspection: true,
            max_complexity: 20_000,
            max_aliases: 30,
            max_body_bytes: 1024 * 1024,
            apq_cache_size: 1000,
            response_cache_mb: 64,
            response_cache_ttl_secs: 30,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            seed_demo: true,
            limits: Limits::default(),
            db_max_connections: 10,
            log: "info".to_owned(),
            require_token_for_reads: false,
            cors_allowed_origins: Vec::new(),
            search: SearchConfig::default(),
            guru: crate::domain::guru::GuruWeights::default(),
        }
    }
}

/// The shape of the optional TOML file; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<Secret>,
    seed_demo: Option<bool>,
    default_page_size: Option<u32>,
    max_page_size: Option<u32>,
    max_depth: Option<usize>,
    introspection: Option<bool>,
    max_complexity: Option<usize>,
    max_aliases: Option<usize>,
    max_body_bytes: Option<usize>,
    response_cache_mb: Option<usize>,
    response_cache_ttl_secs: Option<u64>,
    db_max_connections: Option<u32>,
    log: Option<String>,
    require_token_for_reads: Option<bool>,
    cors_allowed_origins: Option<Vec<String>>,
    meili_url: Option<String>,
    meili_api_key: Option<Secret>,
    meili_search_key: Option<Secret>,
    meili_index_prefix: Option<String>,
    search_timeout_ms: Option<u64>,
    guru_weight_relevance: Option<f64>,
    guru_weight_evidence: Option<f64>,
    guru_weight_transfers: Option<f64>,
    guru_weight_likeness: Option<f64>,
    guru_weight_distance: Option<f64>,
}

/// Settings given on the command line; they win over everything else.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
}

impl Config {
    /// Builds the configuration from its layers and validates it.
    ///
    /// `file` is an explicit config file (an error if missing); `env` is the
    /// process environment, passed in so tests can use their own.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        overrides: Overrides,
    ) -> Result<Self, ConfigError> {
        let env: std::collections::HashMap<String, String> = env.into_iter().collect();
        let file = file
            .map(PathBuf::from)
            .or_else(|| env.get("BERGURU_CONFIG").map(PathBuf::from));
        let from_file = match file {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                    path: path.clone(),
                    source,
                })?;
                toml::from_str::<FileConfig>(&text).map_err(|e| ConfigError::Parse {
                    path: path.clone(),
                    message: e.message().to_owned(),
                })?
            }
            None => FileConfig::default(),
        };

        let mut c = Config::default();
        let mut listen = from_file.listen;
        if let Some(v) = from_file.data_dir {
            c.data_dir = v;
        }
        c.database_url = from_file.database_url;
        if let Some(v) = from_file.seed_demo {
            c.seed_demo = v;
        }
        if let Some(v) = from_file.default_page_size {
            c.limits.default_page_size = v;
        }
        if let Some(v) = from_file.max_page_size {
            c.limits.max_page_size = v;
        }
        if let Some(v) = from_file.max_depth {
            c.limits.max_depth = v;
        }
        if let Some(v) = from_file.introspection {
            c.limits.introspection = v;
        }
        if let Some(v) = from_file.max_complexity {
            c.limits.max_complexity = v;
        }
        if let Some(v) = from_file.max_aliases {
            c.limits.max_aliases = v;
        }
        if let Some(v) = from_file.response_cache_mb {
            c.limits.response_cache_mb = v;
        }
        if let Some(v) = from_file.response_cache_ttl_secs {
            c.limits.response_cache_ttl_secs = v;
        }
        if let Some(v) = from_file.max_body_bytes {
            c.limits.max_body_bytes = v;
        }
        if let Some(v) = from_file.db_max_connections {
            c.db_max_connections = v;
        }
        if let Some(v) = from_file.log {
            c.log = v;
        }
        if let Some(v) = from_file.require_token_for_reads {
            c.require_token_for_reads = v;
        }
        if let Some(v) = from_file.cors_allowed_origins {
            c.cors_allowed_origins = v;
        }
        c.search.meili_url = from_file.meili_url;
        c.search.meili_api_key = from_file.meili_api_key;
        c.search.meili_search_key = from_file.meili_search_key;
        if let Some(v) = from_file.meili_index_prefix {
            c.search.index_prefix = v;
        }
        if let Some(v) = from_file.search_timeout_ms {
            c.search.timeout_ms = v;
        }
        for (slot, v) in [
            (&mut c.guru.relevance, from_file.guru_weight_relevance),
            (&mut c.guru.evidence, from_file.guru_weight_evidence),
            (&mut c.guru.transfers, from_file.guru_weight_transfers),
            (&mut c.guru.likeness, from_file.guru_weight_likeness),
            (&mut c.guru.distance, from_file.guru_weight_distance),
        ] {
            if let Some(v) = v {
                *slot = v;
            }
        }

        let get = |k: &str| env.get(k).filter(|v| !v.is_empty()).cloned();
        if let Some(v) = get("BERGURU_LISTEN") {
            listen = Some(v);
        }
        if let Some(v) = get("BERGURU_DATA_DIR") {
            c.data_dir = PathBuf::from(v);
        }
        if let Some(v) = get("BERGURU_DATABASE_URL").or_else(|| get("DATABASE_URL")) {
            c.database_url = Some(Secret(v));
        }
        if let Some(v) = get("BERGURU_SEED_DEMO") {
            c.seed_demo = parse_bool("BERGURU_SEED_DEMO", &v)?;
        }
        if let Some(v) = get("BERGURU_DEFAULT_PAGE_SIZE") {
            c.limits.default_page_size = parse_num("BERGURU_DEFAULT_PAGE_SIZE", &v)?;
        }
        if let Some(v) = get("BERGURU_MAX_PAGE_SIZE") {
            c.limits.max_page_size = parse_num("BERGURU_MAX_PAGE_SIZE", &v)?;
        }
        if let Some(v) = get("BERGURU_MAX_DEPTH") {
            c.limits.max_depth = parse_num("BERGURU_MAX_DEPTH", &v)?;
        }
        if let Some(v) = get("BERGURU_INTROSPECTION") {
            c.limits.introspection = parse_bool("BERGURU_INTROSPECTION", &v)?;
        }
        if let Some(v) = get("BERGURU_MAX_COMPLEXITY") {
            c.limits.max_complexity = parse_num("BERGURU_MAX_COMPLEXITY", &v)?;
        }
        if let Some(v) = get("BERGURU_MAX_ALIASES") {
            c.limits.max_aliases = parse_num("BERGURU_MAX_ALIASES", &v)?;
        }
        if let Some(v) = get("BERGURU_RESPONSE_CACHE_MB") {
            c.limits.response_cache_mb = parse_num("BERGURU_RESPONSE_CACHE_MB", &v)?;
        }
        if let Some(v) = get("BERGURU_RESPONSE_CACHE_TTL_SECS") {
            c.limits.response_cache_ttl_secs = parse_num("BERGURU_RESPONSE_CACHE_TTL_SECS", &v)?;
        }
        if let Some(v) = get("BERGURU_MAX_BODY_BYTES") {
            c.limits.max_body_bytes = parse_num("BERGURU_MAX_BODY_BYTES", &v)?;
        }
        if let Some(v) = get("BERGURU_DB_MAX_CONNECTIONS") {
            c.db_max_connections = parse_num("BERGURU_DB_MAX_CONNECTIONS", &v)?;
        }
        if let Some(v) = get("BERGURU_LOG") {
            c.log = v;
        }
        if let Some(v) = get("BERGURU_CORS_ALLOWED_ORIGINS") {
            c.cors_allowed_origins = v
                .split(',')
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .collect();
        }
        if let Some(v) = get("BERGURU_MEILI_URL").or_else(|| get("MEILI_URL")) {
            c.search.meili_url = Some(v);
        }
        if let Some(v) = get("BERGURU_MEILI_API_KEY").or_else(|| get("MEILI_API_KEY")) {
            c.search.meili_api_key = Some(Secret(v));
        }
        if let Some(v) = get("BERGURU_MEILI_SEARCH_KEY").or_else(|| get("MEILI_SEARCH_KEY")) {
            c.search.meili_search_key = Some(Secret(v));
        }
        if let Some(v) = get("BERGURU_MEILI_INDEX_PREFIX") {
            c.search.index_prefix = v;
        }
        if let Some(v) = get("BERGURU_SEARCH_TIMEOUT_MS") {
            c.search.timeout_ms = parse_num("BERGURU_SEARCH_TIMEOUT_MS", &v)?;
        }
        for (key, slot) in [
            ("BERGURU_GURU_WEIGHT_RELEVANCE", &mut c.guru.relevance),
            ("BERGURU_GURU_WEIGHT_EVIDENCE", &mut c.guru.evidence),
            ("BERGURU_GURU_WEIGHT_TRANSFERS", &mut c.guru.transfers),
            ("BERGURU_GURU_WEIGHT_LIKENESS", &mut c.guru.likeness),
            ("BERGURU_GURU_WEIGHT_DISTANCE", &mut c.guru.distance),
        ] {
            if let Some(v) = get(key) {
                *slot = v.parse().map_err(|_| ConfigError::Invalid {
                    key: "guru_weight_*",
                    message: format!("{key}={v:?} is not a number"),
                })?;
            }
        }
        if let Some(v) = get("BERGURU_REQUIRE_TOKEN_FOR_READS") {
            c.require_token_for_reads = parse_bool("BERGURU_REQUIRE_TOKEN_FOR_READS", &v)?;
        }

        if let Some(v) = overrides.listen {
            listen = Some(v);
        }
        if let Some(v) = overrides.data_dir {
            c.data_dir = v;
        }
        if let Some(v) = listen {
            c.listen = v.parse().map_err(|_| ConfigError::Invalid {
                key: "listen",
                message: format!("{v:?} is not an address like 127.0.0.1:8080"),
            })?;
        }
        c.validate()?;
        Ok(c)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.guru
            .validate()
            .map_err(|message| ConfigError::Invalid {
                key: "guru_weight_*",
                message,
            })?;
        let l = &self.limits;
        if l.max_page_size == 0 {
            return Err(ConfigError::Invalid {
                key: "max_page_size",
                message: "must be at least 1".into(),
            });
        }
        if l.default_page_size == 0 || l.default_page_size > l.max_page_size {
            return Err(ConfigError::Invalid {
                key: "default_page_size",
                message: format!("must be between 1 and max_page_size ({})", l.max_page_size),
            });
        }
        if let Some(u) = &self.search.meili_url
            && !u.starts_with("http://")
        {
            return Err(ConfigError::Invalid {
                key: "meili_url",
                message: "must start with http:// (this build has no TLS client; reach Meilisearch on a private network or through a local TLS proxy)".into(),
            });
        }
        if self.search.timeout_ms == 0 {
            return Err(ConfigError::Invalid {
                key: "search_timeout_ms",
                message: "must be at least 1".into(),
            });
        }
        if !self
            .search
            .index_prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(ConfigError::Invalid {
                key: "meili_index_prefix",
                message: "may hold only letters, digits, `_` and `-`".into(),
            });
        }
        if self.db_max_connections == 0 {
            return Err(ConfigError::Invalid {
                key: "db_max_connections",
                message: "must be at least 1".into(),
            });
        }
        if let Some(url) = &self.database_url {
            let u = url.expose();
            if !(u.starts_with("postgres://")
                || u.starts_with("postgresql://")
                || u.starts_with("sqlite:"))
            {
                return Err(ConfigError::Invalid {
                    key: "database_url",
                    message: "must start with postgres://, postgresql:// or sqlite:".into(),
                });
            }
        }
        Ok(())
    }

    /// The database URL to connect to: the configured one, or SQLite in the
    /// data folder.
    pub fn effective_database_url(&self) -> Secret {
        match &self.database_url {
            Some(u) => u.clone(),
            None => Secret(format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("berguru.sqlite").display()
            )),
        }
    }

    /// True when the database is the embedded SQLite default.
    pub fn is_embedded_database(&self) -> bool {
        self.effective_database_url()
            .expose()
            .starts_with("sqlite:")
    }
}

fn parse_bool(key: &'static str, v: &str) -> Result<bool, ConfigError> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError::Invalid {
            key,
            message: format!("{v:?} is not true or false"),
        }),
    }
}

fn parse_num<T: std::str::FromStr>(key: &'static str, v: &str) -> Result<T, ConfigError> {
    v.parse().map_err(|_| ConfigError::Invalid {
        key,
        message: format!("{v:?} is not a whole number"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_serve_sqlite_in_the_data_folder() -> Result<(), ConfigError> {
        let c = Config::load(None, env(&[]), Overrides::default())?;
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert!(c.is_embedded_database());
        assert!(
            c.effective_database_url()
                .expose()
                .contains("berguru.sqlite")
        );
        Ok(())
    }

    #[test]
    fn environment_beats_file_and_flags_beat_environment() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile_dir()?;
        let path = dir.join("berguru.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:9000\"\nmax_page_size = 50\n")?;
        let c = Config::load(
            Some(&path),
            env(&[("BERGURU_LISTEN", "127.0.0.1:9100")]),
            Overrides::default(),
        )?;
        assert_eq!(c.listen.port(), 9100);
        assert_eq!(c.limits.max_page_size, 50);
        let c = Config::load(
            Some(&path),
            env(&[("BERGURU_LISTEN", "127.0.0.1:9100")]),
            Overrides {
                listen: Some("127.0.0.1:9200".into()),
                data_dir: None,
            },
        )?;
        assert_eq!(c.listen.port(), 9200);
        std::fs::remove_dir_all(dir)?;
        Ok(())
    }

    #[test]
    fn guru_weights_come_from_file_and_environment_and_are_checked()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile_dir()?;
        let path = dir.join("berguru.toml");
        std::fs::write(
            &path,
            "guru_weight_relevance = 0.5\nguru_weight_distance = 0.0\n",
        )?;
        let c = Config::load(
            Some(&path),
            env(&[("BERGURU_GURU_WEIGHT_TRANSFERS", "0.4")]),
            Overrides::default(),
        )?;
        assert_eq!(c.guru.relevance, 0.5);
        assert_eq!(c.guru.distance, 0.0);
        assert_eq!(c.guru.transfers, 0.4);
        assert_eq!(c.guru.evidence, 0.2);
        for bad in ["-1", "many", "NaN"] {
            let e = Config::load(
                None,
                env(&[("BERGURU_GURU_WEIGHT_LIKENESS", bad)]),
                Overrides::default(),
            );
            assert!(
                matches!(
                    e,
                    Err(ConfigError::Invalid {
                        key: "guru_weight_*",
                        ..
                    })
                ),
                "{bad}: {e:?}"
            );
        }
        std::fs::remove_dir_all(dir)?;
        Ok(())
    }

    #[test]
    fn invalid_values_are_refused_with_the_key_named() {
        let e = Config::load(
            None,
            env(&[("BERGURU_MAX_PAGE_SIZE", "lots")]),
            Overrides::default(),
        );
        assert!(matches!(
            e,
            Err(ConfigError::Invalid {
                key: "BERGURU_MAX_PAGE_SIZE",
                ..
            })
        ));
        let e = Config::load(
            None,
            env(&[("DATABASE_URL", "mysql://x")]),
            Overrides::default(),
        );
        assert!(matches!(
            e,
            Err(ConfigError::Invalid {
                key: "database_url",
                ..
            })
        ));
    }

    #[test]
    fn database_url_never_appears_in_debug_output() -> Result<(), ConfigError> {
        let c = Config::load(
            None,
            env(&[("DATABASE_URL", "postgres://u:hunter2@h/db")]),
            Overrides::default(),
        )?;
        assert!(!format!("{c:?}").contains("hunter2"));
        Ok(())
    }

    fn tempfile_dir() -> std::io::Result<PathBuf> {
        let d = std::env::temp_dir().join(format!("berguru-config-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&d)?;
        Ok(d)
    }
}
