/*
 * test_creds.c
 *		Unit tests of the credential documents: STS AssumeRole and
 *		AssumeRoleWithWebIdentity answers (XML), STS error answers, and the
 *		JSON of the instance metadata service and container endpoints.
 */
#include <stdlib.h>
#include <string.h>

#include "aws_json.h"
#include "s3_xml.h"
#include "unit.h"

static void
sts(void)
{
	static const char assume[] =
		"<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
		"<AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn></AssumedRoleUser>"
		"<Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>sec/ret+1</SecretAccessKey>"
		"<SessionToken>tok==</SessionToken><Expiration>2026-11-25T18:00:00Z</Expiration></Credentials>"
		"</AssumeRoleResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></AssumeRoleResponse>";
	static const char web[] =
		"<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
		"<AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
		"<Expiration>2026-11-25T19:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
		"</AssumeRoleWithWebIdentityResponse>";
	static const char *const bad[] = {
		"", "<x/>", "<AssumeRoleResponse/>",
		"<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>",
		"<AssumeRoleResponse><Credentials><AccessKeyId></AccessKeyId><SecretAccessKey>s</SecretAccessKey></Credentials></AssumeRoleResponse>",
		"<AssumeRoleResponse><Credentials>", NULL
	};
	s3_temp_credentials c;
	char		err[128];
	int			i;

	CHECK(s3_xml_parse_sts_credentials(assume, strlen(assume), &c, err, sizeof(err)) == 0, "AssumeRole: %s", err);
	CHECK_STR(c.access_key_id, "ASIAEXAMPLE", "akid");
	CHECK_STR(c.secret_access_key, "sec/ret+1", "secret");
	CHECK_STR(c.session_token, "tok==", "token");
	CHECK_STR(c.expiration, "2026-11-25T18:00:00Z", "expiration");
	s3_temp_credentials_free(&c);
	CHECK(s3_xml_parse_sts_credentials(web, strlen(web), &c, err, sizeof(err)) == 0, "web identity: %s", err);
	CHECK_STR(c.access_key_id, "ASIAWEB", "web akid");
	s3_temp_credentials_free(&c);
	for (i = 0; bad[i]; i++)
	{
		CHECK(s3_xml_parse_sts_credentials(bad[i], strlen(bad[i]), &c, err, sizeof(err)) == -1, "bad STS %d", i);
		CHECK(c.access_key_id == NULL, "bad STS %d leaves nothing", i);
	}
}

static void
sts_error(void)
{
	static const char doc[] =
		"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
		"<Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>req-9</RequestId></ErrorResponse>";
	s3_error_info e;
	char		err[128];

	CHECK(s3_xml_parse_error(doc, strlen(doc), &e, err, sizeof(err)) == 0, "ErrorResponse: %s", err);
	CHECK_STR(e.code, "AccessDenied", "code");
	CHECK_STR(e.message, "not allowed", "message");
	CHECK_STR(e.request_id, "req-9", "request id");
	s3_error_info_free(&e);
	CHECK(s3_xml_parse_error("<ErrorResponse/>", 16, &e, err, sizeof(err)) == -1, "ErrorResponse without Error");
	{
		static const char wrapped[] = "<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code>"
			"<Message>m</Message></Error></Errors></ErrorResponse>";

		CHECK(s3_xml_parse_error(wrapped, strlen(wrapped), &e, err, sizeof(err)) == 0, "Errors/Error: %s", err);
		CHECK_STR(e.code, "SignatureDoesNotMatch", "wrapped code");
		s3_error_info_free(&e);
	}
}

static void
json(void)
{
	static const char imds[] =
		"{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2026-11-25T16:00:00Z\",\n  \"Type\" : \"AWS-HMAC\",\n"
		"  \"AccessKeyId\" : \"ASIAIMDS\",\n  \"SecretAccessKey\" : \"se\\/cret\\u00e9\",\n"
		"  \"Token\" : \"tok\",\n  \"Expiration\" : \"2026-11-25T22:00:00Z\", \"n\": [1, {\"a\": null}, true, -2.5e3]\n}";
	static const char *const bad[] = {
		"", "[]", "{", "{\"AccessKeyId\":\"A\"}", "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"\"}",
		"{\"AccessKeyId\":\"A\" \"SecretAccessKey\":\"B\"}", "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\"} x",
		"{\"AccessKeyId\":\"A\\x\",\"SecretAccessKey\":\"B\"}", "{\"AccessKeyId\":\"A\\u0000\",\"SecretAccessKey\":\"B\"}",
		"{\"AccessKeyId\":\"A\\ud800\",\"SecretAccessKey\":\"B\"}", "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\",\"x\":",
		"{\"a\":[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]],\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\"}",
		"{\"AccessKeyId\":\"A\nB\",\"SecretAccessKey\":\"B\"}", NULL
	};
	static const char pair[] = "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\",\"Token\":\"\\ud83c\\udf89\"}";
	s3_temp_credentials c;
	char		err[128];
	int			i;

	CHECK(s3_json_parse_credentials(imds, strlen(imds), &c, err, sizeof(err)) == 0, "IMDS JSON: %s", err);
	CHECK_STR(c.access_key_id, "ASIAIMDS", "json akid");
	CHECK_STR(c.secret_access_key, "se/cret\xc3\xa9", "json secret, escapes decoded");
	CHECK_STR(c.session_token, "tok", "json token");
	CHECK_STR(c.expiration, "2026-11-25T22:00:00Z", "json expiration");
	s3_temp_credentials_free(&c);
	CHECK(s3_json_parse_credentials(pair, strlen(pair), &c, err, sizeof(err)) == 0, "surrogates: %s", err);
	CHECK_STR(c.session_token, "\xf0\x9f\x8e\x89", "surrogate pair");
	CHECK(c.expiration == NULL, "no expiration");
	s3_temp_credentials_free(&c);
	for (i = 0; bad[i]; i++)
	{
		CHECK(s3_json_parse_credentials(bad[i], strlen(bad[i]), &c, err, sizeof(err)) == -1, "bad JSON %d accepted", i);
		CHECK(c.access_key_id == NULL, "bad JSON %d leaves nothing", i);
	}
}

int
main(int argc, char **argv)
{
	(void) argc;
	(void) argv;
	sts();
	sts_error();
	json();
	return unit_report("credentials");
}
