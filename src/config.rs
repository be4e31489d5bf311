//! Typed settings: the shipped `config.toml`, built into the binary, overlaid by a configuration
//! file (when one is named or `config.toml` exists in the working directory), then by
//! `GATEWAY__SECTION__KEY` environment variables, then validated. Every failure names the
//! offending setting.

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The shipped `config.toml`, built into the binary: the defaults every other source overlays,
/// so a node starts with no file at all.
pub const EMBEDDED_DEFAULTS: &str = include_str!("../config.toml");

/// The file read when no `--config`/`GATEWAY_CONFIG` names one, if it exists.
pub const DEFAULT_FILE: &str = "config.toml";

/// The prefix of the environment variables that override settings.
const ENV_PREFIX: &str = "GATEWAY__";

/// The JWT secret shipped in `config.toml`; refused unless the node only listens on loopback.
pub const DEVELOPMENT_JWT_SECRET: &str = "development-only-secret-change-me-0123456789";

/// All settings of a node.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub node: NodeConfig,
    pub broker: BrokerConfig,
    pub outbox: OutboxConfig,
    pub crm: CrmConfig,
    pub desk: DeskConfig,
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub jwt: JwtConfig,
    pub log: LogConfig,
    pub hasher: HasherConfig,
    pub login: LoginConfig,
    pub sessions: SessionsConfig,
    pub audit: AuditConfig,
    pub admin: AdminConfig,
}

/// `[node]`: identity in the mesh.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeConfig {
    pub id: String,
    #[serde(with = "humantime_serde")]
    pub heartbeat: Duration,
}

/// `[broker]`: RabbitMQ, or the in-process bus when `url` is empty.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokerConfig {
    pub url: String,
    pub namespace: String,
    #[serde(with = "humantime_serde")]
    pub max_backoff: Duration,
    pub max_deliveries: u32,
}

impl std::fmt::Debug for BrokerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut url = url::Url::parse(&self.url).ok();
        if let Some(url) = url.as_mut() {
            let _ = url.set_password(url.password().map(|_| "<redacted>"));
        }
        f.debug_struct("BrokerConfig")
            .field("url", &url.map_or_else(String::new, |u| u.to_string()))
            .field("namespace", &self.namespace)
            .field("max_backoff", &self.max_backoff)
            .field("max_deliveries", &self.max_deliveries)
            .finish()
    }
}

/// `[outbox]`: the relay that publishes committed events.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboxConfig {
    pub batch_size: i64,
    #[serde(with = "humantime_serde")]
    pub poll_interval: Duration,
}

/// `[crm]`: the CRM domain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrmConfig {
    pub default_profile: String,
}

/// `[desk]`: the service desk. Resolution targets per ticket priority (the SLA).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeskConfig {
    #[serde(with = "humantime_serde")]
    pub sla_high: Duration,
    #[serde(with = "humantime_serde")]
    pub sla_medium: Duration,
    #[serde(with = "humantime_serde")]
    pub sla_low: Duration,
}

/// `[server]`: the HTTP listener.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub host: String,
    pub port: u16,
    pub workers: usize,
    pub body_limit: usize,
    #[serde(with = "humantime_serde")]
    pub shutdown_timeout: Duration,
}

/// `[database]`: PostgreSQL.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    pub url: String,
    pub pool_size: usize,
    #[serde(with = "humantime_serde")]
    pub acquire_timeout: Duration,
}

/// `[jwt]`: access tokens.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JwtConfig {
    pub secret: String,
    #[serde(with = "humantime_serde")]
    pub ttl: Duration,
}

impl std::fmt::Debug for JwtConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtConfig").field("secret", &"<redacted>").field("ttl", &self.ttl).finish()
    }
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// `[log]`: tracing output.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    pub level: String,
}

/// `[hasher]`: the argon2id worker pool.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HasherConfig {
    pub threads: usize,
}

/// `[login]`: throttling of failed logins.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginConfig {
    pub max_failures_per_email: u32,
    pub max_failures_per_address: u32,
    #[serde(with = "humantime_serde")]
    pub window: Duration,
}

/// `[sessions]`: server-side sessions opened by a login.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionsConfig {
    /// How long a refresh token lives; every refresh starts the time again (sliding).
    #[serde(with = "humantime_serde")]
    pub refresh_ttl: Duration,
}

/// `[audit]`: the audit log.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// How long entries are kept; older ones are deleted every hour.
    #[serde(with = "humantime_serde")]
    pub retention: Duration,
}

/// `[admin]`: operator features.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminConfig {
    pub fault_injection: bool,
}

/// A setting that is missing, malformed or unsafe.
#[derive(Debug, thiserror::Error)]
#[error("invalid setting `{key}`: {reason}")]
pub struct ConfigError {
    pub key: String,
    pub reason: String,
}

