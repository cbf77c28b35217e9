//! The one code path of the CLI and the module: observe → plan → run the actions; after a
//! retriable failure (busy, 5xx, lost connection) observe again and plan again, so that an
//! action that did act before its answer was lost is not repeated.

use std::time::Duration;

use hvp_core::engine::{plan, DesiredState, ObservedState, PlannedAction, Step};
use serde::Serialize;

use crate::client::Client;
use crate::error::EngineError;
use crate::execute::{Executor, WaitConfig};
use crate::observe::observe;

/// Plan only, or apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report the actions, send nothing (check mode).
    Plan,
    /// Run the actions.
    Apply,
}

/// Options of one run.
#[derive(Debug, Clone)]
pub struct ConvergeOptions {
    /// Plan or apply.
    pub mode: Mode,
    /// Only the actions of these steps (`None`: all).
    pub steps: Option<Vec<Step>>,
    /// Waits.
    pub waits: WaitConfig,
    /// Root password of the hosts to add (`None`: SSH public key).
    pub host_password: Option<String>,
    /// How many times to observe and plan again after retriable failures.
    pub max_rounds: u32,
    /// Read the state again at the end (for `after` in diff mode).
    pub observe_after: bool,
}

impl Default for ConvergeOptions {
    fn default() -> Self {
        Self {
            mode: Mode::Apply,
            steps: None,
            waits: WaitConfig::default(),
            host_password: None,
            max_rounds: 30,
            observe_after: false,
        }
    }
}

/// The result of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Whether a request that changes the Engine was sent (plan: would be sent).
    pub changed: bool,
    /// Planned actions (plan), or the actions that sent a change (apply), in order.
    pub actions: Vec<PlannedAction>,
    /// Retriable failures that were recovered from.
    pub retries: Vec<String>,
    /// The observed state before.
    #[serde(skip)]
    pub before: ObservedState,
    /// The observed state after (apply with `observe_after`).
    #[serde(skip)]
    pub after: Option<ObservedState>,
}

fn planned(
    observed: &ObservedState,
    desired: &DesiredState,
    steps: &Option<Vec<Step>>,
) -> Vec<PlannedAction> {
    plan(observed, desired)
        .into_iter()
        .filter(|a| steps.as_ref().map_or(true, |steps| steps.contains(&a.step)))
        .collect()
}

/// Brings the Engine to `desired` (or only plans it).
pub fn converge(
    client: &Client,
    desired: &DesiredState,
    options: &ConvergeOptions,
) -> Result<Outcome, EngineError> {
    let before = observe(client)?;
    let mut actions = planned(&before, desired, &options.steps);
    if options.mode == Mode::Plan {
        return Ok(Outcome {
            changed: actions.iter().any(|a| !a.action.is_wait()),
            actions,
            retries: Vec::new(),
            before,
            after: None,
        });
    }
    let executor = Executor {
        client,
        waits: options.waits.clone(),
        host_password: options.host_password.clone(),
    };
    let mut done = Vec::new();
    let mut retries = Vec::new();
    let mut rounds = 0;
    'rounds: loop {
        for action in &actions {
            match executor.run(&action.action) {
                Ok(true) => done.push(action.clone()),
                Ok(false) => {}
                Err(error) if error.is_retriable() => {
                    rounds += 1;
                    retries.push(error.to_string());
                    if rounds > options.max_rounds {
                        return Err(EngineError::NotConverged {
                            rounds,
                            last: Box::new(error),
                        });
                    }
                    let delay = Duration::from_millis(200).saturating_mul(rounds.min(10));
                    std::thread::sleep(delay.min(Duration::from_secs(5)));
                    actions = planned(&observe(client)?, desired, &options.steps);
                    continue 'rounds;
                }
                Err(error) => return Err(error),
            }
        }
        break;
    }
    let after = if options.observe_after {
        Some(observe(client)?)
    } else {
        None
    };
    Ok(Outcome {
        changed: client.mutations() > 0,
        actions: done,
        retries,
        before,
        after,
    })
}
