//! `cargo xtask contract` on small public documents (`tests/contract/README.md`): every
//! operation passes against Prism; and on a document made to fail, the report names the
//! operation and the problem, so a pass means something. (How each kind of outcome is judged
//! is unit-tested in `src/contract.rs`.)

use std::path::{Path, PathBuf};

use xtask::contract::{self, Options, Verdict};

fn document(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/contract")
        .join(name)
}

fn run(spec: PathBuf) -> contract::Report {
    contract::run(&Options {
        spec,
        seeds: 2,
        report: None,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_operation_of_the_public_documents_passes() {
    for (name, operations) in [("petstore-expanded.yaml", 4), ("uspto.yaml", 3)] {
        let report = run(document(name));
        assert_eq!(report.operations.len(), operations, "{}", report.text());
        assert_eq!(report.passed(), operations, "{}", report.text());
        // Static examples, the declared statuses and two seeds: several calls each.
        for operation in &report.operations {
            assert!(operation.calls >= 3, "{}", report.text());
        }
        let markdown = report.markdown();
        assert!(markdown.contains("| `"), "{markdown}");
    }
}

#[test]
fn a_refused_request_fails_and_an_answer_that_breaks_the_document_is_set_aside() {
    let petstore = std::fs::read_to_string(document("petstore-expanded.yaml")).expect("fixture");
    // A query parameter with a pattern the made-up value does not follow (a lookahead, which
    // the value maker does not follow): Prism refuses the full call (422). And a response example that contradicts its schema: Prism, serving it,
    // reports the violation.
    let broken = petstore
        .replacen(
            "        - name: limit\n",
            "        - name: code\n          in: query\n          description: A code.\n          required: false\n          schema:\n            type: string\n            pattern: '^(?!probe)[a-z]+$'\n        - name: limit\n",
            1,
        )
        .replacen(
            "    NewPet:\n",
            "    Broken:\n      type: object\n      required: [id]\n      properties:\n        id:\n          type: integer\n      example:\n        id: not a number\n    NewPet:\n",
            1,
        )
        .replacen(
            "          description: pet response\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Pet'\n        default:",
            "          description: pet response\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Broken'\n        default:",
            1,
        );
    assert_ne!(broken, petstore);
    let dir = xtask::tools::target_dir().join("contract-fixtures");
    std::fs::create_dir_all(&dir).expect("dir");
    let spec = dir.join("petstore-broken.yaml");
    std::fs::write(&spec, &broken).expect("write");
    let report = run(spec);
    let verdict = |op: &str| {
        report
            .operations
            .iter()
            .find(|o| o.op == op)
            .map(|o| o.verdict.clone())
            .unwrap_or_else(|| panic!("no {op}: {}", report.text()))
    };
    // The required call passes; the full one, with the code, is refused.
    match verdict("findPets") {
        Verdict::Failed(why) => assert!(
            why.starts_with("static, full call: Prism refused the request as invalid (422)")
                || why.starts_with("static, full call: Prism found violations (status 422)"),
            "{why}"
        ),
        other => panic!("findPets: {other:?}\n{}", report.text()),
    }
    // addPet's answer (the first `pet response`) is now the broken example: Prism reports
    // that its static answer breaks the document, so that answer is set aside (it says
    // nothing about the client); the dynamic answers, made from the schema, are judged.
    let add_pet = report
        .operations
        .iter()
        .find(|o| o.op == "addPet")
        .unwrap_or_else(|| panic!("no addPet: {}", report.text()));
    assert_eq!(add_pet.verdict, Verdict::Passed, "{}", report.text());
    assert!(add_pet.set_aside >= 1, "{}", report.text());
    assert!(
        report
            .text()
            .contains("answers Prism made invalid set aside")
    );
    assert_eq!(
        verdict("find pet by id"),
        Verdict::Passed,
        "{}",
        report.text()
    );
    assert!(report.passed() < report.operations.len());
}
