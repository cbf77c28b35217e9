//! The layout variables of the original `hvp.yaml`, with its defaults.

use crate::ansible_bool::parse_ansible_bool;
use crate::input::names::NameKind;
use crate::input::unknown::suggest;
use crate::report::Problem;
use crate::size::SizeSpec;
use crate::volumes::VolumeKind;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The default of `hvp_engine_imgsize` (GiB of the Engine appliance image).
pub const DEFAULT_ENGINE_IMAGE_GIB: f64 = 80.0;
/// The default of `hvp_thinpool_chunksize`.
pub const DEFAULT_THINPOOL_CHUNKSIZE: &str = "1536k";

/// Every variable the facts document's `vars` accepts.
pub static KNOWN_VARIABLES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut names = vec![
        "hvp_use_vdo".to_owned(),
        "hvp_engine_imgsize".to_owned(),
        "hvp_thinpool_chunksize".to_owned(),
    ];
    names.extend(
        super::storage::STORAGE_VARIABLES
            .iter()
            .map(|name| (*name).to_owned()),
    );
    for kind in VolumeKind::ALL {
        names.push(kind.name_variable());
        names.push(kind.size_variable());
        names.extend(kind.arbiter_size_variable());
    }
    names
});

/// Name and sizes of one Gluster volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeSettings {
    /// The Gluster volume name.
    pub volume_name: String,
    /// The brick size on data nodes.
    pub size: SizeSpec,
    /// The brick size on the arbiter; `None` for volumes without arbiter brick (ctdb).
    pub arbiter_size: Option<SizeSpec>,
}

/// The layout variables, parsed, with the original's defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayoutVars {
    /// Put VDO devices under the data-node PVs (`hvp_use_vdo`).
    pub use_vdo: bool,
    /// The Engine appliance image size in GiB (`hvp_engine_imgsize`).
    pub engine_image_gib: f64,
    /// The thin-pool chunk size (`hvp_thinpool_chunksize`).
    pub thinpool_chunksize: SizeSpec,
    /// Name and sizes of each volume.
    pub volumes: BTreeMap<VolumeKind, VolumeSettings>,
    /// The storage-policy variables (`facts::storage`).
    pub storage: super::storage::StorageVars,
    /// Size variables written in a form only the balanced policy reads (`rest`, `10%`).
    pub balanced_only_sizes: Vec<String>,
}

impl LayoutVars {
    /// The settings of one volume.
    pub fn volume(&self, kind: VolumeKind) -> &VolumeSettings {
        // Every kind is inserted by `parse_vars`; the map is never partial.
        &self.volumes[&kind]
    }
}

pub(super) fn parse_vars(vars: &Map<String, Value>, problems: &mut Vec<Problem>) -> LayoutVars {
    for key in vars.keys() {
        if KNOWN_VARIABLES.iter().any(|known| known == key) {
            continue;
        }
        let known: Vec<&str> = KNOWN_VARIABLES.iter().map(String::as_str).collect();
        let fix = match suggest(key, &known) {
            Some(name) => format!("did you mean '{name}'?"),
            None => "remove it; the layout variables are hvp_use_vdo, hvp_engine_imgsize, \
                     hvp_thinpool_chunksize and hvp_<volume>_{size,arbitersize,volume_name}"
                .to_owned(),
        };
        problems.push(Problem::error(
            format!("variable {key}"),
            "is not a layout variable",
            fix,
        ));
    }
    let use_vdo = parse_bool(vars, "hvp_use_vdo", problems);
    let engine_image_gib = parse_engine_image(vars, problems);
    let thinpool_chunksize = parse_chunksize(vars, problems);
    let mut volumes = BTreeMap::new();
    let mut balanced_only_sizes = Vec::new();
    for kind in VolumeKind::ALL {
        let balanced_only = match vars.get(&kind.size_variable()) {
            Some(Value::String(text)) => super::storage::is_balanced_only_size(text),
            Some(Value::Number(_)) => true,
            _ => false,
        };
        if balanced_only {
            balanced_only_sizes.push(kind.size_variable());
        }
        let size = match (kind, vars.get(&kind.size_variable())) {
            // Read by the balanced policy (facts::storage); compat refuses it later.
            _ if balanced_only => kind
                .default_size()
                .and_then(|text| SizeSpec::parse(text).ok())
                .or_else(|| Some(SizeSpec::from_gib(96))),
            (VolumeKind::Engine, None) => Some(SizeSpec::from_gib(
                // Truncation as the original: float product, then int.
                (engine_image_gib * 1.2).trunc().max(1.0) as u64,
            )),
            _ => parse_size(vars, &kind.size_variable(), kind.default_size(), problems),
        };
        let arbiter_size = kind.arbiter_size_variable().and_then(|variable| {
            parse_size(vars, &variable, kind.default_arbiter_size(), problems)
        });
        let volume_name = parse_volume_name(vars, kind, problems);
        volumes.insert(
            kind,
            VolumeSettings {
                volume_name,
                // A placeholder keeps the structure whole while the problem is reported.
                size: size.unwrap_or_else(|| SizeSpec::from_gib(1)),
                arbiter_size: arbiter_size
                    .or_else(|| kind.has_arbiter().then(|| SizeSpec::from_gib(1))),
            },
        );
    }
    check_unique_volume_names(&volumes, problems);
    super::size_bounds::check(&volumes, use_vdo, problems);
    let storage = super::storage::parse_storage_vars(vars, problems);
    LayoutVars {
        use_vdo,
        engine_image_gib,
        thinpool_chunksize,
        volumes,
        storage,
        balanced_only_sizes,
    }
}

