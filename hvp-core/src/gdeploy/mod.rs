//! gDeploy output: the INI document model, the renderer from a layout plan, and a semantic
//! comparison that reads files as gDeploy does.

pub mod compare;
pub mod ini;
pub mod render;

pub use compare::semantic_differences;
pub use ini::{IniDocument, IniEntry, IniParseError, IniSection, IniWriter};
pub use render::{render_document, write_document};
