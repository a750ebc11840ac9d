//! The streaming JSON reader fed arbitrary bytes: random text over JSON's alphabet, valid
//! documents cut short or with bytes changed, nesting far past the depth limit, huge and
//! tiny numbers, invalid UTF-8. Bounded (a fixed seed and count, well under a second in a
//! debug build per thousand inputs), so it runs with the rest of the suite.
//!
//! Two properties: nothing panics or overflows the stack, whatever type is read; and reading
//! a `serde_json::Value` accepts exactly the texts `serde_json` accepts, giving the same value.

use std::collections::BTreeMap;

use apigen_runtime::json::{self, FromJson, Reader, Untagged};
use serde_json::Value;

/// xorshift64*: a small deterministic generator, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

#[derive(Debug, PartialEq)]
#[allow(dead_code)]
struct Job {
    name: String,
    number: Option<i64>,
    tags: Vec<String>,
    extra: BTreeMap<String, Value>,
}

apigen_runtime::impl_from_json! {
    Job {
        name: required "name",
        number: optional "number",
        tags: required "tags",
        extra: take_rest,
    }
}

#[derive(Debug, PartialEq)]
#[allow(dead_code)]
enum Parameter {
    Integer(i64),
    Text(String),
    Jobs(Vec<Job>),
}

impl FromJson for Parameter {
    fn read(reader: &mut Reader<'_>) -> Result<Self, json::Error> {
        Untagged::new(reader)
            .or(Self::Integer)
            .or(Self::Text)
            .or(Self::Jobs)
            .end("Parameter")
    }
}

/// A random valid JSON document, at most `depth` containers deep.
fn document(rng: &mut Rng, depth: usize, out: &mut String) {
    let kind = if depth == 0 {
        rng.below(4)
    } else {
        rng.below(6)
    };
    match kind {
        0 => out.push_str(["null", "true", "false"][rng.below(3)]),
        1 => {
            let numbers = [
                "0",
                "-0",
                "1",
                "-17",
                "3.25",
                "1e3",
                "-2.5E-3",
                "9007199254740993",
                "18446744073709551616",
                "1.7976931348623157e308",
                "5e-324",
                "123456789012345678901234567890",
            ];
            out.push_str(numbers[rng.below(numbers.len())]);
        }
        2 => {
            let strings = [
                r#""""#,
                r#""name""#,
                r#""é✓ \u00e9\n\t""#,
                r#""\ud83d\ude00""#,
                r#""a\"b\\c/""#,
            ];
            out.push_str(strings[rng.below(strings.len())]);
        }
        3 => {
            let keys = ["name", "number", "tags", "x", ""];
            out.push('"');
            out.push_str(keys[rng.below(keys.len())]);
            out.push('"');
        }
        4 => {
            out.push('[');
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(',');
                }
                document(rng, depth.saturating_sub(1), out);
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            let keys = ["name", "number", "tags", "x", "name"];
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(',');
                }
                out.push('"');
                out.push_str(keys[rng.below(keys.len())]);
                out.push_str("\":");
                document(rng, depth.saturating_sub(1), out);
            }
            out.push('}');
        }
    }
}

fn inputs() -> Vec<Vec<u8>> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    // Random text over JSON's alphabet, with some arbitrary bytes.
    let alphabet = b"{}[]\",:0123456789.eE+-truefalsnl \\u\n";
    for _ in 0..3000 {
        let len = rng.below(40);
        let bytes = (0..len)
            .map(|_| {
                if rng.chance(5) {
                    (rng.next() & 0xFF) as u8
                } else {
                    alphabet[rng.below(alphabet.len())]
                }
            })
            .collect();
        inputs.push(bytes);
    }
    // Valid documents, whole, cut short, and with a byte changed, inserted or removed.
    for _ in 0..3000 {
        let mut text = String::new();
        document(&mut rng, 4, &mut text);
        let bytes = text.into_bytes();
        inputs.push(bytes.clone());
        if !bytes.is_empty() {
            inputs.push(bytes[..rng.below(bytes.len())].to_vec());
            let mut changed = bytes.clone();
            let at = rng.below(changed.len());
            match rng.below(3) {
                0 => changed[at] = (rng.next() & 0xFF) as u8,
                1 => changed.insert(at, alphabet[rng.below(alphabet.len())]),
                _ => {
                    changed.remove(at);
                }
            }
            inputs.push(changed);
        }
    }
    // Nesting around and far past the limit, closed and unclosed.
    for depth in [126, 127, 128, 129, 130, 1000, 100_000] {
        inputs.push([b"[".repeat(depth), b"]".repeat(depth)].concat());
        inputs.push(b"[".repeat(depth));
        inputs.push([br#"{"a":"#.repeat(depth), b"1".to_vec(), b"}".repeat(depth)].concat());
        inputs.push(b"{\"name\":".repeat(depth));
    }
    // Huge and tiny numbers.
    for text in [
        "1".repeat(5000),
        format!("-{}", "9".repeat(400)),
        "1e999999999".to_owned(),
        "-1e-999999999".to_owned(),
        format!("0.{}1", "0".repeat(2000)),
        "1.7976931348623157e309".to_owned(),
        format!("[{}]", "1e308,".repeat(200) + "0"),
    ] {
        inputs.push(text.into_bytes());
    }
    // Invalid UTF-8 in strings and keys, and a lone surrogate escape.
    for bytes in [
        &b"\"\xff\""[..],
        b"{\"\xc3\x28\": 1}",
        b"[\"\xed\xa0\x80\"]",
        b"\"\\ud800\"",
        b"\"\\udc00x\"",
        b"{\"name\": \"\xf0\x28\x8c\xbc\", \"tags\": []}",
    ] {
        inputs.push(bytes.to_vec());
    }
    inputs
}

#[test]
fn arbitrary_bytes_never_panic_and_values_agree_with_serde_json() {
    let inputs = inputs();
    let mut accepted = 0;
    for input in &inputs {
        let ours = json::from_slice::<Value>(input);
        let theirs = serde_json::from_slice::<Value>(input);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => {
                assert_eq!(
                    a,
                    b,
                    "different values for {:?}",
                    String::from_utf8_lossy(input)
                );
                accepted += 1;
            }
            (Err(_), Err(_)) => {}
            _ => panic!(
                "for {:?} ({} bytes): ours {:?}, serde_json {:?}",
                String::from_utf8_lossy(&input[..input.len().min(200)]),
                input.len(),
                ours.as_ref().map(|_| "ok").map_err(|e| e.to_string()),
                theirs.as_ref().map(|_| "ok").map_err(|e| e.to_string()),
            ),
        }
        // Other readers: only that they return (an error names a path).
        if let Err(e) = json::from_slice::<Job>(input) {
            assert!(!e.path().is_empty());
        }
        let _ = json::from_slice::<Vec<Job>>(input);
        let _ = json::from_slice::<Parameter>(input);
        let _ = json::from_slice::<BTreeMap<String, Option<Vec<f64>>>>(input);
        let _ = json::from_slice::<Option<u8>>(input);
        let _ = json::from_slice::<Vec<Vec<Vec<String>>>>(input);
    }
    // The generator makes plenty of valid documents too, so both sides of the property are
    // exercised.
    assert!(
        accepted > 2000,
        "only {accepted} of {} inputs were JSON",
        inputs.len()
    );
}
