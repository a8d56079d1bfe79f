//! One typed configuration: defaults, then an optional TOML file, then
//! `BERGURU_*` environment variables (and `DATABASE_URL`), then command-line
//! flags; validated once at start and passed down. Nothing below `main` reads
//! the environment.

use std::collections::HashMap;
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
    /// On SIGTERM or Ctrl-C, how long requests in flight may take to
    /// finish before the process exits anyway (seconds).
    pub shutdown_grace_secs: u64,
    /// The operations registered for clients without a token (see
    /// `graphql::registered`).
    pub persisted_operations_file: Option<PathBuf>,
    /// Clients without a token may run only the registered operations.
    pub anonymous_persisted_only: bool,
    /// How webhook deliveries are sent and retried.
    pub webhooks: crate::webhook::WebhookConfig,
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
    /// Requests per minute each client may send to `/graphql`,
    /// `/graphql/ws`, `/visits/plan.ics` and `/regions/{code}/due.ics` (a client is its
    /// `Authorization` header, else its IP address); beyond it HTTP 429
    /// `RATE_LIMITED` with `Retry-After`. 0 (the default): no limit.
    pub rate_limit_per_minute: u32,
    /// Take the client's IP address from the first `X-Forwarded-For`
    /// entry (only behind a proxy that sets it), not from the connection.
    pub trust_forwarded_for: bool,
    /// Months between follow-ups of an adoption being piloted or adopted
    /// (1 to 120).
    pub follow_up_months: u32,
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
            rate_limit_per_minute: 0,
            trust_forwarded_for: false,
            follow_up_months: crate::domain::adoption::follow_up::DEFAULT_FOLLOW_UP_MONTHS,
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
            shutdown_grace_secs: 20,
            persisted_operations_file: None,
            anonymous_persisted_only: false,
            webhooks: crate::webhook::WebhookConfig::default(),
        }
    }
}

/// One layer of settings: the shape of the optional TOML file, and what the
/// environment and the command line give, parsed into the same shape. Every
/// key is optional; a layer sets only what it holds.
///
/// The field order is the order the file's keys are listed in when the file
/// holds an unknown one.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layer {
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
    shutdown_grace_secs: Option<u64>,
    rate_limit_per_minute: Option<u32>,
    trust_forwarded_for: Option<bool>,
    follow_up_months: Option<u32>,
    persisted_operations_file: Option<PathBuf>,
    anonymous_persisted_only: Option<bool>,
    webhook_poll_ms: Option<u64>,
    webhook_retry_base_ms: Option<u64>,
    webhook_retry_max_secs: Option<u64>,
    webhook_pause_after_secs: Option<u64>,
    webhook_timeout_ms: Option<u64>,
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

