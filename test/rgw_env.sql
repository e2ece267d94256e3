-- rgw_env.sql: the RGW the test command started (its endpoint and keys, as
-- psql variables) and test/s3tool.py pointed at it; read with \i by the
-- tests on RGW
\getenv rgw_endpoint S3FDW_RGW_ENDPOINT
\getenv rgw_ak S3FDW_RGW_AK
\getenv rgw_sk S3FDW_RGW_SK
\setenv S3TOOL_ENDPOINT :rgw_endpoint
\setenv S3TOOL_AK :rgw_ak
\setenv S3TOOL_SK :rgw_sk
