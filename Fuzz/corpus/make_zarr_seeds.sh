#!/bin/sh
# Seeds for fuzz-zarr: each fixture store's metadata, a zero byte, and its first stored object.
set -e
cd "$(dirname "$0")/../.."
out=Fuzz/corpus/zarr
mkdir -p $out
for store in Tests/TesseraStorageTests/Fixtures/*.zarr; do
  name=$(basename "$store" .zarr)
  meta="$store/zarr.json"; [ -f "$meta" ] || meta="$store/.zarray"
  [ -f "$meta" ] || continue
  first=$(find "$store" -type f ! -name 'zarr.json' ! -name '.z*' | sort | head -n 1)
  { cat "$meta"; printf '\000'; [ -n "$first" ] && cat "$first"; } > "$out/$name"
done
