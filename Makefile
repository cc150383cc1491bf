# Two commands for a fresh machine with Python 3.11+ and Node.js:
#   make run    install, migrate, seed and serve at http://127.0.0.1:5000 (SQLite in instance/)
#   make test   install and run the whole test suite on SQLite, then on PostgreSQL
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
VENDOR := static/vendor

.PHONY: setup run test test-sqlite test-postgres lint bench translations

$(BIN)/flask: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(BIN)/flask

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

setup: $(BIN)/flask $(VENDOR)/.stamp translations

run: setup
	$(FLASK) db upgrade
	$(FLASK) crm seed
	$(FLASK) crm ensure-admin
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: setup
	$(BIN)/ruff check .

test-sqlite: setup
	$(BIN)/pytest -q

test-postgres: setup
	CRM_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q

test: lint test-sqlite test-postgres

bench: setup
	$(BIN)/python -m bench.run
