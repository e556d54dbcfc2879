//! Stage 4: emitted files onto disk. Regeneration owns only files that carry the generated
//! header; everything else under the output directory (hand-written tests, examples) is
//! never touched. Writing is all-or-nothing as far as the file system allows: every file is
//! staged beside its target first, and only when all are staged are they renamed into place.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::emit::{GeneratedFile, HEADER, TOML_HEADER};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The file does not exist yet.
    Create,
    /// The file exists with other contents.
    Update,
    /// A generated file that regeneration no longer produces.
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Relative to the output directory, `/`-separated.
    pub path: String,
    pub kind: ChangeKind,
}

/// What writing `files` into `out_dir` would change. A file whose bytes on disk equal its
/// new contents is no change: it is not rewritten, so its mtime stays and cargo rebuilds
/// nothing. Files are compared in parallel, sizes first.
pub fn plan(out_dir: &Path, files: &[GeneratedFile]) -> io::Result<Vec<Change>> {
    let compared: Vec<Option<Change>> = files
        .par_iter()
        .map(|file| {
            let kind = compare(&out_dir.join(&file.path), file.contents.as_bytes())?;
            Ok(kind.map(|kind| Change {
                path: file.path.clone(),
                kind,
            }))
        })
        .collect::<io::Result<_>>()?;
    let mut changes: Vec<Change> = compared.into_iter().flatten().collect();
    let mut owned = Vec::new();
    owned_files(out_dir, out_dir, &mut owned)?;
    let produced: HashSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    for path in owned {
        if !produced.contains(path.as_str()) {
            changes.push(Change {
                path,
                kind: ChangeKind::Delete,
            });
        }
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(changes)
}

/// How the file at `target` differs from `contents`, if it does.
fn compare(target: &Path, contents: &[u8]) -> io::Result<Option<ChangeKind>> {
    match fs::metadata(target) {
        Ok(metadata) if metadata.len() != contents.len() as u64 => {
            return Ok(Some(ChangeKind::Update));
        }
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Ok(Some(ChangeKind::Create));
        }
        Err(error) => return Err(error),
    }
    match fs::read(target) {
        Ok(existing) if existing == contents => Ok(None),
        Ok(_) => Ok(Some(ChangeKind::Update)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Some(ChangeKind::Create)),
        Err(error) => Err(error),
    }
}

