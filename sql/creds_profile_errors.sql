--
-- creds_profile_errors: AWS_PROFILE names a profile that assumes a role
-- (role_arn with source_profile), which s3_fdw does not follow: said so,
-- without reading on to the metadata service.
--
\getenv endpoint S3FDW_ENDPOINT
CREATE SERVER inst FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', credentials 'instance');
SELECT s3_try($$SELECT s3_read_text('inst', 'regress', 'by-profile.txt')$$);
