//! A Prism mock server: started on 127.0.0.1 on a free port, killed (with its whole process
//! group) when dropped. Shared by `cargo xtask contract` and the CircleCI contract tests
//! (`generated/tests/`, through a dev-dependency on this crate).
//!
//! Prism serves the document named by `CONTRACT_SPEC` (default `spec/circleci.yaml`; a relative
//! path is taken from the workspace root) and mounts its routes at the root, so the client's base
//! URL is [`Prism::base_url`]. It runs with `--errors` unless told otherwise, so a response that
//! contradicts the document becomes a 500 instead of passing silently.
//!
//! Two independent ways to see that Prism found nothing wrong, for the strongest check use both:
//! - per exchange, [`exchange_problem`] (or [`Exchange::problem`] for [`Prism::request`]): a
//!   non-2xx status or an `sl-violations` header (Prism answers 422 to an invalid request, 401
//!   to a missing token, 500 to an invalid response);
//! - for the whole run, [`Prism::problems`]: every violation or refused request in Prism's log.
//!
//! [`exchange_refusal`] is the finer judgment both contract checks make of a request: errors
//! in `sl-violations` (not warnings), and a 401 or 422 that was not asked for.
//!
//! Prism matches a path parameter to exactly one path segment: a project slug sent with its `/`
//! kept (`gh/org/repo`, as CircleCI takes it) finds no route and gets a 404, while the same slug
//! percent-encoded, or a one-segment value, is routed. Choose path arguments accordingly.
//!
//! The executable comes from `APIGEN_PRISM`, which `cargo xtask test` sets after installing the
//! pinned Prism under `target/tools/prism`; without it that install location is tried. When
//! neither exists the test fails and says to run `cargo xtask test`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The response header in which Prism lists what it found wrong with an exchange.
pub const VIOLATIONS_HEADER: &str = "sl-violations";

/// The environment variable naming the Prism executable.
pub const PRISM_ENV: &str = "APIGEN_PRISM";

/// The environment variable naming the document Prism serves.
pub const SPEC_ENV: &str = "CONTRACT_SPEC";

/// Requests to this path let [`Prism::problems`] know the log has caught up; no API has it.
const SYNC_PATH: &str = "/__prism_harness_sync__";

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The document the contract tests run against: `CONTRACT_SPEC`, or `spec/circleci.yaml`.
pub fn contract_spec() -> PathBuf {
    let root = workspace_root();
    match std::env::var_os(SPEC_ENV) {
        Some(path) if !path.is_empty() => root.join(path),
        _ => root.join("spec/circleci.yaml"),
    }
}

/// The Prism executable: `APIGEN_PRISM`, else where `cargo xtask test` installs it.
pub fn prism_executable() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(PRISM_ENV).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if path.exists() {
            Ok(path)
        } else {
            Err(format!(
                "{PRISM_ENV} is {} but nothing is there; run `cargo xtask test`, which installs the \
                 pinned Prism and sets {PRISM_ENV}",
                path.display()
            ))
        };
    }
    // Where `cargo xtask test` installs it: under the target directory of a test binary
    // (`<target>/<profile>/deps/`, wherever cargo put it), else under this workspace's.
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(PathBuf::from))
        .filter(|target| target.join("tools/prism").is_dir())
        .unwrap_or_else(crate::tools::target_dir);
    let installed = target.join("tools/prism/node_modules/.bin/prism");
    if installed.exists() {
        Ok(installed)
    } else {
        Err(format!(
            "Prism is not installed (no {PRISM_ENV}, nothing at {}): run `cargo xtask test`, which \
             installs the pinned Prism there and runs every test",
            installed.display()
        ))
    }
}

/// What Prism said about one exchange: `None` when it found nothing wrong (a 2xx status and no
/// `sl-violations` header), otherwise a description of the problem.
pub fn exchange_problem(status: u16, sl_violations: Option<&str>) -> Option<String> {
    match (status, sl_violations) {
        (200..=299, None) => None,
        (_, Some(violations)) => Some(format!(
            "status {status}, {VIOLATIONS_HEADER}: {violations}"
        )),
        (401, None) => {
            Some("status 401: Prism found the credentials missing or invalid".to_owned())
        }
        (422, None) => Some("status 422: Prism found the request invalid".to_owned()),
        (_, None) => Some(format!(
            "status {status}: Prism refused or failed the exchange"
        )),
    }
}

