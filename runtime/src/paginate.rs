//! Pagination: walking a listing page by page or item by item, as a
//! [`Stream`].
//!
//! A listing is described by a [`Page`] type (its items and its next-page token) and a way
//! to fetch the page for a token ([`FetchPage`], implemented by any
//! `FnMut(Option<String>) -> impl Future<Output = Result<P, Error<E>>>`). [`paginate`] turns
//! that into a stream of pages ([`Pages`]), and [`Pages::items`] into a stream of items
//! ([`Items`]). Generated clients get this through
//! [`PagedCall::pages`](crate::PagedCall::pages) and [`PagedCall::items`](crate::PagedCall::items).
//!
//! The rules:
//!
//! * The first page is fetched with no token; each following page with the token the
//!   previous page returned.
//! * The walk ends normally when a page's next-page token is null, empty or absent.
//! * If a page returns a token that was already requested (the caller's start token
//!   included), the walk would loop forever: that page is still yielded (with all its items),
//!   then [`Error::PaginationLoop`], then the end.
//! * If [`DEFAULT_MAX_EMPTY_PAGES`] pages in a row (or the number set with
//!   [`Pages::max_empty_pages`]) come without items but with a fresh next-page token, the
//!   walk ends with [`Error::PaginationLimit`] after yielding them: a server that keeps
//!   handing out tokens for empty pages would otherwise be polled forever. A caller can also
//!   cap the number of pages ([`Pages::max_pages`]); a walk stopped there while a next page
//!   exists also ends with [`Error::PaginationLimit`], which carries the token to resume from.
//! * If fetching a page fails, every item received before is yielded first, then the error,
//!   then the end.
//! * A page is fetched only when the stream is polled after the previous page (and, for
//!   [`Items`], all of its items) were handed out, so memory holds about one page no matter
//!   how long the listing is. To detect loops, a 128-bit fingerprint of each token received
//!   is remembered (16 bytes per page, not the tokens themselves).
//!
//! ```
//! use apigen_runtime::{Error, Page, paginate};
//! use futures_util::StreamExt;
//!
//! struct Numbers { items: Vec<u32>, next: Option<String> }
//!
//! impl Page for Numbers {
//!     type Item = u32;
//!     fn next_page_token(&self) -> Option<&str> { self.next.as_deref() }
//!     fn item_count(&self) -> usize { self.items.len() }
//!     fn into_items(self) -> Vec<u32> { self.items }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let items = paginate(|token: Option<String>| async move {
//!     Ok::<_, Error>(match token.as_deref() {
//!         None => Numbers { items: vec![1, 2], next: Some("p2".into()) },
//!         Some(_) => Numbers { items: vec![3], next: None },
//!     })
//! })
//! .items();
//! let all: Vec<Result<u32, Error>> = items.collect().await;
//! assert_eq!(all.into_iter().collect::<Result<Vec<_>, _>>().unwrap(), [1, 2, 3]);
//! # });
//! ```

use std::collections::HashSet;
use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_core::stream::FusedStream;

use crate::error::{Endpoint, Error, PaginationLimit, PaginationLimitKind, PaginationLoop};

/// How many pages in a row may have no items but a next-page token before a walk stops.
pub const DEFAULT_MAX_EMPTY_PAGES: usize = 10;

/// One page of a paginated listing.
pub trait Page {
    /// The type of the listed items.
    type Item;

    /// The token of the next page; `None` (or an empty string) when this is the last page.
    fn next_page_token(&self) -> Option<&str>;

    /// The number of items on this page.
    fn item_count(&self) -> usize;

    /// The items of this page, in order.
    fn into_items(self) -> Vec<Self::Item>;
}

/// Fetches the page for a token (`None` for the first page).
///
/// Implemented for every `FnMut(Option<String>) -> Fut` where
/// `Fut: Future<Output = Result<P, Error<E>>>`.
pub trait FetchPage<P, E> {
    /// The future of one page.
    type Future: Future<Output = Result<P, Error<E>>>;

