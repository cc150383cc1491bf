# Two commands for a fresh machine with Python 3.11+ and Node.js:
#   make run    install the runtime, migrate, seed and serve at http://127.0.0.1:5000 (SQLite in instance/)
#   make test   install the test tools too and run the whole test suite on SQLite, then on PostgreSQL
#   make screenshots   refresh the README's screenshots from demo data generated for a fixed date
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
RUN_URL := http://127.0.0.1:5000
VENDOR := static/vendor

.PHONY: setup runtime run test test-sqlite test-postgres lint bench translations screenshots

# The runtime alone (what `make run` needs), then the test and lint tools on top (the "dev" extra).
$(BIN)/flask: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $(BIN)/flask

$(VENV)/.dev: $(BIN)/flask pyproject.toml
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
	   node_modules/htmx.org/dist/htmx.min.js node_modules/echarts/dist/echarts.min.js \
	   node_modules/sortablejs/Sortable.min.js node_modules/axe-core/axe.min.js $(VENDOR)/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/
	touch $@

translations: $(BIN)/flask
	$(BIN)/pybabel compile --statistics -d crm/translations

runtime: $(BIN)/flask $(VENDOR)/.stamp translations

setup: runtime $(VENV)/.dev

run: runtime
	$(FLASK) db upgrade
	$(FLASK) crm seed
	$(FLASK) crm ensure-admin --url $(RUN_URL)
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: setup
	$(BIN)/ruff check .

test-sqlite: setup
	$(BIN)/pytest -q

test-postgres: setup
	CRM_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q

# Demo data for a fixed day and seed, so the pictures change only when the screens do.
screenshots: setup
	CRM_SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest -q tests/e2e/test_screenshots.py

test: lint test-sqlite test-postgres

bench: setup
	$(BIN)/python -m bench.run
