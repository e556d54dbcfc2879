//! `cargo xtask specs` on the real 2021 docs (`../shared/graph-docs-2021`): adding one Intune
//! device-configuration page pulls in its base types and enums, the closure regenerates with
//! no unresolved type and builds, a second add changes nothing, and `remove` warns about what
//! it leaves unresolved. Every test says SKIPPED and passes when the docs are absent.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use graph_codegen::diagnostics::Code;
use graph_codegen::emit::EmitOptions;

/// The page the tests add: a Windows 10 device configuration, which inherits from the shared
/// `deviceConfiguration` and uses dozens of single-enum pages.
const PAGE: &str = "intune-deviceconfig-windows10generalconfiguration";
const ADDED: &str = "beta/resources/intune-deviceconfig-windows10generalconfiguration.md";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn docs() -> Option<PathBuf> {
    let docs = workspace().join("../shared/graph-docs-2021");
    if docs.join("beta/resources").is_dir() {
        Some(docs)
    } else {
        eprintln!(
            "SKIPPED: {} is absent; the specs tests need the 2021 Graph docs",
            docs.display()
        );
        None
    }
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn stdout_of(output: &Output) -> String {
    assert!(
        output.status.success(),
        "xtask failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn add(docs: &Path, specs: &Path, patterns: &[&str]) -> String {
    let mut args = vec![
        "specs",
        "add",
        "--from",
        docs.to_str().unwrap(),
        "--version",
        "beta",
        "--specs",
        specs.to_str().unwrap(),
    ];
    args.extend(patterns);
    stdout_of(&xtask(&args))
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let modified = fs::metadata(&path).unwrap().modified().unwrap();
                files.insert(path.clone(), (fs::read(&path).unwrap(), modified));
            }
        }
    }
    files
}

/// `(file, type)` of every unresolved-type diagnostic a regeneration of `specs` reports.
fn unresolved_types(specs: &Path) -> BTreeSet<(String, String)> {
    let options = EmitOptions {
        runtime_path: workspace().join("runtime").to_string_lossy().into_owned(),
        standalone: true,
    };
    let generation = graph_codegen::generate(specs, &options).expect("the specs read");
    generation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::UnresolvedType)
        .map(|diagnostic| {
            let name = diagnostic
                .message
                .split('`')
                .nth(1)
                .unwrap_or_default()
                .to_string();
            (diagnostic.file.clone(), name)
        })
        .collect()
}

/// `(file, type)` of every `not found:` line of an `add`.
fn reported_missing(stdout: &str) -> BTreeSet<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("not found: `"))
        .map(|rest| {
            let (name, rest) = rest.split_once('`').unwrap();
            let from = rest
                .trim_start_matches(" (linked from ")
                .split(':')
                .next()
                .unwrap();
            (from.to_string(), name.to_string())
        })
        .collect()
}

