//! Starting the servers the benches talk to as real processes on real
//! sockets: Berth's own binary, and optionally the peers it is compared with.

use std::io::{self, BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::http::Client;

/// How long any server may take to become ready.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// How long a server may take to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// How often a peer without a ready line is probed while it starts.
const PROBE_INTERVAL: Duration = Duration::from_millis(2);

/// A running server process, stopped when dropped.
pub struct Server {
    child: Child,
    /// What runs, for reports: `berth`, `moto`, `fakecloud`.
    pub name: &'static str,
    /// `host:port` it serves on.
    pub address: String,
    /// From spawn until it said it was ready (or first answered, for peers).
    pub start_to_ready: Duration,
    _data_dir: Option<tempfile::TempDir>,
}

impl Server {
    /// `berth up` from `binary` on a free port over a fresh temporary data
    /// directory.
    pub fn berth_fresh(binary: &Path) -> io::Result<Server> {
        let data_dir = tempfile::tempdir()?;
        let mut server = Server::berth(binary, data_dir.path())?;
        server._data_dir = Some(data_dir);
        Ok(server)
    }

    /// `berth up` from `binary` on a free port over `data_dir`; returns once
    /// it printed its ready line.
    pub fn berth(binary: &Path, data_dir: &Path) -> io::Result<Server> {
        Server::berth_with(binary, "up", data_dir, &[])
    }

    /// `berth <subcommand> <flags>` (`up` or `server`) from `binary` on a
    /// free port over `data_dir`; returns once it printed its ready line.
    pub fn berth_with(
        binary: &Path,
        subcommand: &str,
        data_dir: &Path,
        flags: &[&str],
    ) -> io::Result<Server> {
        let started = Instant::now();
        let mut child = Command::new(binary)
            .args([subcommand, "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .args(flags)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("berth's stdout is not piped"))?;
        let (sender, receiver) = mpsc::channel();
        // The reader keeps draining stdout after the ready line so the
        // server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(address) = line.strip_prefix("berth listening on http://") {
                    let _ = sender.send((address.to_owned(), Instant::now()));
                }
            }
        });
        let server = |address, start_to_ready, child| Server {
            child,
            name: "berth",
            address,
            start_to_ready,
            _data_dir: None,
        };
        match receiver.recv_timeout(START_TIMEOUT) {
            Ok((address, ready_at)) => Ok(server(address, ready_at - started, child)),
            Err(_) => {
                let mut failed = server(String::new(), Duration::ZERO, child);
                failed.kill();
                Err(io::Error::other(format!(
                    "berth did not print its ready line within {START_TIMEOUT:?}"
                )))
            }
        }
    }

    /// moto's server (`python3 -m moto.server`) on a free port; ready when it
    /// first answers an ECS request.
    pub fn moto(python: &str) -> io::Result<Server> {
        let port = free_port()?;
        let command = Command::new(python)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        Server::probed("moto", command, port)
    }

    /// fakecloud from `binary` on a free port; ready when it first answers
    /// an ECS request. It keeps its state in memory, its default, unless
    /// `$BERTH_BENCH_FAKECLOUD_STORAGE` is `persistent`: then it saves its
    /// state to disk before answering each write, as Berth always does.
    pub fn fakecloud(binary: &Path) -> io::Result<Server> {
        let port = free_port()?;
        let data_dir = tempfile::tempdir()?;
        let mut command = Command::new(binary);
        command
            .args([
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--log-level",
                "warn",
            ])
            .current_dir(data_dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if std::env::var("BERTH_BENCH_FAKECLOUD_STORAGE").is_ok_and(|mode| mode == "persistent") {
            command
                .args(["--storage-mode", "persistent", "--data-path"])
                .arg(data_dir.path().join("state"));
        }
        let command = command.spawn();
        let mut server = Server::probed("fakecloud", command, port)?;
        server._data_dir = Some(data_dir);
        Ok(server)
    }

    fn probed(name: &'static str, spawned: io::Result<Child>, port: u16) -> io::Result<Server> {
        let started = Instant::now();
        let child = spawned?;
        let mut server = Server {
            child,
            name,
            address: format!("127.0.0.1:{port}"),
            start_to_ready: Duration::ZERO,
            _data_dir: None,
        };
        loop {
            let mut client = Client::new(&server.address);
            if client
                .post_aws_json("AmazonEC2ContainerServiceV20141113.ListClusters", b"{}")
                .is_ok_and(|response| response.status == 200)
            {
                server.start_to_ready = started.elapsed();
                return Ok(server);
            }
            if let Some(status) = server.child.try_wait()? {
                return Err(io::Error::other(format!(
                    "{name} exited early with {status}"
                )));
            }
            if started.elapsed() > START_TIMEOUT {
                server.kill();
                return Err(io::Error::other(format!(
                    "{name} did not answer within {START_TIMEOUT:?}"
                )));
            }
            std::thread::sleep(PROBE_INTERVAL);
        }
    }

    /// The process id, for /proc.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// User plus system CPU time the server's process has used, in seconds
    /// (through a wrapper named by `$BERTH_BENCH_BIN`, the wrapper's own).
    pub fn cpu_secs(&self) -> f64 {
        cpu_secs(self.pid())
    }

    /// Resident memory now (VmRSS), in KiB.
    pub fn rss_kib(&self) -> io::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or_else(|| io::Error::other("no VmRSS line in /proc/PID/status"))
    }

    /// Stops the server with SIGTERM (graceful, so the store closes cleanly)
    /// and waits; kills it if it does not exit in time.
    pub fn stop(mut self) -> io::Result<()> {
        self.terminate()
    }

    /// Kills the server with SIGKILL, as a crash would, and waits for it.
    pub fn crash(mut self) {
        self.kill();
    }

    fn terminate(&mut self) -> io::Result<()> {
        if self.child.try_wait()?.is_some() {
            return Ok(());
        }
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        self.kill();
        Err(io::Error::other(format!(
            "{} did not stop within {STOP_TIMEOUT:?} of SIGTERM",
            self.name
        )))
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.terminate().is_err() {
            self.kill();
        }
    }
}

/// A port nothing listens on right now, for peers that cannot take port 0.
fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The `berth` binary under test: `$BERTH_BENCH_BIN`, else the one Cargo
/// built alongside this bench (release for `cargo bench`).
pub fn berth_binary() -> PathBuf {
    std::env::var_os("BERTH_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_berth")))
}

/// The numeric fields of process `pid`'s stat after its parenthesised
/// command name, from the state (field 3, not a number: 0) on.
pub fn process_stat(pid: u32) -> Vec<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    after_name
        .split_whitespace()
        .map(|field| field.parse().unwrap_or(0))
        .collect()
}

/// User plus system CPU time process `pid` has used, in seconds.
pub fn cpu_secs(pid: u32) -> f64 {
    // utime and stime are fields 14 and 15, in clock ticks (100 per second
    // on Linux).
    let ticks: u64 = process_stat(pid).iter().skip(11).take(2).sum();
    ticks as f64 / 100.0
}