impl ConfigError {
    fn new(key: &str, reason: impl Into<String>) -> Self {
        Self { key: key.into(), reason: reason.into() }
    }
}

/// Where a configuration came from, lowest precedence first (for the start-up log; the
/// environment is listed by variable name only, never by value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources {
    /// The file read over the embedded defaults, if any.
    pub file: Option<PathBuf>,
    /// The `GATEWAY__…` variables set in the environment.
    pub env: Vec<String>,
}

impl std::fmt::Display for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("embedded defaults")?;
        if let Some(file) = &self.file {
            write!(f, ", file {}", file.display())?;
        }
        if !self.env.is_empty() {
            write!(f, ", environment {}", self.env.join(" "))?;
        }
        Ok(())
    }
}

impl Config {
    /// The settings of a command: the embedded defaults, overlaid by the file `named`
    /// (`--config`/`GATEWAY_CONFIG`), which must exist, or when none is named by `config.toml`
    /// in the working directory if there is one; then by `GATEWAY__…` variables. Validated.
    pub fn resolve(named: Option<&Path>) -> Result<(Self, Sources), ConfigError> {
        let (config, file) = match named {
            Some(path) => (Self::load(path)?, Some(path.to_path_buf())),
            None => Self::load_if_present(Path::new(DEFAULT_FILE))?,
        };
        let mut env: Vec<String> = std::env::vars_os()
            .filter_map(|(name, _)| name.into_string().ok())
            .filter(|name| name.starts_with(ENV_PREFIX))
            .collect();
        env.sort();
        Ok((config, Sources { file, env }))
    }

