//! Saving and restoring the interfaces the probe touches, on success, on error and on
//! SIGINT/SIGTERM/SIGHUP.
//!
//! Every change goes through a [`NicGuard`]. The guard records the interface's state (MTU,
//! link up/down, addresses) before the first change and registers it in a process-wide table.
//! Each change is recorded in that table *before* it is made, while holding the table's lock,
//! so that the signal handler thread, which takes the same lock, always sees every change and
//! never races one. The guard restores the interface when it is finished or dropped; the signal
//! handler restores every registered interface and exits.

use std::sync::{Mutex, MutexGuard, Once};

use super::error::ProbeError;
use super::iproute::{self, Address};

/// The state of an interface before the probe touched it.
#[derive(Debug, Clone)]
struct Saved {
    nic: String,
    mtu: u32,
    up: bool,
    addresses: Vec<Address>,
}

/// A touched interface: its saved state and the addresses the probe added.
#[derive(Debug)]
struct Touched {
    saved: Saved,
    added: Vec<String>,
}

static TOUCHED: Mutex<Vec<Touched>> = Mutex::new(Vec::new());

/// A cleanup the signal handler runs before exiting (e.g. stopping a DHCP client we started).
type Cleanup = Box<dyn Fn() + Send>;
static CLEANUPS: Mutex<Vec<(u64, Cleanup)>> = Mutex::new(Vec::new());
static NEXT_CLEANUP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Registers `cleanup` to run if the probe is interrupted; returns its handle for
/// [`unregister_cleanup`].
pub fn register_cleanup(cleanup: Cleanup) -> u64 {
    let id = NEXT_CLEANUP.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    cleanups().push((id, cleanup));
    id
}

/// Forgets a cleanup registered with [`register_cleanup`] (its work is done).
pub fn unregister_cleanup(id: u64) {
    cleanups().retain(|(registered, _)| *registered != id);
}

fn cleanups() -> MutexGuard<'static, Vec<(u64, Cleanup)>> {
    CLEANUPS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
static SIGNALS: Once = Once::new();

fn table() -> MutexGuard<'static, Vec<Touched>> {
    TOUCHED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Installs the SIGINT/SIGTERM/SIGHUP handler (once): it restores every touched interface and
/// exits with 128 + the signal number.
pub fn install_signal_handler() -> Result<(), ProbeError> {
    let mut result = Ok(());
    SIGNALS.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        match signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) {
            Ok(mut signals) => {
                std::thread::spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        // Hold the locks until exit: the main thread can make no further change.
                        let cleanups = cleanups();
                        for (_, cleanup) in cleanups.iter() {
                            cleanup();
                        }
                        let mut touched = table();
                        for entry in touched.drain(..) {
                            if let Err(error) = restore(&entry) {
                                eprintln!("hvp-netprobe: {error}");
                            } else {
                                eprintln!(
                                    "hvp-netprobe: interrupted; {} restored",
                                    entry.saved.nic
                                );
                            }
                        }
                        std::process::exit(128 + signal);
                    }
                });
            }
            Err(source) => {
                result = Err(ProbeError::Spawn {
                    command: "signal handler".into(),
                    source,
                })
            }
        }
    });
    result
}

fn restore(entry: &Touched) -> Result<(), ProbeError> {
    let saved = &entry.saved;
    let nic = saved.nic.as_str();
    let mut problems = Vec::new();
    for cidr in &entry.added {
        let still_there = iproute::addresses(nic)?.iter().any(|a| &a.cidr() == cidr);
        if still_there {
            if let Err(error) = iproute::del_address(nic, cidr) {
                problems.push(error.to_string());
            }
        }
    }
    let link = iproute::link(nic)?;
    if link.mtu != saved.mtu {
        if let Err(error) = iproute::set_mtu(nic, saved.mtu) {
            problems.push(error.to_string());
        }
    }
    if link.is_up() != saved.up {
        if let Err(error) = iproute::set_up(nic, saved.up) {
            problems.push(error.to_string());
        }
    }
    // An MTU below 1280 removes IPv6 addresses, a link going down can drop others: re-add
    // whatever the interface had and lost.
    let now = iproute::addresses(nic)?;
    for address in saved.addresses.iter().filter(|a| !a.is_kernel_managed()) {
        if !now.iter().any(|a| a.cidr() == address.cidr()) {
            if let Err(error) = iproute::add_address(nic, &address.cidr(), address.family == "inet")
            {
                problems.push(error.to_string());
            }
        }
    }
    let differences = differences(saved)?;
    problems.extend(differences);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ProbeError::Restore {
            nic: nic.to_owned(),
            detail: problems.join("; "),
        })
    }
}

