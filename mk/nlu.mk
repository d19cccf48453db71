# NLU pipeline benchmark and custom components (issue 6). Included by the Makefile.
.PHONY: bench-nlu bench-nlu-dev bench-nlu-tune nlu-fallback-threshold

BENCH_NLU_ARGS ?=

bench-nlu: $(RASA_VENV)/.installed ## NLU benchmark: Rasa's default pipeline vs config.yml (QUICK=1: small subset)
	$(RASA)/python -m bench.nlu.run $(if $(QUICK),--quick) $(BENCH_NLU_ARGS)

bench-nlu-dev: $(RASA_VENV)/.installed ## the same, scored on the benchmark's eval split (for tuning; QUICK=1 works)
	$(RASA)/python -m bench.nlu.run --split eval $(if $(QUICK),--quick) $(BENCH_NLU_ARGS)

bench-nlu-tune: $(RASA_VENV)/.installed ## grid of intent classifier settings, scored on the eval split only
	$(RASA)/python -m bench.nlu.tune_intent $(BENCH_NLU_TUNE_ARGS)

nlu-fallback-threshold: $(RASA_VENV)/.installed ## cross-validate the intent classifier on data/nlu: FallbackClassifier trade-offs
	$(RASA)/python -m bench.nlu.fallback_threshold
