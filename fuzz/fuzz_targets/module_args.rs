//! The Ansible module argument parser (`ArgumentSpec::validate`) on every option kind.
#![no_main]

use hvp_fuzz::assert_no_raw_control;
use hvp_modules::ansible::{ArgumentSpec, OptionKind, OptionSpec};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(Value::Object(raw)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let spec = ArgumentSpec::new(vec![
        OptionSpec::new("dest", OptionKind::Path).required(),
        OptionSpec::new("name", OptionKind::Str).choices(&["a", "b"]),
        OptionSpec::new("force", OptionKind::Bool).default(json!(false)),
        OptionSpec::new("count", OptionKind::UnsignedInt),
        OptionSpec::new("disks", OptionKind::StrList),
        OptionSpec::new("nodes", OptionKind::List),
        OptionSpec::new("vars", OptionKind::Dict),
        OptionSpec::new("raw", OptionKind::Raw),
        OptionSpec::new("password", OptionKind::Str).no_log(),
    ]);
    let first = spec.validate("hvp_fuzz", raw.clone());
    let second = spec.validate("hvp_fuzz", raw);
    match (&first, &second) {
        (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}")),
        (Err(a), Err(b)) => {
            assert_eq!(a, b);
            for problem in a {
                // Module messages travel as JSON strings; still no raw control characters.
                assert_no_raw_control("problem", problem);
            }
        }
        _ => panic!("validation is not deterministic"),
    }
    let _ = Map::<String, Value>::new();
});
