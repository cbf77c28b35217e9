//! The HTTP client of the Engine REST API (v4, JSON): SSO token login and logout, `Version: 4`
//! on every call, typed faults, retries with backoff for reads. Mutating requests are sent once:
//! after a retriable failure the caller re-reads the Engine and plans again, so a request that
//! did act before its answer was lost is never repeated blindly (no duplicates).

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::time::Duration;

use reqwest::blocking::{Client as Http, Response};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use url::Url;

use crate::error::EngineError;

/// How to reach and authenticate to the Engine.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The API URL, `https://ENGINE/ovirt-engine/api`.
    pub url: String,
    /// `admin@internal`.
    pub username: String,
    /// The password (never printed).
    pub password: String,
    /// The Engine CA (PEM) to verify TLS against.
    pub ca_file: Option<PathBuf>,
    /// Skip TLS verification.
    pub insecure: bool,
    /// Per-request timeout.
    pub request_timeout: Duration,
    /// Attempts for a read that fails with a retriable error.
    pub read_attempts: u32,
    /// First backoff delay (doubled per attempt, at most 10 s).
    pub backoff: Duration,
}

impl ClientConfig {
    /// A configuration with the default timeouts.
    pub fn new(url: &str, username: &str, password: &str) -> Self {
        Self {
            url: url.to_owned(),
            username: username.to_owned(),
            password: password.to_owned(),
            ca_file: None,
            insecure: false,
            request_timeout: Duration::from_secs(120),
            read_attempts: 6,
            backoff: Duration::from_millis(500),
        }
    }
}

/// What a request is about, for error messages.
#[derive(Debug, Clone)]
pub struct Subject<'a> {
    /// `create`, `read`, `update`, `activate`…
    pub operation: &'a str,
    /// `host node1.mgmt.private`.
    pub entity: &'a str,
}

/// A logged-in Engine API client.
pub struct Client {
    http: Http,
    api: Url,
    config: ClientConfig,
    token: RefCell<Option<String>>,
    mutations: Cell<u32>,
}

impl Client {
    /// Builds the HTTP client (rustls, pure-Rust DNS) and logs in.
    pub fn connect(config: ClientConfig) -> Result<Self, EngineError> {
        let api = Url::parse(config.url.trim_end_matches('/')).map_err(|error| {
            EngineError::Config(format!(
                "the Engine URL {:?} is not a URL ({error}); give https://ENGINE/ovirt-engine/api",
                config.url
            ))
        })?;
        if !matches!(api.scheme(), "http" | "https") {
            return Err(EngineError::Config(format!(
                "the Engine URL {api} must start with https:// (or http:// for a test server)"
            )));
        }
        let mut builder = Http::builder()
            .use_rustls_tls()
            .hickory_dns(true)
            .timeout(config.request_timeout)
            .connect_timeout(Duration::from_secs(30));
        if config.insecure {
            builder = builder.danger_accept_invalid_certs(true);
        } else if let Some(ca_file) = &config.ca_file {
            let pem = std::fs::read(ca_file).map_err(|error| {
                EngineError::Config(format!(
                    "cannot read the Engine CA file {}: {error}; copy /etc/pki/ovirt-engine/ca.pem \
                     from the Engine or fetch it from /ovirt-engine/services/pki-resource",
                    ca_file.display()
                ))
            })?;
            let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|error| {
                EngineError::Config(format!(
                    "the Engine CA file {} is not PEM: {error}",
                    ca_file.display()
                ))
            })?;
            builder = builder.tls_built_in_root_certs(false);
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let http = builder
            .build()
            .map_err(|error| EngineError::Config(format!("cannot set up HTTPS: {error}")))?;
        let client = Self {
            http,
            api,
            config,
            token: RefCell::new(None),
            mutations: Cell::new(0),
        };
        client.login()?;
        Ok(client)
    }

    /// How many mutating requests were sent (counting those whose answer was lost).
    pub fn mutations(&self) -> u32 {
        self.mutations.get()
    }

    fn sso_url(&self, path: &str) -> Result<Url, EngineError> {
        self.api
            .join(path)
            .map_err(|error| EngineError::Config(format!("bad Engine URL: {error}")))
    }

