--
-- cron: a scheduled export with pg_cron (Debian's postgresql-15-cron, 1.4),
-- in a cluster of its own started with shared_preload_libraries = pg_cron
-- and cron.use_background_workers = on (scripts/test.sh): the job's
-- command run by hand first, then the scheduled run, every minute, in a
-- background worker (no client at all: s3_export must capture its COPY
-- output there too).
--
CREATE EXTENSION pg_cron;
SELECT s3_create_bucket('s3', 'regress-cron');
CREATE TABLE cron_sales (region text, amount numeric);
INSERT INTO cron_sales VALUES ('eu', 1200), ('us', 900), ('eu', 300);
-- as in the README
SELECT cron.schedule('sales-export', '* * * * *', $$
  SELECT * FROM s3_export('s3', 'SELECT region, sum(amount) AS total FROM cron_sales GROUP BY region ORDER BY region',
                          'regress-cron', 'sales/latest.csv', 'format csv, header true')
$$) > 0 AS scheduled;
-- a forced run: the job's command, as cron.job holds it
DO $$ BEGIN EXECUTE (SELECT command FROM cron.job WHERE jobname = 'sales-export'); END $$;
SELECT s3_read_text('s3', 'regress-cron', 'sales/latest.csv');
CREATE TEMP TABLE forced AS SELECT clock_timestamp() AS at;
INSERT INTO cron_sales VALUES ('us', 1);
-- the scheduled run (within about a minute): it succeeds and rewrites the object
DO $$
BEGIN
  FOR i IN 1..150 LOOP
    EXIT WHEN EXISTS (SELECT FROM cron.job_run_details d JOIN cron.job j USING (jobid)
                       WHERE j.jobname = 'sales-export' AND d.end_time > (SELECT at FROM forced)
                         AND d.status IN ('succeeded', 'failed'));
    PERFORM pg_sleep(0.5);
  END LOOP;
END $$;
SELECT d.status, d.return_message
  FROM cron.job_run_details d JOIN cron.job j USING (jobid)
 WHERE j.jobname = 'sales-export' AND d.end_time > (SELECT at FROM forced)
 ORDER BY d.end_time LIMIT 1;
SELECT s3_read_text('s3', 'regress-cron', 'sales/latest.csv');
SELECT h.last_modified >= date_trunc('second', d.start_time) AS rewritten_by_the_run
  FROM s3_head('s3', 'regress-cron', 'sales/latest.csv') h,
       cron.job_run_details d JOIN cron.job j USING (jobid)
 WHERE j.jobname = 'sales-export' AND d.end_time > (SELECT at FROM forced) AND d.status = 'succeeded'
 ORDER BY d.end_time LIMIT 1;
SELECT cron.unschedule('sales-export');
