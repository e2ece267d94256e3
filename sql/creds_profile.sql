--
-- creds_profile: credentials 'instance' from the shared credentials file of
-- the database server's OS user, as the AWS SDKs read it: the profile named
-- by AWS_PROFILE in AWS_SHARED_CREDENTIALS_FILE (here a [s3fdw] section with
-- the role's temporary credentials, next to a [default] with wrong keys).
--
\getenv endpoint S3FDW_ENDPOINT
CREATE SERVER inst FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', credentials 'instance');
SELECT s3_upload('inst', 'regress', 'by-profile.txt', 'from a profile') = md5('from a profile') AS uploaded;
SELECT s3_read_text('inst', 'regress', 'by-profile.txt');
SELECT count(*) > 0 AS listed FROM s3_list_buckets('inst');
-- a file read, nothing fetched
SELECT credential_fetches FROM s3_fdw_connection_stats();
SELECT s3_presign_get('inst', 'regress', 'by-profile.txt') ~ '&X-Amz-Security-Token=[^&]+&' AS has_token;
