# StatusWatch — the two commands a newcomer needs:
#   make run    build everything and serve http://127.0.0.1:8080
#   make test   build with sanitizers and run every test
.PHONY: run test deps build build-test web web-test unit integration e2e format format-check lint clean bench deploy-test fuzz

JOBS ?= $(shell nproc)
RELEASE := build/release
TEST := build/test
PY := /usr/bin/python3

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSW_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE) -j $(JOBS)

build-test: deps
	@cmake -S . -B $(TEST) -DCMAKE_BUILD_TYPE=Debug -DSW_SANITIZE=ON >/dev/null
	@cmake --build $(TEST) -j $(JOBS)

web: deps
	@scripts/build-web.sh

run: build web
	@SW_BIN_DIR=$(CURDIR)/$(RELEASE)/bin scripts/run.sh

unit: build-test
	@cd $(TEST) && ctest --output-on-failure

integration: build-test web
	@SW_BIN_DIR=$(CURDIR)/$(TEST)/bin $(PY) -m pytest -q --durations=15 tests/integration

web-test: web
	@scripts/test-web.sh

e2e: build-test
	@SW_BIN_DIR=$(CURDIR)/$(TEST)/bin scripts/test-e2e.sh

# Offline checks of the image, compose file, Kubernetes manifests, OpenAPI document and tenant SQL.
deploy-test: deps
	@scripts/test-deploy.sh

# Short libFuzzer runs of every tests/fuzz target (clang, build/fuzz); long runs: bench/fuzz.sh.
fuzz: deps
	@scripts/test-fuzz.sh

# The real-stack browser flows (e2e, built by unit's build-test) mostly wait, so the
# static checks and the short fuzz runs go beside them at the lowest CPU priority.
test: unit integration web-test
	@scripts/run-beside.sh "SW_BIN_DIR=$(CURDIR)/$(TEST)/bin scripts/test-e2e.sh" \
	  "$(MAKE) --no-print-directory lint format-check deploy-test fuzz"

bench: build
	@SW_BIN_DIR=$(CURDIR)/$(RELEASE)/bin bench/api.sh
	@SW_BIN_DIR=$(CURDIR)/$(RELEASE)/bin bench/checker.sh
	@SW_BIN_DIR=$(CURDIR)/$(RELEASE)/bin bench/notify.sh

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

# Fails, listing what would change, when a C file is not formatted as .clang-format says.
format-check:
	@clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

# clang-tidy and cppcheck on the project's C code, tsc and ESLint on web/ (scripts/lint.sh).
# Uses build/test's compile_commands.json (configured as build-test does).
lint: deps
	@cmake -S . -B $(TEST) -DCMAKE_BUILD_TYPE=Debug -DSW_SANITIZE=ON >/dev/null
	@SW_BUILD_DIR=$(CURDIR)/$(TEST) JOBS=$(JOBS) scripts/lint.sh

clean:
	rm -rf build
