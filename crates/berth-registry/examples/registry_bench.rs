//! Registry throughput benchmark: push and pull of one 512 MiB random
//! layer and of 1,000 small blobs, against Berth's registry (in process, on
//! a loopback port, embedded store, local blobs) and Debian's
//! `docker-registry` (Docker distribution) started on a temporary config,
//! plus a loopback download of the same file from `python3 -m http.server`
//! as the pull ceiling. Prints the median of several runs.
//!
//! Run: `cargo run --release -p berth-registry --example registry_bench`
//! (optional arguments: `<runs> <large MiB> <small blobs>`).

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use berth_registry::{Digest, LocalBlobStore, Registry, RegistryConfig};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1::SendRequest;
use tokio::net::TcpStream;

type Client = SendRequest<Full<Bytes>>;

async fn connect(address: SocketAddr) -> Client {
    let stream = TcpStream::connect(address).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let (sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .expect("handshake");
    tokio::spawn(connection);
    sender
}

/// Sends one request; returns status, `Location` and the body length
/// (the body is drained and dropped, as a client writing to disk would
/// not keep it either).
async fn send(
    client: &mut Client,
    method: &str,
    path: &str,
    body: Bytes,
) -> (u16, Option<String>, u64) {
    client.ready().await.expect("connection ready");
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1")
        .header("content-type", "application/octet-stream")
        .header("content-length", body.len())
        .body(Full::new(body))
        .expect("request");
    let response = client.send_request(request).await.expect("response");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut body = response.into_body();
    let mut n_bytes = 0u64;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.expect("body frame").into_data() {
            n_bytes += data.len() as u64;
        }
    }
    (status, location, n_bytes)
}

/// Monolithic upload: POST a session, PUT the bytes with the digest.
async fn push_blob(client: &mut Client, repo: &str, data: Bytes) {
    let digest = Digest::of(&data);
    let (status, location, _) = send(
        client,
        "POST",
        &format!("/v2/{repo}/blobs/uploads/"),
        Bytes::new(),
    )
    .await;
    assert_eq!(status, 202, "start upload");
    let location = location.expect("upload location");
    let location = location
        .strip_prefix("http://")
        .and_then(|rest| rest.find('/').map(|idx| rest[idx..].to_owned()))
        .unwrap_or(location);
    let separator = if location.contains('?') { '&' } else { '?' };
    let (status, _, _) = send(
        client,
        "PUT",
        &format!("{location}{separator}digest={digest}"),
        data,
    )
    .await;
    assert_eq!(status, 201, "finish upload");
}

async fn pull_blob(client: &mut Client, repo: &str, digest: &Digest, size: u64) {
    let (status, _, n_bytes) = send(
        client,
        "GET",
        &format!("/v2/{repo}/blobs/{digest}"),
        Bytes::new(),
    )
    .await;
    assert_eq!((status, n_bytes), (200, size), "pull {digest}");
}

/// Seconds taken by each workload against one registry.
struct Timings {
    push_large: f64,
    pull_large: f64,
    push_small: f64,
    pull_small: f64,
}

async fn bench_registry(
    address: SocketAddr,
    repo: &str,
    large: &Bytes,
    small: &[Bytes],
) -> Timings {
    let mut client = connect(address).await;
    let started = Instant::now();
    push_blob(&mut client, repo, large.clone()).await;
    let push_large = started.elapsed().as_secs_f64();
    let digest = Digest::of(large);
    let started = Instant::now();
    pull_blob(&mut client, repo, &digest, large.len() as u64).await;
    let pull_large = started.elapsed().as_secs_f64();
    let started = Instant::now();
    for blob in small {
        push_blob(&mut client, repo, blob.clone()).await;
    }
    let push_small = started.elapsed().as_secs_f64();
    let digests: Vec<Digest> = small.iter().map(|b| Digest::of(b)).collect();
    let started = Instant::now();
    for (digest, blob) in digests.iter().zip(small) {
        pull_blob(&mut client, repo, digest, blob.len() as u64).await;
    }
    let pull_small = started.elapsed().as_secs_f64();
    Timings {
        push_large,
        pull_large,
        push_small,
        pull_small,
    }
}

fn free_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address")
}

