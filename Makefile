# s3_fdw: Amazon S3 (and S3-compatible stores) from PostgreSQL.
#
#   make && make install          build and install into PG_CONFIG's server
#   make unittest                 standalone tests of the signer, parsers and rules
#   make fuzz                     libFuzzer targets, FUZZ_SECONDS each; fails on a finding
#   make installcheck             pg_regress (needs the servers scripts/test.sh starts)
#
# Use scripts/test.sh for the whole suite and scripts/demo.sh for the demo.

MODULE_big = s3_fdw
OBJS = \
	src/fdw.o \
	src/fdw_scan.o \
	src/key_ranges.o \
	src/s3_list_ranges.o \
	src/fdw_modify.o \
	src/fdw_modify_guard.o \
	src/pushdown.o \
	src/fdw_utility.o \
	src/options.o \
	src/s3_values.o \
	src/core.o \
	src/crc32c.o \
	src/digest.o \
	src/sigv4.o \
	src/sigv4_canon.o \
	src/s3_xml.o \
	src/s3_xml_list.o \
	src/s3_xml_fast.o \
	src/s3_xml_peek.o \
	src/s3_xml_fast_lex.o \
	src/s3_xml_delete.o \
	src/aws_json.o \
	src/aws_profile.o \
	src/s3_names.o \
	src/http.o \
	src/http_callbacks.o \
	src/http_checks.o \
	src/credentials.o \
	src/credential_sources.o \
	src/s3_request.o \
	src/s3_checksum.o \
	src/s3_verify.o \
	src/s3_object.o \
	src/s3_bucket.o \
	src/s3_call.o \
	src/s3_multipart.o \
	src/s3_import.o \
	src/s3_export.o \
	src/s3_copy.o \
	src/s3_tags.o \
	src/s3_delete.o \
	src/s3_restore.o \
	src/functions_object.o \
	src/functions_bucket.o \
	src/functions_copy.o \
	src/functions_tags.o \
	src/copy_records.o \
	src/s3_head.o \
	src/s3_list.o \
	src/functions.o

EXTENSION = s3_fdw
DATA = sql/s3_fdw--1.0.sql sql/s3_fdw--1.1.sql sql/s3_fdw--1.2.sql sql/s3_fdw--1.0--1.1.sql \
	sql/s3_fdw--1.1--1.2.sql
PGFILEDESC = "s3_fdw - foreign data wrapper and functions for Amazon S3"

REGRESS = setup validation objects errors presign interop listing params joins credentials faults concurrency keepalive multipart object_info bulk copy writes writes_guard importexport archive encryption conditional update12 tags versions checksums listing_parallel bounds security tls badinput encoding readme readonly cancel
REGRESS_OPTS = --load-extension=s3_fdw

XML2_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null || xml2-config --cflags)
XML2_LIBS := $(shell pkg-config --libs libxml-2.0 2>/dev/null || xml2-config --libs)

