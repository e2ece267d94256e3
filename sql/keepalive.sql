--
-- keepalive: many requests in flight over connections that stay open, as
-- AWS, MinIO and Ceph RGW keep them (moto closes each one; the keep-alive
-- relay s3ka in front of it does not).  An answer was once judged after
-- libcurl had already sent the next request on its connection, and the
-- next answer's first bytes were taken for a body longer than its
-- Content-Length (08P01): content scans and s3_import failed at random.
--
SELECT s3_create_bucket('s3ka', 'regress-ka');
CREATE FOREIGN TABLE ka_objects (key text, size bigint, content bytea)
  SERVER s3ka OPTIONS (bucket 'regress-ka');

-- 48 objects of 1 MB; the relay holds every eighth (keys with "slow-") for
-- 100 ms, so that the scan waits for it while the later objects arrive and
-- their connections carry the next requests
INSERT INTO ka_objects (key, content)
  SELECT 'hol/' || lpad(i::text, 3, '0') || CASE WHEN i % 8 = 5 THEN '-slow-' ELSE '' END,
         convert_to(repeat(md5(i::text), 32768), 'UTF8')
    FROM generate_series(0, 47) i;
SELECT count(*), sum(size) FROM ka_objects;

-- twelve scans at the default max_concurrency (16 in flight), each row
-- taking 5 ms: every one reads all 48 bodies whole (before the fix, about
-- half of such scans failed)
CREATE FUNCTION ka_scans(n int) RETURNS TABLE (scans int, failed int, bytes bigint, first_error text)
LANGUAGE plpgsql AS $$
DECLARE
  b bigint;
BEGIN
  scans := n; failed := 0; bytes := 0;
  FOR i IN 1..n LOOP
    BEGIN
      SELECT sum(length(content)) INTO b
        FROM ka_objects WHERE pg_sleep(0.005) IS NOT NULL;
      bytes := bytes + b;
    EXCEPTION WHEN OTHERS THEN
      failed := failed + 1;
      first_error := coalesce(first_error, SQLSTATE || ': ' || SQLERRM);
    END;
  END LOOP;
  RETURN NEXT;
END $$;
SELECT * FROM ka_scans(12);
-- the bodies are the objects' own
SELECT count(*) FILTER (WHERE content = convert_to(repeat(md5(substr(key, 5, 3)::int::text), 32768), 'UTF8')) AS same
  FROM ka_objects;

-- over few connections: no more new ones than requests in flight
SELECT requests AS r0, connections AS c0 FROM s3_fdw_connection_stats() \gset
SELECT sum(length(content)) FROM ka_objects;
SELECT requests - :r0 AS requests, connections - :c0 <= 16 AS at_most_16_new_connections
  FROM s3_fdw_connection_stats();

-- s3_import at the defaults: 8 MB ranged chunks, several in flight over
-- kept connections, compared with the rows exported
SELECT * FROM s3_export('s3ka',
  'SELECT i, md5(i::text), timestamptz ''2026-01-01'' + i * interval ''1 second'' FROM generate_series(1, 600000) i',
  'regress-ka', 'rows.csv');
CREATE TABLE ka_rows (i int, m text, t timestamptz);
CREATE FUNCTION ka_imports(n int) RETURNS TABLE (imports int, failed int, rows bigint, first_error text)
LANGUAGE plpgsql AS $$
BEGIN
  imports := n; failed := 0; rows := 0;
  FOR i IN 1..n LOOP
    BEGIN
      TRUNCATE ka_rows;
      rows := rows + s3_import('s3ka', 'regress-ka', 'rows.csv', 'ka_rows');
    EXCEPTION WHEN OTHERS THEN
      failed := failed + 1;
      first_error := coalesce(first_error, SQLSTATE || ': ' || SQLERRM);
    END;
  END LOOP;
  RETURN NEXT;
END $$;
SELECT * FROM ka_imports(3);
SELECT count(*), count(DISTINCT i), min(i), max(i),
       bool_and(m = md5(i::text) AND t = timestamptz '2026-01-01' + i * interval '1 second') AS same
  FROM ka_rows;

-- a body really longer than its Content-Length, on a kept connection, is
-- still reported (fault server: 10 bytes declared, 20 sent)
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
CREATE SERVER ka_faulty FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'fault_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER ka_faulty OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_try($$SELECT s3_read('ka_faulty', 'regress', 'longmulti/ka')$$);

DROP SERVER ka_faulty CASCADE;
DROP TABLE ka_rows;
DROP FUNCTION ka_scans(int), ka_imports(int);
SELECT s3_remove('s3ka', 'regress-ka', array_agg(key)) FROM ka_objects;
SELECT s3_remove('s3ka', 'regress-ka', 'rows.csv');
DROP FOREIGN TABLE ka_objects;
SELECT s3_delete_bucket('s3ka', 'regress-ka');
