//! `webhooks.rs`: the event enum of the document's webhooks, how it decodes, and (when the
//! document says how deliveries are identified and signed) the one call a receiver makes.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, Site, ident};
use crate::emit::docs;
use crate::model::Webhooks;
use crate::naming;

pub(crate) fn webhooks(ctx: &Ctx<'_>, hooks: &Webhooks) -> TokenStream {
    let rt = &ctx.rt;
    let event = ident(naming::WEBHOOK_EVENT);
    let unknown = ident(&hooks.unknown);
    let mut variants = TokenStream::new();
    let mut arms = TokenStream::new();
    let mut names = TokenStream::new();
    let mut listed = Vec::new();
    for event in &hooks.events {
        let variant = ident(&event.variant);
        let ty = ctx.ty(event.payload, Site::Sibling);
        let wire = &event.event_type;
        let doc = docs::join(&[
            event.summary.as_deref(),
            Some(&format!(
                "Event type `{}`.",
                docs::sanitize(wire).replace('`', "'")
            )),
            event.description.as_deref(),
        ]);
        let doc = docs::doc_attrs(doc.as_deref());
        let deprecated = if event.deprecated {
            quote! { #[deprecated] }
        } else {
            TokenStream::new()
        };
        variants.extend(quote! {
            #doc
            #deprecated
            #variant(#ty),
        });
        arms.extend(quote! {
            #wire => {
                let (payload, deviations, dropped) =
                    ::#rt::json::from_slice_with::<#ty>(body, mode)?;
                ::std::result::Result::Ok((Self::#variant(payload), deviations, dropped))
            }
        });
        names.extend(quote! { Self::#variant(_) => #wire, });
        listed.push(wire.clone());
    }
    let event_types_doc = format!(
        " The event types the document describes, in its order: {}.",
        if listed.is_empty() {
            "none".to_owned()
        } else {
            listed
                .iter()
                .map(|t| format!("`{}`", docs::sanitize(t).replace('`', "'")))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    let receive = match (&hooks.event_type_header, &hooks.signature) {
        (Some(header), signature) => {
            let signature_tokens = match signature {
                Some(s) => {
                    let (h, v) = (&s.header, &s.version);
                    quote! {
                        ::std::option::Option::Some(::#rt::webhook::SignatureScheme {
                            header: #h,
                            version: #v,
                        })
                    }
                }
                None => quote! { ::std::option::Option::None },
            };
            let config_doc = format!(
                "How deliveries are told apart (the `{}` header names the event type) and {}.",
                header,
                match signature {
                    Some(s) => format!(
                        "signed (the `{}` header carries `{}=` HMAC-SHA256 signatures of the body)",
                        s.header, s.version
                    ),
                    None => "that they are not signed".to_owned(),
                }
            );
            let receive_doc = match signature {
                Some(s) => format!(
                    "Verifies a delivery's signature with the webhook's `secret`, then decodes \
                     it: `headers` and `body` as received (the raw bytes; the signature covers \
                     them). Fails with a precise [`WebhookError`] \
                     when the `{}` header is missing, malformed or does not match, when the \
                     `{header}` header is missing, or when the payload of a known event type \
                     does not decode; an unknown event type is kept raw.",
                    s.header
                ),
                None => format!(
                    "Decodes a delivery: `headers` and `body` as received. The document \
                     declares no signature, so `secret` is not used. Fails when the `{header}` \
                     header is missing, or when the payload of a known event type does not \
                     decode; an unknown event type is kept raw."
                ),
            };
            let config_doc = docs::generated_doc_attrs(&config_doc);
            let receive_doc = docs::generated_doc_attrs(&receive_doc);
            let member = match &hooks.event_type_member {
                Some(m) => quote! { ::std::option::Option::Some(#m) },
                None => quote! { ::std::option::Option::None },
            };
            quote! {
                #config_doc
                pub static CONFIG: ::#rt::webhook::WebhookConfig = ::#rt::webhook::WebhookConfig {
                    event_type_header: #header,
                    event_type_member: #member,
                    signature: #signature_tokens,
                };

                impl #event {
                    #receive_doc
                    #[inline]
                    pub fn receive(
                        headers: &::#rt::http::HeaderMap,
                        body: &[u8],
                        secret: &::#rt::webhook::WebhookSecret,
                    ) -> ::std::result::Result<Self, ::#rt::webhook::WebhookError> {
                        ::#rt::webhook::receive(&CONFIG, headers, body, secret)
                    }
                }
            }
        }
        (None, _) => TokenStream::new(),
    };
    let unknown_doc = docs::generated_doc_attrs(
        "A delivery of an event type this version of the client does not know, kept as \
         received.",
    );
    quote! {
        //! The webhooks of the API: what it sends to you, one payload type per event type.

        pub use ::#rt::webhook::{WebhookError, WebhookSecret};

        #[doc = #event_types_doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #event {
            #variants
            #unknown_doc
            #unknown {
                /// The event type the delivery named.
                event_type: ::std::string::String,
                /// The body as received.
                body: ::#rt::bytes::Bytes,
            },
        }

        impl #event {
            /// Decodes a delivery of `event_type` without checking a signature (for deliveries
            /// verified elsewhere, or stored ones). Members missing from a payload get
            /// fallback values, each reported as a `tracing` warning.
            #[inline]
            pub fn decode(
                event_type: &str,
                body: &[u8],
            ) -> ::std::result::Result<Self, ::#rt::webhook::WebhookError> {
                ::#rt::webhook::decode(event_type, body)
            }

            /// The event type of this delivery.
            #[inline]
            pub fn event_type(&self) -> &str {
                #[allow(deprecated)]
                match self {
                    #names
                    Self::#unknown { event_type, .. } => event_type,
                }
            }
        }

        impl ::#rt::webhook::WebhookEvent for #event {
            #[allow(deprecated)]
            #[inline]
            fn decode_with(
                event_type: &str,
                body: &[u8],
                mode: ::#rt::json::Mode,
            ) -> ::std::result::Result<
                (Self, ::std::vec::Vec<::#rt::json::Deviation>, usize),
                ::#rt::json::Error,
            > {
                let _ = &mode;
                match event_type {
                    #arms
                    _ => ::std::result::Result::Ok((
                        Self::#unknown {
                            event_type: ::std::borrow::ToOwned::to_owned(event_type),
                            body: ::#rt::bytes::Bytes::copy_from_slice(body),
                        },
                        ::std::vec::Vec::new(),
                        0,
                    )),
                }
            }
        }

        #receive
    }
}