impl Layer {
    /// The TOML file at `path`, if any (an error if it cannot be read or
    /// parsed).
    fn from_file(path: Option<PathBuf>) -> Result<Self, ConfigError> {
        let Some(path) = path else {
            return Ok(Self::default());
        };
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path,
            message: e.message().to_owned(),
        })
    }

    /// The `BERGURU_*` variables (and the usual `DATABASE_URL`, `MEILI_*`
    /// names as fallbacks); an empty variable counts as unset. The fields are
    /// written in the order the variables are checked, so the first bad one
    /// is the one reported.
    fn from_env(env: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let env = Env(env);
        Ok(Self {
            listen: env.text("BERGURU_LISTEN"),
            data_dir: env.text("BERGURU_DATA_DIR").map(PathBuf::from),
            database_url: env
                .text_or("BERGURU_DATABASE_URL", "DATABASE_URL")
                .map(Secret),
            seed_demo: env.flag("BERGURU_SEED_DEMO")?,
            default_page_size: env.num("BERGURU_DEFAULT_PAGE_SIZE")?,
            max_page_size: env.num("BERGURU_MAX_PAGE_SIZE")?,
            max_depth: env.num("BERGURU_MAX_DEPTH")?,
            introspection: env.flag("BERGURU_INTROSPECTION")?,
            max_complexity: env.num("BERGURU_MAX_COMPLEXITY")?,
            max_aliases: env.num("BERGURU_MAX_ALIASES")?,
            response_cache_mb: env.num("BERGURU_RESPONSE_CACHE_MB")?,
            response_cache_ttl_secs: env.num("BERGURU_RESPONSE_CACHE_TTL_SECS")?,
            max_body_bytes: env.num("BERGURU_MAX_BODY_BYTES")?,
            db_max_connections: env.num("BERGURU_DB_MAX_CONNECTIONS")?,
            log: env.text("BERGURU_LOG"),
            cors_allowed_origins: env.text("BERGURU_CORS_ALLOWED_ORIGINS").map(|v| {
                v.split(',')
                    .map(|o| o.trim().to_owned())
                    .filter(|o| !o.is_empty())
                    .collect()
            }),
            meili_url: env.text_or("BERGURU_MEILI_URL", "MEILI_URL"),
            meili_api_key: env
                .text_or("BERGURU_MEILI_API_KEY", "MEILI_API_KEY")
                .map(Secret),
            meili_search_key: env
                .text_or("BERGURU_MEILI_SEARCH_KEY", "MEILI_SEARCH_KEY")
                .map(Secret),
            meili_index_prefix: env.text("BERGURU_MEILI_INDEX_PREFIX"),
            search_timeout_ms: env.num("BERGURU_SEARCH_TIMEOUT_MS")?,
            shutdown_grace_secs: env.num("BERGURU_SHUTDOWN_GRACE_SECS")?,
            rate_limit_per_minute: env.num("BERGURU_RATE_LIMIT_PER_MINUTE")?,
            trust_forwarded_for: env.flag("BERGURU_TRUST_FORWARDED_FOR")?,
            follow_up_months: env.num("BERGURU_FOLLOW_UP_MONTHS")?,
            persisted_operations_file: env
                .text("BERGURU_PERSISTED_OPERATIONS_FILE")
                .map(PathBuf::from),
            anonymous_persisted_only: env.flag("BERGURU_ANONYMOUS_PERSISTED_ONLY")?,
            webhook_poll_ms: env.num("BERGURU_WEBHOOK_POLL_MS")?,
            webhook_retry_base_ms: env.num("BERGURU_WEBHOOK_RETRY_BASE_MS")?,
            webhook_retry_max_secs: env.num("BERGURU_WEBHOOK_RETRY_MAX_SECS")?,
            webhook_pause_after_secs: env.num("BERGURU_WEBHOOK_PAUSE_AFTER_SECS")?,
            webhook_timeout_ms: env.num("BERGURU_WEBHOOK_TIMEOUT_MS")?,
            guru_weight_relevance: env.weight("BERGURU_GURU_WEIGHT_RELEVANCE")?,
            guru_weight_evidence: env.weight("BERGURU_GURU_WEIGHT_EVIDENCE")?,
            guru_weight_transfers: env.weight("BERGURU_GURU_WEIGHT_TRANSFERS")?,
            guru_weight_likeness: env.weight("BERGURU_GURU_WEIGHT_LIKENESS")?,
            guru_weight_distance: env.weight("BERGURU_GURU_WEIGHT_DISTANCE")?,
            require_token_for_reads: env.flag("BERGURU_REQUIRE_TOKEN_FOR_READS")?,
        })
    }
}

impl From<Overrides> for Layer {
    fn from(o: Overrides) -> Self {
        Self {
            listen: o.listen,
            data_dir: o.data_dir,
            ..Self::default()
        }
    }
}

/// The process environment, read the way every layer reads it.
struct Env<'a>(&'a HashMap<String, String>);

impl Env<'_> {
    /// The variable's value; empty counts as unset.
    fn text(&self, key: &str) -> Option<String> {
        self.0.get(key).filter(|v| !v.is_empty()).cloned()
    }

    /// `key`, else `fallback`.
    fn text_or(&self, key: &str, fallback: &str) -> Option<String> {
        self.text(key).or_else(|| self.text(fallback))
    }

    fn flag(&self, key: &'static str) -> Result<Option<bool>, ConfigError> {
        self.text(key).map(|v| parse_bool(key, &v)).transpose()
    }

    fn num<T: std::str::FromStr>(&self, key: &'static str) -> Result<Option<T>, ConfigError> {
        self.text(key).map(|v| parse_num(key, &v)).transpose()
    }

    /// A guru weight; its range is checked with the others in `validate`.
    fn weight(&self, key: &str) -> Result<Option<f64>, ConfigError> {
        self.text(key)
            .map(|v| {
                v.parse().map_err(|_| ConfigError::Invalid {
                    key: "guru_weight_*",
                    message: format!("{key}={v:?} is not a number"),
                })
            })
            .transpose()
    }
}

/// `*slot = v` when the layer holds a value.
fn set<T>(slot: &mut T, v: Option<T>) {
    if let Some(v) = v {
        *slot = v;
    }
}

