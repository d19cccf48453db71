# VIN: text rules, OCR of photos, offline decoding (see docs/vin.md). Included by the Makefile.
.PHONY: bench-vin test-vin

# e.g. make bench-vin BENCH_VIN_ARGS="--count 400 --timeout 5"
BENCH_VIN_ARGS ?=

bench: bench-vin

bench-vin: $(APP_VENV)/.installed ## VIN OCR on 240 generated photos (easy..extreme): exact rate, char accuracy, time; JSON in bench/results/vin.json
	$(APP)/python -m bench.vin.run $(BENCH_VIN_ARGS)

test-vin: $(APP_VENV)/.installed $(RASA_VENV)/.installed ## VIN tests: rules, decoding, OCR, CLI (app) and the Rasa extractor
	$(APP)/pytest tests/vin
	$(RASA)/pytest -q -p no:cacheprovider -c tests/components/pytest.ini tests/components/test_vin_extractor.py
