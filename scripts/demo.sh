#!/usr/bin/env bash
# The demo: installs what is needed, builds and installs s3_fdw, starts a
# local S3 (moto_server with signature checks on) and a throwaway PostgreSQL
# cluster, and runs demo/demo.sql, which uses every operation of 1.0 and 1.1.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

install_deps
build_install
start_s3
say "running demo/demo.sql in a throwaway PostgreSQL cluster"
# -e shows each query before its result; errors (psql writes them to stderr)
# come on the same output, in order; ON_ERROR_STOP ends the demo at an
# unexpected one (the errors section turns it off for its own)
if ! run_in_cluster AWS_ENDPOINT_URL_STS="$S3FDW_ENDPOINT" -- \
	bash -c 'exec psql -X -e -v ON_ERROR_STOP=1 -f demo/demo.sql 2>&1'; then
	say "demo/demo.sql stopped at an error (above)"
	exit 1
fi
say "done: every process started for the demo is stopped on exit"
