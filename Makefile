# The two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run up test install install-dev lint format migrations-check messages bench load clean vendor fuzz

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

# The production topology on one machine, without Docker: gunicorn, one Celery worker and the
# beat (Procfile, run by honcho) against DATABASE_URL and CELERY_BROKER_URL (Redis, required).
# The same start scripts (deploy/) as the container image; /healthz says whether all is well.
up: install-dev
	@test -n "$$CELERY_BROKER_URL" || { echo "make up needs CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0"; exit 2; }
	PATH="$(abspath $(BIN)):$$PATH" DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-salesdept.settings.local} deploy/build.sh
	PATH="$(abspath $(BIN)):$$PATH" DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-salesdept.settings.local} deploy/migrate.sh
	@echo ""
	@echo "  salesdept (web, worker, beat) at http://$(HOST):$(PORT)/   health: http://$(HOST):$(PORT)/healthz"
	@echo ""
	PATH="$(abspath $(BIN)):$$PATH" DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-salesdept.settings.local} \
		BIND=$(HOST):$(PORT) WEB_CONCURRENCY=$${WEB_CONCURRENCY:-2} \
		CELERY_BEAT_SCHEDULE_FILE=$${CELERY_BEAT_SCHEDULE_FILE:-$(CURDIR)/.celerybeat-schedule} \
		$(BIN)/honcho start -f Procfile

# The suite runs in parallel, one pytest-xdist worker per core (PYTEST_WORKERS=0 runs it in one
# process); each worker has its own test database (copied from the migrated one the previous run
# kept, tests/migrated_template.py). Python keeps its compiled modules and pytest its rewritten
# test modules even where the shell sets PYTHONDONTWRITEBYTECODE: without them every worker
# compiled the whole project and rewrote every test's asserts again (collecting took 13 s of a
# worker's CPU instead of 4).
PYTEST_WORKERS ?= auto
test: install-dev
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=salesdept.settings.test
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

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

# The load test: Locust headless against gunicorn (2 workers of 4 threads, as deploy/start-web.sh)
# on loopback, bounded in
# users and time (LOAD_USERS, LOAD_SECONDS), on the database DATABASE_URL points at (a seeded
# PostgreSQL one; the department-scale data for the README's figures).
LOAD_USERS ?= 20
LOAD_SECONDS ?= 60
load: install-dev
	$(BIN)/python loadtest/run.py --users $(LOAD_USERS) --seconds $(LOAD_SECONDS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .cache

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

# The performance benchmark. With BENCH_SMALL_URL and BENCH_LARGE_URL (two PostgreSQL
# databases) it measures both sizes in one sitting, interleaved, and prints every request's
# large/small ratio, query counts and HTML bytes and the budget lines (README, Performance);
# each database is migrated and seeded (small demo / department scale) when empty, and its
# reports computed: on the large one for the 36 months its backfill is timed over, so the first
# sitting times the nightly run and the backfill over stored figures, as every later one does
# (a first backfill that writes 24 months for the first time is not what a night compares to).
# Without them: `make bench` (small) or `make bench SIZE=large` on DATABASE_URL alone, as before.
SIZE ?= small
BENCH_RUNS ?= 7
bench: install
ifneq ($(and $(BENCH_SMALL_URL),$(BENCH_LARGE_URL)),)
	DATABASE_URL=$(BENCH_SMALL_URL) $(BIN)/python manage.py migrate --no-input
	DATABASE_URL=$(BENCH_SMALL_URL) $(BIN)/python manage.py seed_demo --size small --if-empty
	DATABASE_URL=$(BENCH_SMALL_URL) $(BIN)/python manage.py run_reports --months 12 --if-missing --no-email > /dev/null
	DATABASE_URL=$(BENCH_LARGE_URL) $(BIN)/python manage.py migrate --no-input
	DATABASE_URL=$(BENCH_LARGE_URL) $(BIN)/python manage.py seed_demo --size large --if-empty
	DATABASE_URL=$(BENCH_LARGE_URL) $(BIN)/python manage.py run_reports --months 36 --if-missing --no-email > /dev/null
	DEBUG=false $(BIN)/python manage.py bench --compare --runs $(BENCH_RUNS)
else
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --size $(SIZE) --if-empty
	$(BIN)/python manage.py run_reports --months 12 --if-missing --no-email > /dev/null
	DEBUG=false $(BIN)/python manage.py bench --size $(SIZE)
endif
