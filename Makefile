# hvp — build and test entry points. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

TARGET     ?= x86_64-unknown-linux-gnu
CARGO      ?= cargo
VENV       ?= .venv
PYTHON     ?= python3
# ansible-core 2.19 is the newest line that runs on Python 3.11 (2.20+ needs Python >= 3.12).
ANSIBLE_CORE_SPEC ?= ansible-core>=2.19,<2.20
MODULE_DIR := target/$(TARGET)/release
# Ansible binary modules: every binary whose name starts with hvp_ (CLIs use dashes).
MODULES    := $(patsubst modules/docs/%.yml,%,$(wildcard modules/docs/hvp_*.yml))

.PHONY: help example setup deps modules venv test test-rust test-ansible test-net test-files test-lab test-running test-lvm test-engine test-engine-sim test-engine-rust engine-venvs lint bench bench-engine clean test-harden fuzz-deps fuzz-build fuzz-ci fuzz

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

example: ## run hvp-gdeploy-gen on the built-in 3-node example
	$(CARGO) run --quiet --release -p hvp-modules --bin hvp-gdeploy-gen -- examples/facts-3nodes.json

modules: ## build the Ansible modules as static binaries into library/
	RUSTFLAGS='-C target-feature=+crt-static' $(CARGO) build --release --locked --target $(TARGET) -p hvp-modules -p hvp-engine
	mkdir -p library
	for m in $(MODULES); do install -m 0755 $(MODULE_DIR)/$$m library/$$m; install -m 0644 modules/docs/$$m.yml library/$$m.yml; done

setup: deps venv ## install the Debian packages (as root) and the Python venv the tests need

deps: ## install the Debian packages the tests need (as root)
	scripts/install-deps.sh

venv: $(VENV)/bin/ansible-playbook ## create the Python venv with ansible-core, ansible-lint and molecule

$(VENV)/bin/ansible-playbook: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet '$(ANSIBLE_CORE_SPEC)' -r requirements-dev.txt
	touch $@

# The steps of `make test`, in order; each prints its wall time (CI budget: 30 minutes in all).
TEST_STEPS := setup test-rust test-ansible test-net test-files test-lab test-lvm test-engine test-engine-sim fuzz-ci

# After `setup`, the fuzz targets are built beside the other steps (niced: it takes the CPU the
# lab suites leave idle while they wait for daemons); `fuzz-ci` waits for that build.
# BESIDE steps run beside the others (BESIDE= runs them in line): test-lab (its glusterd
# commit on one node, then the others: 0.4 of a core on average) and test-net (4 CPU-seconds in
# 3 minutes: the probe's own timeouts). Each has its own namespaces, prefix, loop devices and
# state (docs/labs.md, tests/netns/lib.sh), as have the steps beside them. They start once
# test-rust has built their debug binaries and `modules` the static ones (so no step waits for
# cargo's build lock); each one's output is printed when its turn in TEST_STEPS comes.
BESIDE ?= test-lab test-net
test: ## set up, then run every test (as root: loop devices, network namespaces); prints each step's time
	@fuzz_pid=; declare -A bg_pid bg_start; \
	for step in $(TEST_STEPS); do \
		start=$$(date +%s); \
		if [ -n "$${bg_pid[$$step]:-}" ]; then \
			bg_rc=0; wait "$${bg_pid[$$step]}" || bg_rc=$$?; \
			cat "target/$$step.log"; \
			echo "== make $$step (beside the other steps): $$(( $$(date +%s) - $${bg_start[$$step]} )) s, of which waited for: $$(( $$(date +%s) - start )) s"; \
			[ "$$bg_rc" -eq 0 ] || exit 1; \
			continue; \
		fi; \
		if [ "$$step" = fuzz-ci ] && [ -n "$$fuzz_pid" ]; then \
			wait "$$fuzz_pid" || { cat target/fuzz-build.log; exit 1; }; \
			echo "== make fuzz-build (beside the other steps) waited for: $$(( $$(date +%s) - start )) s"; \
			start=$$(date +%s); \
		fi; \
		$(MAKE) --no-print-directory $$step || exit 1; \
		echo "== make $$step: $$(( $$(date +%s) - start )) s, disk free after it: $$(df -h --output=avail . | tail -1 | tr -d ' ')"; \
		if [ "$$step" = setup ]; then \
			mkdir -p target; \
			( nice -n 19 $(MAKE) --no-print-directory fuzz-build >target/fuzz-build.log 2>&1 ) & fuzz_pid=$$!; \
		fi; \
		if [ "$$step" = test-rust ] && [ -n "$(strip $(BESIDE))" ]; then \
			start=$$(date +%s); \
			$(MAKE) --no-print-directory modules || exit 1; \
			echo "== make modules: $$(( $$(date +%s) - start )) s"; \
			for bg in $(BESIDE); do \
				bg_start[$$bg]=$$(date +%s); \
				( $(MAKE) --no-print-directory $$bg >"target/$$bg.log" 2>&1 ) & bg_pid[$$bg]=$$!; \
			done; \
		fi; \
	done

