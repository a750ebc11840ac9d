//! Real slugs in front of Prism.
//!
//! CircleCI takes a project slug with its `/` kept (`gh/my-org/my-repo`), and the generated
//! client sends it so (it refuses a slug with the wrong number of segments). Prism routes a
//! path parameter to exactly one segment, so it would answer such a path with 404. The
//! functions here hand Prism each known slug as one percent-encoded segment, after checking
//! that it arrived with its `/` kept: [`route_slugs`] for a proxy of one's own (the contract
//! suite's recorder), [`SlugFront`] as a small proxy of its own (the example tests).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

use super::prism::Prism;

/// The slugs the tests send: two project slugs (`gh/…` and a GitHub App project) and an
/// organization slug.
pub const PROJECT_SLUG: &str = "gh/my-org/my-repo";
pub const PROJECT_SLUG_CIRCLECI: &str =
    "circleci/6a3c2b1e-0f3e-4c55-9d55-3f1d2f0a9b11/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
pub const ORG_SLUG: &str = "gh/my-org";
pub const SLUGS: &[&str] = &[PROJECT_SLUG, PROJECT_SLUG_CIRCLECI, ORG_SLUG];

/// The routes of the document the tests run against: method (upper case) and path template.
///
/// # Panics
/// When the document cannot be read.
pub fn spec_routes() -> Vec<(String, String)> {
    let path = super::prism::contract_spec();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let document: serde_json::Value = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
    let mut routes = Vec::new();
    for (template, item) in document["paths"].as_object().into_iter().flatten() {
        for method in ["get", "put", "post", "delete", "patch"] {
            if item.get(method).is_some() {
                routes.push((method.to_uppercase(), template.clone()));
            }
        }
    }
    routes
}

