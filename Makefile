# Two commands do everything: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= postgres,mysql,test,bench

.PHONY: run test install bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the project metadata changes: a no-op otherwise.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[$(EXTRAS)]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py db upgrade
	$(BIN)/python app.py serve

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks (not tests): SIZE=1m or 10m synthetic daily facts; figures as JSON in OUT. A larger run reports
# its flatness (query p95 over the 1M run's) against var/bench-1m.json when a 1M run has been made.
SIZE ?= 1m
OUT ?= var/bench-$(SIZE).json
BASELINE ?= var/bench-1m.json
bench: $(STAMP)
	$(BIN)/python -m bench --size $(SIZE) --out $(OUT) $(if $(filter-out 1m,$(SIZE)),--baseline $(BASELINE))

clean:
	rm -rf $(VENV) var/*.sqlite