async fn wait_until_listening(address: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(address).await.is_err() {
        assert!(Instant::now() < deadline, "{address} never listened");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A child process killed on drop.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_docker_registry(dir: &std::path::Path, address: SocketAddr) -> Guard {
    let config = format!(
        "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {address}\n",
        dir.join("data").display()
    );
    let path = dir.join("config.yml");
    std::fs::write(&path, config).expect("config");
    let child = Command::new("docker-registry")
        .arg("serve")
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("docker-registry runs (apt-get install docker-registry)");
    Guard(child)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn random_bytes(len: usize, seed: u64) -> Bytes {
    let mut out = vec![0u8; len];
    let mut state = seed | 1;
    for chunk in out.chunks_mut(8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let bytes = state.to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
    Bytes::from(out)
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let runs = args.first().copied().unwrap_or(3);
    let large_mib = args.get(1).copied().unwrap_or(512);
    let n_small = args.get(2).copied().unwrap_or(1000);
    let small_size = 4096;
    let work = tempfile::tempdir().expect("temp dir");

    let mut rows: Vec<(&str, Vec<Timings>)> =
        vec![("berth", Vec::new()), ("docker-registry", Vec::new())];
    let mut static_pulls = Vec::new();
    for run in 0..runs {
        let large = random_bytes(large_mib * 1024 * 1024, 0x5eed + run as u64);
        let small: Vec<Bytes> = (0..n_small)
            .map(|idx| random_bytes(small_size, (run * 100_000 + idx) as u64 + 7))
            .collect();

        // Berth: fresh store and blob directory per run.
        let dir = work.path().join(format!("berth-{run}"));
        let kv = Arc::new(berth_store::Embedded::open(dir.join("store")).expect("store"));
        let blobs = LocalBlobStore::open(dir.join("blobs"), 1 << 40)
            .await
            .expect("blobs");
        let config = RegistryConfig {
            require_existing_repository: false,
            auth: None,
            ..RegistryConfig::default()
        };
        let registry = Arc::new(Registry::new(kv, Arc::new(blobs), config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let berth_address = listener.local_addr().expect("address");
        // As `berth server` does: small responses go out at once instead of
        // waiting on Nagle's algorithm for the client's delayed ACK.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, berth_registry::router(registry)).await;
        });
        rows[0]
            .1
            .push(bench_registry(berth_address, "bench/berth", &large, &small).await);
        server.abort();

        // Docker distribution on its own directory.
        let dir = work.path().join(format!("distribution-{run}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let address = free_port();
        let _registry = start_docker_registry(&dir, address);
        wait_until_listening(address).await;
        rows[1]
            .1
            .push(bench_registry(address, "bench/distribution", &large, &small).await);

        // The pull ceiling: the same bytes from a static file server.
        let dir = work.path().join(format!("static-{run}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("layer"), &large).expect("write layer");
        let address = free_port();
        let _static = Guard(
            Command::new("python3")
                .args([
                    "-m",
                    "http.server",
                    "--bind",
                    "127.0.0.1",
                    &address.port().to_string(),
                ])
                .current_dir(&dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("python3 runs"),
        );
        wait_until_listening(address).await;
        let mut client = connect(address).await;
        let started = Instant::now();
        let (status, _, n_bytes) = send(&mut client, "GET", "/layer", Bytes::new()).await;
        assert_eq!((status, n_bytes), (200, large.len() as u64));
        static_pulls.push(started.elapsed().as_secs_f64());
        let _ = std::fs::remove_dir_all(work.path().join(format!("berth-{run}")));
        let _ = std::fs::remove_dir_all(work.path().join(format!("distribution-{run}")));
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!("run {} of {runs} done", run + 1);
    }

    let mib = large_mib as f64;
    println!(
        "runs: {runs}, large layer: {large_mib} MiB, small blobs: {n_small} x {small_size} B (median)"
    );
    println!(
        "| target | push large MiB/s | pull large MiB/s | push small blobs/s | pull small blobs/s |"
    );
    println!("|---|---|---|---|---|");
    let mut medians = Vec::new();
    for (name, timings) in &rows {
        let m = [
            mib / median(timings.iter().map(|t| t.push_large).collect()),
            mib / median(timings.iter().map(|t| t.pull_large).collect()),
            n_small as f64 / median(timings.iter().map(|t| t.push_small).collect()),
            n_small as f64 / median(timings.iter().map(|t| t.pull_small).collect()),
        ];
        println!(
            "| {name} | {:.0} | {:.0} | {:.0} | {:.0} |",
            m[0], m[1], m[2], m[3]
        );
        medians.push(m);
    }
    let static_speed = mib / median(static_pulls);
    println!("| static file (python3 http.server) | | {static_speed:.0} | | |");
    let ratio: Vec<String> = (0..4)
        .map(|i| format!("{:.2}x", medians[0][i] / medians[1][i]))
        .collect();
    println!(
        "berth / docker-registry: push large {}, pull large {}, push small {}, pull small {}",
        ratio[0], ratio[1], ratio[2], ratio[3]
    );
    println!(
        "berth pull / static file: {:.0}%",
        100.0 * medians[0][1] / static_speed
    );
}
