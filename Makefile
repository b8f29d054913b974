# Everything a fresh machine (Python 3.11, Node with npm, no AWS credentials) needs, from the project's own files.
#   make synth   - virtualenv + pinned CDK CLI, then `cdk synth --no-lookups` of the whole app into cdk.out
#   make test    - same bootstrap, then lint, type check, pytest (assertions, snapshots, validators)
#   make check   - the inner loop: lint, type check and the tests that need no full synth and no validator
#   make lock    - regenerate the hash-locked requirements*.txt from requirements*.in (after editing a pin)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
ENV ?= prod
VENV := .venv
CHECKOV_VENV := .venv-checkov
BIN := $(VENV)/bin
CDK := node_modules/.bin/cdk
CDK_FLAGS := --no-lookups --no-notices --no-version-reporting
# Extra cdk arguments, e.g. CDK_ARGS="-c imageTag=<git-sha>" (a release of one exact image).
CDK_ARGS ?=
# Extra scripts/offline_diff.py arguments, e.g. DIFF_ARGS="--baseline-ref origin/main" or "--accept STACK/ID"
# (broadened IAM/SG access fails prod and warns for other environments; "--broadening fail|warn" overrides).
DIFF_ARGS ?=
# Extra scripts/cost arguments, e.g. COST_ARGS=--json (the estimate as JSON) or COST_ARGS="--top 10".
COST_ARGS ?=
# Extra scripts/verify_charts.py arguments: CI passes --require-all (a release it cannot pull fails the job).
VERIFY_ARGS ?=
# prod asks before IAM/security-group widening; dev deploys unattended. CI passes never for prod: the
# `prod` GitHub environment's reviewers approve after reading the plan.
REQUIRE_APPROVAL ?= $(if $(filter prod,$(ENV)),broadening,never)
# template: compare with the deployed templates through the bootstrap lookup role only (read-only, what
# the CI diff role may assume); change-set needs the deploy role.
ONLINE_DIFF_METHOD ?= template
export CDK_DISABLE_CLI_TELEMETRY := true

# Node: jsii and the CDK CLI support Node ^22 and ^24 (.nvmrc, package.json engines: 24). Where the machine's
# node is older than 22, make installs the Node 24 pinned in toolchain/node/package-lock.json (linux-x64,
# integrity-checked by npm ci) into the project and puts it first on PATH for everything it runs: the CDK
# CLI, the app and the jsii Node process it spawns, the tests. With Node >= 22 nothing extra is installed.
NODE_MIN_MAJOR := 22
NODE_TOOLCHAIN := toolchain/node
SYSTEM_NODE_MAJOR := $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
ifneq ($(shell test "$(SYSTEM_NODE_MAJOR)" -ge $(NODE_MIN_MAJOR) 2>/dev/null && echo supported),supported)
NODE_INSTALLED := $(NODE_TOOLCHAIN)/node_modules/.installed
export PATH := $(CURDIR)/$(NODE_TOOLCHAIN)/node_modules/.bin:$(PATH)
endif

.PHONY: help bootstrap lock crds verify-charts synth test check check-tests capacity capacity-reference cost cost-reference reachability reachability-reference lint typecheck pytest diff diff-online manifests diagram bench baseline config-reference suppressions deploy deploy-plan security-scan clean

help:
	@echo "make synth   synthesize every stack of ENV=$(ENV) into cdk.out (no AWS credentials needed)"
	@echo "make test    lint + type check + tests + validators (cfn-lint, cdk-nag, checkov, kubernetes-validate)"
	@echo "make check   the inner loop (~30 s): lint + type check + the tests that need no full synth and no validator"
	@echo "make diff    offline release review of cdk.out against the committed baseline; fails on every danger"
	@echo "make manifests  render the Kubernetes manifests to dist/ for review"
	@echo "make deploy  cdk deploy --all for ENV, independent stacks in parallel (needs AWS credentials)"
	@echo "make deploy-plan  waves, critical path and estimated deploy time of ENV (offline)"
	@echo "make security-scan  checkov over the workflows and the repository (secrets)"
	@echo "make reachability  who can reach whom in ENV's cdk.out (NetworkPolicy, Istio, security groups)"
	@echo "make cost    monthly cost estimate of cdk.out (USD; run make synth ENV=... first); COST_ARGS=--json"
	@echo "make capacity  pod slots, CPU and memory per node group of ENV (needed vs available)"
	@echo "make suppressions  list every acknowledged finding with its reason"
	@echo "make lock    re-resolve requirements*.txt (hashes) from requirements*.in; UPGRADE=all or UPGRADE=<pkg> to bump"
	@echo "make verify-charts  render every pinned Helm chart with the synthesized values and validate the result"
	@echo "make clean   remove build output and virtualenvs"

