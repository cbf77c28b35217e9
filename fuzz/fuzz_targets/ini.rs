//! The gDeploy INI parser: never panics, and what it parsed renders and parses back the same.
#![no_main]

use hvp_core::gdeploy::IniDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(document) = IniDocument::parse(text) {
        let rendered = document.render();
        let again = IniDocument::parse(&rendered).expect("rendered INI parses");
        assert_eq!(again.render(), rendered, "render is not stable");
    }
});
