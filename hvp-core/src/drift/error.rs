//! Errors reading live-state command output or a recorded plan. Every text in them may come
//! from the input (a parser's message quotes the bad character), so all are escaped when
//! shown (`crate::input::escape`; fuzz finding: roxmltree quoted a raw control character).

use crate::input::escape::escape;

/// Command output or a recorded plan that cannot be read. Every variant names where the text
/// came from (`node`, `what`) so that a report says which host and which command to look at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DriftError {
    /// A JSON report (`lvs`/`vgs`/`pvs --reportformat json`) that is not what LVM prints.
    #[error("{}: {}; run it as `{command}` (LVM 2.02.158 or later) and pass its standard output unchanged", escape(.source_name), escape(.message))]
    LvmReport {
        /// Node and command, e.g. `node0: lvs`.
        source_name: String,
        /// What is wrong.
        message: String,
        /// The command line that produces the expected output.
        command: String,
    },
    /// `/proc/self/mountinfo` text with a line that does not have its fields.
    #[error("{}: line {line} is not a mountinfo line ({}); pass the text of /proc/self/mountinfo unchanged", escape(.source_name), escape(.message))]
    MountInfo {
        /// Node and file.
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// `vdo status` output that is not the YAML the vdo manager prints.
    #[error("{}: {}; pass the standard output of `vdo status` unchanged", escape(.source_name), escape(.message))]
    VdoStatus {
        /// Node and command, e.g. `node0: vdo status`.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// `gluster volume info --xml` output that cannot be read.
    #[error("gluster volume info --xml: {}; pass the standard output of `gluster --mode=script volume info --xml` unchanged", escape(.0))]
    VolumeInfo(String),
    /// The recorded plan is not a format-2 storage plan.
    #[error("recorded plan: {}", escape(.0))]
    Plan(String),
}