/// What differs between the interface now and its saved state (kernel-managed addresses aside).
fn differences(saved: &Saved) -> Result<Vec<String>, ProbeError> {
    let link = iproute::link(&saved.nic)?;
    let now = iproute::addresses(&saved.nic)?;
    let mut found = Vec::new();
    if link.mtu != saved.mtu {
        found.push(format!("MTU is {} instead of {}", link.mtu, saved.mtu));
    }
    if link.is_up() != saved.up {
        found.push(format!(
            "link is {} instead of {}",
            if link.is_up() { "up" } else { "down" },
            if saved.up { "up" } else { "down" }
        ));
    }
    let cidrs = |list: &[Address]| -> Vec<String> {
        let mut cidrs: Vec<String> = list
            .iter()
            .filter(|a| !a.is_kernel_managed())
            .map(Address::cidr)
            .collect();
        cidrs.sort();
        cidrs
    };
    let (before, after) = (cidrs(&saved.addresses), cidrs(&now));
    if before != after {
        found.push(format!(
            "addresses are [{}] instead of [{}]",
            after.join(", "),
            before.join(", ")
        ));
    }
    Ok(found)
}

/// What [`NicGuard::add_address`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOutcome {
    /// The address was added; it is removed again.
    Added,
    /// The interface had the address before the probe; it stays.
    AlreadyThere,
    /// The kernel refused the address.
    Refused,
}

/// Exclusive, restoring access to one interface for the duration of its probe.
#[derive(Debug)]
pub struct NicGuard {
    nic: String,
    finished: bool,
}

impl NicGuard {
    /// Saves the interface's state and registers it for restoration.
    pub fn take(nic: &str) -> Result<Self, ProbeError> {
        let link = iproute::link(nic)?;
        let addresses = iproute::addresses(nic)?;
        table().push(Touched {
            saved: Saved {
                nic: nic.to_owned(),
                mtu: link.mtu,
                up: link.is_up(),
                addresses,
            },
            added: Vec::new(),
        });
        Ok(Self {
            nic: nic.to_owned(),
            finished: false,
        })
    }

    /// The interface name.
    pub fn nic(&self) -> &str {
        &self.nic
    }

    /// Sets the MTU and reads it back; `Ok(false)` when the kernel refused it or reads back
    /// another value (the original's "MTU settable" test).
    pub fn set_mtu(&self, mtu: u32) -> Result<bool, ProbeError> {
        let _lock = table();
        if iproute::set_mtu(&self.nic, mtu).is_err() {
            return Ok(false);
        }
        Ok(iproute::link(&self.nic)?.mtu == mtu)
    }

    /// Brings the link up (administratively).
    pub fn set_up(&self) -> Result<(), ProbeError> {
        let _lock = table();
        iproute::set_up(&self.nic, true)
    }

    /// Adds a temporary IPv4 address, unless the interface had it already (then it is used as
    /// it is, and not ours to remove).
    pub fn add_address(&self, cidr: &str) -> Result<AddOutcome, ProbeError> {
        let mut touched = table();
        let entry = touched.iter_mut().find(|entry| entry.saved.nic == self.nic);
        let Some(entry) = entry else {
            return Ok(AddOutcome::Refused);
        };
        if entry.saved.addresses.iter().any(|a| a.cidr() == cidr) {
            return Ok(AddOutcome::AlreadyThere);
        }
        entry.added.push(cidr.to_owned());
        match iproute::add_address(&self.nic, cidr, true) {
            Ok(()) => Ok(AddOutcome::Added),
            Err(_) => {
                entry.added.retain(|added| added != cidr);
                Ok(AddOutcome::Refused)
            }
        }
    }

    /// Forgets the interface's neighbour cache (a cache: nothing to restore).
    pub fn forget_neighbours(&self) -> Result<(), ProbeError> {
        let _lock = table();
        iproute::flush_neighbours(&self.nic)
    }

    /// Removes a temporary address this guard added.
    pub fn remove_address(&self, cidr: &str) -> Result<(), ProbeError> {
        let mut touched = table();
        if let Some(entry) = touched.iter_mut().find(|entry| entry.saved.nic == self.nic) {
            iproute::del_address(&self.nic, cidr)?;
            entry.added.retain(|added| added != cidr);
        }
        Ok(())
    }

    /// Restores the interface and checks that it is as it was.
    pub fn finish(mut self) -> Result<(), ProbeError> {
        self.finished = true;
        release(&self.nic)
    }
}

fn release(nic: &str) -> Result<(), ProbeError> {
    let mut touched = table();
    let Some(position) = touched.iter().position(|entry| entry.saved.nic == nic) else {
        return Ok(());
    };
    let entry = touched.remove(position);
    restore(&entry)
}

impl Drop for NicGuard {
    fn drop(&mut self) {
        if !self.finished {
            if let Err(error) = release(&self.nic) {
                eprintln!("hvp-netprobe: {error}");
            }
        }
    }
}
