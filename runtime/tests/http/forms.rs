//! `application/x-www-form-urlencoded` bodies, checked against what a wiremock server on
//! 127.0.0.1 received, and bodies that have no form encoding (refused before sending).

use std::collections::HashMap;

use apigen_runtime::{Error, InvalidInputKind, Method, decode};
use serde::Serialize;
use serde_json::Value;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::client;

#[derive(Serialize)]
struct Address {
    city: &'static str,
    zip: Option<&'static str>,
}

#[derive(Serialize)]
struct Signup {
    name: &'static str,
    age: u32,
    admin: bool,
    nickname: Option<&'static str>,
    tags: Vec<&'static str>,
    address: Address,
}

#[tokio::test]
async fn a_struct_is_sent_as_form_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/signup"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "name=Ada+L%26L%3D1&age=36&admin=false&tags=a+b&tags=c%2Cd\
             &address%5Bcity%5D=London",
        ))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let body = Signup {
        name: "Ada L&L=1",
        age: 36,
        admin: false,
        nickname: None,
        tags: vec!["a b", "c,d"],
        address: Address {
            city: "London",
            zip: None,
        },
    };
    client(&server.uri())
        .request(Method::POST, "/signup")
        .path("/signup")
        .form(&body)
        .send(decode::empty, decode::json_error::<Value>)
        .await
        .expect("the server matched the encoded body");
}

#[tokio::test]
async fn bodies_without_a_form_encoding_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let refuse = |err: Error| {
        let Error::InvalidInput(invalid) = &err else {
            panic!("{err:?}")
        };
        assert!(
            matches!(invalid.kind(), InvalidInputKind::Body { .. }),
            "{err:?}"
        );
        err.to_string()
    };

    let err = client
        .request(Method::POST, "/f")
        .path("/f")
        .form(&["a", "b"])
        .send(decode::empty, decode::json_error::<Value>)
        .await
        .expect_err("an array is not a form");
    assert_eq!(
        refuse(err),
        "POST /f: the request body cannot be serialized: a form-urlencoded body must be an object, not an array (the request was not sent)"
    );

    let mut not_serializable = HashMap::new();
    not_serializable.insert(vec![1u8], 1u8);
    let err = client
        .request(Method::POST, "/f")
        .path("/f")
        .form(&not_serializable)
        .send(decode::empty, decode::json_error::<Value>)
        .await
        .expect_err("keys must be strings");
    let text = refuse(err);
    assert!(
        text.starts_with("POST /f: the request body cannot be serialized: key must be a string"),
        "{text}"
    );
    // `expect(0)` is verified when the server is dropped; check it here for a clear message.
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(0));
}
