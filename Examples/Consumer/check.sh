#!/usr/bin/env bash
# Builds Examples/Consumer against Tessera as a versioned git dependency and runs it: a bare clone
# of this repository (the working tree's tracked files, committed or not) tagged 0.1.0, named by a
# file:// URL, with `from: "0.1.0"` — what SwiftPM refuses when a product carries unsafeFlags.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${CONSUMER_WORK:-$root/.build-consumer}"
rm -rf "$work/tessera.git" "$work/consumer"
mkdir -p "$work"
cd "$root"
rev="$(git stash create)"; rev="${rev:-HEAD}"
git init -q --bare "$work/tessera.git"
git push -q "$work/tessera.git" "$rev:refs/heads/main"
git -C "$work/tessera.git" tag 0.1.0 main
cp -R "$root/Examples/Consumer" "$work/consumer"
rm -rf "$work/consumer/.build" "$work/consumer/Package.resolved"
export TESSERA_URL="file://$work/tessera.git"
if ! swift build --package-path "$work/consumer" > "$work/build.log" 2>&1; then
  grep -E "error|warning: .*Sendable" "$work/build.log" | head -40 >&2
  echo "Examples/Consumer failed to build against $TESSERA_URL (full log: $work/build.log)" >&2
  exit 1
fi
bin="$(swift build --package-path "$work/consumer" --show-bin-path)"
"$bin/consumer"
"$bin/consumer-main"
