# Tessera: `make demo` and `make test` do all set-up on a fresh Debian machine.
SWIFT ?= swift
SYSTEM_PACKAGES := libopenblas-dev liblapacke-dev graphviz
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps demo test tsan bench bench-compare peers clean

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

## Run the whole test suite.
test: deps
	$(SWIFT) test

## Run the test suite under ThreadSanitizer (own build folder; the largest graphs are scaled down).
tsan: deps
	TESSERA_SANITIZER=thread $(SWIFT) test --sanitize=thread --scratch-path .build-tsan

## Run the benchmark workloads (Tessera only).
bench: deps
	$(SWIFT) run -c release tessera-bench

## Create the Python peers' venv (.build/peers) and run every workload side by side with them.
bench-compare: deps
	$(SWIFT) run -c release tessera-bench --setup-peers --compare

clean:
	rm -rf .build
