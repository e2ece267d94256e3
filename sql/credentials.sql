--
-- credentials: credentials 'role' through moto's STS (signature checks on),
-- who may lend the database server's identity, and a machine without one.
-- This cluster's environment has no AWS identity, its metadata service
-- address is a closed local port and AWS_ENDPOINT_URL_STS is moto.
--
\getenv endpoint S3FDW_ENDPOINT
\getenv assumer_ak S3FDW_ASSUMER_AK
\getenv assumer_sk S3FDW_ASSUMER_SK
\getenv role_arn S3FDW_ROLE_ARN

-- an s3_try that also says whether the error came within two seconds
CREATE FUNCTION timed_try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
  r text := s3_try(sql);
BEGIN
  RETURN r || E'\n  ' || CASE WHEN clock_timestamp() - t0 < interval '2 s'
                              THEN 'within 2 s' ELSE 'slow' END;
END $$;

-- the assumer's own keys may not use S3: it may only assume the role
CREATE SERVER s3assumer FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER s3assumer
  OPTIONS (access_key_id :'assumer_ak', secret_access_key :'assumer_sk');
SELECT s3_try($$SELECT s3_read_text('s3assumer', 'regress', 'data.csv')$$);

-- credentials 'role': STS AssumeRole signed with the mapping's keys, and
-- the role's temporary credentials sign every S3 request
CREATE SERVER s3role FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'endpoint', credentials 'role', role_arn :'role_arn',
           role_session_name 'regress-session', sts_endpoint :'endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER s3role
  OPTIONS (access_key_id :'assumer_ak', secret_access_key :'assumer_sk');
SELECT credential_fetches AS f0 FROM s3_fdw_connection_stats() \gset
SELECT s3_read_text('s3role', 'regress', 'data.csv');
SELECT s3_upload('s3role', 'regress', 'by-role.txt', 'written with the role') = md5('written with the role') AS uploaded;
SELECT count(*) > 0 AS listed FROM s3_list_buckets('s3role');
SELECT count(*) AS keys FROM listing WHERE key ^@ 'a+b/1';
-- one STS call served them all
SELECT credential_fetches - :f0 AS sts_calls FROM s3_fdw_connection_stats();
-- presigned URLs carry the role's session token
SELECT s3_presign_get('s3role', 'regress', 'by-role.txt', 60) ~ '&X-Amz-Security-Token=[^&]+&' AS has_token;
-- ALTER SERVER empties the cache; an external id is sent along
ALTER SERVER s3role OPTIONS (ADD external_id 'regress-external-id');
SELECT s3_read_text('s3role', 'regress', 'by-role.txt');
SELECT credential_fetches - :f0 AS sts_calls FROM s3_fdw_connection_stats();

-- STS refuses a wrong secret, and the error says so (and names no secret)
ALTER USER MAPPING FOR PUBLIC SERVER s3role OPTIONS (SET secret_access_key 'not-the-secret');
SELECT s3_try($$SELECT s3_read_text('s3role', 'regress', 'data.csv')$$);

-- without keys in a mapping, the instance chain signs the AssumeRole: this
-- machine has no identity, and that is said quickly
DROP USER MAPPING FOR PUBLIC SERVER s3role;
SELECT timed_try($$SELECT s3_read_text('s3role', 'regress', 'data.csv')$$);

-- credentials 'instance' on a machine without an identity
CREATE SERVER s3inst FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', credentials 'instance');
SELECT timed_try($$SELECT s3_read_text('s3inst', 'regress', 'data.csv')$$);
SELECT timed_try($$SELECT * FROM s3_list_buckets('s3inst')$$);

-- only a superuser may lend the server's identity
GRANT USAGE ON FOREIGN DATA WRAPPER s3_fdw TO regress_s3_user;
SET ROLE regress_s3_user;
CREATE SERVER mine FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'instance');
CREATE SERVER mine FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'role', role_arn 'arn:aws:iam::123456789012:role/x');
CREATE SERVER mine FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'keys');
ALTER SERVER mine OPTIONS (SET credentials 'instance');
DROP SERVER mine;
RESET ROLE;
-- ... nor change where such a server sends its credentials
ALTER SERVER s3inst OWNER TO regress_s3_user;
SET ROLE regress_s3_user;
ALTER SERVER s3inst OPTIONS (SET endpoint 'https://s3.example.com');
RESET ROLE;
-- ... but USAGE on it can be granted, and needs no user mapping
ALTER SERVER s3inst OWNER TO CURRENT_USER;
GRANT USAGE ON FOREIGN SERVER s3inst TO regress_s3_reader;
SET ROLE regress_s3_reader;
SELECT timed_try($$SELECT s3_read_text('s3inst', 'regress', 'data.csv')$$);
RESET ROLE;
REVOKE USAGE ON FOREIGN DATA WRAPPER s3_fdw FROM regress_s3_user;

-- the options that go with them
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'role');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (role_arn 'arn:aws:iam::123456789012:role/x');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'role', role_arn 'arn:aws:iam::1234:role/x');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'role', role_arn 'arn:aws:iam::123456789012:user/x');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'role', role_arn 'arn:aws:iam::123456789012:role/x', role_session_name 'a b');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'role', role_arn 'arn:aws:iam::123456789012:role/x', external_id 'x');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'instance', sts_endpoint 'sts.example.com');
CREATE SERVER good FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (credentials 'role', role_arn 'arn:aws:iam::123456789012:role/path/reader', external_id 'ext-1', sts_endpoint 'https://sts.eu-west-1.amazonaws.com', region 'eu-west-1');
DROP SERVER good;
DROP SERVER s3assumer, s3role, s3inst CASCADE;
