--
-- cancel: a query cancel or statement_timeout interrupts an S3 call that the
-- server never answers, within a second, and the backend stays usable.
--
CREATE FUNCTION timed_read(srv text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
BEGIN
  PERFORM s3_read(srv, 'regress', 'k');
  RETURN 'finished';
EXCEPTION WHEN query_canceled THEN
  RETURN SQLERRM || ', ' ||
    CASE WHEN clock_timestamp() - t0 < current_setting('statement_timeout')::interval + interval '1 s'
         THEN 'within a second of the timeout'
         ELSE 'late: after ' || (clock_timestamp() - t0) END;
END $$;

SET statement_timeout = '1s';
SELECT timed_read('hang');
SET statement_timeout = '200ms';
SELECT timed_read('hang');
SET statement_timeout = '300ms';
SELECT s3_read('hang', 'regress', 'k');
SELECT * FROM s3_list_buckets('hang');
SELECT s3_upload('hang', 'regress', 'k', repeat('x', 100000));
RESET statement_timeout;

-- the TLS handshake and a credential fetch are interrupted the same way
\getenv hang_endpoint S3FDW_HANG_ENDPOINT
\set hang_tls_endpoint `echo "$S3FDW_HANG_ENDPOINT" | sed 's/^http:/https:/'`
CREATE SERVER hang_tls FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'hang_tls_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER hang_tls OPTIONS (access_key_id 'AKIAEXAMPLE', secret_access_key 'x');
CREATE SERVER hang_sts FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (credentials 'role', role_arn 'arn:aws:iam::123456789012:role/x', sts_endpoint :'hang_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER hang_sts OPTIONS (access_key_id 'AKIAEXAMPLE', secret_access_key 'x');
SET statement_timeout = '500ms';
SELECT timed_read('hang_tls');
SELECT timed_read('hang_sts');
RESET statement_timeout;

-- pg_cancel_backend() from another session, one second into the call
\! (sleep 1; psql -X -q -d contrib_regression -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT s3_read(''hang''%' AND pid <> pg_backend_pid()" >/dev/null) &
SELECT s3_read('hang', 'regress', 'k');

-- pg_terminate_backend() ends another session's call within a second
\! (psql -X -q -d contrib_regression -c "SELECT s3_read('hang', 'regress', 'terminate-me')" >/dev/null 2>&1 &)
SELECT pg_sleep(1);
-- meanwhile pg_stat_activity shows it waiting, not busy: wait_event_type
-- Extension (and on PostgreSQL 17 and later, wait_event S3Request)
SELECT state, wait_event_type, wait_event IN ('Extension', 'S3Request') AS s3_wait_event
  FROM pg_stat_activity
 WHERE query LIKE 'SELECT s3_read(''hang'', ''regress'', ''terminate-me'')%'
   AND pid <> pg_backend_pid();
SELECT count(pg_terminate_backend(pid)) AS terminated
  FROM (SELECT pid FROM pg_stat_activity
         WHERE query LIKE 'SELECT s3_read(''hang'', ''regress'', ''terminate-me'')%'
           AND pid <> pg_backend_pid() OFFSET 0) t;
DO $$
DECLARE
  t0 timestamptz := clock_timestamp();
BEGIN
  WHILE EXISTS (SELECT 1 FROM pg_stat_activity
                 WHERE query LIKE 'SELECT s3_read(''hang'', ''regress'', ''terminate-me'')%')
        AND clock_timestamp() - t0 < interval '5 s' LOOP
    PERFORM pg_sleep(0.05);
    PERFORM pg_stat_clear_snapshot();	-- a transaction sees one snapshot otherwise
  END LOOP;
  RAISE NOTICE 'the terminated backend %', CASE WHEN clock_timestamp() - t0 < interval '1 s'
    THEN 'ended within a second' ELSE 'took ' || (clock_timestamp() - t0) END;
END $$;

-- the backend and its connection pool still work
SELECT s3_read_text('s3', 'regress', 'data.csv');