test-rust: ## unit, snapshot, property and CLI tests
	$(CARGO) test --workspace --locked

# The debug binaries other steps run (hvp-engine-sim; tests/labs and tests/netns build theirs the
# same way): built by test-rust's own command, so after it there is nothing to build. A `cargo
# build -p PKG` resolves features without the dev-dependencies and rebuilds hvp-core and what
# depends on it under other hashes (1-2 CPU-minutes per feature set).
DEBUG_BINS := $(CARGO) test --workspace --locked --no-run --quiet

test-ansible: modules venv ## modules under real ansible-playbook, loop devices, molecule, ansible-lint
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" tests/ansible/run.sh

test-running: modules venv ## recorded plan, drift, teardown, expansion: Rust tests + suites 70-73 (part of test-rust/test-ansible)
	$(CARGO) test --locked -p hvp-core --test drift_recorded --test teardown --test expand
	$(CARGO) test --locked -p hvp-modules --test hvp_teardown_cli --test hvp_gdeploy_gen_existing
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" tests/ansible/run.sh 70-storage-drift 71-recorded-plan 72-storage-teardown 73-running-playbooks

test-net: venv ## hvp-netprobe inside network namespaces it creates
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" tests/netns/run.sh

test-files: ## generated smb.conf/ctdb.conf/ganesha.conf against testparm, ctdb-config and a real ganesha.nfsd (root)
	tests/files/run.sh

test-lab: ## real glusterd/ctdbd/smbd/ganesha in network namespaces it creates (tests/labs, root)
	tests/labs/run.sh

test-lvm: modules ## hvp's LVM plans on real LVM: expansion, drift, teardown in User-Mode Linux (tests/lvmlab, root)
	LVMLAB_BIN=$(CURDIR)/$(MODULE_DIR) tests/lvmlab/run.sh

# Engine test server checks: two venvs, built once and re-used while their requirements do not change.
ENGINE_SDK_VENV   := tests/engine/.venv-sdk
ENGINE_OVIRT_VENV := tests/engine/.venv-ovirt

engine-venvs: $(ENGINE_SDK_VENV)/.done $(ENGINE_OVIRT_VENV)/.done ## the venvs of the Engine test-server checks (SDK + pytest; ansible 8.7.0 with ovirt.ovirt)

$(ENGINE_SDK_VENV)/.done: tests/engine/requirements-sdk.txt
	rm -rf $(ENGINE_SDK_VENV)
	$(PYTHON) -m venv $(ENGINE_SDK_VENV)
	$(ENGINE_SDK_VENV)/bin/pip install --quiet --upgrade pip
	$(ENGINE_SDK_VENV)/bin/pip install --quiet -r tests/engine/requirements-sdk.txt
	touch $@