# The locks list every package with its hashes: --require-hashes refuses anything else, --no-deps
# because the lock already is the whole set. pip prints each package it collects (no --quiet): the
# first run takes a few minutes and should say so.
PIP_INSTALL := pip install --require-hashes --no-deps --disable-pip-version-check --progress-bar off

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH (or make PYTHON=python3)"; exit 1; }
	@echo "==> $(VENV): Python packages of requirements-dev.txt (hash-locked; a few minutes on a fresh clone)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/$(PIP_INSTALL) -r requirements-dev.txt
	touch $@

$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	@echo "==> $(CHECKOV_VENV): checkov of requirements-checkov.txt (hash-locked, its own virtualenv)"
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/$(PIP_INSTALL) -r requirements-checkov.txt
	touch $@

$(NODE_TOOLCHAIN)/node_modules/.installed: $(NODE_TOOLCHAIN)/package.json $(NODE_TOOLCHAIN)/package-lock.json
	@[ "$$(uname -sm)" = "Linux x86_64" ] || { echo "Node $(SYSTEM_NODE_MAJOR) is older than $(NODE_MIN_MAJOR) and the pinned Node 24 is for Linux x86_64 only: install Node 24 (.nvmrc)"; exit 1; }
	@command -v npm >/dev/null || { echo "need npm on PATH (to install the pinned Node 24 of $(NODE_TOOLCHAIN))"; exit 1; }
	@echo "==> $(NODE_TOOLCHAIN): Node $(SYSTEM_NODE_MAJOR) is past its end of life; the Node 24 of $(NODE_TOOLCHAIN)/package-lock.json (npm ci)"
	npm ci --prefix $(NODE_TOOLCHAIN) --no-audit --no-fund --loglevel=error
	touch $@

node_modules/.installed: package.json package-lock.json $(NODE_INSTALLED)
	@echo "==> node_modules: the pinned AWS CDK CLI and cdk8s CLI of package-lock.json (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# uv resolves from PyPI only (it reads no pip.conf, so a machine's local indexes cannot leak into the
# locks) and hashes every file of each pinned release, for any platform. It keeps the pins already in
# a lock unless told: UPGRADE=all re-resolves everything, UPGRADE=jsii bumps one package.
UPGRADE ?=
LOCK_FLAGS := --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock" \
  $(if $(filter all,$(UPGRADE)),--upgrade,$(foreach p,$(UPGRADE),--upgrade-package $(p)))
lock: $(VENV)/.installed
	$(BIN)/uv pip compile $(LOCK_FLAGS) requirements.in -o requirements.txt
	$(BIN)/uv pip compile $(LOCK_FLAGS) requirements-dev.in -o requirements-dev.txt
	$(BIN)/uv pip compile $(LOCK_FLAGS) requirements-checkov.in -o requirements-checkov.txt

bootstrap: $(VENV)/.installed $(CHECKOV_VENV)/.installed node_modules/.installed

# The project's own modules. Byte-compiled before a synth or a test run: with PYTHONDONTWRITEBYTECODE set
# (as on this machine) Python would otherwise compile all of them, the 2.7 MB generated CRD bindings among
# them, in every process (~1 s CPU and ~50 MiB of the synth's peak memory); compileall skips the up-to-date ones.
APP_SOURCES := app.py entrypoint.py names.py findings.py config addons fit k8s_charts stacks scripts tests
COMPILE = $(BIN)/python -m compileall -q $(APP_SOURCES) >/dev/null

