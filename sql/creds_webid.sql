--
-- creds_webid: credentials 'instance' from a web identity token
-- (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME),
-- exchanged through STS AssumeRoleWithWebIdentity at AWS_ENDPOINT_URL_STS
-- (a fake that checks the token and hands out the role's credentials).
--
\getenv endpoint S3FDW_ENDPOINT
\! curl -s -X POST "$S3FDW_CRED_ENDPOINT/__reset"
CREATE SERVER inst FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', credentials 'instance');

-- the token file missing: the error names the step and the file
\! mv "$S3FDW_WEB_TOKEN_FILE" "$S3FDW_WEB_TOKEN_FILE.moved"
SELECT s3_try($$SELECT s3_read_text('inst', 'regress', 'data.csv')$$);
\! mv "$S3FDW_WEB_TOKEN_FILE.moved" "$S3FDW_WEB_TOKEN_FILE"
-- a token STS refuses: its error code, and no token in the message
\! echo not-the-token > "$S3FDW_WEB_TOKEN_FILE"
SELECT s3_try($$SELECT s3_read_text('inst', 'regress', 'data.csv')$$);
\! cp "$S3FDW_WEB_TOKEN_FILE.expected" "$S3FDW_WEB_TOKEN_FILE"

-- the right token: one STS call serves every request of the session
SELECT s3_read_text('inst', 'regress', 'data.csv');
SELECT s3_upload('inst', 'regress', 'by-web-identity.txt', 'web identity') = md5('web identity') AS uploaded;
SELECT count(*) > 0 AS listed FROM s3_list_buckets('inst');
SELECT credential_fetches FROM s3_fdw_connection_stats();
\! curl -s "$S3FDW_CRED_ENDPOINT/__stats"
