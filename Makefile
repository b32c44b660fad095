# Two commands do everything on a fresh Debian machine (as root, or with sudo):
#   make demo   set up, then write every document from records/ into out/
#   make test   set up, then run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Fonts for Latin, Cyrillic, CJK and other scripts; HarfBuzz subsetting (WeasyPrint is ~50x slower
# without it); pdftoppm/pdffonts, qpdf and zbarimg for tests and previews; LibreOffice for DOCX -> PDF;
# LibreOffice Calc for the tests of the Excel round trip (irdocs export, import --update);
# Cairo for CairoSVG (the SVG emblem drawn as a PNG for Word documents); Chromium for the web app's
# browser test (Playwright drives Debian's Chromium: Playwright's own browser download is not used);
# nginx for the test that serves irdocs behind deploy/irdocs-nginx.conf (started on loopback by the test);
# SoftHSM, a software PKCS#11 token, for the test of signing with a key on a token.
# hunspell with its Mongolian and English dictionaries for the spelling test of every text the documents print;
# hyphen-en-gb, hyphen-en-us and hyphen-mn, the patterns LibreOffice hyphenates the Word drafts with (w:autoHyphenation).
APT_PACKAGES := fonts-noto-core fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 \
	poppler-utils qpdf zbar-tools libreoffice-writer-nogui libreoffice-calc-nogui libcairo2 chromium nginx softhsm2 \
	hunspell hunspell-mn hunspell-en-us hyphen-en-gb hyphen-en-us hyphen-mn

.PHONY: setup system demo test lint bench clean

# irdocs' own modules are compiled ahead (an editable install does not, and with
# PYTHONDONTWRITEBYTECODE set Python would compile them again in every process: 0.1 s each).
setup: system $(VENV)/.installed
	@$(BIN)/python -m compileall -q irdocs

system:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=""; if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null && \
	  fc-cache -f >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The main job: every document of the sample records (certificates, agreement drafts, fact
# sheets, in English and Mongolian), then a few that only the single commands make (a bilingual
# draft, a country's sheet in its delegation's language).
# The sample office's department key is made on purpose, once (no command makes one by itself);
# the tests make their own in a folder of the test session (tests/conftest.py).
SAMPLE_KEY = @$(BIN)/irdocs key show >/dev/null 2>&1 || { echo "No department key on this computer yet: making the sample office's key (irdocs key init)."; $(BIN)/irdocs key init; }

demo: setup
	$(SAMPLE_KEY)
	$(BIN)/irdocs check
	$(BIN)/irdocs stats
	$(BIN)/irdocs build --date 2026-11-27
	$(BIN)/irdocs renewals --within 180 --today 2026-11-27
	$(BIN)/irdocs factsheet country JP --language ja --as-of 2026-11-27
	$(BIN)/irdocs agreement human-medicine-2plus4-2021 --language en+mn --date 2026-11-27
	@echo "Done: the documents are in out/ (certificates/, agreements/, factsheets/)."

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -n 2

bench: setup
	$(SAMPLE_KEY)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/web_load.py

lint: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf out/* .pytest_cache
