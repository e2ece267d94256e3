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

-- pg_cancel_backend() from another session, one second into the call
\! (sleep 1; psql -X -q -d contrib_regression -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT s3_read(''hang''%' AND pid <> pg_backend_pid()" >/dev/null) &
SELECT s3_read('hang', 'regress', 'k');

-- the backend and its connection pool still work
SELECT s3_read_text('s3', 'regress', 'data.csv');