    /// Starts fetching the page for `token`.
    fn fetch(&mut self, token: Option<String>) -> Self::Future;

    /// The request being paginated, for error messages.
    fn endpoint(&self) -> Option<Endpoint> {
        None
    }

    /// The page token the first request carries, if the caller chose one: a page that hands
    /// it back is a loop.
    fn start_token(&self) -> Option<String> {
        None
    }
}

impl<F, Fut, P, E> FetchPage<P, E> for F
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<P, Error<E>>>,
{
    type Future = Fut;

    fn fetch(&mut self, token: Option<String>) -> Fut {
        self(token)
    }
}

/// Walks a listing: a stream of its pages (see the [module docs](self) for the rules).
pub fn paginate<P, E, F>(fetch: F) -> Pages<F, P, E>
where
    P: Page,
    F: FetchPage<P, E>,
{
    let mut seen = Seen::default();
    if let Some(token) = fetch.start_token() {
        seen.insert(&token);
    }
    Pages {
        fetch,
        state: State::Start,
        seen,
        pages: 0,
        empty_run: 0,
        limits: Limits::default(),
        marker: PhantomData,
    }
}

/// The limits of a walk (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) max_pages: Option<usize>,
    pub(crate) max_empty_pages: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pages: None,
            max_empty_pages: DEFAULT_MAX_EMPTY_PAGES,
        }
    }
}

/// The page tokens received so far, as 128-bit fingerprints (two independently keyed
/// SipHash values): a false "already seen" needs a 128-bit collision, and memory stays at 16
/// bytes per page however long the tokens are.
#[derive(Default)]
struct Seen {
    keys: (RandomState, RandomState),
    fingerprints: HashSet<u128>,
}

impl Seen {
    /// Remembers `token`; `false` if it was already there.
    fn insert(&mut self, token: &str) -> bool {
        let high = u128::from(self.keys.0.hash_one(token));
        let low = u128::from(self.keys.1.hash_one(token));
        self.fingerprints.insert((high << 64) | low)
    }
}

enum State<Fut> {
    /// The first page has not been requested yet.
    Start,
    /// A page is being fetched.
    Fetching(Pin<Box<Fut>>),
    /// The next page is to be requested with this token when polled again.
    Next(String),
    /// The last page returned a token already requested; report it when polled again.
    Loop(String),
    /// A limit was hit with this next-page token; report it when polled again.
    Limit(PaginationLimitKind, String),
    /// Finished.
    Done,
}

/// The stream of pages of a listing, made by [`paginate`].
#[must_use = "streams do nothing unless polled"]
pub struct Pages<F, P, E>
where
    F: FetchPage<P, E>,
{
    fetch: F,
    state: State<F::Future>,
    seen: Seen,
    pages: usize,
    /// Pages in a row without items.
    empty_run: usize,
    limits: Limits,
    marker: PhantomData<fn() -> (P, E)>,
}

// Nothing in `Pages` relies on being pinned: the page future is boxed, and `fetch` is only
// ever used through `&mut`.
impl<F: FetchPage<P, E>, P, E> Unpin for Pages<F, P, E> {}

impl<F: FetchPage<P, E>, P: Page, E> Pages<F, P, E> {
    /// The stream of every item of every page.
    pub fn items(self) -> Items<F, P, E> {
        Items {
            pages: self,
            current: None,
        }
    }

    /// How many pages were received so far.
    pub fn pages_received(&self) -> usize {
        self.pages
    }

    /// Fetches at most `max_pages` pages; when the last of them has a next-page token, the
    /// stream then ends with [`Error::PaginationLimit`] carrying it. Unlimited by default;
    /// the first page is always fetched (0 counts as 1).
    pub fn max_pages(mut self, max_pages: usize) -> Self {
        self.limits.max_pages = Some(max_pages);
        self
    }

