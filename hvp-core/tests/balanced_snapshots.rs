//! Reviewed snapshots of every output format of the balanced policy for the spec's worked
//! examples (Ex 1: three equal nodes with an SSD each; Ex 2: five mixed nodes; Ex 3: replica 3
//! on four nodes), the 6-node example of `examples/`, and the same 6 nodes grouped in two
//! triples (`hvp_layout_grouped: true`, `examples/facts-6nodes-grouped.json`).

use hvp_core::gdeploy_gen::{generate, OutputFormat};
use std::path::Path;

fn output(path: &str, format: OutputFormat) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let facts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    generate(&facts, format)
        .unwrap_or_else(|r| panic!("{r}"))
        .output
}

const EX1: &str = "tests/fixtures/balanced/ex1-three-equal-nodes.json";
const EX2: &str = "tests/fixtures/balanced/ex2-five-mixed-nodes.json";
const EX3: &str = "tests/fixtures/balanced/ex3-replica3-four-nodes.json";
const SIX: &str = "../examples/facts-6nodes.json";
const SIX_GROUPED: &str = "../examples/facts-6nodes-grouped.json";

macro_rules! snapshots {
    ($($name:ident: $path:expr, $format:expr;)*) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(output($path, $format));
            }
        )*
    };
}

snapshots! {
    ex1_json: EX1, OutputFormat::Json;
    ex1_ini: EX1, OutputFormat::Ini;
    ex1_table: EX1, OutputFormat::Table;
    ex1_commands: EX1, OutputFormat::Commands;
    ex1_gluster_ansible: EX1, OutputFormat::GlusterAnsible;
    ex2_table: EX2, OutputFormat::Table;
    ex2_commands: EX2, OutputFormat::Commands;
    ex2_json: EX2, OutputFormat::Json;
    ex3_table: EX3, OutputFormat::Table;
    ex3_commands: EX3, OutputFormat::Commands;
    ex3_gluster_ansible: EX3, OutputFormat::GlusterAnsible;
    six_nodes_table: SIX, OutputFormat::Table;
    six_nodes_commands: SIX, OutputFormat::Commands;
    six_nodes_ini: SIX, OutputFormat::Ini;
    six_grouped_json: SIX_GROUPED, OutputFormat::Json;
    six_grouped_ini: SIX_GROUPED, OutputFormat::Ini;
    six_grouped_gluster_ansible: SIX_GROUPED, OutputFormat::GlusterAnsible;
    six_grouped_commands: SIX_GROUPED, OutputFormat::Commands;
    six_grouped_table: SIX_GROUPED, OutputFormat::Table;
}