#[test]
fn adding_a_device_configuration_pulls_its_base_types_and_enums() {
    let Some(docs) = docs() else { return };
    let dir = scratch("specs-add-closure");
    let specs = dir.join("specs");
    let stdout = add(&docs, &specs, &[PAGE]);

    // The page itself, its base type, enums it uses, and what those need in turn.
    for expected in [
        format!("added {ADDED} (matches `{PAGE}`)"),
        format!(
            "added beta/resources/intune-shared-deviceconfiguration.md (linked from {ADDED}: base type)"
        ),
        format!(
            "added beta/resources/intune-deviceconfig-statemanagementsetting.md (linked from {ADDED}: property inkWorkspaceAccessState)"
        ),
        "added beta/resources/intune-deviceconfig-defenderthreataction.md (linked from \
         beta/resources/intune-deviceconfig-defenderdetectedmalwareactions.md: property lowSeverity)"
            .to_string(),
        format!(
            "added beta/resources/intune-deviceconfig-deviceconfigurationassignment.md (linked from {ADDED}: relationship assignments)"
        ),
    ] {
        assert!(
            stdout.lines().any(|line| line == expected),
            "missing line `{expected}` in:\n{stdout}"
        );
    }
    let added: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("added "))
        .map(|line| line.split(' ').next().unwrap())
        .collect();
    let mut sorted = added.clone();
    sorted.sort();
    assert_eq!(added, sorted, "the report is sorted by path");
    assert!(
        stdout.contains(&format!(
            "closure: {} pages ({} added, 0 already in the specs); 0 types not found",
            added.len(),
            added.len()
        )),
        "{stdout}"
    );
    // The copies are the docs' pages, byte for byte, and nothing else was written.
    for file in &added {
        assert_eq!(
            fs::read(specs.join(file)).unwrap(),
            fs::read(docs.join(file)).unwrap(),
            "{file}"
        );
    }
    assert_eq!(snapshot(&specs).len(), added.len());

    // Complete: the resolver finds every type; the base type's properties are inherited and
    // the enums are typed.
    assert_eq!(unresolved_types(&specs), BTreeSet::new());
    let options = EmitOptions {
        runtime_path: workspace().join("runtime").to_string_lossy().into_owned(),
        standalone: true,
    };
    let generation = graph_codegen::generate(&specs, &options).unwrap();
    let api = &generation.apis[0];
    let model = api
        .models
        .iter()
        .find(|model| model.graph_name == "windows10GeneralConfiguration")
        .expect("the added type is generated");
    assert!(model.base.is_some(), "it knows its base type");
    assert!(
        model
            .fields
            .iter()
            .any(|field| field.json_name == "displayName"),
        "it inherits deviceConfiguration's properties"
    );
    assert!(
        api.enums
            .iter()
            .any(|e| e.graph_name == "stateManagementSetting" && !e.inferred),
        "enums come from their pages"
    );
}

#[test]
fn adding_the_same_pattern_twice_changes_nothing() {
    let Some(docs) = docs() else { return };
    let dir = scratch("specs-add-twice");
    let specs = dir.join("specs");
    let first = add(&docs, &specs, &[PAGE]);
    let count = first
        .lines()
        .filter(|line| line.starts_with("added "))
        .count();
    assert!(count > 10, "{first}");
    let before = snapshot(&specs);

    let second = add(&docs, &specs, &[PAGE]);
    assert!(
        !second.lines().any(|line| line.starts_with("added ")),
        "{second}"
    );
    assert!(
        second.contains(&format!(
            "closure: {count} pages (0 added, {count} already in the specs)"
        )),
        "{second}"
    );
    assert_eq!(
        snapshot(&specs),
        before,
        "same files, same bytes, same modification times"
    );

    // A dry run of a wider pattern reports what it would add and writes nothing.
    let dry = stdout_of(&xtask(&[
        "specs",
        "add",
        "--from",
        docs.to_str().unwrap(),
        "--version",
        "beta",
        "--specs",
        specs.to_str().unwrap(),
        "--dry-run",
        &format!("{PAGE}*"),
    ]));
    assert!(
        dry.lines().any(|line| line.starts_with(
            "would add beta/api/intune-deviceconfig-windows10generalconfiguration-get.md (matches"
        )),
        "{dry}"
    );
    assert_eq!(snapshot(&specs), before, "a dry run writes nothing");
}