synth: $(VENV)/.installed node_modules/.installed
	rm -rf cdk.out
	$(COMPILE)
	$(CDK) synth $(CDK_FLAGS) --quiet -c env=$(ENV) $(CDK_ARGS) --output cdk.out
	@ls cdk.out/*.template.json | sed 's/^/  wrote /'

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

pytest: bootstrap
	$(COMPILE)
	$(BIN)/pytest

test: bootstrap lint typecheck pytest

# The inner loop. tests/conftest.py marks every test from the fixtures it requests: `synth` (a full
# synthesized environment) and `validators` (another program: cfn-lint, checkov, the CDK CLI, ...); those
# run in make test only, which stays the gate CI runs. The three parts run side by side (mypy's first run,
# without .mypy_cache, takes about a minute; later runs a second or two).
CHECK_MARKERS := not synth and not validators
check: $(VENV)/.installed node_modules/.installed
	$(COMPILE)
	$(MAKE) --no-print-directory -j3 --output-sync=target lint typecheck check-tests

check-tests: $(VENV)/.installed
	$(BIN)/pytest -q -m "$(CHECK_MARKERS)"

diff: synth
	$(BIN)/python -m scripts.offline_diff --env $(ENV) $(DIFF_ARGS)

diff-online: synth
	$(CDK) diff $(CDK_FLAGS) --app cdk.out --method $(ONLINE_DIFF_METHOD)

baseline: synth
	$(BIN)/python -m scripts.offline_diff --env $(ENV) --update

manifests: synth
	$(BIN)/python -m scripts.render_manifests --env $(ENV) --out dist --assembly cdk.out

diagram: synth
	$(BIN)/python -m scripts.diagram --assembly cdk.out --out docs/diagram --readme README.md

# Deploys in dependency order, independent stacks side by side: --concurrency is the widest wave of the
# offline synth's stack graph (scripts/deploy_plan.py; the account does not change the graph). The deploy
# itself synthesizes again with the credentials' account (the CLI sets CDK_DEFAULT_ACCOUNT).
# STACKS="TechLib-prod-Cicd" deploys only those stacks (the first deploy: the ECR repositories, then push).
# scripts/image_check.py refuses first when an image the deployed stacks run is not in ECR (one line; without
# credentials it says the check was skipped).
STACKS ?=
deploy: synth
	$(BIN)/python -m scripts.image_check --assembly cdk.out --stacks "$(STACKS)"
	concurrency=$$($(BIN)/python -m scripts.deploy_plan --assembly cdk.out --concurrency); \
	$(CDK) deploy $(or $(STACKS),--all) $(CDK_FLAGS) -c env=$(ENV) $(CDK_ARGS) --require-approval $(REQUIRE_APPROVAL) \
	  --concurrency $$concurrency --progress events

# Waves, critical path and estimated wall time (fresh environment, and the diff against baseline/<env>/).
deploy-plan: synth
	$(BIN)/python -m scripts.deploy_plan --assembly cdk.out --baseline baseline/$(ENV)

# CKV_SECRET_6 (generic high-entropy strings) is skipped: it flags CDK logical IDs and key names; the
# detectors of real credential formats (AWS keys, private keys, tokens) still run.
security-scan: $(CHECKOV_VENV)/.installed
	$(CHECKOV_VENV)/bin/checkov --skip-download --compact --quiet --directory . \
	  --framework github_actions secrets --enable-secret-scan-all-files --skip-check CKV_SECRET_6 \
	  --skip-path '(^|/)(\.venv|\.venv-checkov|node_modules|cdk\.out|dist|\.git|\.mypy_cache|\.ruff_cache|\.pytest_cache|__pycache__)(/|$$)'

suppressions: synth
	$(BIN)/python -m scripts.suppressions --assembly cdk.out

# The capacity table per node group and the pod inventory behind it; exit 2 when a group cannot hold its pods.
capacity: $(VENV)/.installed
	$(BIN)/python -m scripts.capacity --env $(ENV) --inventory

capacity-reference: $(VENV)/.installed
	$(BIN)/python -m scripts.capacity --write-readme

# Who can reach whom (NetworkPolicies, Istio policies, security groups), from cdk.out; exit 1 when the layers disagree.
reachability: $(VENV)/.installed
	@test -d cdk.out || { echo "no cdk.out: run make synth ENV=$(ENV) first"; exit 2; }
	$(BIN)/python -m scripts.reachability --env $(ENV) --assembly cdk.out

reachability-reference: synth
	$(BIN)/python -m scripts.reachability --env prod --assembly cdk.out --write-readme README.md
# The monthly estimate of the synthesized cdk.out (it must be ENV's synth: `make synth ENV=dev` first).
cost: $(VENV)/.installed
	$(BIN)/python -m scripts.cost --env $(ENV) --assembly cdk.out $(COST_ARGS)

# README's cost tables need both environments: each is synthesized into its own directory.
COST_OUT := .cost-out
cost-reference: $(VENV)/.installed node_modules/.installed
	rm -rf $(COST_OUT)
	$(COMPILE)
	$(CDK) synth $(CDK_FLAGS) --quiet -c env=prod --output $(COST_OUT)/prod >/dev/null
	$(CDK) synth $(CDK_FLAGS) --quiet -c env=dev --output $(COST_OUT)/dev >/dev/null
	$(BIN)/python -m scripts.cost --write-readme --prod-assembly $(COST_OUT)/prod --dev-assembly $(COST_OUT)/dev

config-reference: $(VENV)/.installed
	$(BIN)/python -m scripts.config_reference --write

# The cdk8s CLI only regenerates k8s_charts/imports/ (typed classes of the CRDs we apply): pinned here and
# run through npm exec, so `npm ci` for synth does not install it.
CDK8S_CLI_VERSION := 2.207.60
crds: $(VENV)/.installed
	$(BIN)/python -m scripts.import_crds --cdk8s-cli $(CDK8S_CLI_VERSION)

# HELM_CHART_CACHE=<dir>: read the charts from local copies (<chart>-<version>/ or <chart>-<version>.tgz)
# instead of pulling them from their repositories.
verify-charts: synth
	$(BIN)/python -m scripts.verify_charts --env $(ENV) --assembly cdk.out $(VERIFY_ARGS)

bench: bootstrap
	$(COMPILE)
	$(BIN)/python -m scripts.bench $(if $(PEER),--peer $(PEER))

clean:
	rm -rf cdk.out .cost-out dist .pytest_cache .mypy_cache .ruff_cache $(VENV) $(CHECKOV_VENV) node_modules $(NODE_TOOLCHAIN)/node_modules
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
