//! The `hvp_parameters*.sh` fragment reader: ends on every text (the `-timeout` catches a
//! hang), never panics, gives the same variables twice.
#![no_main]

use hvp_core::network::fragment::ShellVars;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The first half as a lower-precedence fragment, the whole text after it.
    let half = (text.len() / 2..=text.len())
        .find(|index| text.is_char_boundary(*index))
        .unwrap_or(text.len());
    let middle = &text[..half];
    let first = ShellVars::read(&[("a.sh", middle), ("b.sh", text)]);
    assert_eq!(first, ShellVars::read(&[("a.sh", middle), ("b.sh", text)]));
    for line in &first.1 {
        assert!(line.line >= 1);
    }
});