#[test]
fn types_the_docs_do_not_define_are_reported_and_are_the_only_unresolved_ones() {
    let Some(docs) = docs() else { return };
    let dir = scratch("specs-add-missing");
    let specs = dir.join("specs");
    // The workbook operation error links its inner error to a type no page defines.
    let stdout = add(
        &docs,
        &specs,
        &["workbookoperation", "workbookoperationerror"],
    );
    let missing = reported_missing(&stdout);
    assert!(
        missing.contains(&(
            "beta/resources/workbookoperationerror.md".to_string(),
            "error".to_string()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{} types not found", missing.len())),
        "{stdout}"
    );
    assert_eq!(unresolved_types(&specs), missing);
}

#[test]
fn ambiguous_versions_need_a_choice() {
    let Some(docs) = docs() else { return };
    let specs = scratch("specs-add-ambiguous").join("specs");
    let output = xtask(&[
        "specs",
        "add",
        "--from",
        docs.to_str().unwrap(),
        "--specs",
        specs.to_str().unwrap(),
        PAGE,
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("beta (1 pages) and v1.0 (1 pages); choose one with --version"),
        "{stderr}"
    );
    assert!(!specs.exists(), "nothing written");
}

#[test]
fn list_and_remove_report_kinds_and_what_is_left_unresolved() {
    let Some(docs) = docs() else { return };
    let specs = scratch("specs-list-remove").join("specs");
    add(&docs, &specs, &[PAGE]);
    let specs_arg = specs.to_str().unwrap();

    let listing = stdout_of(&xtask(&["specs", "list", "--specs", specs_arg]));
    assert!(
        listing.lines().any(|line| line
            == "resource   beta/resources/intune-shared-deviceconfiguration.md  deviceConfiguration"),
        "{listing}"
    );
    assert!(
        listing.lines().any(|line| line
            == "enum       beta/resources/intune-deviceconfig-statemanagementsetting.md  stateManagementSetting"),
        "{listing}"
    );
    let total = snapshot(&specs).len();
    assert!(
        listing
            .lines()
            .last()
            .unwrap()
            .starts_with(&format!("{total} pages: ")),
        "{listing}"
    );

    let removed = stdout_of(&xtask(&[
        "specs",
        "remove",
        "--specs",
        specs_arg,
        "intune-shared-deviceconfiguration",
    ]));
    assert!(
        removed
            .lines()
            .any(|line| line == "removed beta/resources/intune-shared-deviceconfiguration.md"),
        "{removed}"
    );
    assert!(
        removed
            .lines()
            .any(|line| line.starts_with(&format!("warning: {ADDED}:"))
                && line.contains("base type `deviceConfiguration`")),
        "{removed}"
    );
    assert!(
        !specs
            .join("beta/resources/intune-shared-deviceconfiguration.md")
            .exists()
    );
    assert_eq!(snapshot(&specs).len(), total - 1);

    // Adding the page again restores a complete closure.
    let again = add(&docs, &specs, &[PAGE]);
    assert!(
        again.contains("closure: ") && again.contains("(1 added, "),
        "{again}"
    );
    assert_eq!(unresolved_types(&specs), BTreeSet::new());
}

/// The crate generated from the closure builds, without warnings. Slow-ish: one `cargo check`
/// of a standalone crate, in its own target directory (the outer `cargo test` holds the
/// workspace's), shared with the fixture-crate test so the dependencies' build scripts run once.
#[test]
fn the_crate_generated_from_the_closure_builds() {
    let Some(docs) = docs() else { return };
    let dir = scratch("specs-add-check");
    let specs = dir.join("specs");
    let out = dir.join("out");
    add(&docs, &specs, &[&format!("{PAGE}*")]);
    stdout_of(&xtask(&[
        "regenerate",
        "--locked",
        "--specs",
        specs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    let output = Command::new(env!("CARGO"))
        .args([
            "check",
            "--locked",
            "--message-format",
            "short",
            "--manifest-path",
        ])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", workspace().join("target/fixture-crate"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo check failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Needs no shared docs: a docs-repository layout (`api-reference/<version>/...`) written here,
/// in our own words, where a resource uses an enum of a multi-enum page.
#[test]
fn a_docs_repository_layout_and_multi_enum_pages_are_copied_whole() {
    let dir = scratch("specs-add-layout");
    let docs = dir.join("docs");
    let resources = docs.join("api-reference/v1.0/resources");
    fs::create_dir_all(&resources).unwrap();
    let enums = "---\ndoc_type: enumPageType\n---\n# Enum values\n\nNamespace: microsoft.graph\n\n\
                 ### colour values\n\n|Member|\n|:---|\n|red|\n|blue|\n\n\
                 ### shape values\n\n|Member|\n|:---|\n|round|\n";
    fs::write(resources.join("enums.md"), enums).unwrap();
    fs::write(
        resources.join("widget.md"),
        "---\ndoc_type: resourcePageType\n---\n# widget resource type\n\n\
         Namespace: microsoft.graph\n\n## Properties\n\n|Property|Type|Description|\n\
         |:---|:---|:---|\n|id|String|Its id.|\n|colour|colour|Its colour.|\n",
    )
    .unwrap();
    fs::write(
        resources.join("gadget.md"),
        "---\ndoc_type: resourcePageType\n---\n# gadget resource type\n\n\
         Namespace: microsoft.graph\n\n## Properties\n\n|Property|Type|Description|\n\
         |:---|:---|:---|\n|id|String|Its id.|\n",
    )
    .unwrap();
    let specs = dir.join("specs");
    let output = xtask(&[
        "specs",
        "add",
        "--from",
        docs.to_str().unwrap(),
        "--specs",
        specs.to_str().unwrap(),
        "WIDGET",
    ]);
    let stdout = stdout_of(&output);
    assert_eq!(
        stdout,
        "added v1.0/resources/enums.md (linked from v1.0/resources/widget.md: property colour)\n\
         added v1.0/resources/widget.md (matches `WIDGET`)\n\
         closure: 2 pages (2 added, 0 already in the specs); 0 types not found\n"
    );
    assert_eq!(
        fs::read_to_string(specs.join("v1.0/resources/enums.md")).unwrap(),
        enums,
        "the multi-enum page is copied whole"
    );
    assert!(!specs.join("v1.0/resources/gadget.md").exists());
    assert_eq!(unresolved_types(&specs), BTreeSet::new());
}

/// Today's docs sample: pages whose permissions live in include files.
fn current_docs() -> Option<PathBuf> {
    let docs = workspace().join("../shared/graph-docs-current");
    if docs.join("v1.0/includes/permissions").is_dir() {
        Some(docs)
    } else {
        eprintln!(
            "SKIPPED: {} is absent; the include tests need today's docs sample",
            docs.display()
        );
        None
    }
}

#[test]
fn permission_includes_come_with_their_pages_and_go_when_no_page_uses_them() {
    let Some(docs) = current_docs() else { return };
    let specs = scratch("specs-includes");
    let added = stdout_of(&xtask(&[
        "specs",
        "add",
        "--from",
        docs.to_str().unwrap(),
        "--version",
        "v1.0",
        "--specs",
        specs.to_str().unwrap(),
        "user-list-memberof",
        "user-get",
    ]));
    let include = "v1.0/includes/permissions/user-list-memberof-permissions.md";
    assert!(
        added.contains(&format!(
            "added {include} (permissions of v1.0/api/user-list-memberof.md)"
        )),
        "{added}"
    );
    assert_eq!(
        fs::read(specs.join(include)).unwrap(),
        fs::read(docs.join(include)).unwrap(),
        "copied as it is, under the layout the page points to"
    );
    // The sample lacks user-get's include: said now, and one M0010 at regeneration.
    assert!(
        added.contains(
            "not found: include `v1.0/includes/permissions/user-get-permissions.md` (permissions of v1.0/api/user-get.md)"
        ),
        "{added}"
    );
    let options = EmitOptions {
        runtime_path: "../runtime".to_string(),
        standalone: true,
    };
    let generation = graph_codegen::generate(&specs, &options).expect("the specs generate");
    let missing: Vec<&str> = generation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::IncludeMissing)
        .map(|diagnostic| diagnostic.file.as_str())
        .collect();
    assert_eq!(missing, ["v1.0/api/user-get.md"]);
    let member_of = generation.apis[0]
        .operations
        .iter()
        .find(|operation| {
            operation.template() == "/users/{id | userPrincipalName}/memberOf"
                || operation.source.file.ends_with("user-list-memberof.md")
        })
        .expect("the memberOf endpoint");
    assert!(
        !member_of.permissions.is_empty(),
        "regeneration reads the copied include"
    );

    let removed = stdout_of(&xtask(&[
        "specs",
        "remove",
        "--specs",
        specs.to_str().unwrap(),
        "user-list-memberof",
    ]));
    assert!(
        removed.contains(&format!("removed {include} (no page includes it any more)")),
        "{removed}"
    );
    assert!(!specs.join(include).exists());
}

/// Needs no shared docs: a docs-repository layout written here, in our own words, whose method
/// pages keep their permissions in include files, one of them shared by two pages.
#[test]
fn includes_of_our_own_are_copied_with_their_pages_and_removed_with_the_last_one() {
    let dir = scratch("specs-includes-own");
    let docs = dir.join("docs");
    let version = docs.join("api-reference/v1.0");
    let include = |name: &str, scope: &str| {
        format!(
            "---\nms.topic: include\n---\n\n\
             |Permission type|Least privileged permissions|Higher privileged permissions|\n\
             |:---|:---|:---|\n|Delegated (work or school account)|{scope}|Widget.ReadWrite.All|\n\
             |Delegated (personal Microsoft account)|Not supported.|Not supported.|\n\
             |Application|{scope}|Not available.|\n\n<!-- {name} -->\n"
        )
    };
    let method_page = |title: &str, request: &str, include: &str, response: &str| {
        format!(
            "---\ntitle: \"{title}\"\ndoc_type: apiPageType\n---\n\n# {title}\n\nNamespace: microsoft.graph\n\n\
             A call on widgets.\n\n## Permissions\n\n\
             [!INCLUDE [permissions-table](../includes/permissions/{include}-permissions.md)]\n\n\
             ## HTTP request\n\n```http\n{request}\n```\n\n## Response\n\n\
             If successful, this method returns {response}.\n"
        )
    };
    let returns_widget = "a `200 OK` response code and a [widget](../resources/widget.md) object in the response body";
    let files = [
        (
            "resources/widget.md",
            "---\ndoc_type: resourcePageType\n---\n# widget resource type\n\n\
             Namespace: microsoft.graph\n\n## Properties\n\n|Property|Type|Description|\n\
             |:---|:---|:---|\n|id|String|Its id.|\n"
                .to_string(),
        ),
        (
            "api/widget-get.md",
            method_page(
                "Get widget",
                "GET /widgets/{id}",
                "widget-read",
                returns_widget,
            ),
        ),
        (
            "api/widget-list.md",
            method_page(
                "List widgets",
                "GET /widgets",
                "widget-read",
                "a `200 OK` response code and a collection of [widget](../resources/widget.md) objects in the response body",
            ),
        ),
        (
            "api/widget-delete.md",
            method_page(
                "Delete widget",
                "DELETE /widgets/{id}",
                "widget-delete",
                "a `204 No Content` response code",
            ),
        ),
        (
            "includes/permissions/widget-read-permissions.md",
            include("read", "Widget.Read.All"),
        ),
        (
            "includes/permissions/widget-delete-permissions.md",
            include("delete", "Widget.ReadWrite.All"),
        ),
    ];
    for (path, contents) in &files {
        let path = version.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
    let specs = dir.join("specs");
    let added = stdout_of(&xtask(&[
        "specs",
        "add",
        "--from",
        docs.to_str().unwrap(),
        "--specs",
        specs.to_str().unwrap(),
        "widget-*",
    ]));
    for (path, contents) in &files {
        assert_eq!(
            fs::read_to_string(specs.join("v1.0").join(path)).unwrap(),
            *contents,
            "{path} is copied as it is, under the layout the pages point to:\n{added}"
        );
    }
    assert!(
        added.ends_with(
            "closure: 4 pages (4 added, 0 already in the specs); 0 types not found; 2 permission includes (2 added, 0 not in the docs)\n"
        ),
        "{added}"
    );
    let options = EmitOptions {
        runtime_path: "../runtime".to_string(),
        standalone: true,
    };
    let generation = graph_codegen::generate(&specs, &options).expect("the specs generate");
    assert!(
        generation.apis[0]
            .operations
            .iter()
            .all(|operation| operation.permissions.len() == 3),
        "regeneration reads every copied include"
    );

    let remove = |pattern: &str| {
        stdout_of(&xtask(&[
            "specs",
            "remove",
            "--specs",
            specs.to_str().unwrap(),
            pattern,
        ]))
    };
    let removed = remove("widget-get");
    let shared = specs.join("v1.0/includes/permissions/widget-read-permissions.md");
    assert!(shared.exists(), "widget-list still includes it:\n{removed}");
    let removed = remove("widget-delete");
    assert!(
        removed.contains(
            "removed v1.0/includes/permissions/widget-delete-permissions.md (no page includes it any more)"
        ),
        "{removed}"
    );
    assert!(
        !specs
            .join("v1.0/includes/permissions/widget-delete-permissions.md")
            .exists()
    );
    let removed = remove("widget-list");
    assert!(
        !shared.exists(),
        "the last page including it is gone:\n{removed}"
    );
}
