//! Regression tests of the INI parser found by the `ini` fuzz target (`docs/fuzzing.md`):
//! what the parser accepts renders and parses back the same.

use hvp_core::gdeploy::IniDocument;

fn round_trip(text: &str) {
    if let Ok(document) = IniDocument::parse(text) {
        let rendered = document.render();
        let again = IniDocument::parse(&rendered).expect("rendered INI parses");
        assert_eq!(again.render(), rendered, "render is not stable");
    }
}

#[test]
fn fuzz_finding_a_continuation_line_that_looks_like_a_section() {
    let bytes = include_bytes!("fixtures/fuzz/ini-continuation-looks-like-section.ini");
    round_trip(&String::from_utf8_lossy(bytes));
}

#[test]
fn values_of_several_lines_round_trip() {
    let text = "[volume4]\nkey=a\n  [volume5]\n  b\nbare\n\tmore\n";
    let document = IniDocument::parse(text).unwrap();
    assert_eq!(document.sections.len(), 1);
    assert_eq!(document.sections[0].get("key"), Some("a\n[volume5]\nb"));
    round_trip(text);
}
