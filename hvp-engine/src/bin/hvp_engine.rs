//! Ansible module `hvp_engine`: brings the oVirt Engine to the desired state (data center,
//! cluster, hosts, storage domains, logical networks, host networks, OVN), or in check mode
//! reports the planned actions. The same code path as `hvp-engine apply|plan`
//! (`hvp_engine::converge`); the decisions are `hvp_core::engine`.

use std::process::ExitCode;
use std::time::Duration;

use hvp_core::engine::{DesiredState, Step};
use hvp_engine::execute::WaitConfig;
use hvp_engine::inputs::{parse_state, state_from_inputs};
use hvp_engine::{converge, Client, ClientConfig, ConvergeOptions, Mode};
use hvp_modules::ansible::{
    run, ArgumentSpec, ModuleContext, ModuleFailure, ModuleResult, OptionKind, OptionSpec,
};
use serde_json::{json, Value};

fn spec() -> ArgumentSpec {
    ArgumentSpec::new(vec![
        OptionSpec::new("url", OptionKind::Str).required(),
        OptionSpec::new("username", OptionKind::Str).default(json!("admin@internal")),
        OptionSpec::new("password", OptionKind::Str)
            .required()
            .no_log(),
        OptionSpec::new("ca_file", OptionKind::Path),
        OptionSpec::new("insecure", OptionKind::Bool).default(json!(false)),
        OptionSpec::new("desired", OptionKind::Dict),
        OptionSpec::new("inputs", OptionKind::Dict),
        OptionSpec::new("steps", OptionKind::StrList),
        OptionSpec::new("host_password", OptionKind::Str).no_log(),
        OptionSpec::new("poll_interval", OptionKind::Raw).default(json!(5)),
        OptionSpec::new("host_timeout", OptionKind::UnsignedInt).default(json!(1800)),
        OptionSpec::new("storage_timeout", OptionKind::UnsignedInt).default(json!(900)),
        OptionSpec::new("hosted_engine_timeout", OptionKind::UnsignedInt).default(json!(900)),
        OptionSpec::new("max_rounds", OptionKind::UnsignedInt).default(json!(30)),
    ])
}

fn desired(ctx: &ModuleContext) -> Result<(DesiredState, bool), ModuleFailure> {
    match (ctx.params.value("desired"), ctx.params.value("inputs")) {
        (Some(desired), None) => parse_state(desired.clone(), "option desired")
            .map(|state| (state, false))
            .map_err(ModuleFailure::new),
        (None, Some(inputs)) => state_from_inputs(inputs.clone())
            .map(|state| (state, true))
            .map_err(|error| ModuleFailure::new(format!("option inputs: {error}"))),
        _ => Err(ModuleFailure::new(
            "give exactly one of desired (a desired Engine state, docs/engine.md) or inputs \
             ({vars, network_plan, storage_plan, cpu})",
        )),
    }
}

fn steps(ctx: &ModuleContext) -> Result<Option<Vec<Step>>, ModuleFailure> {
    let names = ctx.params.str_list("steps");
    if names.is_empty() {
        return Ok(None);
    }
    names
        .iter()
        .map(|name| {
            Step::parse(name).ok_or_else(|| {
                ModuleFailure::new(format!(
                    "steps: {name:?} is not a step; use datacenter, networks or nfsdomains"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn poll_interval(ctx: &ModuleContext) -> Result<Duration, ModuleFailure> {
    let seconds = match ctx.params.value("poll_interval") {
        Some(Value::Number(number)) => number.as_f64(),
        Some(Value::String(text)) => text.trim().parse().ok(),
        _ => None,
    };
    match seconds {
        Some(seconds) if seconds > 0.0 && seconds <= 600.0 => Ok(Duration::from_secs_f64(seconds)),
        _ => Err(ModuleFailure::new(
            "poll_interval must be a number of seconds between 0 and 600",
        )),
    }
}

fn body(ctx: &ModuleContext) -> Result<ModuleResult, ModuleFailure> {
    let steps = steps(ctx)?;
    let poll_interval = poll_interval(ctx)?;
    let (state, computed) = desired(ctx)?;
    let seconds =
        |name: &str, default: u64| Duration::from_secs(ctx.params.u64(name).unwrap_or(default));
    let options = ConvergeOptions {
        mode: if ctx.check_mode {
            Mode::Plan
        } else {
            Mode::Apply
        },
        steps,
        waits: WaitConfig {
            poll_interval,
            host_timeout: seconds("host_timeout", 1800),
            storage_timeout: seconds("storage_timeout", 900),
            hosted_engine_timeout: seconds("hosted_engine_timeout", 900),
        },
        host_password: ctx.params.str("host_password").map(str::to_owned),
        max_rounds: u32::try_from(ctx.params.u64("max_rounds").unwrap_or(30)).unwrap_or(u32::MAX),
        observe_after: ctx.diff_mode,
    };
    let url = ctx.params.str("url").unwrap_or_default();
    let mut config = ClientConfig::new(
        url,
        ctx.params.str("username").unwrap_or("admin@internal"),
        ctx.params.str("password").unwrap_or_default(),
    );
    config.ca_file = ctx.params.str("ca_file").map(Into::into);
    config.insecure = ctx.params.bool("insecure");
    if config.insecure && config.ca_file.is_some() {
        return Err(ModuleFailure::new(
            "ca_file and insecure exclude each other: verify against the CA, or do not verify",
        ));
    }
    let client = Client::connect(config).map_err(|error| ModuleFailure::new(error.to_string()))?;
    let outcome = converge(&client, &state, &options);
    let logout = client.logout();
    let outcome = outcome.map_err(|error| {
        ModuleFailure::new(format!(
            "the Engine at {url} did not reach the desired state: {error}"
        ))
    })?;
    if let Err(error) = logout {
        // The work is done; a failed token revocation is worth a warning, not a failure.
        return Ok(result(&outcome, &state, computed, ctx).warn(error.to_string()));
    }
    Ok(result(&outcome, &state, computed, ctx))
}

fn result(
    outcome: &hvp_engine::Outcome,
    state: &DesiredState,
    computed: bool,
    ctx: &ModuleContext,
) -> ModuleResult {
    let mut result = ModuleResult::new(outcome.changed)
        .with("actions", &outcome.actions)
        .with("retries", &outcome.retries);
    if computed {
        result = result.with("desired", state);
    }
    if ctx.diff_mode && outcome.changed {
        let before = serde_json::to_string_pretty(&outcome.before).unwrap_or_default();
        let after = match &outcome.after {
            Some(after) => serde_json::to_string_pretty(after).unwrap_or_default(),
            None => serde_json::to_string_pretty(&json!({"planned_actions": outcome.actions}))
                .unwrap_or_default(),
        };
        result = result.diff(
            "engine (before)",
            &(before + "\n"),
            "engine (after)",
            &(after + "\n"),
        );
    }
    result
}

fn main() -> ExitCode {
    run("hvp_engine", &spec(), body)
}
