# Inventory: demo data, NLU lookup tables and the inventory benchmark (see docs/inventory.md).
.PHONY: demo-data nlu-synonyms bench-inventory

demo-data: $(APP_VENV)/.installed ## regenerate demo/branches.csv and demo/vehicles.csv (deterministic)
	$(APP)/python scripts/generate_demo_inventory.py

nlu-synonyms: $(APP_VENV)/.installed ## regenerate data/nlu/vehicle_synonyms.yml (brand aliases)
	$(APP)/showroom nlu synonyms --out data/nlu/vehicle_synonyms.yml

bench-inventory: $(APP_VENV)/.installed ## import 10,000 vehicles and time searches (SQLite + PostgreSQL)
	$(APP)/python -m bench.inventory.run

bench: bench-inventory
