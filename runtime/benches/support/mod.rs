//! A lean HTTP/1.1 server on 127.0.0.1 for the benches, running on its own thread and tokio
//! runtime in the same process. It does as little as possible per request (read the head,
//! write a response), so the client side dominates what is measured.

#![allow(dead_code)]

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use apigen_runtime::{ApiConfig, AuthScheme};

pub const TOKEN: &str = "bench-token-0123456789";

pub static CONFIG: ApiConfig = ApiConfig {
    default_base_url: "https://circleci.com/api/v2",
    auth: AuthScheme::Header("Circle-Token"),
    token_env: Some("CIRCLECI_TOKEN"),
    base_url_env: Some("CIRCLECI_BASE_URL"),
    auth_scheme_env: Some("CIRCLECI_AUTH_SCHEME"),
    user_agent: "apigen-runtime-bench/0.1.0",
    request_id_headers: &["x-request-id"],
};

/// Makes the whole response (status line, headers, body) for a request-target.
pub type Responder = Arc<dyn Fn(&str) -> Vec<u8> + Send + Sync>;

/// `200 OK` with a JSON body.
pub fn json_response(body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// Starts the server; returns its base URL.
pub fn start(respond: Responder) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            tx.send(listener.local_addr().expect("address"))
                .expect("report address");
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, Arc::clone(&respond)));
            }
        });
    });
    format!("http://{}", rx.recv().expect("server started"))
}

async fn serve(mut socket: TcpStream, respond: Responder) {
    socket.set_nodelay(true).ok();
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let head_end = loop {
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let target = {
            let head = &buffer[..head_end];
            let line_end = head.iter().position(|&b| b == b'\r').unwrap_or(head.len());
            let line = String::from_utf8_lossy(&head[..line_end]).into_owned();
            line.split(' ').nth(1).unwrap_or("/").to_owned()
        };
        buffer.drain(..head_end);
        let response = respond(&target);
        if socket.write_all(&response).await.is_err() {
            return;
        }
    }
}
