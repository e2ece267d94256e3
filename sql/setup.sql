--
-- setup: the servers, user mappings and buckets the other tests use.
-- Endpoints and keys come from the environment that scripts/test.sh sets:
-- moto with signature checks on (s3), moto without them (s3p, for presigned
-- URLs), a keep-alive relay in front of the first (s3ka), a server that never
-- answers (hang) and a port nobody listens on (closed).
--
\getenv endpoint S3FDW_ENDPOINT
\getenv presign_endpoint S3FDW_PRESIGN_ENDPOINT
\getenv proxy_endpoint S3FDW_PROXY_ENDPOINT
\getenv hang_endpoint S3FDW_HANG_ENDPOINT
\getenv closed_endpoint S3FDW_CLOSED_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
\getenv ro_ak S3FDW_RO_AK
\getenv ro_sk S3FDW_RO_SK

SELECT extname, extversion FROM pg_extension WHERE extname = 's3_fdw';
SELECT fdwname, fdwhandler::regproc, fdwvalidator::regproc FROM pg_foreign_data_wrapper WHERE fdwname = 's3_fdw';

CREATE SERVER s3 FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER s3 OPTIONS (access_key_id :'ak', secret_access_key :'sk');

CREATE SERVER s3p FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'presign_endpoint', url_style 'path');
CREATE USER MAPPING FOR PUBLIC SERVER s3p OPTIONS (access_key_id :'ak', secret_access_key :'sk');

CREATE SERVER s3ka FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'proxy_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER s3ka OPTIONS (access_key_id :'ak', secret_access_key :'sk');

CREATE SERVER hang FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'hang_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER hang OPTIONS (access_key_id :'ak', secret_access_key :'sk');

CREATE SERVER closed FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'closed_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER closed OPTIONS (access_key_id :'ak', secret_access_key :'sk');

-- a role whose own mapping holds the read-only user's keys
CREATE ROLE regress_s3_reader;
GRANT USAGE ON FOREIGN SERVER s3 TO regress_s3_reader;
CREATE USER MAPPING FOR regress_s3_reader SERVER s3 OPTIONS (access_key_id :'ro_ak', secret_access_key :'ro_sk');

-- a role that may use the server but has no keys of its own: PUBLIC's apply
CREATE ROLE regress_s3_user;
GRANT USAGE ON FOREIGN SERVER s3 TO regress_s3_user;

-- a role without USAGE
CREATE ROLE regress_s3_outsider;

SELECT s3_create_bucket('s3', 'regress');
SELECT s3_create_bucket('s3', 'regress-interop');
SELECT s3_create_bucket('s3p', 'presign');

-- a function the error tests use: SQLSTATE, message, detail and hint, with
-- what differs between runs masked: S3's request ids, local ports, the
-- milliseconds curl counted, and the test run's temporary directory; and
-- libcurl's own words as libcurl 7.88 (Debian 12's) puts them, where later
-- versions (Debian 13's, testing's) reword them
CREATE FUNCTION s3_mask(t text) RETURNS text LANGUAGE sql AS $$
  SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(t,
    'Request id: [^ ]+\.', 'Request id: <id>.'),
    'to 127\.0\.0\.1:[0-9]+ after [0-9]+ ms', 'to 127.0.0.1 port <port> after <n> ms', 'g'),
    'port [0-9]+ after [0-9]+ ms', 'port <port> after <n> ms'),
    'timed out after [0-9]+ milliseconds', 'timed out after <n> milliseconds'),
    '127\.0\.0\.1:[0-9]+', '127.0.0.1:<port>', 'g'),
    '/tmp/s3fdw\.[A-Za-z0-9]+/', '<work>/', 'g'),
    'Could not connect to server', 'Couldn''t connect to server', 'g'),
    'end of response with ([0-9]+) bytes missing', 'transfer closed with \1 bytes remaining to read', 'g'),
    'matches target hostname', 'matches target host name', 'g'),
    'SSL certificate OpenSSL verify result: ([^(]*) \([0-9]+\)\.', 'SSL certificate problem: \1.', 'g'),
    'SSL connect error: (OpenSSL/[0-9.]+|TLS connect error): ', 'SSL connect error: <TLS library>: ', 'g') $$;
-- EXPLAIN ANALYZE without what differs between versions: PostgreSQL 18
-- prints actual rows with two decimals, and buffers unless told not to
CREATE FUNCTION s3_explain_analyze(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  l text;
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
    RETURN NEXT regexp_replace(l, 'rows=([0-9]+)\.00 ', 'rows=\1 ', 'g');
  END LOOP;
END $$;
CREATE FUNCTION s3_try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  st text; msg text; det text; hnt text; ctx text;
BEGIN
  EXECUTE sql;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                          det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT,
                          ctx = PG_EXCEPTION_CONTEXT;
  -- s3_fdw's own context line, not PL/pgSQL's
  ctx := split_part(ctx, E'\n', 1);
  IF ctx ~ '^(PL/pgSQL|SQL statement|SQL function)' THEN ctx := NULL; END IF;
  RETURN st || ': ' || s3_mask(msg)
    || coalesce(E'\n  detail: ' || nullif(s3_mask(det), ''), '')
    || coalesce(E'\n  hint: ' || nullif(hnt, ''), '')
    || coalesce(E'\n  context: ' || nullif(ctx, ''), '');
END $$;
GRANT EXECUTE ON FUNCTION s3_try(text) TO PUBLIC;
