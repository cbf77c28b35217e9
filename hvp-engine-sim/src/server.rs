//! The HTTP side: SSO and logout, authentication, content negotiation (XML or JSON), fault
//! injection, the request log, persistence, and the test hooks below `/hvp-sim/`.

use crate::inject::{Injected, Injector};
use crate::sim::{Fault, Method, Reply, Req, Sim, API};
use crate::store::Store;
use crate::xml;
use base64::Engine as _;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The user the SSO endpoint accepts.
pub const USER: &str = "admin@internal";

/// Everything the server holds.
pub struct Server {
    /// The Engine.
    pub sim: Sim,
    /// `admin@internal`'s password.
    pub password: String,
    /// Valid bearer tokens.
    pub tokens: HashSet<String>,
    /// Fault injection.
    pub injector: Injector,
    /// Every request (secrets masked).
    pub log: Vec<Value>,
    /// Where the state is saved.
    pub state_file: Option<PathBuf>,
    /// Write JSON booleans and numbers as strings (what a real Engine's Jackson mapping may do).
    pub json_strings: bool,
    /// Failures queued by `POST /hvp-sim/fail-next`, used before the random injector.
    pub queued: Vec<Queued>,
}

/// A queued failure: the next `left` mutating requests whose method and path match.
#[derive(Debug, Clone)]
pub struct Queued {
    /// How many more requests to fail.
    pub left: u32,
    /// How.
    pub kind: Injected,
    /// Only this method (`POST`), if set.
    pub method: Option<String>,
    /// Only paths below `/ovirt-engine/api` starting with this (`hosts`), if set.
    pub path: Option<String>,
}

/// Shared server state.
pub type Shared = Arc<Mutex<Server>>;

/// A reply, or "drop the connection".
pub enum Outcome {
    /// Send this.
    Reply(Response<Full<Bytes>>),
    /// Close the connection without replying.
    Drop,
}

fn resp(status: u16, ctype: &str, body: String) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = ctype.parse() {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

fn json_resp(status: u16, v: &Value) -> Response<Full<Bytes>> {
    resp(
        status,
        "application/json",
        serde_json::to_string_pretty(v).unwrap_or_default(),
    )
}

fn fault_resp(f: &Fault, as_json: bool) -> Response<Full<Bytes>> {
    if as_json {
        json_resp(f.status, &json!({"reason": f.reason, "detail": f.detail}))
    } else {
        resp(
            f.status,
            "application/xml",
            xml::write("fault", &json!({"detail": f.detail, "reason": f.reason})),
        )
    }
}

/// Mask secrets at any depth.
pub fn redact(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let secret = k.contains("password") || k == "token" || k == "access_token";
                    (
                        k.clone(),
                        if secret { json!("********") } else { redact(x) },
                    )
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(redact).collect()),
        other => other.clone(),
    }
}

