--
-- creds_env: credentials 'instance' from AWS_ACCESS_KEY_ID,
-- AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN in the database server's
-- environment (here, the role's temporary credentials).
--
\getenv endpoint S3FDW_ENDPOINT
CREATE SERVER inst FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', credentials 'instance');
-- no user mapping is needed
SELECT s3_upload('inst', 'regress', 'by-instance-env.txt', 'from the environment') = md5('from the environment') AS uploaded;
SELECT s3_read_text('inst', 'regress', 'by-instance-env.txt');
SELECT count(*) > 0 AS listed FROM s3_list_buckets('inst');
-- nothing was fetched: the keys were in the environment
SELECT credential_fetches FROM s3_fdw_connection_stats();
SELECT s3_presign_get('inst', 'regress', 'by-instance-env.txt') ~ '&X-Amz-Security-Token=[^&]+&' AS has_token;
-- USAGE is what a role needs
GRANT USAGE ON FOREIGN SERVER inst TO regress_s3_user;
SET ROLE regress_s3_user;
SELECT s3_read_text('inst', 'regress', 'by-instance-env.txt');
RESET ROLE;
SET ROLE regress_s3_outsider;
SELECT s3_try($$SELECT s3_read_text('inst', 'regress', 'by-instance-env.txt')$$);
RESET ROLE;