    /// The embedded defaults overlaid by the file at `path`, which must exist, then by
    /// `GATEWAY__…` environment variables; validated.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        Self::layered(Some(path))
    }

    /// As [`Config::load`] when `path` exists; otherwise the embedded defaults overlaid by the
    /// environment alone. Answers the file read, if any.
    pub fn load_if_present(path: &Path) -> Result<(Self, Option<PathBuf>), ConfigError> {
        let file = path.exists().then(|| path.to_path_buf());
        Ok((Self::layered(file.as_deref())?, file))
    }

    fn layered(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Toml::string(EMBEDDED_DEFAULTS));
        if let Some(path) = file {
            figment = figment.merge(Toml::file_exact(path));
        }
        let config: Config = figment.merge(Env::prefixed(ENV_PREFIX).split("__")).extract().map_err(|e| {
            let key = e.path.join(".");
            let key = match (key.is_empty(), file) {
                (false, _) => key,
                (true, Some(path)) => path.display().to_string(),
                (true, None) => "configuration".to_string(),
            };
            ConfigError::new(&key, e.kind.to_string())
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Refuses settings that cannot work or are unsafe.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (key, target) in [
            ("desk.sla_high", self.desk.sla_high),
            ("desk.sla_medium", self.desk.sla_medium),
            ("desk.sla_low", self.desk.sla_low),
        ] {
            if target.is_zero() || target > Duration::from_secs(365 * 24 * 3600) {
                return Err(ConfigError::new(key, "must be more than 0 and at most a year"));
            }
        }
        if self.jwt.secret.len() < 32 {
            return Err(ConfigError::new("jwt.secret", "must be at least 32 bytes"));
        }
        if self.jwt.secret == DEVELOPMENT_JWT_SECRET && !self.listens_on_loopback_only() {
            return Err(ConfigError::new(
                "jwt.secret",
                "the shipped development secret is only allowed on a loopback address; set GATEWAY__JWT__SECRET",
            ));
        }
        if self.jwt.ttl.is_zero() {
            return Err(ConfigError::new("jwt.ttl", "must be longer than zero"));
        }
        if self.sessions.refresh_ttl <= self.jwt.ttl {
            return Err(ConfigError::new("sessions.refresh_ttl", "must be longer than jwt.ttl"));
        }
        if !self.broker.url.is_empty()
            && !url::Url::parse(&self.broker.url).is_ok_and(|u| matches!(u.scheme(), "amqp" | "amqps"))
        {
            return Err(ConfigError::new(
                "broker.url",
                "must be empty (in-process bus) or amqp://user:pass@host:port/vhost",
            ));
        }
        if !self.broker.namespace.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
            return Err(ConfigError::new("broker.namespace", "may only contain letters, digits, '.', '_' and '-'"));
        }
        if self.broker.max_deliveries == 0 {
            return Err(ConfigError::new("broker.max_deliveries", "must be at least 1"));
        }
        if !(1..=10_000).contains(&self.outbox.batch_size) {
            return Err(ConfigError::new("outbox.batch_size", "must be from 1 to 10000"));
        }
        if self.outbox.poll_interval.is_zero() || self.node.heartbeat.is_zero() {
            return Err(ConfigError::new("outbox.poll_interval / node.heartbeat", "must be longer than zero"));
        }
        if !self.node.id.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) || self.node.id.len() > 64 {
            return Err(ConfigError::new("node.id", "may only contain up to 64 letters, digits, '.', '_' and '-'"));
        }
        if self.database.pool_size == 0 {
            return Err(ConfigError::new("database.pool_size", "must be at least 1"));
        }
        url::Url::parse(&self.database.url)
            .ok()
            .filter(|u| matches!(u.scheme(), "postgres" | "postgresql") && u.path().len() > 1)
            .ok_or_else(|| ConfigError::new("database.url", "must be postgres://user@host:port/database"))?;
        if self.server.body_limit < 1024 {
            return Err(ConfigError::new("server.body_limit", "must be at least 1024 bytes"));
        }
        if self.login.max_failures_per_email == 0 || self.login.max_failures_per_address == 0 {
            return Err(ConfigError::new("login", "failure limits must be at least 1"));
        }
        if self.login.window.is_zero() {
            return Err(ConfigError::new("login.window", "must be longer than zero"));
        }
        tracing_subscriber::EnvFilter::try_new(&self.log.level)
            .map_err(|e| ConfigError::new("log.level", e.to_string()))?;
        Ok(())
    }

    fn listens_on_loopback_only(&self) -> bool {
        self.server.host == "localhost" || self.server.host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// The configured node id, or a generated one.
    pub fn node_id(&self) -> String {
        if self.node.id.is_empty() {
            format!("node-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
        } else {
            self.node.id.clone()
        }
    }

    /// Number of threads for a pool setting where 0 means "one per core".
    pub fn threads_or_cores(setting: usize) -> usize {
        if setting > 0 {
            setting
        } else {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file in the temporary directory, removed when dropped.
    struct TempFile(PathBuf);

    impl TempFile {
        fn with(contents: &str) -> Self {
            let path = std::env::temp_dir().join(format!("gateway-config-{}.toml", uuid::Uuid::new_v4().simple()));
            std::fs::write(&path, contents).expect("write temporary config");
            Self(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn missing_path() -> PathBuf {
        std::env::temp_dir().join(format!("gateway-no-such-dir-{}", uuid::Uuid::new_v4().simple())).join("config.toml")
    }

    #[test]
    fn a_missing_default_file_leaves_the_embedded_defaults() {
        let (config, file) = Config::load_if_present(&missing_path()).expect("embedded defaults load");
        assert_eq!(file, None);
        let shipped = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml")).expect("shipped file");
        assert_eq!(format!("{config:?}"), format!("{shipped:?}"));
        assert_eq!(config.jwt.secret, shipped.jwt.secret);
        assert_eq!((config.server.host.as_str(), config.server.port), ("127.0.0.1", 3000));
        assert_eq!(config.database.url, "postgres://postgres@127.0.0.1:5432/gateway");
        assert_eq!(config.jwt.secret, DEVELOPMENT_JWT_SECRET);
    }

    #[test]
    fn an_existing_default_file_overlays_the_embedded_defaults() {
        let file = TempFile::with("[server]\nport = 4001\n");
        let (config, read) = Config::load_if_present(&file.0).expect("loads");
        assert_eq!(read.as_deref(), Some(file.0.as_path()));
        assert_eq!(config.server.port, 4001);
        assert_eq!(config.server.host, "127.0.0.1", "keys the file does not set keep their defaults");
        assert_eq!(config.crm.default_profile, "Standard");
    }

    #[test]
    fn a_named_file_that_does_not_exist_is_an_error_naming_it() {
        let path = missing_path();
        let error = Config::load(&path).expect_err("a named file must exist");
        assert_eq!(error.key, path.display().to_string());
    }

    #[test]
    fn a_file_with_an_unknown_or_bad_key_is_an_error_naming_it() {
        let unknown = TempFile::with("[server]\nprot = 1\n");
        let error = Config::load(&unknown.0).expect_err("unknown key");
        assert!(error.to_string().contains("prot"), "{error}");
        let bad = TempFile::with("[server]\nport = \"x\"\n");
        assert_eq!(Config::load(&bad.0).expect_err("bad value").key, "server.port");
    }

    #[test]
    fn the_development_secret_is_still_refused_off_loopback() {
        let file = TempFile::with("[server]\nhost = \"0.0.0.0\"\n");
        assert_eq!(Config::load(&file.0).expect_err("dev secret off loopback").key, "jwt.secret");
    }

    #[test]
    fn sources_name_the_file_and_variables_never_values() {
        let sources = Sources { file: Some("conf/node.toml".into()), env: vec!["GATEWAY__JWT__SECRET".into()] };
        assert_eq!(sources.to_string(), "embedded defaults, file conf/node.toml, environment GATEWAY__JWT__SECRET");
        assert_eq!(Sources { file: None, env: vec![] }.to_string(), "embedded defaults");
    }
}
