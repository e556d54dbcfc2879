//! Stage 4: emitted files onto disk. Regeneration owns only files that carry the generated
//! header; everything else under the output directory (hand-written tests, examples) is
//! never touched. Writing is all-or-nothing as far as the file system allows: every file is
//! staged beside its target first, and only when all are staged are they renamed into place.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

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

/// What writing `files` into `out_dir` would change.
pub fn plan(out_dir: &Path, files: &[GeneratedFile]) -> io::Result<Vec<Change>> {
    let mut changes = Vec::new();
    for file in files {
        let target = out_dir.join(&file.path);
        match fs::read(&target) {
            Ok(existing) if existing == file.contents.as_bytes() => {}
            Ok(_) => changes.push(Change {
                path: file.path.clone(),
                kind: ChangeKind::Update,
            }),
            Err(error) if error.kind() == io::ErrorKind::NotFound => changes.push(Change {
                path: file.path.clone(),
                kind: ChangeKind::Create,
            }),
            Err(error) => return Err(error),
        }
    }
    let mut owned = Vec::new();
    owned_files(out_dir, out_dir, &mut owned)?;
    for path in owned {
        if !files.iter().any(|file| file.path == path) {
            changes.push(Change {
                path,
                kind: ChangeKind::Delete,
            });
        }
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(changes)
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

/// Applies `changes` (from [`plan`]). Stages every new file first; if any staging fails,
/// removes the staged files and leaves the output directory as it was.
pub fn apply(out_dir: &Path, files: &[GeneratedFile], changes: &[Change]) -> io::Result<()> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for change in changes
            .iter()
            .filter(|change| change.kind != ChangeKind::Delete)
        {
            let Some(file) = files.iter().find(|file| file.path == change.path) else {
                continue;
            };
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
            staged.push((staging, target));
        }
        Ok(())
    })();
    if let Err(error) = result {
        for (staging, _) in &staged {
            let _ = fs::remove_file(staging);
        }
        return Err(error);
    }
    for (staging, target) in &staged {
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
