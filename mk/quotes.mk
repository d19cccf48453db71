# Quotes and sales (issue 5): tests and the periodic expiry sweep (see docs/quotes.md).
.PHONY: test-quotes quotes-expire

test-quotes: $(APP_VENV)/.installed ## quote arithmetic (Hypothesis), lifecycle, stock races on PostgreSQL, PDF, signed links, report
	$(APP)/pytest tests/sales/quotes

quotes-expire: $(APP_VENV)/.installed ## mark quotes past their validity as expired (run it from cron, e.g. hourly)
	$(APP)/showroom quotes expire
