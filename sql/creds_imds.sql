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

-- a metadata service without IMDSv2 (the token request refused): asked
-- again without a token, as the SDKs do
\! curl -s -X POST "$S3FDW_CRED_ENDPOINT/__reset"
\! curl -s -X POST "$S3FDW_CRED_ENDPOINT/__v1only"
\c -
SELECT s3_read_text('inst', 'regress', 'by-imds.txt');
\! curl -s "$S3FDW_CRED_ENDPOINT/__stats"

-- this cluster's server process has http_proxy set: S3 requests follow it,
-- the metadata service is never asked through it
\! curl -s "$S3FDW_FORWARD_PROXY/__stats" | awk '{for (i = 1; i < NF; i += 2) s[$i] = $(i + 1); print "through the proxy: S3", (s["total"] - s["latest"] > 0 ? "yes" : "no") ", metadata service", s["latest"] ", refused", s["refused"]}'
\! curl -s -X POST "$S3FDW_FORWARD_PROXY/__reset"
-- a server of a non-superuser whose endpoint is link-local is refused before
-- the proxy is asked (through a proxy, the address connected to would be the
-- proxy's: the endpoint's own addresses are checked)
CREATE ROLE regress_s3_proxied;
CREATE SERVER ll FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://169.254.169.254:9', connect_timeout '1');
CREATE USER MAPPING FOR regress_s3_proxied SERVER ll OPTIONS (access_key_id 'AKIAIOSFODNN7EXAMPLE', secret_access_key 'x');
GRANT USAGE ON FOREIGN DATA WRAPPER s3_fdw TO regress_s3_proxied;
ALTER SERVER ll OWNER TO regress_s3_proxied;
SET ROLE regress_s3_proxied;
SELECT s3_try($$SELECT s3_read('ll', 'regress', 'k')$$);
RESET ROLE;
\! curl -s "$S3FDW_FORWARD_PROXY/__stats" | awk '{for (i = 1; i < NF; i += 2) s[$i] = $(i + 1); print "asked of the proxy since:", s["total"] + s["refused"]}'
