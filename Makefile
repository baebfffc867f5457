# The two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint format migrations-check messages bench clean vendor fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py run_reports --months 12 --if-missing --no-email
	@echo ""
	@echo "  salesdept is running at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password: demo): head, lead1..lead3, rep1..rep12, sdr1, am1, assistant1, analyst1"
	@echo "  API docs: http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs in parallel, one pytest-xdist worker per core (PYTEST_WORKERS=0 runs it in one
# process); each worker has its own test database.
PYTEST_WORKERS ?= auto
test: install-dev
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=salesdept.settings.test
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Schema fuzzing in full: schemathesis over every operation of the OpenAPI schema as the head and
# as a rep, FUZZ_EXAMPLES per operation (the suite runs the same test with 3). Figures: README.
FUZZ_EXAMPLES ?= 30
fuzz: install-dev
	rm -f fuzz-report.txt
	FUZZ_MAX_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_REPORT=fuzz-report.txt $(BIN)/pytest -n 2 -p no:cacheprovider \
		tests/core/test_api_fuzz.py; status=$$?; grep '^fuzz as' fuzz-report.txt; exit $$status

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install-dev
	$(BIN)/python manage.py makemessages -l ru -l zh_Hans --ignore='.venv/*' --ignore='staticfiles/*'
	$(BIN)/python manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Front-end libraries come from npm, pinned in package.json/package-lock.json, and their built
# files are committed under static/vendor/: only `make vendor` (after changing a pin) needs Node;
# `make run` and `make test` do not.
VENDOR := static/vendor
vendor:
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/htmx.org/LICENSE $(VENDOR)/htmx.LICENSE
	mkdir -p $(VENDOR)/fullcalendar
	cp node_modules/temporal-polyfill/global.js $(VENDOR)/fullcalendar/temporal-polyfill.js
	cp node_modules/temporal-polyfill/LICENSE $(VENDOR)/fullcalendar/temporal-polyfill.LICENSE
	cp node_modules/fullcalendar/all/global.js $(VENDOR)/fullcalendar/fullcalendar.js
	cp node_modules/fullcalendar/themes/classic/global.js $(VENDOR)/fullcalendar/theme-classic.js
	cp node_modules/fullcalendar/locales-all/global.js $(VENDOR)/fullcalendar/locales-all.js
	cp node_modules/fullcalendar/skeleton.css $(VENDOR)/fullcalendar/skeleton.css
	cp node_modules/fullcalendar/themes/classic/theme.css $(VENDOR)/fullcalendar/theme-classic.css
	cp node_modules/fullcalendar/themes/classic/palette.css $(VENDOR)/fullcalendar/palette-classic.css
	cp node_modules/fullcalendar/LICENSE.md $(VENDOR)/fullcalendar/fullcalendar.LICENSE.md

# The performance benchmark: `make bench` (small, the demo data) or `make bench SIZE=large`
# (PostgreSQL only: DATABASE_URL=postgres://...). Seeds the chosen size when the database is empty.
SIZE ?= small
bench: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --size $(SIZE) --if-empty
	$(BIN)/python manage.py run_reports --months 12 --if-missing --no-email > /dev/null
	DEBUG=false $(BIN)/python manage.py bench --size $(SIZE)
