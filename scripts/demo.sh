#!/usr/bin/env bash
# The demo: installs what is needed, builds and installs s3_fdw, starts a
# local S3 (moto_server with signature checks on) and a throwaway PostgreSQL
# cluster, and runs demo/demo.sql, which uses every operation.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

install_deps
build_install
start_s3
say "running demo/demo.sql in a throwaway PostgreSQL cluster"
run_in_cluster AWS_ENDPOINT_URL_STS="$S3FDW_ENDPOINT" -- psql -X -v ON_ERROR_STOP=1 -f demo/demo.sql
say "done: every process started for the demo is stopped on exit"
