//! Input rules shared by every entry point that reads user input (issue 11).
//!
//! One mechanism per concern, so that every reader applies the same rule and reports it the
//! same way (`docs/input-rules.md` lists them for new inputs):
//!
//! | module | rule |
//! |---|---|
//! | [`escape`] | user text is escaped before it is printed: no raw control character in any message or output |
//! | [`names`] | one validator per kind of name (kernel device, host name, LVM name, Gluster volume, file name) |
//! | [`unknown`] | unknown fields and parameters, each with the closest known name ("did you mean") |
//! | [`numbers`] | whole numbers: "not a whole number" and "too large" are different problems |
//! | [`size_rules`] | per-use bounds on sizes (brick filesystem minimum, LVM and VDO maximums) |
//! | [`condense`] | identical problems merged with their count, the list capped with the count of the rest |
//! | [`strings`] | no control character in any string of a document copied into outputs (field paths) |
//! | [`json`] | JSON documents read with the field path of each error, byte offsets for invalid UTF-8, and no Rust type names |

pub mod condense;
pub mod escape;
pub mod json;
pub mod names;
pub mod numbers;
pub mod size_rules;
pub mod strings;
pub mod unknown;
