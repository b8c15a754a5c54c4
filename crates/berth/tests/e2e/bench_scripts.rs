//! The benchmark scripts under `scripts/` run at a tiny size against a real
//! server, so that they cannot rot between the sessions that measure with
//! them.

use crate::common::Berth;

/// `scripts/bench_api_vs_moto.py` against a running `berth server`, without
/// peers: every boto3 call of the workload succeeds, and the tables, with
/// the clients' own CPU and the ceiling it sets, are printed.
#[test]
fn the_boto3_workload_script_runs_against_berth() {
    // The script's own start of Berth passes this too: the workload
    // registers instances through the API, with no agent to heartbeat.
    let berth = Berth::start_with(&["--agent-disconnect-after", "86400"]);
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/bench_api_vs_moto.py"
    );
    let output = std::process::Command::new("python3")
        .args([script, "--berth-endpoint", &berth.endpoint, "--peers", ""])
        .args(["--processes", "2", "--threads", "1", "--rounds", "2"])
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let berth_row = stdout
        .lines()
        .find(|line| line.starts_with("| berth |"))
        .unwrap_or_else(|| panic!("no row for Berth in:\n{stdout}"));
    let cells: Vec<&str> = berth_row.split('|').map(str::trim).collect();
    // | berth | ops | seconds | ops/s | server CPU | clients' CPU | errors |
    assert_eq!(
        cells[2], "28",
        "7 operations x 2 rounds x 2 clients: {berth_row}"
    );
    assert_eq!(cells[7], "0", "no errors: {berth_row}");
    assert!(
        stdout.contains("calls/s of a server that costs nothing"),
        "the clients' ceiling is printed:\n{stdout}"
    );
}
