--
-- creds_profile_config: the profile named by AWS_PROFILE is not in the
-- shared credentials file but in the config file (AWS_CONFIG_FILE), as
-- [profile cfgonly]: the SDKs' second place to look.
--
\getenv endpoint S3FDW_ENDPOINT
CREATE SERVER inst FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', credentials 'instance');
SELECT s3_read_text('inst', 'regress', 'by-profile.txt');
SELECT credential_fetches FROM s3_fdw_connection_stats();
