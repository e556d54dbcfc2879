//! Endpoint pages: when several pages document the same method and path, the one its
//! operation is generated from.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{HttpMethod, PathPart};
use crate::page::{PageKind, ParsedPage};

use super::Resolver;
use super::definitions::file_stem;
use super::operations::RequestPath;

/// How well a request line of a page fits the endpoint it names, best last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Fit {
    /// The line is the call itself, not a use of `$expand`, `$filter`, … on it.
    shows_the_call: bool,
    /// The page's file is named after the path's last named segment.
    named_after_the_path: bool,
}

/// Whether a request line's query uses a system query option: the page shows an option on
/// the path rather than documenting the call.
fn shows_an_option(query: Option<&str>) -> bool {
    query.is_some_and(|query| {
        query
            .split('&')
            .any(|pair| pair.trim_start().starts_with('$'))
    })
}

/// Whether a method page's file stem ends with the path's last static segment
/// (`user-list-messages` for `/me/messages`, `group-post-members` for `/groups/{id}/members/$ref`).
fn named_after(stem: &str, path: &[PathPart]) -> bool {
    // `…/members/$ref` is about `members`; `…/attachments/{id}` about one item, which a
    // list page does not document.
    let last = path
        .iter()
        .rev()
        .find(|part| !matches!(part, PathPart::Static { segment } if segment.starts_with('$')));
    let Some(PathPart::Static { segment: last }) = last else {
        return false;
    };
    stem.rsplit('-')
        .next()
        .is_some_and(|tail| tail.eq_ignore_ascii_case(last))
        && stem.contains('-')
}

/// The page an endpoint documented on several pages is generated from.
pub(super) struct KeptPage {
    /// Into the method pages.
    pub(super) index: usize,
    /// How many pages document the endpoint.
    pub(super) documented_on: usize,
    /// When each page is about a different type derived from this one (a definition key), and
    /// none about this one: the endpoint takes and returns this type's `Any…` enum.
    pub(super) general: Option<String>,
}

