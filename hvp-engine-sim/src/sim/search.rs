//! The Engine's search language, the part clients use: `name=x`, `name="x y"`, `*` wildcards,
//! terms joined by ` and `. Unknown fields are refused, so a typo fails loudly.

/// One `field=value` term.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// Field name, lower case.
    pub field: String,
    /// Wanted value (a glob with `*`).
    pub value: String,
}

/// Parse a search expression; `allowed` are the fields of the collection.
pub fn parse(expr: &str, allowed: &[&str]) -> Result<Vec<Term>, String> {
    let mut terms = Vec::new();
    let mut rest = expr.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else {
            return Err(format!("search term `{rest}` has no `=`"));
        };
        let field = rest[..eq].trim().to_ascii_lowercase();
        if !allowed.contains(&field.as_str()) {
            return Err(format!(
                "unknown search field `{field}`; this collection supports {}",
                allowed.join(", ")
            ));
        }
        let after = rest[eq + 1..].trim_start();
        let (value, tail) = if let Some(q) = after.strip_prefix('"') {
            let Some(end) = q.find('"') else {
                return Err(format!("unterminated quote in search `{expr}`"));
            };
            (q[..end].to_string(), &q[end + 1..])
        } else {
            let end = find_and(after).unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        terms.push(Term { field, value });
        let tail = tail.trim_start();
        if tail.is_empty() {
            break;
        }
        let lower = tail.to_ascii_lowercase();
        let Some(r) = lower.strip_prefix("and ") else {
            return Err(format!(
                "expected ` and ` between search terms, found `{tail}`"
            ));
        };
        rest = &tail[tail.len() - r.len()..];
    }
    Ok(terms)
}

fn find_and(s: &str) -> Option<usize> {
    s.to_ascii_lowercase().find(" and ")
}

/// Whether `text` matches the glob `pat` (`*` any run).
pub fn glob(pat: &str, text: &str, case_sensitive: bool) -> bool {
    let (p, t) = if case_sensitive {
        (pat.to_string(), text.to_string())
    } else {
        (pat.to_lowercase(), text.to_lowercase())
    };
    let parts: Vec<&str> = p.split('*').collect();
    if parts.len() == 1 {
        return p == t;
    }
    let mut pos = 0;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !t.starts_with(part) {
                return false;
            }
            pos = part.len();
        } else if i == parts.len() - 1 {
            return t.len() >= pos + part.len() && t[pos..].ends_with(part);
        } else if let Some(f) = t[pos..].find(part) {
            pos += f + part.len();
        } else {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_unquoted_and_conjunctions() {
        let t = parse(
            r#"name="my net" and datacenter=Default"#,
            &["name", "datacenter"],
        )
        .unwrap();
        assert_eq!(t[0].value, "my net");
        assert_eq!(
            t[1],
            Term {
                field: "datacenter".into(),
                value: "Default".into()
            }
        );
        assert!(parse("nmae=x", &["name"]).unwrap_err().contains("nmae"));
        assert!(parse("name=\"x", &["name"]).is_err());
    }

    #[test]
    fn globs() {
        assert!(glob("def*", "Default", false));
        assert!(!glob("def*", "Default", true));
        assert!(glob("*store*", "vmstore_domain", true));
        assert!(glob("Default", "default", false));
        assert!(!glob("a*c", "ab", true));
    }
}