fn header(req: &Request<Incoming>, name: &str) -> String {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn form(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

/// Serve one request.
pub async fn handle(shared: Shared, req: Request<Incoming>) -> Outcome {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query: Vec<(String, String)> = req
        .uri()
        .query()
        .map(|q| form(q.as_bytes()))
        .unwrap_or_default();
    let accept = header(&req, "accept");
    let ctype = header(&req, "content-type");
    let auth = header(&req, "authorization");
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            return Outcome::Reply(resp(
                400,
                "text/plain",
                format!("cannot read the request body: {e}"),
            ))
        }
    };
    let mut srv = match shared.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    let as_json = accept.contains("json");
    let m = method.as_str();
    match (m, path.as_str()) {
        ("POST", "/ovirt-engine/sso/oauth/token") => {
            return Outcome::Reply(srv.sso_token(&form(&body)))
        }
        ("POST", "/ovirt-engine/services/sso-logout")
        | ("GET", "/ovirt-engine/services/sso-logout") => {
            let f = form(&body)
                .into_iter()
                .chain(query.clone())
                .collect::<Vec<_>>();
            if let Some((_, t)) = f.iter().find(|(k, _)| k == "token") {
                srv.tokens.remove(t);
            }
            srv.log_entry(
                m,
                &path,
                &[],
                json!({"form": "logout"}),
                200,
                Injected::None,
            );
            return Outcome::Reply(json_resp(200, &json!({})));
        }
        ("GET", "/ovirt-engine/services/health") => {
            return Outcome::Reply(resp(
                200,
                "text/plain",
                "DB Up!Welcome to Health Status!".into(),
            ))
        }
        _ => {}
    }
    if let Some(hook) = path.strip_prefix("/hvp-sim/") {
        return Outcome::Reply(srv.hook(m, hook, &query));
    }
    let Some(rest) = path.strip_prefix(API) else {
        return Outcome::Reply(resp(404, "text/plain", format!("no such path {path}")));
    };
    if !srv.authorized(&auth) {
        srv.log_entry(m, &path, &query, Value::Null, 401, Injected::None);
        return Outcome::Reply(resp(
            401,
            "text/plain",
            "Unauthorized: a valid SSO bearer token (or Basic credentials) is required".into(),
        ));
    }
    let method = match m {
        "GET" | "HEAD" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        _ => {
            return Outcome::Reply(fault_resp(
                &Fault::new(405, "Method Not Allowed", format!("{m} is not served")),
                as_json,
            ))
        }
    };
    let parsed = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let text = String::from_utf8_lossy(&body).to_string();
        let r = if ctype.contains("json") {
            serde_json::from_str::<Value>(&text)
                .map(|v| (None, v))
                .map_err(|e| format!("malformed JSON: {e}"))
        } else {
            xml::parse(&text).map(|(root, v)| (Some(root), v))
        };
        match r {
            Ok(p) => Some(p),
            Err(e) => {
                let f = Fault::bad(e);
                srv.log_entry(m, &path, &query, Value::Null, 400, Injected::None);
                return Outcome::Reply(fault_resp(&f, as_json));
            }
        }
    };
    let logged_body = parsed
        .as_ref()
        .map(|(_, v)| redact(v))
        .unwrap_or(Value::Null);
    let segs: Vec<String> = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let api_req = Req {
        method,
        segs,
        query: query.clone(),
        body: parsed,
    };
    let fate = if method == Method::Get {
        Injected::None
    } else if let Some(q) = srv.queued.iter_mut().find(|q| {
        q.left > 0
            && q.method
                .as_deref()
                .map_or(true, |x| x.eq_ignore_ascii_case(m))
            && q.path.as_deref().map_or(true, |p| {
                rest.trim_start_matches('/')
                    .starts_with(p.trim_start_matches('/'))
            })
    }) {
        q.left -= 1;
        q.kind
    } else {
        srv.injector.draw()
    };
    match fate {
        Injected::Unavailable => {
            srv.log_entry(m, &path, &query, logged_body, 503, fate);
            return Outcome::Reply(fault_resp(
                &Fault::new(
                    503,
                    "Service Unavailable",
                    "injected fault: the Engine is temporarily unavailable",
                ),
                as_json,
            ));
        }
        Injected::Busy => {
            srv.log_entry(m, &path, &query, logged_body, 409, fate);
            let f = Fault::conflict("perform", "operation", "Related operation is currently in progress. Please try again later. (injected fault)");
            return Outcome::Reply(fault_resp(&f, as_json));
        }
        _ => {}
    }
    let result = srv.sim.handle(&api_req);
    srv.save();
    let out = match result {
        Ok(reply) => render(&reply, as_json, srv.json_strings),
        Err(f) => fault_resp(&f, as_json),
    };
    srv.log_entry(m, &path, &query, logged_body, out.status().as_u16(), fate);
    if fate == Injected::Drop {
        return Outcome::Drop;
    }
    Outcome::Reply(out)
}

/// Booleans and numbers as strings, at any depth.
fn stringify(v: &Value) -> Value {
    match v {
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Array(a) => Value::Array(a.iter().map(stringify).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, x)| (k.clone(), stringify(x))).collect())
        }
        other => other.clone(),
    }
}

fn render(r: &Reply, as_json: bool, json_strings: bool) -> Response<Full<Bytes>> {
    let conv = |v: &Value| {
        if json_strings {
            stringify(v)
        } else {
            v.clone()
        }
    };
    match r {
        Reply::Empty => resp(
            200,
            if as_json {
                "application/json"
            } else {
                "application/xml"
            },
            String::new(),
        ),
        Reply::One { status, tag, value } => {
            if as_json {
                json_resp(*status, &conv(value))
            } else {
                resp(*status, "application/xml", xml::write(tag, value))
            }
        }
        Reply::Many { tag, item, items } => {
            if as_json {
                let mut m = Map::new();
                m.insert(item.clone(), Value::Array(items.iter().map(conv).collect()));
                json_resp(200, &Value::Object(m))
            } else {
                resp(200, "application/xml", xml::write_list(tag, item, items))
            }
        }
    }
}

impl Server {
    /// A server around `sim`.
    pub fn new(
        sim: Sim,
        password: String,
        injector: Injector,
        state_file: Option<PathBuf>,
    ) -> Server {
        Server {
            sim,
            password,
            tokens: HashSet::new(),
            injector,
            log: Vec::new(),
            state_file,
            json_strings: false,
            queued: Vec::new(),
        }
    }

