//! The cluster CPU model (spec network.md §7): every node reports its CPU vendor, model and
//! the model's index in libvirt's model list; the cluster takes the model with the lowest index
//! among nodes that must all share one vendor.
//!
//! libvirt lists the models of an architecture (`virsh cpu-models ARCH`) in its `cpu_map`
//! order: older, smaller feature sets first, the Intel models before the AMD ones. The index is
//! the 0-based position in that list. Unlike the original, which compared the indices as
//! strings (so `"17"` beat `"9"` and a missing index beat everything), indices are compared as
//! numbers and a missing index is an error.

mod cluster;
mod host;

pub use cluster::{cluster_cpu, ClusterCpu};
pub use host::{host_cpu, parse_capabilities, parse_cpu_models, CapabilitiesCpu, HostCpu};

/// Why a CPU fact could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CpuError {
    /// The capabilities document is not XML.
    #[error("the libvirt capabilities are not valid XML ({0}); pass the output of `virsh -r capabilities`")]
    Xml(String),
    /// The capabilities document lacks an element.
    #[error(
        "the libvirt capabilities have no <capabilities><host><cpu><{0}> element; libvirt does \
         not know this host's CPU {0} (is the CPU supported by this libvirt version?)"
    )]
    MissingElement(&'static str),
    /// The cluster input is empty.
    #[error("hosts_cpu is empty: pass a dictionary of host name -> that host's hvp_cpu fact")]
    NoHosts,
    /// Some hosts' facts are unusable or disagree; one line per problem.
    #[error("{}", .0.join("\n"))]
    Hosts(Vec<String>),
}

#[cfg(test)]
mod tests;
