//! Generation is parallel across pages and files; its output must not depend on it. And a
//! regeneration that changes nothing must touch nothing, so cargo rebuilds nothing.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use graph_codegen::emit::EmitOptions;
use graph_codegen::output;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn options() -> EmitOptions {
    EmitOptions {
        runtime_path: "../runtime".to_string(),
        standalone: true,
    }
}

fn generate_with(threads: usize, specs: &Path) -> graph_codegen::Generation {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| graph_codegen::generate(specs, &options()).unwrap())
}

/// One thread against four (more threads than files in the small trees, so work is stolen
/// and finishes out of order): files, APIs and diagnostics must be identical.
fn assert_serial_equals_parallel(specs: &Path) {
    let serial = generate_with(1, specs);
    let parallel = generate_with(4, specs);
    assert!(!serial.files.is_empty(), "{} emits files", specs.display());
    assert_eq!(serial.files.len(), parallel.files.len());
    for (one, other) in serial.files.iter().zip(&parallel.files) {
        assert_eq!(one.path, other.path);
        assert!(
            one.contents == other.contents,
            "{} differs between a serial and a parallel run",
            one.path
        );
    }
    assert_eq!(serial.apis, parallel.apis);
    assert_eq!(serial.diagnostics, parallel.diagnostics);
}

#[test]
fn serial_and_parallel_runs_are_byte_identical_on_the_fixtures() {
    assert_serial_equals_parallel(&workspace().join("specs"));
    assert_serial_equals_parallel(&workspace().join("generator/tests/fixtures/emit/v1.0"));
}

#[test]
fn serial_and_parallel_runs_are_byte_identical_on_the_corpus() {
    let corpus = workspace().join("../shared/graph-docs-2021");
    if !corpus.is_dir() {
        println!(
            "SKIPPED: {} is absent; the serial-vs-parallel corpus test needs it",
            corpus.display()
        );
        return;
    }
    assert_serial_equals_parallel(&corpus);
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn mtimes(dir: &Path, found: &mut BTreeMap<PathBuf, SystemTime>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            mtimes(&entry.path(), found);
        } else {
            found.insert(entry.path(), entry.metadata().unwrap().modified().unwrap());
        }
    }
}

#[test]
fn a_no_change_regeneration_touches_no_file() {
    let out = scratch("no-change");
    let specs = workspace().join("specs");
    let first = graph_codegen::generate(&specs, &options()).unwrap();
    let changes = output::plan(&out, &first.files).unwrap();
    assert_eq!(changes.len(), first.files.len(), "everything is new");
    output::apply(&out, &first.files, &changes).unwrap();

    // Backdate every file, so that any rewrite, however quick, shows in its mtime.
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let mut before = BTreeMap::new();
    mtimes(&out, &mut before);
    for path in before.keys() {
        fs::File::options()
            .append(true)
            .open(path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }

    let second = graph_codegen::generate(&specs, &options()).unwrap();
    let changes = output::plan(&out, &second.files).unwrap();
    assert!(changes.is_empty(), "nothing changed: {changes:?}");
    output::apply(&out, &second.files, &changes).unwrap();
    let mut after = BTreeMap::new();
    mtimes(&out, &mut after);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "no file created or removed"
    );
    for (path, modified) in &after {
        assert_eq!(*modified, old, "{} was rewritten", path.display());
    }

    // One changed file is the only one written.
    let mut third = second.files.clone();
    third[1].contents.push_str("// changed\n");
    let changes = output::plan(&out, &third).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].path, third[1].path);
    output::apply(&out, &third, &changes).unwrap();
    let mut written = BTreeMap::new();
    mtimes(&out, &mut written);
    let rewritten: Vec<&PathBuf> = written
        .iter()
        .filter(|(_, modified)| **modified != old)
        .map(|(path, _)| path)
        .collect();
    assert_eq!(rewritten, [&out.join(&third[1].path)]);
}

#[test]
fn a_stamp_matches_only_the_output_it_records() {
    let out = scratch("stamp");
    let specs = workspace().join("specs");
    let pages = graph_codegen::read_specs(&specs).unwrap();
    let key = output::input_key(&specs, &pages, &options(), "generator 1");
    assert_eq!(
        key,
        output::input_key(&specs, &pages, &options(), "generator 1")
    );
    assert_ne!(
        key,
        output::input_key(&specs, &pages, &options(), "generator 2"),
        "a rebuilt generator invalidates the stamp"
    );
    let mut edited = pages.clone();
    edited[0].bytes.push(b'\n');
    assert_ne!(
        key,
        output::input_key(&specs, &edited, &options(), "generator 1"),
        "an edited page invalidates the stamp"
    );

    let generation = graph_codegen::generate_from(&specs, pages, &options()).unwrap();
    let stamp = output::Stamp::new(key, "diagnostics by code: none".into(), &generation.files);
    assert!(!stamp.matches(&out).unwrap(), "nothing written yet");
    let changes = output::plan(&out, &generation.files).unwrap();
    output::apply(&out, &generation.files, &changes).unwrap();
    assert!(stamp.matches(&out).unwrap());

    let path = out.join("stamps/out.stamp");
    stamp.write(&path).unwrap();
    assert_eq!(output::Stamp::read(&path), Some(stamp.clone()));

    // A hand edit, a deleted file and a stray generated file each break the match.
    let lib = out.join("src/lib.rs");
    let original = fs::read_to_string(&lib).unwrap();
    fs::write(&lib, original.replace("pub mod", "pub  mod")).unwrap();
    assert!(!stamp.matches(&out).unwrap(), "edited");
    fs::write(&lib, &original).unwrap();
    assert!(stamp.matches(&out).unwrap());
    fs::remove_file(&lib).unwrap();
    assert!(!stamp.matches(&out).unwrap(), "deleted");
    fs::write(&lib, &original).unwrap();
    let stray = out.join("src/stray.rs");
    fs::write(&stray, format!("{}\n", graph_codegen::emit::HEADER)).unwrap();
    assert!(!stamp.matches(&out).unwrap(), "stray generated file");
    fs::write(&stray, "// hand-written\n").unwrap();
    assert!(
        stamp.matches(&out).unwrap(),
        "hand-written files are not ours"
    );
}
