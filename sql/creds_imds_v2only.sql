--
-- creds_imds_v2only: AWS_EC2_METADATA_V1_DISABLED=true: when the metadata
-- service refuses a session token, IMDSv1 is not tried.
--
\getenv endpoint S3FDW_ENDPOINT
\! curl -s -X POST "$S3FDW_CRED_ENDPOINT/__reset"
\! curl -s -X POST "$S3FDW_CRED_ENDPOINT/__v1only"
CREATE SERVER inst FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', credentials 'instance');
SELECT s3_try($$SELECT s3_read_text('inst', 'regress', 'data.csv')$$);
\! curl -s "$S3FDW_CRED_ENDPOINT/__stats"
\! curl -s -X POST "$S3FDW_CRED_ENDPOINT/__reset"
