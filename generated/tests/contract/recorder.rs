//! A recording proxy between the client and Prism: every exchange passes through and is kept,
//! so a test can see what the client sent (method, path, query, body) and the exact body it
//! received (to compare with what the client decoded).
//!
//! One thing is changed on the way: Prism routes a path parameter to exactly one segment, so
//! a slug the suite sends (`support::slugs::SLUGS`, such as `gh/my-org/my-repo`), which arrives
//! with its `/` kept as CircleCI takes it, is handed to Prism as one percent-encoded segment
//! (`gh%2Fmy-org%2Fmy-repo`). The record keeps the target as the client sent it, what Prism
//! was given, and the slugs found in it.
//!
//! HTTP/1.1 with keep-alive towards the client (as the client speaks it) and one connection
//! per exchange towards Prism ([`Prism::request`]). Request bodies must have a
//! `Content-Length`, which the client always sends; a chunked request is answered with 501
//! and recorded as such, so it cannot pass unnoticed.

use std::sync::{Arc, Mutex};

use circleci_api::runtime::StatusCode;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use crate::support::prism::{Exchange, Prism, VIOLATIONS_HEADER};
use crate::support::slugs::{SLUGS, route_slugs, spec_routes};

/// One exchange as it passed through.
#[derive(Debug, Clone)]
pub struct Record {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Path and query as handed to Prism: each slug as one segment.
    pub routed: String,
    /// The slugs found in the path with their `/` kept, in order.
    pub slugs: Vec<&'static str>,
    pub request_body: Option<String>,
    pub status: u16,
    /// Prism's `sl-violations` header.
    pub violations: Option<String>,
    pub body: String,
}

impl Record {
    /// The path without the query as Prism saw it (each slug one segment).
    pub fn routed_path(&self) -> &str {
        self.routed.split('?').next().unwrap_or_default()
    }

    /// The query parameters, decoded.
    pub fn query(&self) -> Vec<(String, String)> {
        let Some((_, query)) = self.target.split_once('?') else {
            return Vec::new();
        };
        circleci_api::url::form_urlencoded::parse(query.as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect()
    }
}

pub struct Recorder {
    base_url: String,
    records: Arc<Mutex<Vec<Record>>>,
    server: tokio::task::JoinHandle<()>,
}

impl Recorder {
    /// Listens on a free port of 127.0.0.1 and forwards to `prism`.
    pub async fn start(prism: Arc<Prism>) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on 127.0.0.1 for the recording proxy");
        let address = listener.local_addr().expect("the proxy's address");
        let records = Arc::new(Mutex::new(Vec::new()));
        let routes = Arc::new(spec_routes());
        let server = tokio::spawn({
            let records = Arc::clone(&records);
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(
                        stream,
                        Arc::clone(&prism),
                        Arc::clone(&records),
                        Arc::clone(&routes),
                    ));
                }
            }
        });
        Recorder {
            base_url: format!("http://{address}"),
            records,
            server,
        }
    }

    /// The base URL to give the client.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The exchanges recorded since the last call, oldest first.
    pub fn take(&self) -> Vec<Record> {
        std::mem::take(&mut *self.records.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Serves one client connection, one exchange after the other, until the client closes it.
async fn serve(
    stream: TcpStream,
    prism: Arc<Prism>,
    records: Arc<Mutex<Vec<Record>>>,
    routes: Arc<Vec<(String, String)>>,
) {
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    while let Some(mut request) = read_request(&mut reader).await {
        let (routed, slugs) = route_slugs(&request.method, &request.target, SLUGS, &routes);
        let target = std::mem::replace(&mut request.target, routed.clone());
        let exchange = forward(&prism, &request).await;
        records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Record {
                method: request.method,
                target,
                routed,
                slugs,
                request_body: request.body,
                status: exchange.status,
                violations: exchange.header(VIOLATIONS_HEADER).map(str::to_owned),
                body: exchange.body.clone(),
            });
        let reason = StatusCode::from_u16(exchange.status)
            .ok()
            .and_then(|status| status.canonical_reason())
            .unwrap_or("Unknown");
        let mut response = format!("HTTP/1.1 {} {reason}\r\n", exchange.status);
        for (name, value) in &exchange.headers {
            if !is_hop_header(name) {
                response.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        response.push_str(&format!("content-length: {}\r\n\r\n", exchange.body.len()));
        response.push_str(&exchange.body);
        if writer.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// A request as the client sent it.
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    /// `None` without a body (or with a chunked one, which the proxy does not read).
    body: Option<String>,
    chunked: bool,
}

/// Reads the next request of a connection; `None` when the client closed it.
async fn read_request<R: AsyncBufReadExt + Unpin>(reader: &mut R) -> Option<Request> {
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).await.ok()? == 0 {
        return None;
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let header = |wanted: &str| {
        headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value.as_str())
    };
    let chunked = header("transfer-encoding").is_some();
    let length: usize = header("content-length")
        .and_then(|value| value.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    let body = (length > 0).then(|| String::from_utf8_lossy(&body).into_owned());
    Some(Request {
        method,
        target,
        headers,
        body,
        chunked,
    })
}

/// Passes a request on to Prism and returns its answer (a 501 or 502 from the proxy itself
/// when it cannot).
async fn forward(prism: &Arc<Prism>, request: &Request) -> Exchange {
    if request.chunked {
        return Exchange {
            status: 501,
            headers: Vec::new(),
            body: "the recording proxy takes only requests with a Content-Length".to_owned(),
        };
    }
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(name, _)| !is_hop_header(name))
        .cloned()
        .collect();
    let (method, target, body) = (
        request.method.clone(),
        request.target.clone(),
        request.body.clone(),
    );
    let prism = Arc::clone(prism);
    // `Prism::request` blocks (plain std networking): keep it off the runtime's threads.
    tokio::task::spawn_blocking(move || {
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        prism.request(&method, &target, &headers, body.as_deref())
    })
    .await
    .unwrap_or_else(|e| Exchange {
        status: 502,
        headers: Vec::new(),
        body: format!("the recording proxy could not reach Prism: {e}"),
    })
}

/// Headers that describe one connection (the proxy sets its own) rather than the exchange.
fn is_hop_header(name: &str) -> bool {
    [
        "host",
        "connection",
        "keep-alive",
        "content-length",
        "transfer-encoding",
    ]
    .iter()
    .any(|hop| name.eq_ignore_ascii_case(hop))
}