/// Whether Prism refused the request of one exchange, judged the same way by
/// `cargo xtask contract` and the CircleCI contract suite: an error in its `sl-violations`
/// list (warnings, such as a deprecated parameter used, are not), or a 401 (credentials) or
/// 422 (an invalid request) that was not asked for with `Prefer: code=…` (`asked`). `None`
/// when it accepted the request.
pub fn exchange_refusal(
    status: Option<u16>,
    sl_violations: Option<&str>,
    asked: Option<u16>,
) -> Option<String> {
    let shown = || status.map_or_else(|| "none".to_owned(), |s| s.to_string());
    if let Some(violations) = sl_violations
        && !violation_errors(violations).is_empty()
    {
        return Some(format!(
            "Prism found violations (status {}): {violations}",
            shown()
        ));
    }
    match status {
        // A 401 or 422 asked for is an answer like any other.
        _ if status.is_some() && status == asked => None,
        Some(401) => Some("Prism refused the credentials (401)".to_owned()),
        Some(422) => Some("Prism refused the request as invalid (422)".to_owned()),
        _ => None,
    }
}

/// Where each error of an `sl-violations` list is (`request` or `response`, the first part of
/// its location); warnings are left out. A list Prism cut short ("Too many violations!") is
/// read as far as it goes.
pub fn violation_errors(violations: &str) -> Vec<String> {
    let text = violations
        .trim_start_matches("Too many violations!")
        .trim_start();
    if let Ok(serde_json::Value::Array(list)) = serde_json::from_str::<serde_json::Value>(text) {
        return list
            .iter()
            .filter(|v| v["severity"] != "Warning")
            .map(|v| v["location"][0].as_str().unwrap_or("?").to_owned())
            .collect();
    }
    // Cut short: each object starts with its location; its severity follows.
    text.split("{\"location\":[\"")
        .skip(1)
        .filter(|object| !object.contains("\"severity\":\"Warning\""))
        .map(|object| object.split('"').next().unwrap_or("?").to_owned())
        .collect()
}

/// One plain HTTP exchange made with [`Prism::request`].
#[derive(Debug, Clone)]
pub struct Exchange {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Exchange {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// What Prism found wrong with this exchange, if anything (see [`exchange_problem`]).
    pub fn problem(&self) -> Option<String> {
        exchange_problem(self.status, self.header(VIOLATIONS_HEADER))
    }

    /// The body as JSON.
    ///
    /// # Panics
    /// When the body is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// How to start Prism; see [`Prism::builder`].
#[derive(Clone, Debug)]
pub struct PrismBuilder {
    program: Option<PathBuf>,
    spec: PathBuf,
    seed: Option<u64>,
    errors: bool,
    startup_timeout: Duration,
}

impl PrismBuilder {
    /// The document to serve (default: [`contract_spec`]).
    pub fn spec(mut self, spec: impl Into<PathBuf>) -> Self {
        self.spec = spec.into();
        self
    }

    /// Dynamic responses generated from the schemas (`-d`), reproducible with this seed.
    pub fn dynamic(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Whether response violations become error responses (`--errors`, the default).
    pub fn errors(mut self, errors: bool) -> Self {
        self.errors = errors;
        self
    }

    /// The executable to run instead of [`prism_executable`].
    pub fn program(mut self, program: impl Into<PathBuf>) -> Self {
        self.program = Some(program.into());
        self
    }

    /// How long Prism may take to listen (default 90 s: a loaded 2-core machine is slow).
    pub fn startup_timeout(mut self, timeout: Duration) -> Self {
        self.startup_timeout = timeout;
        self
    }

    /// Starts Prism and waits until it listens.
    ///
    /// # Panics
    /// When Prism cannot be found or started; the message says why and how to fix it.
    pub fn start(self) -> Prism {
        match self.try_start() {
            Ok(prism) => prism,
            Err(message) => panic!("{message}"),
        }
    }

    /// Starts Prism and waits until it listens, or says why it could not.
    pub fn try_start(self) -> Result<Prism, String> {
        if !self.spec.is_file() {
            return Err(format!(
                "the document for Prism, {}, does not exist (set {SPEC_ENV} to serve another)",
                self.spec.display()
            ));
        }
        let program = match &self.program {
            Some(program) => program.clone(),
            None => prism_executable()?,
        };
        // The port is free when asked for but could be taken before Prism binds it; Prism then
        // exits with EADDRINUSE and another port is tried.
        let mut last_error = String::new();
        for _ in 0..5 {
            let port = free_port()?;
            match self.spawn(&program, port)? {
                Started::Listening(prism) => return Ok(prism),
                Started::PortTaken(output) => last_error = output,
                Started::Failed(message) => return Err(message),
            }
        }
        Err(format!(
            "Prism could not bind a free port in 5 attempts; last output:\n{last_error}"
        ))
    }

    fn spawn(&self, program: &Path, port: u16) -> Result<Started, String> {
        let mut command = Command::new(program);
        command
            .arg("mock")
            .arg(&self.spec)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()]);
        if self.errors {
            command.arg("--errors");
        }
        if let Some(seed) = self.seed {
            command.args(["-d", "--seed", &seed.to_string()]);
        }
        let description = format!("{command:?}");
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group, so dropping kills whatever Prism started as well.
            .process_group(0);
        // And it dies with the thread that started it, even when no drop runs: a test process
        // that exits while a proxy thread still holds its Prism would otherwise leave it
        // running (the thread of a test ends with the test).
        #[cfg(target_os = "linux")]
        // SAFETY: prctl(2) with PR_SET_PDEATHSIG only sets a flag of the new process; it is
        // async-signal-safe and touches no memory of the parent.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
        let mut child = command.spawn().map_err(|e| {
            format!("could not start Prism ({description}): {e}; is Node.js on PATH? `cargo xtask test` installs Prism")
        })?;
        let log = Arc::new(Log::default());
        for pipe in [
            child.stdout.take().map(Pipe::Out),
            child.stderr.take().map(Pipe::Err),
        ]
        .into_iter()
        .flatten()
        {
            let log = Arc::clone(&log);
            std::thread::spawn(move || log.collect(pipe));
        }
        let mut prism = Prism {
            child,
            port,
            base_url: format!("http://127.0.0.1:{port}"),
            log,
            startup_lines: 0,
            syncs: AtomicU32::new(0),
            description,
        };

