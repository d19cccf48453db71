"""NLU benchmark: Rasa's default pipeline vs the project's config.yml on a public dataset.

Run with `make bench-nlu` (see docs/nlu-benchmark.md). Everything here runs on Rasa's
Python 3.10 environment; the training and parsing happen in child processes so that
wall time and peak memory are measured per pipeline.
"""