/// Whether `path` fills `template`, one segment per parameter.
fn fills(template: &str, path: &str) -> bool {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    template.len() == path.len()
        && template.iter().zip(&path).all(|(t, p)| {
            if t.starts_with('{') && t.ends_with('}') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

/// `target` (path and query) of a `method` request, as Prism can route it: unchanged when it
/// fills one of `routes` as it is (such as `/project/gh/my-org/my-repo/pipeline/run`, whose
/// three parts are separate parameters); otherwise with every slug of `slugs` that fills
/// whole path segments (longest first) written as one segment, `/` as `%2F`. Also the slugs
/// found, in order.
pub fn route_slugs(
    method: &str,
    target: &str,
    slugs: &[&'static str],
    routes: &[(String, String)],
) -> (String, Vec<&'static str>) {
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    if routes
        .iter()
        .any(|(m, template)| m.eq_ignore_ascii_case(method) && fills(template, path))
    {
        return (target.to_owned(), Vec::new());
    }
    let mut slugs: Vec<&'static str> = slugs.to_vec();
    slugs.sort_by_key(|slug| std::cmp::Reverse(slug.len()));
    let segments: Vec<&str> = path.split('/').collect();
    let mut routed: Vec<String> = Vec::new();
    let mut found = Vec::new();
    let mut i = 0;
    while i < segments.len() {
        let slug = slugs.iter().copied().find(|slug| {
            let parts: Vec<&str> = slug.split('/').collect();
            segments.len() >= i + parts.len() && segments[i..i + parts.len()] == parts[..]
        });
        match slug {
            Some(slug) => {
                routed.push(slug.replace('/', "%2F"));
                found.push(slug);
                i += slug.split('/').count();
            }
            None => {
                routed.push(segments[i].to_owned());
                i += 1;
            }
        }
    }
    let mut routed = routed.join("/");
    if let Some(query) = query {
        routed.push('?');
        routed.push_str(query);
    }
    (routed, found)
}

/// A proxy on 127.0.0.1 in front of a [`Prism`]: each request goes on to Prism with the slugs
/// of [`SLUGS`] routed as one segment; the targets as received are kept ([`targets`]).
///
/// [`targets`]: SlugFront::targets
pub struct SlugFront {
    prism: Arc<Prism>,
    base_url: String,
    targets: Arc<Log>,
}

impl SlugFront {
    /// Starts the proxy (it stops with the test process).
    ///
    /// # Panics
    /// When no port on 127.0.0.1 is free.
    pub fn start(prism: Prism) -> SlugFront {
        let prism = Arc::new(prism);
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port for the slug proxy");
        let base_url = format!(
            "http://{}",
            listener.local_addr().expect("the slug proxy's address")
        );
        let targets = Arc::new(Mutex::new(Vec::new()));
        let routes = Arc::new(spec_routes());
        // The accept loop holds Prism weakly: it never ends, and a strong reference would keep
        // Prism from being dropped (and killed) with the `SlugFront`, leaving it running after
        // the test process exits.
        let (to, log) = (Arc::downgrade(&prism), Arc::clone(&targets));
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let Some(prism) = to.upgrade() else {
                    break;
                };
                let (log, routes) = (Arc::clone(&log), Arc::clone(&routes));
                thread::spawn(move || serve(stream, &prism, &log, &routes));
            }
        });
        SlugFront {
            prism,
            base_url,
            targets,
        }
    }

    /// The base URL to give the client.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The Prism behind it.
    pub fn prism(&self) -> &Prism {
        &self.prism
    }

    /// Each request's target as received, with the slugs found in it.
    pub fn targets(&self) -> Vec<(String, Vec<&'static str>)> {
        self.targets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

type Log = Mutex<Vec<(String, Vec<&'static str>)>>;

/// Serves one connection, one request after the other.
fn serve(stream: TcpStream, prism: &Prism, log: &Log, routes: &[(String, String)]) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
            return;
        };
        let (method, target) = (method.to_owned(), target.to_owned());
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, value)| value.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let body = (length > 0).then(|| String::from_utf8_lossy(&body).into_owned());
        let (routed, slugs) = route_slugs(&method, &target, SLUGS, routes);
        log.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((target, slugs));
        let hop = ["host", "connection", "keep-alive", "content-length"];
        let forwarded: Vec<(&str, &str)> = headers
            .iter()
            .filter(|(name, _)| !hop.iter().any(|h| name.eq_ignore_ascii_case(h)))
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let exchange = prism.request(&method, &routed, &forwarded, body.as_deref());
        let mut response = format!("HTTP/1.1 {} X\r\n", exchange.status);
        for (name, value) in &exchange.headers {
            if !hop.iter().any(|h| name.eq_ignore_ascii_case(h))
                && !name.eq_ignore_ascii_case("transfer-encoding")
            {
                response.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        response.push_str(&format!("content-length: {}\r\n\r\n", exchange.body.len()));
        response.push_str(&exchange.body);
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

#[test]
fn slugs_are_routed_as_one_segment() {
    let routes = spec_routes();
    let route = |method: &str, target: &str| route_slugs(method, target, SLUGS, &routes);
    assert_eq!(
        route("GET", "/project/gh/my-org/my-repo/pipeline?branch=a/b"),
        (
            "/project/gh%2Fmy-org%2Fmy-repo/pipeline?branch=a/b".to_owned(),
            vec![PROJECT_SLUG]
        )
    );
    assert_eq!(
        route("GET", "/insights/gh/my-org/summary"),
        ("/insights/gh%2Fmy-org/summary".to_owned(), vec![ORG_SLUG])
    );
    // Only whole segments: `gh/my-org2` is not `gh/my-org`.
    assert_eq!(
        route("GET", "/insights/gh/my-org2/summary"),
        ("/insights/gh/my-org2/summary".to_owned(), vec![])
    );
    // A path that fills a route as it is stays as it is.
    assert_eq!(
        route("POST", "/project/gh/my-org/my-repo/pipeline/run"),
        ("/project/gh/my-org/my-repo/pipeline/run".to_owned(), vec![])
    );
    assert_eq!(
        route("POST", "/project/gh/my-org/my-repo").1,
        Vec::<&str>::new()
    );
    assert_eq!(
        route("GET", "/project/gh/my-org/my-repo").1,
        vec![PROJECT_SLUG]
    );
}
