//! `client.rs`: the API's `CONFIG` and the `Client` wrapper around the runtime's client.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::model::Auth;
use crate::naming;

/// `CIRCLECI` for `circleci-api`: the crate name without a trailing `-api`/`-client`/…,
/// in upper snake case.
pub(crate) fn env_prefix(crate_name: &str) -> String {
    let mut base = crate_name.to_ascii_lowercase();
    for suffix in [
        "-api", "_api", "-client", "_client", "-sdk", "_sdk", "-rs", "_rs",
    ] {
        if let Some(stripped) = base.strip_suffix(suffix)
            && !stripped.is_empty()
        {
            base = stripped.to_owned();
            break;
        }
    }
    let snake = naming::snake(&base).to_ascii_uppercase();
    if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("API_{snake}")
    } else {
        snake
    }
}

pub(crate) fn client(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let api = ctx.api;
    let prefix = match &ctx.config.env_prefix {
        Some(p) if !p.is_empty() => p.clone(),
        _ => env_prefix(&ctx.config.crate_name),
    };
    let token_env = format!("{prefix}_TOKEN");
    let base_url_env = format!("{prefix}_BASE_URL");
    let auth_scheme_env = format!("{prefix}_AUTH_SCHEME");
    let base_url = &api.base_url;
    let auth = auth_scheme(ctx, &api.auth);
    let agent = format!("{}/", ctx.config.crate_name);
    let new_doc = format!(
        " Fails only on bad input (a token that cannot be sent in a header), with an \
         [`InvalidInput`]({rt}::InvalidInput), which `?` turns into the \
         [`Error`]({rt}::Error) of any operation."
    );
    let request_ids = &api.request_id_headers;
    let title = if api.title.trim().is_empty() {
        "the API".to_owned()
    } else {
        api.title.trim().to_owned()
    };
    let config_doc = format!(
        " How to reach {title}: default base URL, authentication, and the environment variables \
         `{token_env}` (token), `{base_url_env}` (base URL) and `{auth_scheme_env}` (`header`, \
         `bearer` or `basic`) read by [`Client::from_env`]."
    );
    let client_doc = format!(" A client for {title}. Cheap to clone; clones share connections.");
    let base_url_doc = if base_url.is_empty() {
        " The document declares no absolute server URL: set one with `Client::builder().base_url(…)` or the base URL variable."
            .to_owned()
    } else {
        format!(" Requests go to `{base_url}` unless another base URL is configured.")
    };
    quote! {
        //! The client and its configuration.

        #[doc = #config_doc]
        #[doc = ""]
        #[doc = #base_url_doc]
        pub static CONFIG: ::#rt::ApiConfig = ::#rt::ApiConfig {
            default_base_url: #base_url,
            auth: #auth,
            token_env: ::std::option::Option::Some(#token_env),
            base_url_env: ::std::option::Option::Some(#base_url_env),
            auth_scheme_env: ::std::option::Option::Some(#auth_scheme_env),
            user_agent: ::std::concat!(#agent, ::std::env!("CARGO_PKG_VERSION")),
            request_id_headers: &[#(#request_ids),*],
        };

        #[doc = #client_doc]
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct Client {
            pub(super) inner: ::#rt::Client,
        }

        impl ::std::convert::From<::#rt::Client> for Client {
            #[inline]
            fn from(inner: ::#rt::Client) -> Self {
                Self { inner }
            }
        }

        impl Client {
            /// A client with this token and the default settings.
            ///
            #[doc = #new_doc]
            #[inline]
            pub fn new(token: impl ::std::convert::Into<::#rt::Token>) -> ::std::result::Result<Self, ::#rt::InvalidInput> {
                Self::builder().token(token).build()
            }

            /// A client configured from the environment (token and base URL variables, see [`CONFIG`]).
            ///
            /// Fails only on bad input (no token, a bad base URL), like [`Client::new`].
            #[inline]
            pub fn from_env() -> ::std::result::Result<Self, ::#rt::InvalidInput> {
                Self::builder().from_env().build()
            }

            /// A builder for every setting: token, base URL, timeouts, retries, headers.
            #[inline]
            pub fn builder() -> ::#rt::ClientBuilder<Self> {
                ::#rt::ClientBuilder::new(&CONFIG)
            }

            /// The same client with a different retry budget for every call.
            #[inline]
            pub fn with_max_retries(&self, max_retries: u32) -> Self {
                Self { inner: self.inner.with_max_retries(max_retries) }
            }
        }
    }
}

/// The runtime's `AuthScheme` for `auth`.
pub(super) fn auth_scheme(ctx: &Ctx<'_>, auth: &Auth) -> TokenStream {
    let rt = &ctx.rt;
    match auth {
        Auth::Header(h) => quote! { ::#rt::AuthScheme::Header(#h) },
        Auth::Bearer => quote! { ::#rt::AuthScheme::Bearer },
        Auth::Basic => quote! { ::#rt::AuthScheme::Basic },
        Auth::None => quote! { ::#rt::AuthScheme::None },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn env_prefixes() {
        assert_eq!(super::env_prefix("circleci-api"), "CIRCLECI");
        assert_eq!(super::env_prefix("my-service-client"), "MY_SERVICE");
        assert_eq!(super::env_prefix("api"), "API");
        assert_eq!(super::env_prefix("3d"), "API_3D");
    }
}
