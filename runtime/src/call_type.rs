//! [`call_type!`](crate::call_type!): what the type each generated operation method returns
//! has, whatever the operation.
//!
//! A generated method takes the operation's required arguments and returns a call type of
//! its own (`ListPipelines`), which wraps the runtime's [`Call`](crate::Call) or
//! [`PagedCall`](crate::PagedCall). The generated crate adds one setter per optional
//! parameter (`.branch("main")`); this macro gives the type everything else, the same for
//! every operation: the per-call options, `.with_response()`, `.pages()` and `.items()` for
//! listings, and [`IntoFuture`], so that the setters come before
//! `.await`.
//!
//! Because every operation has a type of its own, an optional parameter the document adds
//! later is one more setter: code written before it still compiles.

/// The methods [`call_type!`](crate::call_type!) gives every call type, besides those of
/// `Clone`, `Debug`, `From` and `IntoFuture`: a generator names no setter after one of them.
/// Kept next to the macro; the tests below call each.
#[doc(hidden)]
pub const METHODS: &[&str] = &[
    "max_retries",
    "timeout",
    "deadline",
    "max_body_size",
    "strict",
    "with_response",
    "max_pages",
    "max_empty_pages",
    "pages",
    "items",
];

/// Gives a generated operation's call type — a tuple struct around a
/// [`Call`](crate::Call)`<T, E>` or [`PagedCall`](crate::PagedCall)`<T, E>` that the
/// generated crate declares — the options of either, `IntoFuture`, and `From` back to the
/// runtime's type.
///
/// ```
/// # use apigen_runtime::call_type;
/// # pub struct Listing(Vec<String>);
/// # impl apigen_runtime::Page for Listing {
/// #     type Item = String;
/// #     fn next_page_token(&self) -> Option<&str> { None }
/// #     fn item_count(&self) -> usize { self.0.len() }
/// #     fn into_items(self) -> Vec<String> { self.0 }
/// # }
/// use apigen_runtime::serde_json::Value;
///
/// /// The call of `get_thing`.
/// #[derive(Clone, Debug)]
/// pub struct GetThing(apigen_runtime::Call<String, Value>);
/// call_type!(GetThing, Call, String, Value);
///
/// impl GetThing {
///     /// A setter, as the generated crate writes one.
///     pub fn verbose(self, verbose: bool) -> Self {
///         Self(self.0.query("verbose", &verbose))
///     }
/// }
///
/// /// The call of `list_things`.
/// #[derive(Clone, Debug)]
/// pub struct ListThings(apigen_runtime::PagedCall<Listing, Value>);
/// call_type!(ListThings, PagedCall, Listing, Value);
/// ```
#[macro_export]
macro_rules! call_type {
    ($name:ident, Call, $t:ty, $e:ty $(,)?) => {
        $crate::call_type!(@common $name, $crate::Call<$t, $e>, $t, $e);
    };
    ($name:ident, PagedCall, $t:ty, $e:ty $(,)?) => {
        $crate::call_type!(@common $name, $crate::PagedCall<$t, $e>, $t, $e);
        impl $name {
            /// Walks at most `max_pages` pages (see `PagedCall::max_pages`).
            #[inline]
            pub fn max_pages(self, max_pages: usize) -> Self {
                Self(self.0.max_pages(max_pages))
            }

            /// How many pages in a row may come empty but with a next-page token (see
            /// `PagedCall::max_empty_pages`).
            #[inline]
            pub fn max_empty_pages(self, max_empty_pages: usize) -> Self {
                Self(self.0.max_empty_pages(max_empty_pages))
            }

            /// Every page, fetched one at a time as the stream is polled (see
            /// `PagedCall::pages`).
            #[inline]
            pub fn pages(self) -> $crate::PageStream<$t, $e> {
                self.0.pages()
            }

            /// Every item of every page, in order (see `PagedCall::items`).
            #[inline]
            pub fn items(self) -> $crate::ItemStream<$t, $e> {
                self.0.items()
            }
        }

        // A listing that becomes paginated keeps this conversion.
        impl ::std::convert::From<$name> for $crate::Call<$t, $e> {
            #[inline]
            fn from(call: $name) -> Self {
                ::std::convert::From::from(call.0)
            }
        }
    };
    (@common $name:ident, $inner:ty, $t:ty, $e:ty) => {
        impl $name {
            /// Retries this call at most `max_retries` times, whatever the client's setting
            /// (see `Call::max_retries`).
            #[inline]
            pub fn max_retries(self, max_retries: u32) -> Self {
                Self(self.0.max_retries(max_retries))
            }

            /// The per-attempt timeout of this call; `None`: no per-attempt limit (see
            /// `Call::timeout`).
            #[inline]
            pub fn timeout(
                self,
                timeout: impl ::std::convert::Into<::std::option::Option<::std::time::Duration>>,
            ) -> Self {
                Self(self.0.timeout(timeout))
            }

            /// The overall deadline of this call, retries included; `None`: no overall limit
            /// (see `Call::deadline`).
            #[inline]
            pub fn deadline(
                self,
                deadline: impl ::std::convert::Into<::std::option::Option<::std::time::Duration>>,
            ) -> Self {
                Self(self.0.deadline(deadline))
            }

            /// The largest response body this call reads, in bytes (see
            /// `Call::max_body_size`).
            #[inline]
            pub fn max_body_size(self, bytes: u64) -> Self {
                Self(self.0.max_body_size(bytes))
            }

            /// Decodes this call's response strictly, or not (see `Call::strict`).
            #[inline]
            pub fn strict(self, strict: bool) -> Self {
                Self(self.0.strict(strict))
            }

            /// Returns the status and headers along with the decoded body (see
            /// `Call::with_response`).
            #[inline]
            pub fn with_response(self) -> $crate::WithResponse<$t, $e> {
                self.0.with_response()
            }
        }

        impl ::std::future::IntoFuture for $name {
            type Output = ::std::result::Result<$t, $crate::Error<$e>>;
            type IntoFuture = $crate::CallFuture<$t, $e>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                ::std::future::IntoFuture::into_future(self.0)
            }
        }

        impl ::std::convert::From<$name> for $inner {
            #[inline]
            fn from(call: $name) -> Self {
                call.0
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::{Call, Page, PagedCall};

    struct Listing;

    impl Page for Listing {
        type Item = u8;
        fn next_page_token(&self) -> Option<&str> {
            None
        }
        fn item_count(&self) -> usize {
            0
        }
        fn into_items(self) -> Vec<u8> {
            Vec::new()
        }
    }

    #[derive(Clone, Debug)]
    struct Get(Call<String, String>);
    crate::call_type!(Get, Call, String, String);

    #[derive(Clone, Debug)]
    struct List(PagedCall<Listing, String>);
    crate::call_type!(List, PagedCall, Listing, String);

    /// Every name in `METHODS` is a method of a call type: each is called here, in the
    /// list's order (this does not compile if one is missing).
    fn calls_each(get: Get, list: List) {
        let _ = get
            .max_retries(0)
            .timeout(Duration::ZERO)
            .deadline(None)
            .max_body_size(1)
            .strict(true)
            .with_response();
        let list = list
            .max_retries(0)
            .timeout(None)
            .deadline(Duration::ZERO)
            .max_body_size(1)
            .strict(false);
        let _ = list.clone().with_response();
        let _ = list.clone().max_pages(1).max_empty_pages(1).pages();
        let _ = list.items();
    }

    #[test]
    fn methods_lists_what_the_macro_defines() {
        let called = [
            "max_retries",
            "timeout",
            "deadline",
            "max_body_size",
            "strict",
            "with_response",
            "max_pages",
            "max_empty_pages",
            "pages",
            "items",
        ];
        assert_eq!(called, super::METHODS);
        let _: fn(Get, List) = calls_each;
    }
}