        let listening = format!("listening on http://127.0.0.1:{port}");
        let deadline = Instant::now() + self.startup_timeout;
        loop {
            if let Ok(Some(status)) = prism.child.try_wait() {
                // Let the readers drain what it printed before it died.
                std::thread::sleep(Duration::from_millis(200));
                let output = prism.log.text();
                return Ok(if output.contains("EADDRINUSE") {
                    Started::PortTaken(output)
                } else {
                    Started::Failed(format!(
                        "Prism exited ({status}) before listening; command: {}\noutput:\n{output}",
                        prism.description
                    ))
                });
            }
            let said_listening = prism
                .log
                .lines()
                .iter()
                .any(|line| line.contains(&listening));
            if said_listening
                && TcpStream::connect_timeout(&prism.addr(), Duration::from_millis(500)).is_ok()
            {
                prism.startup_lines = prism.log.lines().len();
                return Ok(Started::Listening(prism));
            }
            if Instant::now() > deadline {
                return Ok(Started::Failed(format!(
                    "Prism did not listen on port {port} within {:?}; command: {}\noutput:\n{}",
                    self.startup_timeout,
                    prism.description,
                    prism.log.text()
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

enum Started {
    Listening(Prism),
    PortTaken(String),
    Failed(String),
}

/// A running Prism; killed with its process group on drop.
#[derive(Debug)]
pub struct Prism {
    child: Child,
    port: u16,
    base_url: String,
    log: Arc<Log>,
    /// Log lines printed while starting (they describe the document, not an exchange).
    startup_lines: usize,
    syncs: AtomicU32,
    description: String,
}

impl Prism {
    /// A builder serving [`contract_spec`] with static examples and `--errors`.
    pub fn builder() -> PrismBuilder {
        PrismBuilder {
            program: None,
            spec: contract_spec(),
            seed: None,
            errors: true,
            startup_timeout: Duration::from_secs(90),
        }
    }

    /// Prism serving [`contract_spec`] with static examples and `--errors`.
    ///
    /// # Panics
    /// When Prism cannot be found or started; the message says why and how to fix it.
    pub fn start() -> Prism {
        Prism::builder().start()
    }

    /// `http://127.0.0.1:PORT`, the base URL of the API Prism mocks.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The process id of Prism (the leader of its process group).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `Some(how)` when Prism has exited (crashed, or was killed): its exit status and the
    /// end of its log.
    pub fn exited(&mut self) -> Option<String> {
        let status = self.child.try_wait().ok().flatten()?;
        // Let the readers drain what it printed before it died.
        std::thread::sleep(Duration::from_millis(200));
        let lines = self.log.lines();
        let tail = lines[lines.len().saturating_sub(3)..].join(" / ");
        Some(format!("Prism exited ({status}): {tail}"))
    }

    /// Everything Prism printed so far.
    pub fn log(&self) -> String {
        self.log.text()
    }

    /// Every line of Prism's log, since it started listening, that reports a problem with an
    /// exchange: a request or response violation, or a request it refused (no route, bad
    /// credentials, invalid input). Waits first until Prism has logged every exchange so far.
    ///
    /// # Panics
    /// When Prism stops answering.
    pub fn problems(&self) -> Vec<String> {
        self.sync();
        self.log.lines()[self.startup_lines..]
            .iter()
            .filter(|line| is_problem(line) && !line.contains(SYNC_PATH))
            .cloned()
            .collect()
    }

    /// Fails the test, showing Prism's complaints, unless [`Prism::problems`] is empty.
    #[track_caller]
    pub fn assert_no_problems(&self) {
        let problems = self.problems();
        assert!(
            problems.is_empty(),
            "Prism reported {} problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
    }

    /// A plain HTTP/1.1 request (`Connection: close`), made without any client library: for
    /// checking Prism itself, or what the generated client is not meant to send.
    ///
    /// # Panics
    /// When Prism does not answer or the answer is not HTTP.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Exchange {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n",
            self.port
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(body) = body {
            request.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        request.push_str("\r\n");
        request.push_str(body.unwrap_or(""));
        let raw = TcpStream::connect_timeout(&self.addr(), Duration::from_secs(10))
            .and_then(|mut stream| {
                stream.set_read_timeout(Some(Duration::from_secs(60)))?;
                stream.write_all(request.as_bytes())?;
                let mut response = Vec::new();
                stream.read_to_end(&mut response)?;
                Ok(response)
            })
            .unwrap_or_else(|e| {
                panic!(
                    "Prism ({}) did not answer {method} {path}: {e}\noutput:\n{}",
                    self.base_url,
                    self.log.text()
                )
            });
        parse_response(&raw).unwrap_or_else(|e| {
            panic!(
                "Prism's answer to {method} {path} is not HTTP ({e}):\n{}",
                String::from_utf8_lossy(&raw)
            )
        })
    }

    fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// Sends a request to a path no API has and waits until Prism has logged it: Prism logs the
    /// exchanges of one connection in order, so every earlier exchange is in the log by then.
    fn sync(&self) {
        let marker = format!("{SYNC_PATH}/{}", self.syncs.fetch_add(1, Ordering::Relaxed));
        self.request("GET", &marker, &[], None);
        let logged = format!("{marker} ");
        let seen = self.log.wait_for(Duration::from_secs(30), |lines| {
            lines.iter().any(|line| line.contains(&logged))
        });
        assert!(
            seen,
            "Prism answered {marker} but did not log it within 30 s\noutput:\n{}",
            self.log.text()
        );
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let group = -(self.child.id() as libc::pid_t);
        // SAFETY: kill(2) with a negative pid signals the process group Prism leads (it was
        // started with process_group(0)); it touches no memory of this process.
        unsafe { libc::kill(group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        // Whatever is left of the group, including the leader if SIGTERM was not enough.
        // SAFETY: as above.
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

/// True for a log line that reports a violation or a refused request.
fn is_problem(line: &str) -> bool {
    line.contains('✖') || line.contains("Violation") || line.contains("did not pass")
}

/// Status, headers and body of an HTTP/1.1 response read to the end of the connection.
fn parse_response(raw: &[u8]) -> Result<Exchange, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of headers")?;
    let head = std::str::from_utf8(&raw[..split]).map_err(|_| "headers are not UTF-8")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body)?;
    }
    Ok(Exchange {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("truncated chunk size")?;
        let size_text = std::str::from_utf8(&data[..line_end]).map_err(|_| "bad chunk size")?;
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("bad chunk size {size_text:?}"))?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        let chunk = data.get(..size).ok_or("truncated chunk")?;
        out.extend_from_slice(chunk);
        data = data.get(size + 2..).ok_or("truncated chunk")?;
    }
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("could not find a free port on 127.0.0.1: {e}"))
}

enum Pipe {
    Out(std::process::ChildStdout),
    Err(std::process::ChildStderr),
}

/// Prism's stdout and stderr, line by line, as they arrive.
#[derive(Debug, Default)]
struct Log {
    lines: Mutex<Vec<String>>,
    grew: Condvar,
}

impl Log {
    fn collect(&self, pipe: Pipe) {
        let reader: Box<dyn Read> = match pipe {
            Pipe::Out(out) => Box::new(out),
            Pipe::Err(err) => Box::new(err),
        };
        let mut reader = BufReader::new(reader);
        let mut line = Vec::new();
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    let text = String::from_utf8_lossy(&line).trim_end().to_owned();
                    self.lines
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(text);
                    self.grew.notify_all();
                }
            }
        }
    }

    fn lines(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.lines.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn text(&self) -> String {
        self.lines().join("\n")
    }

    /// Waits until `done` holds for the lines so far, or `timeout` passes; returns whether it held.
    fn wait_for(&self, timeout: Duration, done: impl Fn(&[String]) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        let mut lines = self.lines();
        loop {
            if done(&lines) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            lines = self
                .grew
                .wait_timeout(lines, left)
                .map(|(guard, _)| guard)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }
}