    /// Obtains an SSO token (`/ovirt-engine/sso/oauth/token`).
    pub fn login(&self) -> Result<(), EngineError> {
        let url = self.sso_url("/ovirt-engine/sso/oauth/token")?;
        let login_error = |reason: String| EngineError::Login {
            username: self.config.username.clone(),
            reason,
        };
        let mut attempt = 0;
        let response = loop {
            let result = self
                .http
                .post(url.clone())
                .header("Accept", "application/json")
                .form(&[
                    ("grant_type", "password"),
                    ("scope", "ovirt-app-api"),
                    ("username", self.config.username.as_str()),
                    ("password", self.config.password.as_str()),
                ])
                .send();
            match result {
                Ok(response)
                    if response.status().is_server_error()
                        && attempt + 1 < self.config.read_attempts => {}
                Ok(response) => break response,
                Err(error) if attempt + 1 >= self.config.read_attempts => {
                    return Err(login_error(format!("{url}: {}", transport_reason(&error))))
                }
                Err(_) => {}
            }
            self.sleep_backoff(attempt);
            attempt += 1;
        };
        let status = response.status();
        let body: Value = response
            .json()
            .map_err(|error| login_error(format!("HTTP {status}, not JSON: {error}")))?;
        if let Some(error) = body.get("error") {
            let description = body
                .get("error_description")
                .or_else(|| body.get("error_code"))
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| v.to_string())
                })
                .unwrap_or_default();
            return Err(login_error(format!(
                "{}: {description}; check the user (user@profile) and the password",
                error.as_str().unwrap_or("error")
            )));
        }
        let token = body
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or_else(|| login_error(format!("HTTP {status} without access_token")))?;
        *self.token.borrow_mut() = Some(token.to_owned());
        Ok(())
    }

    /// Revokes the token (`/ovirt-engine/services/sso-logout`).
    pub fn logout(&self) -> Result<(), EngineError> {
        let Some(token) = self.token.borrow_mut().take() else {
            return Ok(());
        };
        let url = self.sso_url("/ovirt-engine/services/sso-logout")?;
        self.http
            .post(url)
            .header("Accept", "application/json")
            .form(&[("scope", "ovirt-app-api"), ("token", token.as_str())])
            .send()
            .map_err(|error| EngineError::Transport {
                operation: "log out of".to_owned(),
                entity: "the Engine SSO".to_owned(),
                reason: transport_reason(&error),
            })?;
        Ok(())
    }

    fn url(&self, path: &str) -> Result<Url, EngineError> {
        let full = if path.starts_with("/ovirt-engine/") {
            self.api.join(path)
        } else {
            Url::parse(&format!(
                "{}{path}",
                self.api.as_str().trim_end_matches('/')
            ))
        };
        full.map_err(|error| EngineError::Config(format!("bad Engine path {path}: {error}")))
    }

    /// `GET`, retried with backoff on retriable failures.
    pub fn get(
        &self,
        path: &str,
        query: &[(&str, &str)],
        subject: Subject<'_>,
    ) -> Result<Value, EngineError> {
        let mut attempt = 0;
        loop {
            match self.send(Method::GET, path, query, None, &subject) {
                Err(error) if error.is_retriable() && attempt + 1 < self.config.read_attempts => {
                    self.sleep_backoff(attempt);
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// A mutating request (`POST`, `PUT`), sent once.
    pub fn mutate(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: &Value,
        subject: Subject<'_>,
    ) -> Result<Value, EngineError> {
        let result = self.send(method, path, query, Some(body), &subject);
        match &result {
            Ok(_) | Err(EngineError::Transport { .. }) => {
                self.mutations.set(self.mutations.get() + 1);
            }
            _ => {}
        }
        result
    }

    fn sleep_backoff(&self, attempt: u32) {
        let factor = 2u32.saturating_pow(attempt.min(6));
        let delay = self
            .config
            .backoff
            .saturating_mul(factor)
            .min(Duration::from_secs(10));
        std::thread::sleep(delay);
    }

    fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
        subject: &Subject<'_>,
    ) -> Result<Value, EngineError> {
        let url = self.url(path)?;
        let mut relogged = false;
        loop {
            let token = self.token.borrow().clone().unwrap_or_default();
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .query(query)
                .header("Version", "4")
                .header("Accept", "application/json")
                .bearer_auth(token);
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request.send().map_err(|error| EngineError::Transport {
                operation: subject.operation.to_owned(),
                entity: subject.entity.to_owned(),
                reason: transport_reason(&error),
            })?;
            if response.status() == StatusCode::UNAUTHORIZED && !relogged {
                relogged = true;
                self.login()?;
                continue;
            }
            return read_response(response, subject);
        }
    }
}

fn transport_reason(error: &reqwest::Error) -> String {
    let mut reason = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        reason.push_str(": ");
        reason.push_str(&inner.to_string());
        source = inner.source();
    }
    reason
}

fn read_response(response: Response, subject: &Subject<'_>) -> Result<Value, EngineError> {
    let status = response.status();
    let text = response.text().map_err(|error| EngineError::Transport {
        operation: subject.operation.to_owned(),
        entity: subject.entity.to_owned(),
        reason: transport_reason(&error),
    })?;
    if status.is_success() {
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        return serde_json::from_str(&text).map_err(|error| EngineError::Protocol {
            operation: subject.operation.to_owned(),
            entity: subject.entity.to_owned(),
            reason: format!("HTTP {status} with a body that is not JSON ({error})"),
        });
    }
    let (reason, detail) = match serde_json::from_str::<Value>(&text) {
        Ok(fault) => {
            let fault = fault.get("fault").unwrap_or(&fault);
            (
                crate::wire::text(fault, "reason").unwrap_or_default(),
                crate::wire::text(fault, "detail").unwrap_or_default(),
            )
        }
        Err(_) => (
            text.chars().filter(|c| !c.is_control()).take(300).collect(),
            String::new(),
        ),
    };
    Err(EngineError::Fault {
        operation: subject.operation.to_owned(),
        entity: subject.entity.to_owned(),
        status: status.as_u16(),
        reason: if reason.is_empty() {
            status.canonical_reason().unwrap_or("error").to_owned()
        } else {
            reason
        },
        detail,
    })
}
