//! Links between the pages of a tree.

use std::collections::HashSet;

use super::at;
use crate::SpecFile;
use crate::diagnostics::{Code, Diagnostic};
use crate::page::ParsedPage;

/// The files and folders of a tree, lowercased (the docs site ignores case in links).
pub(super) struct LinkIndex {
    files: HashSet<String>,
    folders: HashSet<String>,
}

impl LinkIndex {
    pub(super) fn new(files: &[SpecFile]) -> Self {
        let mut index = LinkIndex {
            files: HashSet::new(),
            folders: HashSet::new(),
        };
        for file in files {
            let lower = file.path.to_ascii_lowercase();
            let mut folder = lower.as_str();
            while let Some((parent, _)) = folder.rsplit_once('/') {
                index.folders.insert(parent.to_string());
                folder = parent;
            }
            index.files.insert(lower);
        }
        index
    }
}

/// `L0011`: relative links to `.md` pages in folders of the tree that name no page there.
pub(super) fn lint_links(
    page: &ParsedPage,
    source: &str,
    links: &LinkIndex,
    out: &mut Vec<Diagnostic>,
) {
    let folder = page.file.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut fence: Option<&str> = None;
    for (number, line) in source.lines().enumerate() {
        let trimmed = line.trim_start();
        for marker in ["```", "~~~"] {
            if trimmed.starts_with(marker) {
                match fence {
                    Some(open) if open == marker => fence = None,
                    None => fence = Some(marker),
                    _ => {}
                }
            }
        }
        if fence.is_some() || trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            continue;
        }
        let mut from = 0;
        while let Some(found) = line.get(from..).and_then(|rest| rest.find("](")) {
            let start = from + found + 2;
            from = start;
            let rest = &line[start..];
            let end = rest
                .find(|c: char| c == ')' || c.is_whitespace())
                .unwrap_or(rest.len());
            let target = rest[..end].trim_matches(['<', '>']);
            let Some(missing) = missing_target(folder, target, links) else {
                continue;
            };
            let column = line[..start].chars().count() + 1;
            out.push(Diagnostic::new(
                Code::LintBrokenLink,
                at(&page.file, number + 1, column),
                format!("link `{target}` names no page: `{missing}` is not in the tree"),
            ));
        }
    }
}

/// The resolved path of a relative `.md` link whose folder is in the tree but whose page is not.
fn missing_target(folder: &str, target: &str, links: &LinkIndex) -> Option<String> {
    if target.is_empty()
        || target.starts_with('/')
        || target.starts_with('#')
        || target.contains("://")
        || target.starts_with("mailto:")
    {
        return None;
    }
    // Backslashes name the same page on the docs site.
    let target = target.replace('\\', "/");
    let path = target.split(['#', '?']).next().unwrap_or(&target);
    if !path.to_ascii_lowercase().ends_with(".md") {
        return None;
    }
    let mut parts: Vec<&str> = if folder.is_empty() {
        Vec::new()
    } else {
        folder.split('/').collect()
    };
    for piece in path.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            piece => parts.push(piece),
        }
    }
    let resolved = parts.join("/");
    let lower = resolved.to_ascii_lowercase();
    let parent = lower.rsplit_once('/').map_or("", |(parent, _)| parent);
    if parent.is_empty() || !links.folders.contains(parent) || links.files.contains(&lower) {
        return None;
    }
    Some(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_judged_only_inside_the_tree() {
        let files = ["v1.0/api/a-get.md", "v1.0/resources/a.md"].map(|path| SpecFile {
            path: path.to_string(),
            bytes: Vec::new(),
        });
        let links = LinkIndex::new(&files);
        let missing = |target| missing_target("v1.0/api", target, &links);
        assert_eq!(missing("../resources/a.md"), None);
        assert_eq!(missing("../resources/A.md#props"), None);
        assert_eq!(missing("..\\resources\\a.md"), None);
        assert_eq!(
            missing("../resources/b.md").as_deref(),
            Some("v1.0/resources/b.md")
        );
        assert_eq!(missing("a-list.md").as_deref(), Some("v1.0/api/a-list.md"));
        // Folders the tree does not hold, site links and URLs are not judged.
        assert_eq!(missing("../../includes/x.md"), None);
        assert_eq!(missing("../concepts/x.md"), None);
        assert_eq!(missing("/graph/x.md"), None);
        assert_eq!(missing("https://example.com/x.md"), None);
        assert_eq!(missing("../../../../x.md"), None);
    }
}
