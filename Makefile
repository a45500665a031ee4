# Marsad: the two set-up commands of the README live here.
#   make demo   create the environment, ingest the example reports, show the result
#   make test   create the environment and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= var/marsad.db

.PHONY: demo test env bench bench-record eval clean

$(BIN)/marsad: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench,postgres]'
	@touch $@

env: $(BIN)/marsad

demo: export COLUMNS ?= 150
demo: env
	@mkdir -p var
	$(BIN)/marsad ingest examples/reports --db $(DB)
	$(BIN)/marsad stats --db $(DB)
	$(BIN)/marsad search 'الحسكه' --db $(DB) --limit 5
	$(BIN)/marsad claims --db $(DB) --limit 15
	$(BIN)/marsad entities --db $(DB) --limit 10
	$(BIN)/marsad claims --contradictions --db $(DB) --limit 3

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

bench-record: env
	@mkdir -p benchmarks/out
	for b in "bench_pipeline.py --docs 10000" bench_search.py bench_arabic.py bench_dates_vs_dateparser.py \
	         "fuzz_arabic.py --inputs 1000000" bench_ner.py bench_ner_vs_spacy.py bench_extract.py; do \
	  n=$${b%%.py*}; /usr/bin/time -v $(BIN)/python benchmarks/$$b > benchmarks/out/$$n.txt 2>&1; done
	COLUMNS=100 $(BIN)/marsad ner eval > benchmarks/out/ner_eval.txt 2>&1
	$(BIN)/python benchmarks/collect_figures.py

clean:
	rm -rf $(VENV) var .pytest_cache