    /// Stops with [`Error::PaginationLimit`] after `max_empty_pages` pages in a row without
    /// items but with a next-page token (default [`DEFAULT_MAX_EMPTY_PAGES`]).
    pub fn max_empty_pages(mut self, max_empty_pages: usize) -> Self {
        self.limits.max_empty_pages = max_empty_pages;
        self
    }

    pub(crate) fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// What follows a page with next-page token `token` (not empty).
    fn after(&mut self, token: &str, empty: bool) -> State<F::Future> {
        self.empty_run = if empty { self.empty_run + 1 } else { 0 };
        if !self.seen.insert(token) {
            State::Loop(token.to_owned())
        } else if self.empty_run >= self.limits.max_empty_pages {
            State::Limit(
                PaginationLimitKind::EmptyPages(self.empty_run),
                token.to_owned(),
            )
        } else if self.limits.max_pages.is_some_and(|max| self.pages >= max) {
            State::Limit(PaginationLimitKind::MaxPages(self.pages), token.to_owned())
        } else {
            State::Next(token.to_owned())
        }
    }
}

impl<F: FetchPage<P, E>, P: Page, E> Stream for Pages<F, P, E> {
    type Item = Result<P, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Start => {
                    this.state = State::Fetching(Box::pin(this.fetch.fetch(None)));
                }
                State::Next(token) => {
                    this.state = State::Fetching(Box::pin(this.fetch.fetch(Some(token))));
                }
                State::Loop(token) => {
                    let error = PaginationLoop {
                        endpoint: this.fetch.endpoint(),
                        token,
                        page: this.pages,
                    };
                    return Poll::Ready(Some(Err(error.into())));
                }
                State::Limit(kind, next_page_token) => {
                    let error = PaginationLimit {
                        endpoint: this.fetch.endpoint(),
                        kind,
                        next_page_token,
                    };
                    return Poll::Ready(Some(Err(error.into())));
                }
                State::Fetching(mut future) => match future.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = State::Fetching(future);
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(error)) => return Poll::Ready(Some(Err(error))),
                    Poll::Ready(Ok(page)) => {
                        this.pages += 1;
                        this.state = match page.next_page_token() {
                            None | Some("") => State::Done,
                            Some(token) => this.after(token, page.item_count() == 0),
                        };
                        return Poll::Ready(Some(Ok(page)));
                    }
                },
            }
        }
    }
}

impl<F: FetchPage<P, E>, P: Page, E> FusedStream for Pages<F, P, E> {
    fn is_terminated(&self) -> bool {
        matches!(self.state, State::Done)
    }
}

/// The stream of items of a listing, made by [`Pages::items`].
#[must_use = "streams do nothing unless polled"]
pub struct Items<F, P, E>
where
    F: FetchPage<P, E>,
    P: Page,
{
    pages: Pages<F, P, E>,
    current: Option<std::vec::IntoIter<P::Item>>,
}

// As for `Pages`: nothing here is structurally pinned.
impl<F: FetchPage<P, E>, P: Page, E> Unpin for Items<F, P, E> {}

impl<F: FetchPage<P, E>, P: Page, E> Items<F, P, E> {
    /// How many pages were received so far.
    pub fn pages_received(&self) -> usize {
        self.pages.pages
    }
}

impl<F: FetchPage<P, E>, P: Page, E> Stream for Items<F, P, E> {
    type Item = Result<P::Item, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.as_mut().and_then(Iterator::next) {
                return Poll::Ready(Some(Ok(item)));
            }
            // Release the finished page before fetching the next one.
            this.current = None;
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.current = Some(page.into_items().into_iter()),
            }
        }
    }
}

impl<F: FetchPage<P, E>, P: Page, E> FusedStream for Items<F, P, E> {
    fn is_terminated(&self) -> bool {
        self.current.as_ref().is_none_or(|c| c.len() == 0) && self.pages.is_terminated()
    }
}
