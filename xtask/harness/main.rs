//! Written by `cargo xtask examples`: runs every example's call against a loopback mock and
//! prints, per run of `runs.json` (the file named by the first argument), one JSON line of
//! what happened. The first line says how many runs and cases there are, so xtask knows the
//! output is this build's.

mod cases;
mod support;

use futures_util::StreamExt;
use support::{Harness, Run};

#[tokio::main]
async fn main() {
    let path = std::env::args().nth(1).expect("the runs file");
    let text = std::fs::read_to_string(&path).expect("the runs file reads");
    let runs: Vec<Run> = serde_json::from_str(&text).expect("the runs file is JSON");
    println!("runs\t{}\t{}", runs.len(), cases::CASES.len());
    // A few at a time, each run a task of its own with its own mock server: a mock server
    // blocks its thread while it shuts down, which must not stall the other runs; and a case
    // that panics is one run's answer, not the end of the harness.
    let mut records = futures_util::stream::iter(runs.into_iter().enumerate())
        .map(|(number, run)| {
            tokio::spawn(async move {
                let case = cases::CASES[run.case];
                let mut harness = Harness::new(run).await;
                case(&mut harness).await;
                harness.finish(number)
            })
        })
        .buffer_unordered(8);
    while let Some(record) = records.next().await {
        match record {
            Ok(record) => println!("{record}"),
            // The run's number went with the task; xtask reports a run with no answer.
            Err(error) => eprintln!("a case panicked: {error}"),
        }
    }
}