    fn sso_token(&mut self, f: &[(String, String)]) -> Response<Full<Bytes>> {
        let get = |k: &str| f.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
        let logged = json!({"grant_type": get("grant_type"), "scope": get("scope"), "username": get("username")});
        let reply = if get("grant_type") != Some("password") {
            (
                400,
                json!({"error": "unsupported_grant_type", "error_description": "grant_type must be password"}),
            )
        } else if !get("scope").is_some_and(|s| s.split_whitespace().any(|x| x == "ovirt-app-api"))
        {
            (
                400,
                json!({"error": "invalid_scope", "error_description": "scope must include ovirt-app-api"}),
            )
        } else if get("username") != Some(USER) || get("password") != Some(self.password.as_str()) {
            (
                400,
                json!({"error": "access_denied", "error_description": "Cannot authenticate user: the user name or password is incorrect."}),
            )
        } else {
            let token = uuid::Uuid::new_v4().simple().to_string();
            self.tokens.insert(token.clone());
            let exp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as u64 + 3_600_000)
                .unwrap_or(0);
            (
                200,
                json!({"access_token": token, "token_type": "bearer", "scope": "ovirt-app-api", "exp": exp.to_string()}),
            )
        };
        self.log_entry(
            "POST",
            "/ovirt-engine/sso/oauth/token",
            &[],
            logged,
            reply.0,
            Injected::None,
        );
        json_resp(reply.0, &reply.1)
    }

    fn authorized(&self, auth: &str) -> bool {
        if let Some(t) = auth.strip_prefix("Bearer ") {
            return self.tokens.contains(t.trim());
        }
        if let Some(b) = auth.strip_prefix("Basic ") {
            if let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(b.trim()) {
                return String::from_utf8_lossy(&raw) == format!("{USER}:{}", self.password);
            }
        }
        false
    }

    fn log_entry(
        &mut self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Value,
        status: u16,
        fate: Injected,
    ) {
        let q: Map<String, Value> = query.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        self.log.push(json!({"seq": self.log.len() + 1, "method": method, "path": path, "query": q, "body": body,
            "status": status, "injected": fate.name()}));
    }

    fn save(&mut self) {
        if let Some(f) = &self.state_file {
            if let Err(e) = self.sim.store.save(f) {
                eprintln!("hvp-engine-sim: {e}");
            }
        }
    }

    /// Test hooks (no authentication; the server binds to loopback):
    /// `GET requests` (the log), `DELETE requests` (clear it), `POST expire-tokens`,
    /// `POST tick?n=N` (advance the clock), `POST fail-next?n=N&kind=busy|unavailable|drop[&method=POST][&path=hosts]`, `POST set-status?path=hosts/ID&status=S` (force a
    /// state, e.g. `install_failed`), `GET state` (the whole store, passwords masked).
    fn hook(&mut self, m: &str, hook: &str, q: &[(String, String)]) -> Response<Full<Bytes>> {
        match (m, hook) {
            ("GET", "requests") => json_resp(200, &Value::Array(self.log.clone())),
            ("DELETE", "requests") => {
                self.log.clear();
                json_resp(200, &json!({}))
            }
            ("POST", "expire-tokens") => {
                let n = self.tokens.len();
                self.tokens.clear();
                json_resp(200, &json!({"expired": n}))
            }
            ("POST", "tick") => {
                let n: u64 = q
                    .iter()
                    .find(|(k, _)| k == "n")
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(1);
                for _ in 0..n {
                    let applied = self.sim.store.advance();
                    self.sim.after_transitions(applied);
                }
                self.save();
                json_resp(200, &json!({"tick": self.sim.store.tick}))
            }
            ("POST", "fail-next") => {
                let get = |k: &str| q.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
                let kind = match get("kind").as_deref().unwrap_or("busy") {
                    "unavailable" | "503" => Injected::Unavailable,
                    "busy" | "409" => Injected::Busy,
                    "drop" => Injected::Drop,
                    other => {
                        return resp(
                            400,
                            "text/plain",
                            format!("unknown kind `{other}`: unavailable, busy or drop"),
                        )
                    }
                };
                let left = get("n").and_then(|n| n.parse().ok()).unwrap_or(1);
                self.queued.push(Queued {
                    left,
                    kind,
                    method: get("method"),
                    path: get("path"),
                });
                json_resp(200, &json!({"queued": left, "kind": kind.name()}))
            }
            ("POST", "set-status") => {
                let get = |k: &str| {
                    q.iter()
                        .find(|(a, _)| a == k)
                        .map(|(_, v)| v.as_str())
                        .unwrap_or_default()
                };
                match self.sim.force_status(get("path"), get("status")) {
                    Ok(()) => {
                        self.save();
                        json_resp(200, &json!({"path": get("path"), "status": get("status")}))
                    }
                    Err(f) => json_resp(f.status, &json!({"reason": f.reason, "detail": f.detail})),
                }
            }
            ("GET", "state") => json_resp(
                200,
                &redact(&serde_json::to_value::<&Store>(&self.sim.store).unwrap_or(Value::Null)),
            ),
            _ => resp(
                404,
                "text/plain",
                format!("unknown hook {m} /hvp-sim/{hook}"),
            ),
        }
    }
}