impl<'p> Resolver<'p> {
    /// For each method and path documented by more than one page, the page whose operation is
    /// generated. The docs often document one endpoint once per derived type
    /// (`POST /deviceAppManagement/mobileApps` on the androidLobApp, iosLobApp, … and mobileApp
    /// pages) and Intune's pages repeat general ones (`GET /users/{id}`). Starting from the first
    /// page, a type's own page about an ancestor of the kept page's type wins, and so does a page
    /// outside the Intune family about the same type; pages about unrelated types (an example of
    /// `$expand` on another type's page) never displace the first.
    ///
    /// Before any of that, a page only showing an option on someone else's path never owns it
    /// (`singlevaluelegacyextendedproperty-get.md` writes `GET /me/messages?$expand=…`), and a
    /// page named after the path's last segment (`user-list-messages.md` for `/me/messages`)
    /// beats pages named after something else (the extended-property page's
    /// `POST /me/messages`).
    pub(super) fn pages_kept_for_operations(
        &self,
        pages: &[&'p ParsedPage],
        request_paths: &[Vec<RequestPath>],
    ) -> BTreeMap<(String, HttpMethod), KeptPage> {
        let mut candidates: BTreeMap<(String, HttpMethod), Vec<(usize, Fit)>> = BTreeMap::new();
        for (index, page) in pages.iter().enumerate() {
            let (PageKind::Method, Some(method)) = (page.kind, &page.method) else {
                continue;
            };
            for (request, parsed) in method.requests.iter().zip(&request_paths[index]) {
                if let Ok((path, _, template)) = parsed {
                    let fit = Fit {
                        shows_the_call: !shows_an_option(request.query.as_deref()),
                        named_after_the_path: named_after(&file_stem(&page.file), path),
                    };
                    let pages_of = candidates
                        .entry((template.clone(), request.method))
                        .or_default();
                    match pages_of.last_mut() {
                        Some((last, best)) if *last == index => *best = (*best).max(fit),
                        _ => pages_of.push((index, fit)),
                    }
                }
            }
        }
        candidates
            .into_iter()
            .map(|(key, fits)| {
                let documented_on = fits.len();
                let best = fits.iter().map(|(_, fit)| *fit).max();
                let indices: Vec<usize> = fits
                    .iter()
                    .filter(|(_, fit)| Some(*fit) == best)
                    .map(|(index, _)| *index)
                    .collect();
                let mut kept = match indices.as_slice() {
                    [only] => KeptPage {
                        index: *only,
                        general: None,
                        documented_on,
                    },
                    _ => self.most_general_page(pages, indices),
                };
                kept.documented_on = documented_on;
                (key, kept)
            })
            .collect()
    }

    fn most_general_page(&self, pages: &[&'p ParsedPage], indices: Vec<usize>) -> KeptPage {
        let subjects: Vec<Option<String>> = indices
            .iter()
            .map(|&index| self.subject_of(pages[index]))
            .collect();
        let is_intune = |at: usize| file_stem(&pages[indices[at]].file).starts_with("intune-");
        // Named `<resource>-<verb>` after the type it returns: the page is that type's own.
        let is_own_page = |at: usize| {
            let stem = file_stem(&pages[indices[at]].file);
            let resource = stem.rsplit_once('-').map(|(resource, _)| resource);
            resource.and_then(|resource| self.files.get(resource)) == subjects[at].as_ref()
        };
        let is_ancestor = |ancestor: &String, of: &String| {
            ancestor != of
                && self
                    .derived
                    .get(ancestor)
                    .is_some_and(|derived| derived.contains(of))
        };
        let mut kept = 0;
        // Bounded: the docs may describe an inheritance cycle.
        for _ in 0..indices.len() {
            let better = (0..indices.len()).find(|&at| match (&subjects[at], &subjects[kept]) {
                (Some(candidate), Some(current)) => {
                    (is_own_page(at) && is_ancestor(candidate, current))
                        || (candidate == current && is_intune(kept) && !is_intune(at))
                }
                _ => false,
            });
            match better {
                Some(at) => kept = at,
                None => break,
            }
        }
        // Every page is its own type's and no page is about the types' common base (an
        // abstract type such as mobileApp has no create page): the call is the base's.
        let own_pages = (0..indices.len()).all(is_own_page);
        let general = match (own_pages, &subjects[kept]) {
            (true, Some(current)) => self
                .common_base(subjects.iter().flatten())
                // `entity`, every entity's root, says nothing about what the call takes.
                .filter(|base| base != current && !base.ends_with(".entity")),
            _ => None,
        };
        KeptPage {
            index: indices[kept],
            general,
            documented_on: indices.len(),
        }
    }

    /// The nearest type every one of `keys` is or derives from.
    fn common_base<'k>(&self, mut keys: impl Iterator<Item = &'k String>) -> Option<String> {
        let first = keys.next()?;
        let others: Vec<&String> = keys.collect();
        let mut candidate = first.clone();
        let mut visited = BTreeSet::new();
        loop {
            let covers = |key: &&String| {
                **key == candidate
                    || self
                        .derived
                        .get(&candidate)
                        .is_some_and(|derived| derived.contains(*key))
            };
            if others.iter().all(covers) {
                return Some(candidate);
            }
            if !visited.insert(candidate.clone()) {
                return None;
            }
            candidate = self.bases.get(&candidate)?.clone();
        }
    }

    /// The type a method page is about: the type it returns, else the resource its file is
    /// named after (`intune-apps-mobileapp-delete.md` is about `intune-apps-mobileapp.md`'s type).
    pub(super) fn subject_of(&self, page: &ParsedPage) -> Option<String> {
        let returned = page
            .method
            .as_ref()
            .and_then(|method| method.response.as_ref())
            .and_then(|response| response.type_ref.as_ref())
            .and_then(|type_ref| self.lookup(type_ref, page));
        returned.or_else(|| {
            let stem = file_stem(&page.file);
            let (resource, _verb) = stem.rsplit_once('-')?;
            self.files.get(resource).cloned()
        })
    }
}
