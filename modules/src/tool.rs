//! How every module starts a system tool: an argument vector (no shell), the C locale, no LVM
//! file-descriptor warnings and no standard input.

use std::process::{Command, Stdio};

/// A [`Command`] for `program` with the environment every module gives its tools; add the
/// arguments and run it.
pub fn tool(program: &str) -> Command {
    let mut command = Command::new(program);
    command
        .env("LC_ALL", "C")
        .env("LVM_SUPPRESS_FD_WARNINGS", "1")
        .stdin(Stdio::null());
    command
}

#[cfg(test)]
mod tests {
    use super::tool;

    #[test]
    fn tools_get_the_c_locale_and_no_input() {
        let output = tool("sh")
            .args(["-c", "echo \"$LC_ALL $LVM_SUPPRESS_FD_WARNINGS\"; cat"])
            .output()
            .expect("sh runs");
        assert!(output.status.success());
        assert_eq!(String::from_utf8_lossy(&output.stdout), "C 1\n");
    }
}
