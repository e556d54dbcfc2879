#!/usr/bin/env bash
# Builds the libFuzzer seed corpus for the `parse_page` target from the
# read-only Graph docs snapshot. The selection is deterministic: every Nth
# page (byte-wise sorted) of each of beta/api, beta/resources, v1.0/api and
# v1.0/resources, plus a fixed list of pages known to exercise edge cases.
# Pages are copied into fuzz/corpus/parse_page/, which is git-ignored.
#
# Usage: fuzz/seed.sh [DOCS_DIR] [N]
#   DOCS_DIR defaults to ../shared/graph-docs-2021 relative to the repo root
#   N        defaults to 38 (about 300 pages in total)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
docs="${1:-$here/../../shared/graph-docs-2021}"
step="${2:-38}"
out="$here/corpus/parse_page"

if [[ ! -d "$docs/beta" || ! -d "$docs/v1.0" ]]; then
    echo "seed.sh: docs snapshot not found at $docs" >&2
    exit 1
fi

mkdir -p "$out"

copy() { # copy <relative path>, flattening it into a unique file name
    install -m 0644 "$docs/$1" "$out/$(printf '%s' "$1" | tr '/' '_')"
}

# Pages that must be present: invalid UTF-8, an unclosed code fence, and a
# few unusually shaped or large pages.
for page in \
    beta/resources/fallbackpolicyproperties.md \
    beta/api/unifiedrolemanagementpolicyrule-update.md \
    v1.0/api/windowshelloforbusinessauthenticationmethod-get.md \
    beta/resources/enums.md \
    beta/resources/intune-shared-devicemanagement.md \
    beta/api/driveitem-list-thumbnails.md; do
    copy "$page"
done

# Every Nth page of each directory, sorted byte-wise so the pick is stable.
for dir in beta/api beta/resources v1.0/api v1.0/resources; do
    (cd "$docs" && find "$dir" -maxdepth 1 -type f -name '*.md' | LC_ALL=C sort) |
        awk -v n="$step" 'NR % n == 1' |
        while IFS= read -r page; do copy "$page"; done
done

echo "seed.sh: $(find "$out" -type f | wc -l) files in $out"