$(ENGINE_OVIRT_VENV)/.done: tests/engine/requirements-ovirt.txt
	rm -rf $(ENGINE_OVIRT_VENV)
	$(PYTHON) -m venv $(ENGINE_OVIRT_VENV)
	$(ENGINE_OVIRT_VENV)/bin/pip install --quiet --upgrade pip
	$(ENGINE_OVIRT_VENV)/bin/pip install --quiet -r tests/engine/requirements-ovirt.txt
	touch $@

test-engine-sim: engine-venvs ## hvp-engine-sim against the official SDK suite and the ovirt.ovirt playbook (its Rust tests: test-rust)
	$(DEBUG_BINS)
	HVP_ENGINE_SIM=$(CURDIR)/target/debug/hvp-engine-sim tests/engine/run.sh

test-engine: modules venv ## the hvp_engine module and CLI under ansible-playbook against hvp-engine-sim (their Rust tests: test-rust, test-engine-rust)
	$(DEBUG_BINS)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" tests/engine/module.sh

test-engine-rust: ## the Engine stage's Rust tests alone (rules, client, CLI, simulator; part of test-rust)
	$(CARGO) test --locked -p hvp-core --lib engine
	$(CARGO) test --locked -p hvp-core --test engine_storage_plans
	$(CARGO) test --locked -p hvp-engine -p hvp-engine-sim

bench-engine: modules venv engine-venvs ## wall time of the Engine stage: hvp_engine vs the ovirt.ovirt tasks, against hvp-engine-sim
	$(CARGO) build --release --locked -p hvp-engine-sim
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" tests/engine/bench.sh

lint: ## rustfmt and clippy, as CI runs them
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# 15 targets x 8 s, two at a time (one per core): 1 minute of fuzzing in `make test`, after one build
# of every target.
FUZZ_CI_SECONDS ?= 8
FUZZ_SECONDS    ?= 3600

test-harden: fuzz-deps ## input-hardening regression tests (issue 11), then the bounded fuzz run
	$(CARGO) test --locked -p hvp-core --test hardening_network --test hardening_facts --test hardening_ini --test hardening_netfacts \
		--test hardening_fileservices --test hardening_recorded_plan --test hardening_engine --test hardening_balanced
	$(CARGO) test --locked -p hvp-engine --test hardening_inputs
	$(CARGO) test --locked -p hvp-modules --test hardening_cli --test hardening_new_inputs_cli
	FUZZ_JOBS=2 scripts/fuzz.sh $(FUZZ_CI_SECONDS)

# Without a sanitizer the targets build on the default toolchain (cargo-fuzz then passes no
# unstable flag); FUZZ_SANITIZER=address also installs nightly, which -Zsanitizer needs.
FUZZ_SANITIZER ?= none
fuzz-deps: ## install cargo-fuzz when missing (and nightly with FUZZ_SANITIZER=address)
	[ "$(FUZZ_SANITIZER)" = none ] || rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	$(CARGO) fuzz --version >/dev/null 2>&1 || $(CARGO) install cargo-fuzz --locked

fuzz-build: fuzz-deps ## build every fuzz target in one cargo run (the flags scripts/fuzz.sh runs them with)
	scripts/fuzz.sh build

fuzz-ci: fuzz-build ## every fuzz target for FUZZ_CI_SECONDS (8 s) each: no panic, no hang, no raw control character
	FUZZ_JOBS=2 scripts/fuzz.sh $(FUZZ_CI_SECONDS)

fuzz: fuzz-deps ## a longer campaign: FUZZ_SECONDS (1 h) per target, prints executions and findings
	scripts/fuzz.sh $(FUZZ_SECONDS)

bench: ## criterion benchmarks, the balanced CLI figures and the ansible decision-phase benchmark
	$(CARGO) bench -p hvp-core
	scripts/bench-balanced.sh
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" tests/ansible/bench.sh

clean: ## remove build output, library/ and the venv
	$(CARGO) clean
	rm -rf library $(VENV)
