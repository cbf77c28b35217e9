//! Starts the real `hvp-engine-sim` binary on a free loopback port and talks to it.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A running server, killed on drop.
pub struct Sim {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    agent: ureq::Agent,
    /// Bearer token after [`Sim::login`].
    pub token: Option<String>,
}

/// One reply.
pub struct Resp {
    /// HTTP status; 0 when the connection failed (an injected drop).
    pub status: u16,
    /// Content type.
    pub ctype: String,
    /// Raw body.
    pub text: String,
}

impl Resp {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl Sim {
    /// Start with the given extra arguments (password `pw`).
    pub fn start(extra: &[&str]) -> Sim {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hvp-engine-sim"))
            .args(["--listen", "127.0.0.1:0", "--password", "pw"])
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start hvp-engine-sim");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read address");
        let addr = line.trim().to_string();
        assert!(
            addr.starts_with("127.0.0.1:"),
            "first line is the address: {addr:?}"
        );
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Sim {
            child,
            addr,
            agent,
            token: None,
        }
    }

    /// Start and log in.
    pub fn up(extra: &[&str]) -> Sim {
        let mut s = Sim::start(extra);
        s.login();
        s
    }

    /// Base URL.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// SSO login as admin@internal/pw.
    pub fn login(&mut self) {
        let r = self.sso("pw");
        assert_eq!(r.status, 200, "{}", r.text);
        self.token = Some(
            r.json()["access_token"]
                .as_str()
                .expect("token")
                .to_string(),
        );
    }

    /// POST the SSO form with a password.
    pub fn sso(&self, password: &str) -> Resp {
        let body = format!(
            "grant_type=password&scope=ovirt-app-api&username=admin%40internal&password={password}"
        );
        let r = self
            .agent
            .post(&self.url("/ovirt-engine/sso/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .send(body.as_str());
        conv(r)
    }

    /// Any request: `fmt` is `json` or `xml` (both Accept and Content-Type).
    pub fn req(&self, method: &str, path: &str, fmt: &str, body: Option<&str>) -> Resp {
        let url = if path.starts_with('/') {
            self.url(path)
        } else {
            self.url(&format!("/ovirt-engine/api/{path}"))
        };
        let ct = format!("application/{fmt}");
        let auth = self
            .token
            .as_ref()
            .map(|t| format!("Bearer {t}"))
            .unwrap_or_default();
        let r = match (method, body) {
            ("GET", _) => self
                .agent
                .get(&url)
                .header("Accept", &ct)
                .header("Authorization", &auth)
                .header("Version", "4")
                .call(),
            ("DELETE", _) => self
                .agent
                .delete(&url)
                .header("Accept", &ct)
                .header("Authorization", &auth)
                .call(),
            ("POST", b) => self
                .agent
                .post(&url)
                .header("Accept", &ct)
                .header("Content-Type", &ct)
                .header("Authorization", &auth)
                .send(b.unwrap_or("")),
            ("PUT", b) => self
                .agent
                .put(&url)
                .header("Accept", &ct)
                .header("Content-Type", &ct)
                .header("Authorization", &auth)
                .send(b.unwrap_or("")),
            _ => panic!("method {method}"),
        };
        conv(r)
    }

    /// GET as JSON, asserting 200.
    pub fn get(&self, path: &str) -> Value {
        let r = self.req("GET", path, "json", None);
        assert_eq!(r.status, 200, "GET {path}: {}", r.text);
        r.json()
    }

    /// POST JSON, returning the reply.
    pub fn post(&self, path: &str, body: Value) -> Resp {
        self.req("POST", path, "json", Some(&body.to_string()))
    }

    /// POST JSON, asserting `status`, returning the JSON reply.
    pub fn post_ok(&self, path: &str, body: Value, status: u16) -> Value {
        let r = self.post(path, body);
        assert_eq!(r.status, status, "POST {path}: {}", r.text);
        r.json()
    }

    /// Find one entity by name in a top-level collection.
    pub fn find(&self, coll: &str, name: &str) -> Value {
        let item = coll_item(coll);
        // vNIC profiles have no search in the model: list and filter, as clients do.
        let v = if coll == "vnicprofiles" {
            self.get(coll)
        } else {
            self.get(&format!("{coll}?search=name%3D%22{name}%22"))
        };
        let hits: Vec<Value> = v[item]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e["name"] == name)
            .collect();
        assert_eq!(hits.len(), 1, "{coll} named {name}: {v}");
        hits[0].clone()
    }

    /// Advance the clock.
    pub fn tick(&self, n: u32) {
        let r = self.req("POST", &format!("/hvp-sim/tick?n={n}"), "json", None);
        assert_eq!(r.status, 200);
    }

    /// The request log.
    pub fn log(&self) -> Vec<Value> {
        self.req("GET", "/hvp-sim/requests", "json", None)
            .json()
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

fn coll_item(coll: &str) -> &'static str {
    match coll {
        "datacenters" => "data_center",
        "clusters" => "cluster",
        "hosts" => "host",
        "storagedomains" => "storage_domain",
        "networks" => "network",
        "vms" => "vm",
        "templates" => "template",
        "vnicprofiles" => "vnic_profile",
        "openstacknetworkproviders" => "openstack_network_provider",
        other => panic!("no item name for {other}"),
    }
}

fn conv(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Resp {
    let mut r = match r {
        Ok(r) => r,
        Err(e) => {
            return Resp {
                status: 0,
                ctype: String::new(),
                text: format!("transport error: {e}"),
            }
        }
    };
    let status = r.status().as_u16();
    let ctype = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let text = r.body_mut().read_to_string().unwrap_or_default();
    Resp {
        status,
        ctype,
        text,
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
