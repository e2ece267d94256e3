--
-- faults: what a faulty S3 (test/fakes/fault_server.py in front of moto)
-- does to every call: retries with backoff for 5xx, SlowDown,
-- RequestTimeout and dropped connections, none for other 4xx; clear errors
-- for broken answers; integrity checks; a million-key listing in flat memory.
--
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
CREATE SERVER faulty FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'fault_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER faulty OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE SERVER faulty_once FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'fault_endpoint', max_retries '0');
CREATE USER MAPPING FOR PUBLIC SERVER faulty_once OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE SERVER faulty_quick FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'fault_endpoint', request_timeout '1', connect_timeout '1');
CREATE USER MAPPING FOR PUBLIC SERVER faulty_quick OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_upload('s3', 'regress', k, 'body of ' || k) IS NOT NULL AS uploaded
  FROM unnest(ARRAY['flaky/a.txt', 'slowdown/a.txt', 'timeout400/a.txt', 'reset/a.txt']) k;

-- worth another try: each read succeeds, after as many tries as the fault took
SELECT s3_read_text('faulty', 'regress', 'flaky/a.txt');
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress/flaky/a.txt"
SELECT s3_read_text('faulty', 'regress', 'slowdown/a.txt');
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress/slowdown/a.txt"
SELECT s3_read_text('faulty', 'regress', 'timeout400/a.txt');
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress/timeout400/a.txt"
SELECT s3_read_text('faulty', 'regress', 'reset/a.txt');
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress/reset/a.txt"

-- an upload retried is sent whole again and lands once, intact
SELECT s3_upload('faulty', 'regress', 'flaky/upload.bin', decode(repeat('00ff7f80', 50000), 'hex')) = md5(decode(repeat('00ff7f80', 50000), 'hex')) AS uploaded;
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress/flaky/upload.bin"
SELECT s3_read('s3', 'regress', 'flaky/upload.bin') = decode(repeat('00ff7f80', 50000), 'hex') AS intact;

-- giving up: the error says after how many tries
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'always503/a.txt')$$);
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress/always503/a.txt"
SELECT s3_try($$SELECT s3_read('faulty_once', 'regress', 'always503/b.txt')$$);
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress/always503/b.txt"
-- other 4xx are never tried again
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'denied/a.txt')$$);
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress/denied/a.txt"
-- an error document with an empty <Message> (as Ceph RGW sends them): the code alone
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'emptymessage/a.txt')$$);

-- broken answers
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'short/a.txt')$$);
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'long/a.txt')$$);
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'htmlerror/a.txt')$$);
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'redirect/a.txt')$$);
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'huge/a.txt')$$);
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'badmd5/a.txt')$$);
-- a ranged read gets the range it asked for, as Content-Range says, or an
-- error (08P01) and no bytes: 206 from byte 0 instead of 24 (the length
-- right); a range cut short before the total it gives (48 bytes said to be
-- 49); no Content-Range; a 416 that says the object is longer
SELECT count(s3_upload('s3', 'regress', k, '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL')) AS uploaded
  FROM unnest(ARRAY['rangezero/48.txt', 'rangetotal/48.txt', 'rangenone/48.txt', 'range416/48.txt']) k;
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'rangezero/48.txt', 24, 12)$$);
SELECT s3_try($$SELECT s3_read_text('faulty', 'regress', 'rangezero/48.txt', 40, 100)$$);
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'rangetotal/48.txt', 40, 100)$$);
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'rangenone/48.txt', 24, 12)$$);
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'rangenone/48.txt', 24, 0)$$);
SELECT s3_try($$SELECT s3_read('faulty', 'regress', 'range416/48.txt', 24, 12)$$);
-- what matches passes: from byte 0 as asked, a 416 past the stated end, whole objects
SELECT s3_read_text('faulty', 'regress', 'rangezero/48.txt', 0, 12) AS "0+12",
       s3_read('faulty', 'regress', 'range416/48.txt', 1000000, 12) AS past_the_end,
       s3_read_text('faulty', 'regress', 'rangenone/48.txt') AS whole;
-- s3_head: the whole answer or an error, never part of it: more than 64 kB
-- of headers (3,013 metadata headers), a metadata name twice (in any case),
-- no ETag, no Content-Length; 1,000 metadata headers (24 kB) all come back
SELECT s3_try($$SELECT * FROM s3_head('faulty', 'regress', 'badhead/many')$$);
SELECT s3_try($$SELECT * FROM s3_head('faulty', 'regress', 'badhead/twice')$$);
SELECT s3_try($$SELECT * FROM s3_head('faulty', 'regress', 'badhead/noetag')$$);
SELECT s3_try($$SELECT * FROM s3_head('faulty', 'regress', 'badhead/nosize')$$);
SELECT size, etag, (SELECT count(*) FROM jsonb_object_keys(metadata)) AS keys,
       metadata ->> 'k0000' AS first, metadata ->> 'k0999' AS last
  FROM s3_head('faulty', 'regress', 'badhead/some');
