# forumnlp: two commands on a fresh machine.
#   make demo   set up .venv and run the main job on the bundled sample data
#   make test   set up .venv and run the test suite (what CI runs)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench eval train setup clean notebooks

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt torch==2.13.0
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev,notebooks]"
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(VENV)/bin/forumnlp report corpora/sample/evaluation_forms.csv corpora/sample/forum_writeup.docx corpora/sample/forum_writeup_export.txt -o out/report.html --by session --by agency
	@echo "Report written to out/report.html"

test: $(STAMP)
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m pytest -n 2 -q

notebooks: $(STAMP)
	$(PY) -m pytest -q --nbmake notebooks

bench: $(STAMP)
	$(PY) benchmarks/run.py --sizes 10000 100000

eval: $(STAMP)
	$(VENV)/bin/forumnlp evaluate corpora/labelled/units.csv --split test

train: $(STAMP)
	$(VENV)/bin/forumnlp train corpora/labelled/units.csv -o models/forumnlp-default

clean:
	rm -rf $(VENV) out .pytest_cache