fn parse_bool(vars: &Map<String, Value>, name: &str, problems: &mut Vec<Problem>) -> bool {
    let value = match vars.get(name) {
        None | Some(Value::Null) => return false,
        // An empty string is what Jinja renders for an unset flag.
        Some(Value::String(text)) if text.trim().is_empty() => return false,
        Some(value) => value,
    };
    parse_ansible_bool(value).unwrap_or_else(|| {
        let shown = match value {
            Value::String(text) => format!("'{text}'"),
            other => other.to_string(),
        };
        problems.push(Problem::error(
            format!("variable {name}"),
            format!("{shown} is not a boolean"),
            "use true or false",
        ));
        false
    })
}

fn parse_engine_image(vars: &Map<String, Value>, problems: &mut Vec<Problem>) -> f64 {
    let name = "hvp_engine_imgsize";
    let value = match vars.get(name) {
        None | Some(Value::Null) => return DEFAULT_ENGINE_IMAGE_GIB,
        Some(Value::Number(number)) => number.as_f64(),
        Some(Value::String(text)) => text.trim().parse::<f64>().ok(),
        Some(_) => None,
    };
    match value {
        Some(gib) if (1.0..1.0e6).contains(&gib) => gib,
        _ => {
            problems.push(Problem::error(
                format!("variable {name}"),
                format!(
                    "{} is not an image size in GiB",
                    vars.get(name).map(Value::to_string).unwrap_or_default()
                ),
                "give the Engine appliance image size as a number of GiB, for example 80",
            ));
            DEFAULT_ENGINE_IMAGE_GIB
        }
    }
}

fn parse_size(
    vars: &Map<String, Value>,
    name: &str,
    default: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Option<SizeSpec> {
    let text = match vars.get(name) {
        None | Some(Value::Null) => default?.to_owned(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        Some(other) => other.to_string(),
    };
    match SizeSpec::parse(&text) {
        Ok(size) => Some(size),
        Err(error) => {
            problems.push(Problem::error(
                format!("variable {name}"),
                error.to_string(),
                "give a size with a unit, for example \"500GB\" (GB counts as GiB)",
            ));
            None
        }
    }
}

fn parse_chunksize(vars: &Map<String, Value>, problems: &mut Vec<Problem>) -> SizeSpec {
    let name = "hvp_thinpool_chunksize";
    let default = || SizeSpec::parse(DEFAULT_THINPOOL_CHUNKSIZE);
    let Some(size) = parse_size(vars, name, Some(DEFAULT_THINPOOL_CHUNKSIZE), problems) else {
        return default().unwrap_or_else(|_| SizeSpec::from_gib(1));
    };
    // LVM takes thin-pool chunks of 64 KiB to 1 GiB in multiples of 64 KiB.
    let bytes = size.bytes();
    if bytes % (64 << 10) != 0 || !((64 << 10)..=(1 << 30)).contains(&bytes) {
        problems.push(Problem::error(
            format!("variable {name}"),
            format!("'{size}' is not a valid LVM thin-pool chunk size"),
            "use a multiple of 64k between 64k and 1g, for example \"1536k\"",
        ));
    }
    size
}

fn parse_volume_name(
    vars: &Map<String, Value>,
    kind: VolumeKind,
    problems: &mut Vec<Problem>,
) -> String {
    let variable = kind.name_variable();
    let name = match vars.get(&variable) {
        None | Some(Value::Null) => return kind.default_volume_name().to_owned(),
        Some(Value::String(text)) => text.trim().to_owned(),
        Some(other) => other.to_string(),
    };
    if let Err(error) = NameKind::GlusterVolume.check(&name) {
        problems.push(Problem::error(
            format!("variable {variable}"),
            error.to_string(),
            error.fix(),
        ));
    }
    name
}

fn check_unique_volume_names(
    volumes: &BTreeMap<VolumeKind, VolumeSettings>,
    problems: &mut Vec<Problem>,
) {
    let mut seen: BTreeMap<&str, VolumeKind> = BTreeMap::new();
    for (kind, settings) in volumes {
        if let Some(first) = seen.insert(&settings.volume_name, *kind) {
            problems.push(Problem::error(
                format!("variable {}", kind.name_variable()),
                format!(
                    "volume name '{}' is also the name of the {} volume ({})",
                    settings.volume_name,
                    first.stem(),
                    first.name_variable()
                ),
                "give every volume its own name",
            ));
        }
    }
}
