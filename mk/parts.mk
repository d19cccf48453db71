# Parts catalog: demo catalog and the search benchmark (see docs/parts.md).
.PHONY: demo-parts bench-parts

demo-parts: $(APP_VENV)/.installed ## regenerate demo/parts.jsonl (10,000 products, deterministic)
	$(APP)/python scripts/generate_demo_parts.py

bench-parts: $(APP_VENV)/.installed ## parts search p50/p95 on 10,000 products (SQLite + PostgreSQL), top-3 hit rate
	$(APP)/python -m bench.parts.run

bench: bench-parts
