//! `berth simulate` as a child process: started against a server, watched
//! through its JSON progress lines, stopped with SIGTERM.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A running simulated fleet.
pub struct Simulator {
    child: Child,
    latest: Arc<Mutex<Value>>,
    /// When the process was spawned; its progress times count from about here.
    pub spawned: Instant,
}

/// The fleet's shape.
pub struct FleetShape<'a> {
    pub cluster: &'a str,
    pub instances: usize,
    pub zones: u32,
    pub cpu: u32,
    pub memory: u32,
    /// Hosts register what a Berth agent registers (`--agent-attributes`).
    pub agent_attributes: bool,
    /// How long a host takes to report a new task RUNNING.
    pub ack_delay_ms: u64,
}

impl Simulator {
    /// Starts `instances` simulated hosts against `address`, creating the
    /// cluster first.
    pub fn start(binary: &Path, address: &str, shape: &FleetShape<'_>) -> io::Result<Simulator> {
        let spawned = Instant::now();
        let mut child = Command::new(binary)
            .args(["simulate", "--endpoint", &format!("http://{address}")])
            .args(["--cluster", shape.cluster, "--create-cluster"])
            .args(["--instances", &shape.instances.to_string()])
            .args(["--zones", &shape.zones.to_string()])
            .args(["--cpu", &shape.cpu.to_string()])
            .args(["--memory", &shape.memory.to_string()])
            .args(["--run-for", "0"])
            .args(["--ack-delay-ms", &shape.ack_delay_ms.to_string()])
            .args(shape.agent_attributes.then_some("--agent-attributes"))
            .args(["--progress-every", "1", "--output", "json"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stderr = child
            .stderr
            .take()
            .ok_or_else(|| io::Error::other("simulate's stderr is not piped"))?;
        let latest = Arc::new(Mutex::new(Value::Null));
        let sink = latest.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                match line
                    .strip_prefix("simulate: ")
                    .and_then(|json| serde_json::from_str::<Value>(json).ok())
                {
                    Some(progress) => {
                        if let Ok(mut latest) = sink.lock() {
                            *latest = progress;
                        }
                    }
                    None => eprintln!("{line}"),
                }
            }
        });
        Ok(Simulator {
            child,
            latest,
            spawned,
        })
    }

    /// The simulator's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The last progress line (a `Summary` as JSON; `Null` before the first).
    pub fn progress(&self) -> Value {
        self.latest.lock().map(|v| v.clone()).unwrap_or(Value::Null)
    }

    /// Waits until `counter` in the progress reaches `target`; returns the
    /// progress that reached it.
    pub fn wait_for(&mut self, counter: &str, target: u64, timeout: Duration) -> io::Result<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let progress = self.progress();
            if progress[counter].as_u64().is_some_and(|n| n >= target) {
                return Ok(progress);
            }
            if let Some(status) = self.child.try_wait()? {
                return Err(io::Error::other(format!("simulate exited early: {status}")));
            }
            if Instant::now() > deadline {
                return Err(io::Error::other(format!(
                    "{counter} did not reach {target} within {timeout:?}: {progress}"
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the fleet (SIGTERM) and returns its final summary.
    pub fn stop(mut self) -> io::Result<Value> {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        let mut out = String::new();
        if let Some(mut stdout) = self.child.stdout.take() {
            stdout.read_to_string(&mut out)?;
        }
        self.child.wait()?;
        serde_json::from_str(out.trim())
            .map_err(|error| io::Error::other(format!("simulate summary {out:?}: {error}")))
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