impl Config {
    /// Builds the configuration from its layers and validates it: defaults,
    /// then the file, then the environment, then the command line.
    ///
    /// `file` is an explicit config file (an error if missing); else
    /// `BERGURU_CONFIG` names one. `env` is the process environment, passed
    /// in so tests can use their own.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        overrides: Overrides,
    ) -> Result<Self, ConfigError> {
        let env: HashMap<String, String> = env.into_iter().collect();
        let file = file
            .map(PathBuf::from)
            .or_else(|| env.get("BERGURU_CONFIG").map(PathBuf::from));
        let layers = [
            Layer::from_file(file)?,
            Layer::from_env(&env)?,
            Layer::from(overrides),
        ];
        let mut c = Config::default();
        // The address is parsed once, from the layer that wins.
        let mut listen = None;
        for layer in layers {
            c.apply(layer, &mut listen);
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

    /// Lays `layer` over the configuration: what it holds wins. Its address
    /// goes to `listen`, still unparsed.
    fn apply(&mut self, layer: Layer, listen: &mut Option<String>) {
        // Taken apart whole, so a new key cannot be forgotten here.
        let Layer {
            listen: address,
            data_dir,
            database_url,
            seed_demo,
            default_page_size,
            max_page_size,
            max_depth,
            introspection,
            max_complexity,
            max_aliases,
            max_body_bytes,
            response_cache_mb,
            response_cache_ttl_secs,
            db_max_connections,
            log,
            require_token_for_reads,
            cors_allowed_origins,
            shutdown_grace_secs,
            rate_limit_per_minute,
            trust_forwarded_for,
            follow_up_months,
            persisted_operations_file,
            anonymous_persisted_only,
            webhook_poll_ms,
            webhook_retry_base_ms,
            webhook_retry_max_secs,
            webhook_pause_after_secs,
            webhook_timeout_ms,
            meili_url,
            meili_api_key,
            meili_search_key,
            meili_index_prefix,
            search_timeout_ms,
            guru_weight_relevance,
            guru_weight_evidence,
            guru_weight_transfers,
            guru_weight_likeness,
            guru_weight_distance,
        } = layer;
        set(listen, address.map(Some));
        set(&mut self.data_dir, data_dir);
        set(&mut self.database_url, database_url.map(Some));
        set(&mut self.seed_demo, seed_demo);
        set(&mut self.db_max_connections, db_max_connections);
        set(&mut self.log, log);
        set(&mut self.require_token_for_reads, require_token_for_reads);
        set(&mut self.cors_allowed_origins, cors_allowed_origins);
        set(&mut self.shutdown_grace_secs, shutdown_grace_secs);
        set(
            &mut self.persisted_operations_file,
            persisted_operations_file.map(Some),
        );
        set(&mut self.anonymous_persisted_only, anonymous_persisted_only);
        let l = &mut self.limits;
        set(&mut l.default_page_size, default_page_size);
        set(&mut l.max_page_size, max_page_size);
        set(&mut l.max_depth, max_depth);
        set(&mut l.introspection, introspection);
        set(&mut l.max_complexity, max_complexity);
        set(&mut l.max_aliases, max_aliases);
        set(&mut l.max_body_bytes, max_body_bytes);
        set(&mut l.response_cache_mb, response_cache_mb);
        set(&mut l.response_cache_ttl_secs, response_cache_ttl_secs);
        set(&mut l.rate_limit_per_minute, rate_limit_per_minute);
        set(&mut l.trust_forwarded_for, trust_forwarded_for);
        set(&mut l.follow_up_months, follow_up_months);
        let w = &mut self.webhooks;
        set(&mut w.poll_ms, webhook_poll_ms);
        set(&mut w.retry_base_ms, webhook_retry_base_ms);
        set(&mut w.retry_max_secs, webhook_retry_max_secs);
        set(&mut w.pause_after_secs, webhook_pause_after_secs);
        set(&mut w.timeout_ms, webhook_timeout_ms);
        let s = &mut self.search;
        set(&mut s.meili_url, meili_url.map(Some));
        set(&mut s.meili_api_key, meili_api_key.map(Some));
        set(&mut s.meili_search_key, meili_search_key.map(Some));
        set(&mut s.index_prefix, meili_index_prefix);
        set(&mut s.timeout_ms, search_timeout_ms);
        let g = &mut self.guru;
        set(&mut g.relevance, guru_weight_relevance);
        set(&mut g.evidence, guru_weight_evidence);
        set(&mut g.transfers, guru_weight_transfers);
        set(&mut g.likeness, guru_weight_likeness);
        set(&mut g.distance, guru_weight_distance);
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
                message: "must start with http:// (reach Meilisearch on a private network, or through a local TLS proxy)".into(),
            });
        }
        if self.anonymous_persisted_only && self.persisted_operations_file.is_none() {
            return Err(ConfigError::Invalid {
                key: "anonymous_persisted_only",
                message: "needs persisted_operations_file, the operations clients without a token may run".into(),
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
        if !(1..=120).contains(&l.follow_up_months) {
            return Err(ConfigError::Invalid {
                key: "follow_up_months",
                message: "must be between 1 and 120".into(),
            });
        }
        let w = &self.webhooks;
        for (key, value) in [
            ("webhook_poll_ms", w.poll_ms),
            ("webhook_retry_base_ms", w.retry_base_ms),
            ("webhook_retry_max_secs", w.retry_max_secs),
            ("webhook_pause_after_secs", w.pause_after_secs),
            ("webhook_timeout_ms", w.timeout_ms),
        ] {
            if value == 0 {
                return Err(ConfigError::Invalid {
                    key,
                    message: "must be at least 1".into(),
                });
            }
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
