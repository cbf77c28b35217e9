//! The Ansible binary-module protocol, shared by every `hvp_*` module.
//!
//! Ansible runs a binary module as `MODULE ARGS_FILE`. The file holds one flat JSON object: the
//! task's options plus Ansible's internal `_ansible_*` keys (`_ansible_check_mode`,
//! `_ansible_diff`, `_ansible_no_log`, ...). Ansible validates nothing for binary modules, so
//! [`run`] does what `AnsibleModule` does for Python modules:
//!
//! * validates the options against an [`ArgumentSpec`]: unknown options (with the closest known
//!   name), wrong types, missing required options and invalid choices are all reported at once;
//! * accepts Ansible's boolean spellings (`yes`/`no`/`true`/`false`/`on`/`off`/`1`/`0`, also as
//!   strings) and the usual string forms of integers, lists and dicts;
//! * hands the module body a [`ModuleContext`] with check and diff mode;
//! * prints exactly one JSON result on stdout, `failed: true` with `msg` on any error, including
//!   a panic (a hook turns it into a failed result);
//! * masks the values of `no_log` options wherever they would appear in the result, because
//!   Ansible prints `msg` of a failed task even under `no_log`.

mod args;
mod result;

pub use args::{ArgumentSpec, OptionKind, OptionSpec, Params};
pub use result::{ModuleFailure, ModuleResult};

use serde_json::{Map, Value};
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// What the module body sees of one invocation.
#[derive(Debug)]
pub struct ModuleContext {
    /// The validated options, with defaults filled in.
    pub params: Params,
    /// `--check`: report what would change, change nothing.
    pub check_mode: bool,
    /// `--diff`: return `diff` with `before`/`after` where something changes.
    pub diff_mode: bool,
}

/// Values that must never appear in output (the values of `no_log` options).
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// Set once a result has been printed, so that a late panic prints no second document.
static RESULT_PRINTED: AtomicBool = AtomicBool::new(false);

/// The mask Ansible itself uses for hidden values.
pub const MASK: &str = "********";

/// Runs a module: reads the args file named on the command line, validates it against `spec`,
/// calls `body` and prints its result. Returns the process exit code (0 unless failed).
pub fn run<F>(module_name: &str, spec: &ArgumentSpec, body: F) -> ExitCode
where
    F: FnOnce(&ModuleContext) -> Result<ModuleResult, ModuleFailure>,
{
    install_panic_hook(module_name);
    let outcome = read_args_file().and_then(|raw| {
        let context = build_context(module_name, spec, raw)?;
        body(&context)
    });
    match outcome {
        Ok(result) => {
            print_result(result.into_json());
            ExitCode::SUCCESS
        }
        Err(failure) => {
            print_result(failure.into_json());
            ExitCode::FAILURE
        }
    }
}

fn read_args_file() -> Result<Map<String, Value>, ModuleFailure> {
    let path = std::env::args_os().nth(1).ok_or_else(|| {
        ModuleFailure::new(
            "this is an Ansible module: it expects the path of a JSON arguments file as its only \
             argument; run it through ansible or ansible-playbook",
        )
    })?;
    let text = std::fs::read_to_string(&path).map_err(|error| {
        ModuleFailure::new(format!(
            "cannot read the module arguments file {}: {error}",
            std::path::Path::new(&path).display()
        ))
    })?;
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ModuleFailure::new(
            "the module arguments file must hold a JSON object",
        )),
        Err(error) => Err(ModuleFailure::new(format!(
            "the module arguments file is not valid JSON ({error}); binary modules need \
             JSON arguments"
        ))),
    }
}

fn build_context(
    module_name: &str,
    spec: &ArgumentSpec,
    mut raw: Map<String, Value>,
) -> Result<ModuleContext, ModuleFailure> {
    let internal: Map<String, Value> = raw
        .iter()
        .filter(|(key, _)| key.starts_with("_ansible_"))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    raw.retain(|key, _| !key.starts_with("_ansible_"));
    // Register secrets before validation, so that even a type error cannot echo them.
    remember_secrets(spec.secret_values(&raw));
    let params = spec
        .validate(module_name, raw)
        .map_err(|errors| ModuleFailure::new(errors.join("; ")))?;
    let flag = |key: &str| {
        internal
            .get(key)
            .and_then(args::ansible_bool)
            .unwrap_or(false)
    };
    Ok(ModuleContext {
        params,
        check_mode: flag("_ansible_check_mode"),
        diff_mode: flag("_ansible_diff"),
    })
}

fn remember_secrets(values: Vec<String>) {
    if let Ok(mut secrets) = SECRETS.lock() {
        secrets.extend(values.into_iter().filter(|value| !value.is_empty()));
    }
}

/// Replaces every known secret inside `text` with [`MASK`].
pub fn redact(text: &str) -> String {
    let Ok(secrets) = SECRETS.lock() else {
        return text.to_owned();
    };
    secrets.iter().fold(text.to_owned(), |text, secret| {
        text.replace(secret.as_str(), MASK)
    })
}

fn redact_value(value: Value) -> Value {
    match value {
        Value::String(text) => Value::String(redact(&text)),
        Value::Array(items) => Value::Array(items.into_iter().map(redact_value).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (key, redact_value(value)))
                .collect(),
        ),
        other => other,
    }
}

fn print_result(result: Value) {
    if RESULT_PRINTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let text = serde_json::to_string(&redact_value(result)).unwrap_or_else(|_| {
        r#"{"failed": true, "msg": "the module result could not be serialised"}"#.to_owned()
    });
    let mut stdout = std::io::stdout().lock();
    // Nothing sensible is left to do when stdout is gone: Ansible reports the missing result.
    let _ = writeln!(stdout, "{text}");
    let _ = stdout.flush();
}

fn install_panic_hook(module_name: &str) {
    let module_name = module_name.to_owned();
    std::panic::set_hook(Box::new(move |info| {
        let detail = info
            .payload()
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_owned());
        let location = info
            .location()
            .map(|location| format!(" at {}:{}", location.file(), location.line()))
            .unwrap_or_default();
        let failure = ModuleFailure::new(format!(
            "internal error in module {module_name}{location}: {detail}. This is a bug in hvp; \
             please report it with the task that triggered it"
        ));
        print_result(failure.into_json());
        std::process::exit(1);
    }));
}
