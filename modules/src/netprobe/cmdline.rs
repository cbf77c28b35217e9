//! Kernel command line → the probe document's `parameters` (every `hvp_*` word, as strings).

use std::collections::BTreeMap;

/// Collects the `hvp_*` words of a kernel command line.
///
/// `hvp_name=value` gives `"hvp_name": "value"`, a bare flag such as `hvp_nicmacfix` gives an
/// empty string. When a name appears twice the later word wins, as in the original, whose
/// extraction takes the text after the *last* occurrence. Values are kept verbatim: the planner
/// validates them.
pub fn hvp_parameters(cmdline: &str) -> BTreeMap<String, String> {
    let mut parameters = BTreeMap::new();
    for word in cmdline.split_whitespace() {
        if !word.starts_with("hvp_") {
            continue;
        }
        let (name, value) = word.split_once('=').unwrap_or((word, ""));
        if name.len() > "hvp_".len() {
            parameters.insert(name.to_owned(), value.to_owned());
        }
    }
    parameters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_hvp_words_flags_and_the_last_duplicate() {
        let parameters = hvp_parameters(
            "BOOT_IMAGE=/vmlinuz ro quiet hvp_nodeid=1 hvp_gluster_mtu=9000 hvp_nicmacfix \
             hvp_nodeid=2 hvp_mgmt=10.0.0.0/16 biosdevname=0 hvp_= hvp_empty=\n",
        );
        let expected: BTreeMap<String, String> = [
            ("hvp_empty", ""),
            ("hvp_gluster_mtu", "9000"),
            ("hvp_mgmt", "10.0.0.0/16"),
            ("hvp_nicmacfix", ""),
            ("hvp_nodeid", "2"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(parameters, expected);
    }

    #[test]
    fn an_empty_command_line_has_no_parameters() {
        assert!(hvp_parameters("").is_empty());
        assert!(hvp_parameters("ro quiet xhvp=1").is_empty());
    }
}