-- 403 to a HEAD: AWS's answer for a missing key when s3:ListBucket is not
-- granted, which cannot be told from a denial (a HEAD answer has no body)
SELECT s3_try($$SELECT * FROM s3_head('faulty', 'regress', 'badhead/denied')$$);
-- unless the server opts out of the check (verify_md5 false), as the Java SDK allows
CREATE SERVER faulty_nomd5 FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'fault_endpoint', verify_md5 'false');
CREATE USER MAPPING FOR PUBLIC SERVER faulty_nomd5 OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_read_text('faulty_nomd5', 'regress', 'badmd5/a.txt');
CREATE SERVER bad_md5_option FOREIGN DATA WRAPPER s3_fdw OPTIONS (verify_md5 'maybe');
-- verify_md5 'auto' (the default) checks over plain http, as this server is; 'true' everywhere
CREATE SERVER faulty_md5_auto FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'fault_endpoint', verify_md5 'auto');
CREATE USER MAPPING FOR PUBLIC SERVER faulty_md5_auto OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_try($$SELECT s3_read('faulty_md5_auto', 'regress', 'badmd5/a.txt')$$) ~ 'does not match its ETag' AS checked;
CREATE SERVER faulty_md5_on FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'fault_endpoint', verify_md5 'on');
DROP SERVER faulty_md5_auto, faulty_md5_on CASCADE;
CREATE FOREIGN TABLE faulty_listing2 (key text, prefix text) SERVER faulty OPTIONS (bucket 'regress');
SELECT s3_try($$SELECT count(*) FROM faulty_listing2 WHERE prefix = 'badxml/'$$);
SELECT s3_try($$SELECT count(*) FROM faulty_listing2 WHERE prefix = 'html/'$$);
-- an endless trickle ends at request_timeout, without retries
SELECT timed_try($$SELECT s3_read('faulty_quick', 'regress', 'trickle/a.txt')$$);

-- nothing leaks across statements that failed: PostgreSQL memory, nor the
-- malloc'd buffers of error answers (the process's resident size)
CREATE FUNCTION error_memory(n int) RETURNS TABLE (context_growth bigint, rss_growth_kb bigint)
LANGUAGE plpgsql AS $$
DECLARE
  ctx bigint[] := '{}';
  rss bigint[] := '{}';
BEGIN
  FOR i IN 1..n LOOP
    PERFORM s3_try($q$SELECT s3_read('faulty_once', 'regress', 'htmlerror/x')$q$);
    PERFORM s3_try($q$SELECT s3_read('faulty', 'regress', 'denied/x')$q$);
    PERFORM s3_try($q$SELECT s3_read('faulty', 'regress', 'huge/x')$q$);
    -- the same statements sample memory every 100 rounds; the first
    -- sample, once every plan is cached, is the baseline (the resident size
    -- first: from PostgreSQL 16 on, its compiled regular expression is
    -- counted in the memory contexts)
    IF i % 100 = 0 THEN
      rss := rss || substring(pg_read_file('/proc/self/status') FROM 'VmRSS:\s+(\d+) kB')::bigint;
      ctx := ctx || (SELECT sum(total_bytes) FROM pg_backend_memory_contexts);
    END IF;
  END LOOP;
  context_growth := ctx[array_length(ctx, 1)] - ctx[1];
  rss_growth_kb := rss[array_length(rss, 1)] - rss[1];
  RETURN NEXT;
END $$;
SELECT context_growth < 16 * 1024 AS contexts_flat, rss_growth_kb < 1024 AS rss_flat FROM error_memory(400);

-- a million keys: backend memory stays flat from the first page to the last
-- (one page after another: the fake's pages are picked by token alone, it
-- takes no start-after)
CREATE FOREIGN TABLE million (key text, size bigint, etag text, prefix text)
  SERVER faulty OPTIONS (bucket 'regress', parallel_listing 'false');
CREATE FUNCTION million_memory() RETURNS TABLE (rows_seen int, backend_bytes bigint)
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  n int := 0;
BEGIN
  FOR r IN SELECT key FROM million WHERE prefix = 'million/' LOOP
    n := n + 1;
    IF n % 100000 = 0 THEN
      rows_seen := n;
      SELECT sum(total_bytes) INTO backend_bytes FROM pg_backend_memory_contexts;
      RETURN NEXT;
    END IF;
  END LOOP;
END $$;
SELECT count(*) AS samples, max(rows_seen) AS rows,
       max(backend_bytes) - min(backend_bytes) < 1024 * 1024 AS grew_less_than_1_mb
  FROM million_memory();

-- a connection or TLS handshake that times out is tried again, as in the AWS
-- SDKs' standard retry mode (the trickle above, which used up its whole
-- request_timeout, was not)
\getenv hang_endpoint S3FDW_HANG_ENDPOINT
SELECT replace(:'hang_endpoint', 'http://', 'https://') AS hang_tls \gset
CREATE SERVER hang_tls FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'hang_tls', connect_timeout '1', max_retries '1');
CREATE USER MAPPING FOR PUBLIC SERVER hang_tls OPTIONS (access_key_id :'ak', secret_access_key :'sk');
-- (libcurl 8 words the timeout differently, and no longer says that it
-- struck in the TLS handshake: the hint is then that of any timeout,
-- expected/faults_1.out)
SELECT regexp_replace(s3_try($$SELECT s3_read('hang_tls', 'regress', 'a.txt')$$),
  'Timeout was reached: .*\. Gave up', 'Timeout was reached: <libcurl''s words>. Gave up') AS s3_try;
DROP SERVER hang_tls CASCADE;