PG_CPPFLAGS = -Isrc $(XML2_CFLAGS)
SHLIB_LINK = -lcurl -lcrypto -lz $(XML2_LIBS)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies: every object depends on every header
$(OBJS): $(wildcard src/*.h)

# ---- standalone unit tests (no PostgreSQL headers involved) ----
CORE = src/core.c src/core.h src/digest.c src/digest.h src/crc32c.c src/crc32c.h
SIGV4_SRC = src/sigv4.c src/sigv4_canon.c src/digest.c
SIGV4_DEPS = $(SIGV4_SRC) src/sigv4.h src/sigv4_canon.h
XML_SRC = src/s3_xml.c src/s3_xml_list.c src/s3_xml_fast.c src/s3_xml_peek.c src/s3_xml_fast_lex.c src/s3_xml_delete.c
XML_DEPS = $(XML_SRC) src/s3_xml.h src/s3_xml_fast.h src/s3_xml_internal.h src/s3_xml_fast_lex.h
UNIT_CC ?= cc
UNIT_CFLAGS ?= -O1 -g -Wall -Wextra -Werror -std=c11 -D_GNU_SOURCE
UNIT_BIN = test/unit/test_sigv4 test/unit/test_xml test/unit/test_names test/unit/test_creds test/unit/test_profile test/unit/test_fast test/unit/test_crc32c test/unit/test_copy_records test/unit/test_ranges
# botocore's vectors: the shared copy when present, else the one kept here
VECTORS ?= $(firstword $(wildcard ../shared/test-vectors/sigv4-s3.json) test/unit/sigv4-s3.json)

test/unit/test_sigv4: test/unit/test_sigv4.c $(SIGV4_DEPS) $(CORE) test/unit/unit.h
	$(UNIT_CC) $(UNIT_CFLAGS) -Isrc -o $@ test/unit/test_sigv4.c $(SIGV4_SRC) src/core.c -lcrypto

test/unit/test_xml: test/unit/test_xml.c $(XML_DEPS) src/s3_xml.h $(CORE) test/unit/unit.h test/list_compare.h
	$(UNIT_CC) $(UNIT_CFLAGS) -Isrc $(XML2_CFLAGS) -o $@ test/unit/test_xml.c $(XML_SRC) src/core.c $(XML2_LIBS)

test/unit/test_fast: test/unit/test_fast.c $(XML_DEPS) src/s3_xml.h src/s3_xml_fast.h $(CORE) test/unit/unit.h test/list_compare.h
	$(UNIT_CC) $(UNIT_CFLAGS) -Isrc $(XML2_CFLAGS) -o $@ test/unit/test_fast.c $(XML_SRC) src/core.c $(XML2_LIBS)

test/unit/test_creds: test/unit/test_creds.c $(XML_DEPS) src/aws_json.c src/aws_json.h src/s3_xml.h $(CORE) test/unit/unit.h
	$(UNIT_CC) $(UNIT_CFLAGS) -Isrc $(XML2_CFLAGS) -o $@ test/unit/test_creds.c $(XML_SRC) src/aws_json.c src/core.c $(XML2_LIBS)

test/unit/test_names: test/unit/test_names.c src/s3_names.c src/s3_names.h $(SIGV4_DEPS) $(CORE) test/unit/unit.h
	$(UNIT_CC) $(UNIT_CFLAGS) -Isrc -o $@ test/unit/test_names.c src/s3_names.c $(SIGV4_SRC) src/core.c -lcrypto

test/unit/test_crc32c: test/unit/test_crc32c.c src/crc32c.c src/crc32c.h test/unit/unit.h
	$(UNIT_CC) $(UNIT_CFLAGS) -Isrc -o $@ test/unit/test_crc32c.c src/crc32c.c

test/unit/test_copy_records: test/unit/test_copy_records.c src/copy_records.c src/copy_records.h test/unit/unit.h
	$(UNIT_CC) $(UNIT_CFLAGS) -Isrc -o $@ test/unit/test_copy_records.c src/copy_records.c

test/unit/test_ranges: test/unit/test_ranges.c src/key_ranges.c src/key_ranges.h src/s3_names.h test/unit/unit.h test/ranges_contract.h
	$(UNIT_CC) $(UNIT_CFLAGS) -Isrc -o $@ test/unit/test_ranges.c src/key_ranges.c

test/unit/test_profile: test/unit/test_profile.c src/aws_profile.c src/aws_profile.h $(CORE) test/unit/unit.h
	$(UNIT_CC) $(UNIT_CFLAGS) -Isrc -o $@ test/unit/test_profile.c src/aws_profile.c src/core.c

# The credential-chain tests each need a cluster started with an environment
# of its own (scripts/test.sh sets it): one group per cluster, each run with
# setup first.
REGRESS_CREDS_ENV = creds_env
REGRESS_CREDS_WEBID = creds_webid
REGRESS_CREDS_CONTAINER = creds_container
REGRESS_CREDS_IMDS = creds_imds
REGRESS_CREDS_IMDS_V2ONLY = creds_imds_v2only
REGRESS_CREDS_PROFILE = creds_profile
REGRESS_CREDS_PROFILE_CONFIG = creds_profile_config
REGRESS_CREDS_PROFILE_ERRORS = creds_profile_errors
# pg_cron's scheduled export: a cluster with shared_preload_libraries = pg_cron
REGRESS_CRON = cron
# the same tests of functions, listing, content, writes, import/export and
# multipart again, with the s3 server behind a relay that keeps connections
# open (scripts/test.sh points S3FDW_ENDPOINT at it), as AWS, MinIO and Ceph do
REGRESS_KEEP_OPEN = objects interop listing params joins keepalive multipart object_info bulk copy writes writes_guard importexport
# against Ceph's RADOS Gateway, which scripts/test.sh starts (start_rgw)
REGRESS_RGW = rgw rgw_crypt rgw_tags rgw_listing

# make print-regress (the main run's tests), make print-regress-CREDS_IMDS ...
.PHONY: print-regress
print-regress:
	@echo $(REGRESS)
print-regress-%:
	@echo setup $(REGRESS_$*)

.PHONY: unittest
unittest: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do ./$$t $(VECTORS) || exit 1; done

# ---- fuzzing (libFuzzer, with AddressSanitizer and UBSan) ----
FUZZ_CC ?= clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Isrc
FUZZ_TARGETS = xml names fast records ranges
FUZZ_SECONDS ?= 20

test/fuzz/fuzz_xml: test/fuzz/fuzz_xml.c $(XML_DEPS) src/aws_json.c src/aws_json.h src/s3_xml.h $(CORE) test/list_compare.h
	$(FUZZ_CC) $(FUZZ_FLAGS) $(XML2_CFLAGS) -o $@ test/fuzz/fuzz_xml.c $(XML_SRC) src/aws_json.c src/core.c $(XML2_LIBS)

test/fuzz/fuzz_fast: test/fuzz/fuzz_fast.c $(XML_DEPS) src/s3_xml.h src/s3_xml_fast.h $(CORE) test/list_compare.h
	$(FUZZ_CC) $(FUZZ_FLAGS) $(XML2_CFLAGS) -o $@ test/fuzz/fuzz_fast.c $(XML_SRC) src/core.c $(XML2_LIBS)

test/fuzz/fuzz_names: test/fuzz/fuzz_names.c src/s3_names.c $(SIGV4_DEPS) $(XML_DEPS) src/s3_names.h src/sigv4.h $(CORE)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(XML2_CFLAGS) -o $@ test/fuzz/fuzz_names.c src/s3_names.c $(SIGV4_SRC) $(XML_SRC) src/core.c -lcrypto $(XML2_LIBS)

test/fuzz/fuzz_ranges: test/fuzz/fuzz_ranges.c src/key_ranges.c src/key_ranges.h src/s3_names.h test/ranges_contract.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ test/fuzz/fuzz_ranges.c src/key_ranges.c

test/fuzz/fuzz_records: test/fuzz/fuzz_records.c src/copy_records.c src/copy_records.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ test/fuzz/fuzz_records.c src/copy_records.c

# each target runs FUZZ_SECONDS from the seed corpus; a crash, a leak or
# undefined behaviour fails it
.PHONY: fuzz
fuzz: $(addprefix test/fuzz/fuzz_,$(FUZZ_TARGETS))
	@failed=0; for f in $(FUZZ_TARGETS); do \
		rm -rf test/fuzz/work-$$f; mkdir -p test/fuzz/work-$$f; cp test/fuzz/corpus/$$f/* test/fuzz/work-$$f/; \
		if ./test/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 \
				test/fuzz/work-$$f >test/fuzz/fuzz_$$f.log 2>&1; then \
			echo "fuzz $$f: 1 passed, 0 failed ($$(grep -o 'Done [0-9]* runs in [0-9]* second' test/fuzz/fuzz_$$f.log))"; \
		else \
			echo "fuzz $$f: 0 passed, 1 failed"; tail -40 test/fuzz/fuzz_$$f.log; failed=1; \
		fi; \
	done; exit $$failed

EXTRA_CLEAN = $(UNIT_BIN) results/ regression.diffs regression.out test/fuzz/fuzz_xml test/fuzz/fuzz_names test/fuzz/fuzz_records test/fuzz/fuzz_ranges \
	test/fuzz/work-* test/fuzz/*.log
