--
-- creds_container: credentials 'instance' from the ECS/EKS container
-- endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI, with the authorization
-- token in AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE), here a fake that checks
-- the token.
--
\getenv endpoint S3FDW_ENDPOINT
\! curl -s -X POST "$S3FDW_CRED_ENDPOINT/__reset"
CREATE SERVER inst FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', credentials 'instance');

-- a wrong authorization token is refused, and the token is not shown
\! echo not-the-token > "$S3FDW_CONTAINER_TOKEN_FILE"
SELECT s3_try($$SELECT s3_read_text('inst', 'regress', 'data.csv')$$);
\! cp "$S3FDW_CONTAINER_TOKEN_FILE.expected" "$S3FDW_CONTAINER_TOKEN_FILE"

-- the right one: one fetch for the whole session
SELECT s3_read_text('inst', 'regress', 'data.csv');
SELECT s3_upload('inst', 'regress', 'by-container.txt', 'container') = md5('container') AS uploaded;
SELECT count(*) > 0 AS listed FROM s3_list_buckets('inst');
SELECT credential_fetches FROM s3_fdw_connection_stats();
\! curl -s "$S3FDW_CRED_ENDPOINT/__stats"
