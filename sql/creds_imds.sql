--
-- creds_imds: credentials 'instance' from the EC2 instance metadata service
-- (IMDSv2: a session token first) at AWS_EC2_METADATA_SERVICE_ENDPOINT, here
-- a fake that refuses requests without the session token.
--
\getenv endpoint S3FDW_ENDPOINT
\! curl -s -X POST "$S3FDW_CRED_ENDPOINT/__reset"
CREATE SERVER inst FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', credentials 'instance');

-- one fetch (token, then credentials) for the whole session
SELECT s3_read_text('inst', 'regress', 'data.csv');
SELECT s3_upload('inst', 'regress', 'by-imds.txt', 'metadata service') = md5('metadata service') AS uploaded;
SELECT count(*) > 0 AS listed FROM s3_list_buckets('inst');
SELECT s3_presign_get('inst', 'regress', 'by-imds.txt') ~ '&X-Amz-Security-Token=[^&]+&' AS has_token;
SELECT credential_fetches FROM s3_fdw_connection_stats();
\! curl -s "$S3FDW_CRED_ENDPOINT/__stats"

-- credentials within five minutes of expiring are fetched again
\! curl -s -X POST "$S3FDW_CRED_ENDPOINT/__ttl?seconds=303"
\c -
SELECT s3_read_text('inst', 'regress', 'by-imds.txt');
SELECT s3_read_text('inst', 'regress', 'by-imds.txt');
SELECT credential_fetches AS still_one FROM s3_fdw_connection_stats();
SELECT pg_sleep(4);
SELECT s3_read_text('inst', 'regress', 'by-imds.txt');
SELECT credential_fetches AS renewed FROM s3_fdw_connection_stats();

-- an instance without an IAM role
\! curl -s -X POST "$S3FDW_CRED_ENDPOINT/__norole"
\c -
SELECT s3_try($$SELECT s3_read_text('inst', 'regress', 'data.csv')$$);