/// Files under `dir` that regeneration wrote (they start with the generated header).
fn owned_files(root: &Path, dir: &Path, owned: &mut Vec<String>) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    let mut entries: Vec<_> = entries.collect::<Result<_, _>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            if entry.file_name() != "target" {
                owned_files(root, &path, owned)?;
            }
        } else if file_type.is_file() && starts_with_header(&path)? {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            owned.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

fn starts_with_header(path: &Path) -> io::Result<bool> {
    use std::io::Read;
    let mut start = [0u8; 128];
    let mut file = fs::File::open(path)?;
    let read = file.read(&mut start)?;
    let start = &start[..read];
    Ok(start.starts_with(HEADER.as_bytes()) || start.starts_with(TOML_HEADER.as_bytes()))
}

/// Applies `changes` (from [`plan`]): writes only the files that changed. Stages every new
/// file first (in parallel); if any staging fails, removes the staged files and leaves the
/// output directory as it was. Then renames the staged files into place and deletes stale
/// generated files.
pub fn apply(out_dir: &Path, files: &[GeneratedFile], changes: &[Change]) -> io::Result<()> {
    let by_path: HashMap<&str, &GeneratedFile> = files
        .iter()
        .map(|file| (file.path.as_str(), file))
        .collect();
    let writes: Vec<&GeneratedFile> = changes
        .iter()
        .filter(|change| change.kind != ChangeKind::Delete)
        .filter_map(|change| by_path.get(change.path.as_str()).copied())
        .collect();
    let staged: Vec<io::Result<(PathBuf, PathBuf)>> = writes
        .par_iter()
        .map(|file| {
            let target = out_dir.join(&file.path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            let staging = target.with_file_name(format!(
                ".{}.regenerate",
                target
                    .file_name()
                    .map(|name| name.to_string_lossy())
                    .unwrap_or_default()
            ));
            fs::write(&staging, &file.contents)?;
            Ok((staging, target))
        })
        .collect();
    if let Some(Err(_)) = staged.iter().find(|result| result.is_err()) {
        let mut first_error = None;
        for result in staged {
            match result {
                Ok((staging, _)) => {
                    let _ = fs::remove_file(staging);
                }
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        return Err(first_error.expect("an error was found"));
    }
    for (staging, target) in staged.into_iter().flatten() {
        fs::rename(staging, target)?;
    }
    for change in changes
        .iter()
        .filter(|change| change.kind == ChangeKind::Delete)
    {
        fs::remove_file(out_dir.join(&change.path))?;
    }
    Ok(())
}

/// What the last regeneration into a folder read and wrote, kept between runs (by the caller,
/// outside the output folder) so that a run whose inputs are those of the last one can skip
/// parsing, resolving, emitting and formatting altogether: if the folder still holds exactly
/// the files that run wrote, there is nothing to do and no file is touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// [`input_key`] of the run.
    pub key: String,
    /// One line summing up the run's diagnostics, shown again when the run is skipped.
    pub summary: String,
    /// Every file the run produced, with the [`digest`] of its contents, sorted by path.
    pub files: Vec<(String, String)>,
}

/// A 128-bit digest of `parts` (SipHash-1-3 twice, with different keys), as 32 hex digits.
/// Not cryptographic: it tells apart files that changed by accident or by editing.
pub fn digest(parts: &[&[u8]]) -> String {
    use std::hash::Hasher;
    let mut first = std::hash::DefaultHasher::new();
    let mut second = std::hash::DefaultHasher::new();
    first.write_u8(1);
    second.write_u8(2);
    for part in parts {
        for hasher in [&mut first, &mut second] {
            hasher.write_usize(part.len());
            hasher.write(part);
        }
    }
    format!("{:016x}{:016x}", first.finish(), second.finish())
}

/// The key of a regeneration's inputs: every page (path and bytes, hashed in parallel), the
/// name of the specs folder (it can name the version), the emit options and `generator`,
/// which must change whenever the generator's code does (the caller passes, e.g., its
/// executable's size and modification time).
pub fn input_key(
    specs: &Path,
    files: &[crate::SpecFile],
    options: &crate::emit::EmitOptions,
    generator: &str,
) -> String {
    let digests: Vec<String> = files
        .par_iter()
        .map(|file| digest(&[file.path.as_bytes(), &file.bytes]))
        .collect();
    let root = specs
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let standalone = [u8::from(options.standalone)];
    let mut parts: Vec<&[u8]> = vec![
        generator.as_bytes(),
        root.as_bytes(),
        options.runtime_path.as_bytes(),
        &standalone,
    ];
    parts.extend(digests.iter().map(|digest| digest.as_bytes()));
    digest(&parts)
}

impl Stamp {
    pub fn new(key: String, summary: String, files: &[GeneratedFile]) -> Stamp {
        let mut files: Vec<(String, String)> = files
            .par_iter()
            .map(|file| (file.path.clone(), digest(&[file.contents.as_bytes()])))
            .collect();
        files.sort();
        Stamp {
            key,
            summary: summary.replace('\n', " "),
            files,
        }
    }

    /// The stamp at `path`, or `None` if there is none or it is not one.
    pub fn read(path: &Path) -> Option<Stamp> {
        let text = fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        let key = lines.next()?.strip_prefix("key ")?.to_string();
        let summary = lines.next()?.strip_prefix("summary ")?.to_string();
        let files = lines
            .map(|line| {
                let (digest, path) = line.strip_prefix("file ")?.split_once(' ')?;
                Some((path.to_string(), digest.to_string()))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Stamp {
            key,
            summary,
            files,
        })
    }

    /// Writes the stamp atomically (staged, then renamed).
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut text = format!("key {}\nsummary {}\n", self.key, self.summary);
        for (file, digest) in &self.files {
            text.push_str(&format!("file {digest} {file}\n"));
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let staging = path.with_extension("staging");
        fs::write(&staging, text)?;
        fs::rename(staging, path)
    }

    /// Whether `out_dir` holds exactly the files this stamp records, with the same contents,
    /// and no other generated file (which a full run would delete).
    pub fn matches(&self, out_dir: &Path) -> io::Result<bool> {
        let mut owned = Vec::new();
        owned_files(out_dir, out_dir, &mut owned)?;
        let recorded: HashSet<&str> = self.files.iter().map(|(path, _)| path.as_str()).collect();
        // The manifest starts with the TOML header, so it is among the owned files too.
        if owned.iter().any(|path| !recorded.contains(path.as_str())) {
            return Ok(false);
        }
        self.files
            .par_iter()
            .try_fold(
                || true,
                |all, (path, expected)| match fs::read(out_dir.join(path)) {
                    Ok(bytes) => Ok(all && digest(&[&bytes]) == *expected),
                    Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
                    Err(error) => Err(error),
                },
            )
            .try_reduce(|| true, |a, b| Ok(a && b))
    }
}
