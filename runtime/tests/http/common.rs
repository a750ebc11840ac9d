//! Shared test fixtures: an API config, fast clients, page types, and a raw HTTP server that
//! records request lines exactly as they arrived on the socket.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_runtime::{ApiConfig, AuthScheme, Client, ClientBuilder, Page, RetryPolicy};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub const TOKEN: &str = "tok-3f9a1c2b7d";

pub static CONFIG: ApiConfig = ApiConfig {
    default_base_url: "https://circleci.com/api/v2",
    auth: AuthScheme::Header("Circle-Token"),
    token_env: Some("TEST_CIRCLECI_TOKEN"),
    base_url_env: Some("TEST_CIRCLECI_BASE_URL"),
    auth_scheme_env: Some("TEST_CIRCLECI_AUTH_SCHEME"),
    user_agent: "apigen-runtime-tests/0.1.0",
    request_id_headers: &["x-request-id", "x-amzn-trace-id"],
};

/// Millisecond backoff so retry tests stay fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(4))
}

pub fn builder(base_url: &str) -> ClientBuilder<Client> {
    Client::builder(&CONFIG)
        .token(TOKEN)
        .base_url(base_url)
        .retry_policy(fast_retries())
}

pub fn client(base_url: &str) -> Client {
    builder(base_url).build().expect("test client builds")
}

/// A page as CircleCI shapes it: `items` and `next_page_token` (null or absent at the end).
#[derive(Debug, Deserialize)]
pub struct ItemsPage {
    pub items: Vec<u64>,
    #[serde(default)]
    pub next_page_token: Option<String>,
}

impl Page for ItemsPage {
    type Item = u64;

    fn next_page_token(&self) -> Option<&str> {
        self.next_page_token.as_deref()
    }

    fn item_count(&self) -> usize {
        self.items.len()
    }

    fn into_items(self) -> Vec<u64> {
        self.items
    }
}

/// One request as read from the socket.
#[derive(Clone, Debug)]
pub struct RawRequest {
    pub method: String,
    /// The request-target of the request line, byte for byte.
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl RawRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 server on 127.0.0.1 that answers every request with `200 {}` and
/// records the raw request line and headers.
pub struct RawServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<RawRequest>>>,
}

impl RawServer {
    pub async fn start() -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let mut buffer = Vec::new();
                    let mut chunk = [0u8; 4096];
                    loop {
                        // Read one request head (bodies are not used by these tests, but a
                        // Content-Length body is skipped).
                        let head_end = loop {
                            if let Some(i) = find(&buffer, b"\r\n\r\n") {
                                break i + 4;
                            }
                            match socket.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                            }
                        };
                        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
                        let mut lines = head.split("\r\n");
                        let request_line = lines.next().unwrap_or_default();
                        let mut parts = request_line.split(' ');
                        let method = parts.next().unwrap_or_default().to_owned();
                        let target = parts.next().unwrap_or_default().to_owned();
                        let headers: Vec<(String, String)> = lines
                            .filter_map(|l| l.split_once(':'))
                            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
                            .collect();
                        let body_len: usize = headers
                            .iter()
                            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                            .and_then(|(_, v)| v.parse().ok())
                            .unwrap_or(0);
                        while buffer.len() < head_end + body_len {
                            match socket.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                            }
                        }
                        buffer.drain(..head_end + body_len);
                        log.lock().expect("lock").push(RawRequest {
                            method,
                            target,
                            headers,
                        });
                        let response = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
                        if socket.write_all(response).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        RawServer { addr, requests }
    }

    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().expect("lock").clone()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// An address on 127.0.0.1 where nothing listens (bound, then released).
pub async fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}")
}
