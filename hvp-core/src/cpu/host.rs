//! One node's CPU: vendor, model and arch from `virsh capabilities`, index from `cpu-models`.

use super::CpuError;
use serde::{Deserialize, Serialize};

/// The host CPU as libvirt's capabilities describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapabilitiesCpu {
    /// `x86_64`, `aarch64`, `ppc64le`...
    pub arch: String,
    /// The libvirt CPU model closest to the host CPU, e.g. `Skylake-Client-IBRS`.
    pub model: String,
    /// `Intel`, `AMD`...
    pub vendor: String,
}

/// The `hvp_cpu` fact of one node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostCpu {
    /// CPU vendor.
    pub vendor: String,
    /// libvirt CPU model.
    pub model: String,
    /// 0-based position of `model` in `virsh cpu-models ARCH`; `None` when not listed.
    pub model_index: Option<usize>,
    /// Architecture.
    pub arch: String,
}

/// Reads the host CPU's arch, model and vendor from `virsh capabilities` XML.
pub fn parse_capabilities(xml: &str) -> Result<CapabilitiesCpu, CpuError> {
    let document = roxmltree::Document::parse(xml).map_err(|e| CpuError::Xml(e.to_string()))?;
    let root = document.root_element();
    if !root.has_tag_name("capabilities") {
        return Err(CpuError::Xml(format!(
            "the root element is <{}>, not <capabilities>",
            root.tag_name().name()
        )));
    }
    let cpu = child(root, "host")
        .and_then(|host| child(host, "cpu"))
        .ok_or(CpuError::MissingElement("cpu"))?;
    let text = |name: &'static str| {
        child(cpu, name)
            .and_then(|node| node.text())
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
            .ok_or(CpuError::MissingElement(name))
    };
    Ok(CapabilitiesCpu {
        arch: text("arch")?,
        model: text("model")?,
        vendor: text("vendor")?,
    })
}

fn child<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &str,
) -> Option<roxmltree::Node<'a, 'input>> {
    node.children()
        .find(|child| child.is_element() && child.has_tag_name(name))
}

/// Splits the output of `virsh cpu-models ARCH` into model names, in libvirt's order.
pub fn parse_cpu_models(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The node's `hvp_cpu` fact from its capabilities XML and its model list.
pub fn host_cpu(capabilities_xml: &str, models: &[String]) -> Result<HostCpu, CpuError> {
    let cpu = parse_capabilities(capabilities_xml)?;
    let model_index = models.iter().position(|model| *model == cpu.model);
    Ok(HostCpu {
        vendor: cpu.vendor,
        model: cpu.model,
        model_index,
        arch: cpu.arch,
    })
}
