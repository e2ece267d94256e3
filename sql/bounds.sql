--
-- bounds: what a hostile or broken endpoint can send back, and what s3_fdw
-- does with it (test/fakes/fault_server.py sends it).  Every body has a
-- limit, every listing an end; text from the answer is checked before it
-- becomes a value.
--
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
CREATE SERVER hostile FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'fault_endpoint', max_retries '1');
CREATE USER MAPPING FOR PUBLIC SERVER hostile OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE FUNCTION rss_kb() RETURNS bigint LANGUAGE sql AS
  $$ SELECT substring(pg_read_file('/proc/self/status') FROM 'VmRSS:\s+(\d+) kB')::bigint $$;

-- a body without a Content-Length (chunked) stops at 1 GB, with the same
-- error as a declared length: never a wrapped bytea length
SELECT s3_try($$SELECT length(s3_read('hostile', 'regress', 'chunked/a'))$$);
-- an error document is kept to what a report needs (64 kB), whatever its
-- declared size (here 1.5 GB): the backend does not grow
SELECT rss_kb() AS rss0 \gset
SELECT s3_try($$SELECT s3_read('hostile', 'regress', 'bigerror/a')$$);
SELECT rss_kb() - :rss0 < 10240 AS grew_less_than_10_mb;
-- two Content-Length headers that disagree, and a header over curl's limit
SELECT s3_try($$SELECT s3_read('hostile', 'regress', 'twolengths/a')$$);
SELECT s3_try($$SELECT s3_read('hostile', 'regress', 'bigheader/a')$$);
-- a 2xx body is never tried again, whatever it says
SELECT encode(s3_read('hostile', 'regress', 'slowdownbody/a'), 'escape');
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress/slowdownbody/a"
SELECT s3_upload('s3', 'regress', 'bounds/slowdown.xml', '<Error><Code>SlowDown</Code></Error>', 'application/xml') IS NOT NULL AS uploaded;
SELECT requests AS r0 FROM s3_fdw_connection_stats() \gset
SELECT s3_read_text('s3', 'regress', 'bounds/slowdown.xml');
SELECT requests - :r0 AS requests FROM s3_fdw_connection_stats();

-- listing pages: no more keys than asked for
-- (one page after another: the fake's pages take no start-after, and the
-- token guard is what is tested)
CREATE FOREIGN TABLE hostile_objects (key text, size bigint, last_modified timestamptz, prefix text, max_keys int)
  SERVER hostile OPTIONS (bucket 'regress', parallel_listing 'false');
SELECT s3_try($$SELECT count(*) FROM hostile_objects WHERE prefix = 'bigpage/'$$);
-- valid XML that S3 does not send (a comment, CDATA, a processing
-- instruction, a character reference): outside the fast scanner's subset,
-- read by libxml2 all the same
SELECT key, size FROM hostile_objects WHERE prefix = 'xmlodd/' ORDER BY size;
SELECT s3_try($$SELECT count(*) FROM hostile_objects WHERE prefix = 'bigpage/' AND max_keys = 10$$);
-- listings that would never end: the same token again, an empty token, no
-- token although the page says there are more
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT s3_try($$SELECT count(*) FROM hostile_objects WHERE prefix = 'sametoken/'$$);
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress"
SELECT s3_try($$SELECT count(*) FROM hostile_objects WHERE prefix = 'emptytoken/'$$);
SELECT s3_try($$SELECT count(*) FROM hostile_objects WHERE prefix = 'notoken/'$$);
-- ListBuckets likewise (the fake picks its answer by the access key id)
CREATE SERVER hostile_buckets FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'fault_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER hostile_buckets OPTIONS (access_key_id 'FAULTSAMETOKEN', secret_access_key 'x');
SELECT s3_try($$SELECT count(*) FROM s3_list_buckets('hostile_buckets')$$);
ALTER USER MAPPING FOR PUBLIC SERVER hostile_buckets OPTIONS (SET access_key_id 'FAULTEMPTYTOKEN');
SELECT s3_try($$SELECT count(*) FROM s3_list_buckets('hostile_buckets')$$);

-- times that are not times: named, with the answer's bytes
ALTER USER MAPPING FOR PUBLIC SERVER hostile_buckets OPTIONS (SET access_key_id 'FAULTBADDATE');
SELECT s3_try($$SELECT * FROM s3_list_buckets('hostile_buckets')$$);
SELECT s3_try($$SELECT key, last_modified FROM hostile_objects WHERE prefix = 'baddate/'$$);
SELECT key, size FROM hostile_objects WHERE prefix = 'baddate/';
-- IMPORT FOREIGN SCHEMA skips a bucket name S3 would refuse, with a warning
ALTER USER MAPPING FOR PUBLIC SERVER hostile_buckets OPTIONS (SET access_key_id 'FAULTBADNAMES');
SELECT name FROM s3_list_buckets('hostile_buckets');
CREATE SCHEMA imported_hostile;
IMPORT FOREIGN SCHEMA anything FROM SERVER hostile_buckets INTO imported_hostile;
SELECT foreign_table_name FROM information_schema.foreign_tables
  WHERE foreign_table_schema = 'imported_hostile' ORDER BY 1;
DROP SCHEMA imported_hostile CASCADE;

-- a key that is not valid UTF-8: named with its bucket and bytes, and only
-- when a row that needs the key is read
SELECT s3_try($$SELECT key FROM hostile_objects WHERE prefix = 'badutf8/'$$);
SELECT count(*) FROM hostile_objects WHERE prefix = 'badutf8/';
SELECT size FROM hostile_objects WHERE prefix = 'badutf8/';

-- filter values have the lengths of keys (a token its own), refused before
-- any request (a token may hold any character, as Ceph RGW's are keys)
SELECT requests AS r0 FROM s3_fdw_connection_stats() \gset
CREATE FOREIGN TABLE hostile_filters (key text, prefix text, start_after text, continuation_token text)
  SERVER hostile OPTIONS (bucket 'regress');
SELECT s3_try($$SELECT count(*) FROM hostile_filters WHERE start_after = repeat('x', 2000000)$$);
SELECT s3_try($$SELECT count(*) FROM hostile_filters WHERE prefix = repeat('é', 513)$$);
SELECT s3_try($$SELECT count(*) FROM hostile_filters WHERE continuation_token = repeat('t', 8193)$$);
SELECT requests - :r0 AS requests_made FROM s3_fdw_connection_stats();
SELECT count(*) FROM hostile_filters WHERE prefix = repeat('é', 512);

DROP SERVER hostile, hostile_buckets CASCADE;
