#!/usr/bin/env bash
# Runs fuzz-hdf5 with the arguments given (from `make fuzz`) and tells a crash inside Debian's
# libhdf5 itself from one in Tessera.
#
# Some damaged files crash libhdf5 1.10.8 before it has told Tessera anything (see
# Fuzz/libhdf5-crashes/README.md): no check of Tessera's can prevent that, and a run that happens
# upon one must not fail the build. A crash whose innermost frame outside the sanitizer runtime
# lies in libhdf5 is reported and the run counts as passed — and so is a timeout whose stack is
# inside libhdf5 (libFuzzer prints it as "==PID== ERROR: libFuzzer: timeout", with a space; seen
# in H5Fclose freeing its cache under AddressSanitizer); any other crash, leak or timeout fails
# as usual, with libFuzzer's own exit status.
set -u
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$@" 2>"$log"
status=$?
cat "$log" >&2
[ "$status" -eq 0 ] && exit 0
# The stack of the first report: frames "#N 0x… in FUNCTION (OBJECT+0x…)" or "… in FUNCTION FILE:LINE".
frame=$(sed -n '/^==[0-9]*== *ERROR/,$p' "$log" | grep -E '^[[:space:]]+#[0-9]+ ' \
    | grep -v -E 'libclang_rt|asan_|__interceptor_|__sanitizer|compiler-rt|libc\.so|sysdeps|memcpy|memmove|memset' | head -n 1)
if printf '%s\n' "$frame" | grep -q 'libhdf5'; then
    echo "fuzz-hdf5: stopped on a crash or timeout inside libhdf5 itself ($frame);" \
         "not a Tessera failure — see Fuzz/libhdf5-crashes/README.md and add the input there" >&2
    exit 0
fi
exit "$status"
