//! Semantic comparison of two gDeploy files: the same sections in the same order, the same
//! entries in the same order, and the `key=`/`value=` lists of volume options zipped into
//! ordered pairs. Comments and blank lines do not count, as for gDeploy itself.

use super::ini::{IniDocument, IniSection};

/// Every difference between `expected` and `actual`; empty when they are semantically equal.
pub fn semantic_differences(expected: &IniDocument, actual: &IniDocument) -> Vec<String> {
    let mut differences = Vec::new();
    let expected_names: Vec<&str> = expected.sections.iter().map(|s| s.name.as_str()).collect();
    let actual_names: Vec<&str> = actual.sections.iter().map(|s| s.name.as_str()).collect();
    if expected_names != actual_names {
        differences.push(format!(
            "section order differs:\n  expected: {}\n  actual:   {}",
            expected_names.join(" "),
            actual_names.join(" ")
        ));
    }
    for expected_section in &expected.sections {
        if let Some(actual_section) = actual
            .sections
            .iter()
            .find(|section| section.name == expected_section.name)
        {
            differences.extend(section_differences(expected_section, actual_section));
        }
    }
    differences
}

/// A section's entries with `key`/`value` replaced by the zipped option pairs.
fn normalised(section: &IniSection) -> Vec<String> {
    let list = |key: &str| -> Option<Vec<&str>> {
        section
            .get(key)
            .map(|value| value.split(',').filter(|item| !item.is_empty()).collect())
    };
    let mut lines = Vec::new();
    for entry in &section.entries {
        match (&*entry.key, &entry.value) {
            ("key", Some(_)) => {
                let keys = list("key").unwrap_or_default();
                let values = list("value").unwrap_or_default();
                for index in 0..keys.len().max(values.len()) {
                    lines.push(format!(
                        "option {}={}",
                        keys.get(index).unwrap_or(&"<missing>"),
                        values.get(index).unwrap_or(&"<missing>")
                    ));
                }
            }
            ("value", Some(_)) => {}
            (key, Some(value)) => lines.push(format!("{key}={value}")),
            (key, None) => lines.push(key.to_owned()),
        }
    }
    lines
}

fn section_differences(expected: &IniSection, actual: &IniSection) -> Vec<String> {
    let expected_lines = normalised(expected);
    let actual_lines = normalised(actual);
    if expected_lines == actual_lines {
        return Vec::new();
    }
    let mut differences = Vec::new();
    for index in 0..expected_lines.len().max(actual_lines.len()) {
        let want = expected_lines
            .get(index)
            .map_or("<nothing>", String::as_str);
        let got = actual_lines.get(index).map_or("<nothing>", String::as_str);
        if want != got {
            differences.push(format!(
                "[{}] entry {}: expected '{want}', got '{got}'",
                expected.name,
                index + 1
            ));
        }
    }
    differences
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_comments_and_blank_lines() {
        let a = IniDocument::parse("[a]\nx=1\n\n# note\n[b]\ny\n").unwrap();
        let b = IniDocument::parse("# top\n[a]\nx = 1\n[b]\n\ny\n").unwrap();
        assert!(semantic_differences(&a, &b).is_empty());
    }

    #[test]
    fn reports_option_pairs_that_differ() {
        let a = IniDocument::parse("[v]\nkey=group,user.cifs\nvalue=virt,off\n").unwrap();
        let b = IniDocument::parse("[v]\nkey=group,user.cifs\nvalue=virt,on\n").unwrap();
        let differences = semantic_differences(&a, &b);
        assert_eq!(differences.len(), 1);
        assert!(differences[0].contains("option user.cifs=off"));
    }

    #[test]
    fn reports_section_order() {
        let a = IniDocument::parse("[a]\n[b]\n").unwrap();
        let b = IniDocument::parse("[b]\n[a]\n").unwrap();
        assert!(semantic_differences(&a, &b)[0].contains("section order"));
    }
}
