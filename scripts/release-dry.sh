#!/usr/bin/env bash
# Dry-run release: in a scratch copy of the tracked tree, apply the pending changesets
# (`changeset version`), build every package, and `pnpm publish --dry-run` each public one
# (its prepack builds it too, a cache hit here).
# The working tree is left untouched.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$root"
git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - | tar -xf - -C "$scratch"
cd "$scratch"
git init -q && git add -A && git -c user.email=dry@run -c user.name=dry commit -qm snapshot
pnpm install --prefer-offline --silent
pnpm exec changeset version
# Through turbo, so each package's prepack (turbo run build) during publish finds it cached.
pnpm exec turbo run build --filter='./packages/**' --output-logs=errors-only
pnpm -r --filter './packages/**' publish --dry-run --no-git-checks --access public
echo "release:dry ok: versions after changeset version:"
for f in $(git ls-files 'packages/**/package.json'); do node -e "const p=require('./$f'); console.log('  ' + p.name + '@' + p.version)"; done
