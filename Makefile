# Tessera: `make demo` and `make test` do all set-up on a fresh Debian machine.
SWIFT ?= swift
SYSTEM_PACKAGES := libopenblas-dev liblapacke-dev graphviz libsnappy-dev libzstd-dev zlib1g-dev liblz4-dev libbrotli-dev libblosc-dev libhdf5-dev libdeflate-dev chromium openmpi-bin libopenmpi-dev iproute2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps demo test consumer docs tsan fuzz bench bench-compare peers clean

## Install the system libraries the build needs, only those missing.
deps:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

## Build in release and run the main job on the bundled sample data.
demo: deps
	$(SWIFT) run -c release tessera demo

## Run the whole test suite. The memory-bound tests measure the release tessera-bench in a child
## process, and the MPI tests launch `mpirun -np 1/2/3` jobs of tessera-mpi-check, so both are
## built first. The dashboard's browser test needs Chromium (deps installs it).
test: export TESSERA_REQUIRE_BROWSER = 1
test: deps
	$(SWIFT) build -c release --product tessera-bench
	$(SWIFT) build --product tessera-mpi-check
	$(SWIFT) test
	$(MAKE) consumer

## Build Examples/Consumer (a Swift 6 package) against a tagged bare clone of this repository,
## as a versioned dependency, and run the README's tour from top-level code and an @main type.
consumer: deps
	bash Examples/Consumer/check.sh

## Build the DocC documentation of the three libraries with swift-docc-plugin, failing on any
## warning (a broken symbol link, a documented parameter that doesn't exist). One archive per
## module lands in .build/docs/MODULE; `docc preview` or any static file server shows it.
DOC_TARGETS := Tessera TesseraArray TesseraFrame TesseraFrameArray TesseraParquet TesseraStorage TesseraDashboard TesseraMPI TesseraDashboardMPI
docs: deps
	mkdir -p .build/docs
	for t in $(DOC_TARGETS); do \
	  $(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation --target $$t \
	    --warnings-as-errors --output-path .build/docs/$$t || exit 1; \
	done

## Run the test suite under ThreadSanitizer (own build folder; the largest graphs are scaled down).
## The MPI jobs are skipped there (Open MPI's own threads are not instrumented).
tsan: deps
	TESSERA_SANITIZER=thread $(SWIFT) test --sanitize=thread --scratch-path .build-tsan

## Fuzz the CSV, .npy, Parquet, Zarr and HDF5 readers for FUZZ_SECONDS each with libFuzzer + AddressSanitizer. Seeds:
## Fuzz/corpus and the .npy, Parquet and HDF5 test fixtures; crashers land in .build-fuzz/crashes (commit them under
## Fuzz/regressions/, where `make test` replays them).
## Leak checks are off: Foundation's Data(contentsOf:) leaks 4 KiB buffers on empty files, which is
## not ours to fix and would fail every run; crashes, overflows and hangs are what we hunt.
FUZZ_SECONDS ?= 60
## Random CSV files for the differential test (head/groupby read back, same at every partitioning):
## 1500 take about 90 s on 2 cores in a debug build.
CSV_DIFF_CASES ?= 1500
## allocator_may_return_null: a damaged HDF5 file can make libhdf5 ask malloc for hundreds of GB,
## which it handles when malloc returns NULL (as it does outside ASan); Swift's own allocations
## still trap on NULL, so a huge allocation of ours is still found.
fuzz: export ASAN_OPTIONS = detect_leaks=0:allocator_may_return_null=1
fuzz: deps
	$(SWIFT) build --scratch-path .build-fuzz --product fuzz-csv -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	$(SWIFT) build --scratch-path .build-fuzz --product fuzz-npy -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	$(SWIFT) build --scratch-path .build-fuzz --product fuzz-parquet -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	$(SWIFT) build --scratch-path .build-fuzz --product fuzz-zarr -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	$(SWIFT) build --scratch-path .build-fuzz --product fuzz-hdf5 -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	mkdir -p .build-fuzz/corpus/csv .build-fuzz/corpus/npy .build-fuzz/corpus/parquet .build-fuzz/corpus/zarr .build-fuzz/corpus/hdf5 .build-fuzz/crashes
	cp Fuzz/corpus/zarr/* .build-fuzz/corpus/zarr/
	cp Fuzz/corpus/hdf5/* Tests/TesseraStorageTests/Fixtures/arrays.h5 .build-fuzz/corpus/hdf5/
	cp Fuzz/corpus/csv/* .build-fuzz/corpus/csv/
	cp Tests/TesseraArrayTests/Fixtures/*.npy .build-fuzz/corpus/npy/
	cp Tests/TesseraParquetTests/Fixtures/*.parquet .build-fuzz/corpus/parquet/
	.build-fuzz/debug/fuzz-csv -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 \
	  -artifact_prefix=.build-fuzz/crashes/csv- .build-fuzz/corpus/csv
	.build-fuzz/debug/fuzz-npy -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 \
	  -artifact_prefix=.build-fuzz/crashes/npy- .build-fuzz/corpus/npy
	.build-fuzz/debug/fuzz-parquet -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 \
	  -artifact_prefix=.build-fuzz/crashes/parquet- .build-fuzz/corpus/parquet
	.build-fuzz/debug/fuzz-zarr -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 \
	  -artifact_prefix=.build-fuzz/crashes/zarr- .build-fuzz/corpus/zarr
	Fuzz/run-hdf5-fuzzer.sh .build-fuzz/debug/fuzz-hdf5 -max_total_time=$(FUZZ_SECONDS) -max_len=32768 -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 \
	  -artifact_prefix=.build-fuzz/crashes/hdf5- .build-fuzz/corpus/hdf5
	TESSERA_CSV_DIFF_CASES=$(CSV_DIFF_CASES) $(SWIFT) test --filter CSVDifferentialTests/headAndGroupbyReadBackAndDoNotDependOnPartitioning

## Run the benchmark workloads (Tessera only).
bench: deps
	$(SWIFT) run -c release tessera-bench

## Create the Python peers' venv (.build/peers) and run every workload side by side with them.
bench-compare: deps
	$(SWIFT) run -c release tessera-bench --setup-peers --compare

clean:
	rm -rf .build
