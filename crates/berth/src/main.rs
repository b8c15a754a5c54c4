//! The `berth` binary: `berth up`, `berth server`, `berth agent` and the CLI.

fn main() {}
