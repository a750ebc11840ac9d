//! Streams 100,000 items over 1,000 pages from a loopback server and shows that memory stays
//! at about one page: a counting global allocator records the peak of live heap bytes while
//! streaming, compared with the size of one page (as JSON and decoded) and with collecting
//! every item instead. Criterion then times the stream.
//!
//! `cargo bench -p apigen-runtime --bench paginate_memory -- --quick`
//!
//! The server runs in this process, on its own thread. The figures are given twice: for the
//! whole process (including the server's response buffers) and for the client thread alone
//! (the client runs on a current-thread runtime, so all of its allocations happen there).

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Duration;

use apigen_runtime::{Client, Method, Page, PagedCall, QueryStyle, decode};
use criterion::Criterion;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::Value;

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
static CLIENT_LIVE: AtomicIsize = AtomicIsize::new(0);
static CLIENT_PEAK: AtomicIsize = AtomicIsize::new(0);

thread_local! {
    /// Whether this thread is the client's (counted separately as well).
    static CLIENT_THREAD: Cell<bool> = const { Cell::new(false) };
}

fn on_client_thread() -> bool {
    CLIENT_THREAD.try_with(Cell::get).unwrap_or(false)
}

fn grew(bytes: usize) {
    let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
    if on_client_thread() {
        let live = CLIENT_LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
        CLIENT_PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

fn shrank(bytes: usize) {
    let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
    if on_client_thread() {
        CLIENT_LIVE.fetch_sub(bytes, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            // Count the new block before releasing the old: a moving realloc holds both.
            grew(new_size);
            shrank(layout.size());
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Live bytes (whole process, client thread) at the start of a peak measurement.
#[derive(Clone, Copy)]
struct Baseline {
    process: isize,
    client: isize,
}

/// Starts a peak measurement from the current live bytes.
fn reset_peak() -> Baseline {
    let process = live();
    PEAK.store(process, Ordering::Relaxed);
    let client = CLIENT_LIVE.load(Ordering::Relaxed);
    CLIENT_PEAK.store(client, Ordering::Relaxed);
    Baseline { process, client }
}

/// Peak extra live bytes since `baseline`: (whole process, client thread).
fn peak_since(baseline: Baseline) -> (isize, isize) {
    (
        PEAK.load(Ordering::Relaxed) - baseline.process,
        CLIENT_PEAK.load(Ordering::Relaxed) - baseline.client,
    )
}

const PAGES: usize = 1_000;
const PER_PAGE: usize = 100;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Item {
    id: String,
    number: u64,
    state: String,
    created_at: String,
    vcs: Vcs,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Vcs {
    branch: Option<String>,
    revision: String,
}

#[derive(Debug, Deserialize)]
struct Listing {
    items: Vec<Item>,
    next_page_token: Option<String>,
}

impl Page for Listing {
    type Item = Item;

    fn next_page_token(&self) -> Option<&str> {
        self.next_page_token.as_deref()
    }

    fn item_count(&self) -> usize {
        self.items.len()
    }

    fn into_items(self) -> Vec<Item> {
        self.items
    }
}

fn token(page: usize) -> String {
    format!("AARLwwV5o0eXlFfgt7Dj6GCqN2{page:06}")
}

/// The JSON of page `page` (0-based), written directly without building a value tree.
fn page_body(page: usize) -> Vec<u8> {
    let mut out = String::with_capacity(PER_PAGE * 220);
    out.push_str(r#"{"items":["#);
    for i in 0..PER_PAGE {
        let n = page * PER_PAGE + i;
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"id":"5034460f-c7c4-4c43-9457-{n:012}","number":{n},"state":"created","created_at":"2024-05-01T10:00:00.000Z","vcs":{{"branch":"main","revision":"7b4c1e0d9f2a3b5c6d7e8f9a0b1c{n:012}"}}}}"#
        ));
    }
    out.push_str("],\"next_page_token\":");
    if page + 1 < PAGES {
        out.push_str(&format!("\"{}\"}}", token(page + 1)));
    } else {
        out.push_str("null}");
    }
    out.into_bytes()
}

/// Serves page N for `?page-token=<token(N)>`, page 0 without a token.
fn respond(target: &str) -> Vec<u8> {
    let page = target
        .split_once("page-token=")
        .and_then(|(_, t)| t.get(t.len().saturating_sub(6)..))
        .and_then(|digits| digits.parse::<usize>().ok())
        .unwrap_or(0);
    support::json_response(&page_body(page))
}

fn listing(client: &Client) -> PagedCall<Listing> {
    client
        .request(Method::GET, "/project/{project-slug}/pipeline")
        .path("/project/")
        .path_slug("project-slug", "gh/acme/widgets", &[])
        .path("/pipeline")
        .query_styled("branch", "main", QueryStyle::Form { explode: true })
        .send_paged(
            "page-token",
            decode::json::<Listing>,
            decode::json_error::<Value>,
        )
}

async fn stream_all(client: &Client) -> (usize, u64) {
    stream_first(client, usize::MAX).await
}

/// Streams the first `limit` items (pages are fetched only as needed).
async fn stream_first(client: &Client, limit: usize) -> (usize, u64) {
    let mut items = listing(client).items().take(limit);
    let mut count = 0;
    let mut sum = 0;
    while let Some(item) = items.next().await {
        let item = item.expect("item");
        count += 1;
        sum += item.number;
        black_box(&item);
    }
    (count, sum)
}

fn kib(bytes: isize) -> f64 {
    bytes as f64 / 1024.0
}

fn main() {
    let base = support::start(Arc::new(respond));
    CLIENT_THREAD.with(|c| c.set(true));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let client: Client = runtime.block_on(async {
        Client::builder(&support::CONFIG)
            .token(support::TOKEN)
            .base_url(&base)
            .build()
            .expect("client")
    });

    // The size of one page: as JSON, and decoded.
    let one_page_json = page_body(1).len();
    let before = live();
    let decoded: Listing = serde_json::from_slice(&page_body(1)).expect("page decodes");
    let one_page_decoded = live() - before;
    drop(decoded);

    // Warm the connection pool, then measure streaming every item.
    runtime.block_on(async { listing(&client).await.expect("first page") });
    let baseline = reset_peak();
    let (count, sum) = runtime.block_on(stream_all(&client));
    let (streaming_peak, client_streaming_peak) = peak_since(baseline);
    let left_after = live() - baseline.process;
    assert_eq!(count, PAGES * PER_PAGE);
    let expected_sum = (0..(PAGES * PER_PAGE) as u64).sum::<u64>();
    assert_eq!(sum, expected_sum);

    // A tenth of the listing: the peak must not depend on the length of the listing, apart
    // from the 16-byte fingerprint kept per page token.
    let baseline = reset_peak();
    let (tenth, _) = runtime.block_on(stream_first(&client, PAGES * PER_PAGE / 10));
    assert_eq!(tenth, PAGES * PER_PAGE / 10);
    let (_, client_tenth_peak) = peak_since(baseline);

    // The same listing collected into one Vec, for comparison.
    let baseline = reset_peak();
    let all: Vec<Item> = runtime.block_on(async {
        listing(&client)
            .items()
            .map(|item| item.expect("item"))
            .collect()
            .await
    });
    let (collecting_peak, client_collecting_peak) = peak_since(baseline);
    assert_eq!(all.len(), PAGES * PER_PAGE);
    drop(all);

    let page = one_page_json as f64 + one_page_decoded as f64;
    println!(
        "paginate_memory: streamed {count} items over {PAGES} pages ({PER_PAGE} per page)\n  \
         one page: {:.1} KiB of JSON, {:.1} KiB decoded\n  \
         peak extra live heap while streaming: client thread {:.1} KiB ({:.2} x one page of JSON + decoded), \
         whole process incl. server {:.1} KiB ({:.2} x); {:.1} KiB still live after (connection pool)\n  \
         streaming only the first {} pages: client thread peak {:.1} KiB\n  \
         collecting every item instead: client thread {:.1} KiB, whole process {:.1} KiB ({:.0} x the streaming peak)",
        kib(one_page_json as isize),
        kib(one_page_decoded),
        kib(client_streaming_peak),
        client_streaming_peak as f64 / page,
        kib(streaming_peak),
        streaming_peak as f64 / page,
        kib(left_after),
        PAGES / 10,
        kib(client_tenth_peak),
        kib(client_collecting_peak),
        kib(collecting_peak),
        collecting_peak as f64 / streaming_peak as f64,
    );
    // Bounded by about one page: the body being read and decoded, the decoded page, and the
    // connection's buffers. Ten times more pages may add only the table of token
    // fingerprints: 16 B per page, up to twice that from power-of-two sizing, and the old
    // table while it is resized (64 B per page at worst), plus allocator noise.
    let bound = 3 * (one_page_json as isize + one_page_decoded);
    assert!(
        client_streaming_peak < bound,
        "streaming peak {client_streaming_peak} B exceeds {bound} B: memory is not bounded by about a page"
    );
    let growth = client_streaming_peak - client_tenth_peak;
    let allowed = 64 * PAGES as isize + one_page_json as isize / 2;
    assert!(
        growth < allowed,
        "the streaming peak grew by {growth} B from {} to {PAGES} pages (allowed {allowed} B)",
        PAGES / 10
    );

    let mut criterion = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    criterion.bench_function("paginate/stream_100k_items_1000_pages", |b| {
        b.iter(|| black_box(runtime.block_on(stream_all(&client))))
    });
    criterion.final_summary();
}
