//! Today's docs sample (`../shared/graph-docs-current`, when present): the corpus thresholds of
//! the 2021 docs, and the permissions acceptance: every endpoint whose page's permission
//! includes are in the tree shows its least privileged permission for each permission type,
//! and every include that is missing is one diagnostic.

use std::collections::BTreeSet;
use std::path::PathBuf;

use graph_codegen::corpus::CorpusReport;
use graph_codegen::page::PageKind;

use super::*;

fn sample() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs-current");
    if root.join("v1.0/includes/permissions").is_dir() {
        Some(root)
    } else {
        eprintln!("SKIPPED: {} is absent", root.display());
        None
    }
}

#[test]
fn the_sample_meets_the_2021_thresholds_and_its_includes_are_no_pages() {
    let Some(root) = sample() else { return };
    let files = graph_codegen::read_specs(&root).unwrap();
    let results = graph_codegen::parse_files(&files);
    let sizes: Vec<usize> = files.iter().map(|file| file.bytes.len()).collect();
    let report = CorpusReport::new(&results, &sizes);
    for threshold in report.thresholds() {
        assert!(threshold.met, "{threshold:?}");
    }
    assert_eq!((report.pages, report.includes), (173, 19));
    assert_eq!(report.includes_with_permissions, 19);
    assert!(!report.kinds.contains_key(PageKind::Conceptual.as_str()));
}

#[test]
fn endpoints_show_their_includes_permissions_and_missing_includes_are_said_once() {
    let Some(root) = sample() else { return };
    let options = graph_codegen::emit::EmitOptions {
        runtime_path: "../runtime".to_string(),
        standalone: true,
    };
    let generation = graph_codegen::generate(&root, &options).unwrap();
    let missing: Vec<(String, usize)> = found(&generation, Code::IncludeMissing);
    let missing_pages: BTreeSet<&str> = missing.iter().map(|(file, _)| file.as_str()).collect();
    assert_eq!(missing.len(), 16, "{missing:#?}");
    assert_eq!(
        missing_pages.len(),
        16,
        "one diagnostic per missing include"
    );

    let mut with_includes = 0;
    for api in &generation.apis {
        for operation in &api.operations {
            let page = &operation.source.file;
            if missing_pages.contains(page.as_str()) {
                assert!(
                    !operation.missing_permission_includes.is_empty(),
                    "{page}: the rustdoc says where the permissions are"
                );
                continue;
            }
            let source = std::fs::read_to_string(root.join(page)).unwrap();
            if !source.contains("includes/permissions/") {
                continue;
            }
            with_includes += 1;
            let kinds: BTreeSet<String> = operation
                .permissions
                .iter()
                .map(|permission| format!("{:?}", permission.permission_type))
                .collect();
            assert_eq!(kinds.len(), 3, "{page}: {:?}", operation.permissions);
            for permission in &operation.permissions {
                // "Not supported." has no least privileged scope; every other row has one.
                assert!(
                    !permission.least().is_empty() || permission.scopes.is_empty(),
                    "{page}: {permission:?}"
                );
            }
        }
    }
    // 36 documented calls, less 2 `/me/…` calls their pages also write as `/users/{id}/…`
    // (one call, which `client.me()` reaches too), and 7 `…/$count` calls beside the
    // collections that count, which carry their collection's permissions.
    assert_eq!(
        with_includes, 41,
        "endpoints whose pages' includes are in the tree"
    );
    let requests = unwrapped_docs(emitted(&generation, "src/v1_0/requests.rs"));
    assert!(requests.contains(
        "/// Least privileged permissions: delegated (work or school account): `User.Read` (or, more privileged: `Directory.Read.All`, `Directory.ReadWrite.All`, `GroupMember.Read.All`); delegated (personal Microsoft account): not supported; application: not supported."
    ));
}
