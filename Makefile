.PHONY: run test setup dev dist
# Build in release mode and serve on http://127.0.0.1:3000 with the embedded SQLite database.
run:
	scripts/run.sh
# Every test: fmt, clippy, unit, integration (SQLite and PostgreSQL), Playwright (JS on and off).
test:
	scripts/test.sh
setup:
	scripts/setup.sh --test
# Development with live reload.
dev:
	scripts/setup.sh && . scripts/env.sh && cargo leptos watch
# The release as a tarball for servers: binary, site, deploy/ files (deploy/README.md).
dist:
	scripts/dist.sh
