//! Polling with deadlines: hosts up, storage domains active, the Hosted Engine imported. A
//! deadline or a failure status is an error naming the entity and its last status.

use std::time::{Duration, Instant};

use serde_json::json;

use super::Executor;
use crate::client::Subject;
use crate::error::EngineError;
use crate::wire::{id, text};

const HOST_FAILED: &[&str] = &["install_failed", "error", "kdumping"];
const SD_FAILED: &[&str] = &["inactive", "unknown"];
const SD_TRANSITIONAL: &[&str] = &[
    "locked",
    "activating",
    "preparing_for_maintenance",
    "detaching",
    "unattached",
];

impl Executor<'_> {
    pub(super) fn domain_status(
        &self,
        dc: &str,
        sd: &str,
        name: &str,
    ) -> Result<Option<String>, EngineError> {
        let entity = format!("storage domain {name}");
        match self.client.get(
            &format!("/datacenters/{dc}/storagedomains/{sd}"),
            &[],
            Subject {
                operation: "read",
                entity: &entity,
            },
        ) {
            Ok(reply) => Ok(text(&reply, "status")),
            Err(EngineError::Fault { status: 404, .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    pub(super) fn activate_domain(
        &self,
        name: &str,
        data_center: &str,
    ) -> Result<bool, EngineError> {
        let dc = self.dc_id(data_center, "activate a storage domain")?;
        let sd = self.domain_id(name, "activate it")?;
        let entity = format!("storage domain {name}");
        // Wait out transitional states first, then activate only from maintenance.
        let deadline = Instant::now() + self.waits.storage_timeout;
        loop {
            let status = self
                .domain_status(&dc, &sd, name)?
                .unwrap_or_else(|| "unattached".into());
            match status.as_str() {
                "maintenance" | "inactive" => {
                    self.post(
                        &format!("/datacenters/{dc}/storagedomains/{sd}/activate"),
                        &[],
                        json!({}),
                        "activate",
                        &entity,
                    )?;
                    return Ok(true);
                }
                "active" => return Ok(false),
                transitional if SD_TRANSITIONAL.contains(&transitional) => {}
                _ => return Ok(false),
            }
            if Instant::now() >= deadline {
                return Err(EngineError::WaitTimeout {
                    entity,
                    wanted: "ready to activate".into(),
                    seconds: self.waits.storage_timeout.as_secs(),
                    last_status: status,
                });
            }
            std::thread::sleep(self.waits.poll_interval);
        }
    }

    pub(super) fn wait_domain_active(
        &self,
        dc: &str,
        sd: &str,
        name: &str,
        timeout: Duration,
    ) -> Result<(), EngineError> {
        let entity = format!("storage domain {name}");
        let deadline = Instant::now() + timeout;
        loop {
            let status = self
                .domain_status(dc, sd, name)?
                .unwrap_or_else(|| "not attached".into());
            if status == "active" {
                return Ok(());
            }
            if SD_FAILED.contains(&status.as_str()) {
                return Err(EngineError::WaitFailed {
                    entity,
                    wanted: "active".into(),
                    status,
                    hint: "check that every host can mount it (events in the Engine)".into(),
                });
            }
            if Instant::now() >= deadline {
                return Err(EngineError::WaitTimeout {
                    entity,
                    wanted: "active".into(),
                    seconds: timeout.as_secs(),
                    last_status: status,
                });
            }
            std::thread::sleep(self.waits.poll_interval);
        }
    }

    pub(super) fn host_status(&self, id: &str, name: &str) -> Result<String, EngineError> {
        let entity = format!("host {name}");
        let reply = self.client.get(
            &format!("/hosts/{id}"),
            &[],
            Subject {
                operation: "read",
                entity: &entity,
            },
        )?;
        Ok(text(&reply, "status").unwrap_or_else(|| "unknown".into()))
    }

    pub(super) fn wait_host_up(&self, id: &str, name: &str) -> Result<(), EngineError> {
        let deadline = Instant::now() + self.waits.host_timeout;
        loop {
            let status = self.host_status(id, name)?;
            if status == "up" {
                return Ok(());
            }
            if HOST_FAILED.contains(&status.as_str()) {
                return Err(EngineError::WaitFailed {
                    entity: format!("host {name}"),
                    wanted: "up".into(),
                    status,
                    hint:
                        "see the host's events in the Engine; reinstall it once the cause is fixed"
                            .into(),
                });
            }
            if Instant::now() >= deadline {
                return Err(EngineError::WaitTimeout {
                    entity: format!("host {name}"),
                    wanted: "up".into(),
                    seconds: self.waits.host_timeout.as_secs(),
                    last_status: status,
                });
            }
            std::thread::sleep(self.waits.poll_interval);
        }
    }

    pub(super) fn wait_hosted_engine(
        &self,
        storage_domain: &str,
        vm: &str,
        data_center: &str,
    ) -> Result<(), EngineError> {
        let timeout = self.waits.hosted_engine_timeout;
        let deadline = Instant::now() + timeout;
        let entity = format!("Hosted Engine storage domain {storage_domain} and VM {vm}");
        loop {
            let dc = self.dc_id(data_center, "wait for the Hosted Engine import")?;
            let domain = self.find(
                "storagedomains",
                "storage_domain",
                storage_domain,
                "",
                &entity,
            )?;
            let domain_status = match domain.and_then(|d| id(&d)) {
                Some(sd) => self
                    .domain_status(&dc, &sd, storage_domain)?
                    .unwrap_or_else(|| "not attached".into()),
                None => "not imported".into(),
            };
            let vm_found = self.find("vms", "vm", vm, "", &entity)?;
            let vm_status = vm_found.map_or("not imported".to_owned(), |v| {
                text(&v, "status").unwrap_or_default()
            });
            if domain_status == "active" && vm_status != "not imported" {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(EngineError::WaitTimeout {
                    entity,
                    wanted: "imported".into(),
                    seconds: timeout.as_secs(),
                    last_status: format!("storage domain {domain_status}, VM {vm_status}"),
                });
            }
            std::thread::sleep(self.waits.poll_interval);
        }
    }
}
