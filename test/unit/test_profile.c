/*
 * test_profile.c
 *		Unit tests of the reader of the AWS shared credentials and config
 *		files: section names of both kinds of file, comments, line ends,
 *		white space, nested sub-sections, continuation lines, duplicates,
 *		keys s3_fdw does not follow, and malformed or oversized files.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "aws_profile.h"
#include "unit.h"

static char err[128];

static int
parse(const char *text, const char *name, bool config_file, aws_profile *p)
{
	err[0] = '\0';
	return aws_profile_parse(text, text != NULL ? strlen(text) : 0, name, config_file,
							 p, err, sizeof(err));
}

static bool
is_empty(const aws_profile *p)
{
	return !p->found && p->access_key_id == NULL && p->secret_access_key == NULL &&
		p->session_token == NULL && p->unsupported == NULL;
}

static void
credentials_file(void)
{
	static const char text[] =
		"# a comment\n"
		"; another comment\n"
		"\n"
		"[default]\n"
		"aws_access_key_id = AKIADEFAULT\n"
		"aws_secret_access_key = sec/ret+key\n"
		"\n"
		"[dev]\n"
		"aws_access_key_id=AKIADEV\n"
		"aws_secret_access_key=devsecret\n"
		"aws_session_token = tok==abc=\n"
		"[profile dev]\n"
		"aws_access_key_id = AKIANOTDEV\n";
	aws_profile p;

	CHECK(parse(text, "default", false, &p) == 0, "credentials default: %s", err);
	CHECK(p.found, "credentials default found");
	CHECK_STR(p.access_key_id, "AKIADEFAULT", "credentials default akid");
	CHECK_STR(p.secret_access_key, "sec/ret+key", "credentials default secret");
	CHECK(p.session_token == NULL && p.unsupported == NULL, "credentials default: no token, nothing unsupported");
	aws_profile_free(&p);
	CHECK(is_empty(&p), "aws_profile_free clears");

	CHECK(parse(text, "dev", false, &p) == 0, "credentials dev: %s", err);
	CHECK_STR(p.access_key_id, "AKIADEV", "credentials [dev], not [profile dev]");
	CHECK_STR(p.secret_access_key, "devsecret", "credentials dev secret, key=value without spaces");
	CHECK_STR(p.session_token, "tok==abc=", "value containing '=' split at the first");
	aws_profile_free(&p);

	CHECK(parse(text, "profile dev", false, &p) == 0, "credentials [profile dev]: %s", err);
	CHECK_STR(p.access_key_id, "AKIANOTDEV", "credentials [profile dev] is a section named 'profile dev'");
	aws_profile_free(&p);

	CHECK(parse(text, "prod", false, &p) == 0, "missing section: %s", err);
	CHECK(is_empty(&p), "missing section: found=false, nothing");
	CHECK(parse(text, "Dev", false, &p) == 0 && !p.found, "section names are case-sensitive");
	aws_profile_free(&p);
}

static void
config_file(void)
{
	static const char text[] =
		"[default]\n"
		"region = eu-west-1\n"
		"aws_access_key_id = AKIACFGDEFAULT\n"
		"aws_secret_access_key = s1\n"
		"[profile dev]\n"
		"aws_access_key_id = AKIACFGDEV\n"
		"aws_secret_access_key = s2\n"
		"[dev]\n"
		"aws_access_key_id = AKIANOTAPROFILE\n"
		"[ profile spaced ]\n"
		"aws_access_key_id = AKIASPACED\n"
		"[profile   wide]\n"
		"aws_access_key_id = AKIAWIDE\n"
		"[profile \"quoted name\"]\n"
		"aws_access_key_id = AKIAQUOTED\n"
		"[profilex]\n"
		"aws_access_key_id = AKIANOTX\n"
		"[profile two words]\n"
		"aws_access_key_id = AKIANOTTWO\n"
		"[sso-session corp]\n"
		"sso_start_url = https://example.com/start\n"
		"[profile default]\n"
		"aws_secret_access_key = s1-later\n";
	aws_profile p;

	CHECK(parse(text, "default", true, &p) == 0, "config default: %s", err);
	CHECK(p.found, "config [default] found");
	CHECK_STR(p.access_key_id, "AKIACFGDEFAULT", "config default akid");
	CHECK_STR(p.secret_access_key, "s1-later", "config [profile default] later overrides [default]");
	aws_profile_free(&p);

	CHECK(parse(text, "dev", true, &p) == 0, "config dev: %s", err);
	CHECK_STR(p.access_key_id, "AKIACFGDEV", "config [profile dev], not [dev]");
	CHECK_STR(p.secret_access_key, "s2", "config dev secret");
	aws_profile_free(&p);

	/* the same text read as a credentials file: [dev] is the profile */
	CHECK(parse(text, "dev", false, &p) == 0, "config text as credentials: %s", err);
	CHECK_STR(p.access_key_id, "AKIANOTAPROFILE", "credentials file reads [dev]");
	aws_profile_free(&p);

	CHECK(parse(text, "spaced", true, &p) == 0, "config spaced: %s", err);
	CHECK_STR(p.access_key_id, "AKIASPACED", "[ profile spaced ] trimmed");
	aws_profile_free(&p);
	CHECK(parse(text, "wide", true, &p) == 0, "config wide: %s", err);
	CHECK_STR(p.access_key_id, "AKIAWIDE", "[profile   wide]");
	aws_profile_free(&p);
	CHECK(parse(text, "quoted name", true, &p) == 0, "config quoted: %s", err);
	CHECK_STR(p.access_key_id, "AKIAQUOTED", "[profile \"quoted name\"]");
	aws_profile_free(&p);
	CHECK(parse(text, "x", true, &p) == 0 && is_empty(&p), "[profilex] is not profile x");
	CHECK(parse(text, "two words", true, &p) == 0 && is_empty(&p), "[profile two words] is no profile");
	CHECK(parse(text, "corp", true, &p) == 0 && is_empty(&p), "[sso-session corp] is no profile");
	CHECK(parse(text, "profile dev", true, &p) == 0 && is_empty(&p), "config: no profile 'profile dev'");
}

static void
layout(void)
{
	static const char crlf[] =
		"[default]\r\n"
		"   # an indented comment\r\n"
		"  AWS_Access_Key_ID   =   AKIACRLF  \r\n"
		"\tAWS_SECRET_ACCESS_KEY\t=\tsecret crlf\t\r\n"
		"aws_session_token: colon=token\r\n"
		"\r\n";
	static const char lone_cr[] = "[default]\raws_access_key_id = AKIACR\raws_secret_access_key = s\r";
	static const char header[] = "[default] ; header with a trailing note\naws_access_key_id = A # not a comment\n";
	static const char nested[] =
		"[default]\n"
		"s3 =\n"
		"  max_concurrent_requests = 20\n"
		"\n"
		"  # a comment inside\n"
		"  aws_secret_access_key = NESTED\n"
		"aws_access_key_id = AKIANESTED\n"
		"aws_session_token = first line\n"
		"   aws_secret_access_key = CONTINUATION\n"
		"   no equals sign here\n"
		"[indented]\n"
		"  aws_access_key_id = AKIAINDENTED\n"
		"  aws_secret_access_key = indented secret\n";
	aws_profile p;

	CHECK(parse(crlf, "default", false, &p) == 0, "CRLF: %s", err);
	CHECK_STR(p.access_key_id, "AKIACRLF", "CRLF, spaces, mixed-case key");
	CHECK_STR(p.secret_access_key, "secret crlf", "tabs trimmed, inner space kept");
	CHECK_STR(p.session_token, "colon=token", "key: value");
	aws_profile_free(&p);

	CHECK(parse(lone_cr, "default", false, &p) == 0, "lone CR: %s", err);
	CHECK_STR(p.access_key_id, "AKIACR", "lone CR ends a line");
	CHECK_STR(p.secret_access_key, "s", "lone CR secret");
	aws_profile_free(&p);

	CHECK(parse(header, "default", false, &p) == 0, "header note: %s", err);
	CHECK_STR(p.access_key_id, "A # not a comment", "text after ']' ignored; no inline comments");
	aws_profile_free(&p);

	CHECK(parse(nested, "default", true, &p) == 0, "nested: %s", err);
	CHECK_STR(p.access_key_id, "AKIANESTED", "key after a nested sub-section");
	CHECK(p.secret_access_key == NULL, "keys of a nested sub-section and continuation lines skipped");
	CHECK_STR(p.session_token, "first line", "continuation lines skipped");
	aws_profile_free(&p);
	CHECK(parse(nested, "indented", false, &p) == 0, "indented: %s", err);
	CHECK_STR(p.access_key_id, "AKIAINDENTED", "equally indented keys");
	CHECK_STR(p.secret_access_key, "indented secret", "equally indented keys are not continuations");
	aws_profile_free(&p);
}

static void
duplicates(void)
{
	static const char text[] =
		"[dev]\n"
		"aws_access_key_id = AKIAFIRST\n"
		"aws_secret_access_key = first\n"
		"aws_session_token = tok\n"
		"[other]\n"
		"aws_access_key_id = AKIAOTHER\n"
		"[dev]\n"
		"aws_access_key_id = AKIASECOND\n"
		"aws_access_key_id = AKIATHIRD\n"
		"aws_session_token =\n";
	static const char security[] =
		"[default]\naws_session_token = session\naws_security_token = security\n"
		"[empty]\naws_access_key_id =\naws_secret_access_key = \n";
	aws_profile p;

	CHECK(parse(text, "dev", false, &p) == 0, "duplicates: %s", err);
	CHECK_STR(p.access_key_id, "AKIATHIRD", "later duplicate key wins, across repeated sections");
	CHECK_STR(p.secret_access_key, "first", "repeated section keeps earlier keys");
	CHECK(p.session_token == NULL, "later empty value counts as absent");
	aws_profile_free(&p);

	CHECK(parse(security, "default", false, &p) == 0, "security token: %s", err);
	CHECK_STR(p.session_token, "security", "aws_security_token before aws_session_token");
	aws_profile_free(&p);
	CHECK(parse(security, "empty", false, &p) == 0, "empty values: %s", err);
	CHECK(p.found && p.access_key_id == NULL && p.secret_access_key == NULL, "empty values are NULL");
	aws_profile_free(&p);
}

static void
unsupported(void)
{
	static const char text[] =
		"[profile other]\n"
		"credential_process = /bin/other\n"
		"[profile assume]\n"
		"region = us-east-1\n"
		"Role_ARN = arn:aws:iam::123456789012:role/r\n"
		"source_profile = default\n"
		"[profile process]\n"
		"aws_access_key_id = AKIAPROC\n"
		"credential_process = /bin/creds\n"
		"[profile sso]\n"
		"sso_session = corp\n"
		"[profile web]\n"
		"web_identity_token_file = /var/run/token\n"
		"role_arn = arn:aws:iam::123456789012:role/w\n"
		"[profile plain]\n"
		"s3 =\n"
		"  role_arn = nested, not followed\n"
		"aws_access_key_id = AKIAPLAIN\n";
	aws_profile p;

	CHECK(parse(text, "assume", true, &p) == 0, "assume: %s", err);
	CHECK_STR(p.unsupported, "role_arn", "role_arn + source_profile: role_arn, case-insensitive");
	aws_profile_free(&p);
	CHECK(parse(text, "process", true, &p) == 0, "process: %s", err);
	CHECK_STR(p.unsupported, "credential_process", "credential_process");
	CHECK_STR(p.access_key_id, "AKIAPROC", "keys still read next to credential_process");
	aws_profile_free(&p);
	CHECK(parse(text, "sso", true, &p) == 0, "sso: %s", err);
	CHECK_STR(p.unsupported, "sso_session", "sso_session");
	aws_profile_free(&p);
	CHECK(parse(text, "web", true, &p) == 0, "web: %s", err);
	CHECK_STR(p.unsupported, "web_identity_token_file", "the first one in the file");
	aws_profile_free(&p);
	CHECK(parse(text, "plain", true, &p) == 0, "plain: %s", err);
	CHECK(p.unsupported == NULL, "nested keys and other sections do not count");
	aws_profile_free(&p);
}

static void
malformed(void)
{
	static const char *const bad[] = {
		"[default]\naws_secret_access_key = SECRETVALUE\nSECRETLINE\n",
		"aws_access_key_id = SECRETKEY\n[default]\n",
		"[default]\n= SECRETVALUE\n",
		"[default]\ns3 =\n  SECRETNESTED\n",
		"[other]\nSECRETLINE\n[default]\naws_access_key_id = A\n",
		"[SECRET\n",
		"[]\naws_access_key_id = A\n",
		NULL
	};
	static const int bad_line[] = {3, 1, 2, 3, 2, 1, 1};
	aws_profile p;
	char	   *big;
	size_t		n;
	int			i;

	for (i = 0; bad[i] != NULL; i++)
	{
		char		want[32];

		memset(&p, 0x5a, sizeof(p));
		CHECK(parse(bad[i], "default", false, &p) == -1, "malformed %d accepted", i);
		CHECK(is_empty(&p), "malformed %d leaves nothing", i);
		CHECK(strstr(err, "SECRET") == NULL && strstr(err, "aws_") == NULL,
			  "malformed %d: message holds file text: %s", i, err);
		snprintf(want, sizeof(want), "line %d", bad_line[i]);
		CHECK(strstr(err, want) != NULL, "malformed %d: [%s] does not say %s", i, err, want);
	}
	CHECK(parse(bad[0], "default", false, &p) == -1 && strcmp(err, "malformed line 3") == 0,
		  "message: %s", err);

	/* binary */
	CHECK(aws_profile_parse("[default]\n\0x=1\n", 14, "default", false, &p, err, sizeof(err)) == -1,
		  "NUL byte refused");

	/* a value of 8 KiB is fine, one byte more is not */
	n = 8 * 1024;
	big = malloc(n + 64);
	if (big != NULL)
	{
		const size_t head = strlen("[default]\naws_session_token = ");

		memcpy(big, "[default]\naws_session_token = ", head);
		memset(big + head, 'T', n);
		big[head + n] = '\0';
		CHECK(parse(big, "default", false, &p) == 0 && p.session_token != NULL &&
			  strlen(p.session_token) == n, "8 KiB value: %s", err);
		aws_profile_free(&p);
		strcat(big, "T");
		CHECK(parse(big, "default", false, &p) == -1 && strstr(err, "TT") == NULL,
			  "value over 8 KiB refused: %s", err);
		free(big);
	}

	/* a file of 1 MiB is fine, one byte more is not */
	n = 1024 * 1024;
	big = malloc(n + 1);
	if (big != NULL)
	{
		const char	head[] = "[default]\naws_access_key_id = AKIABIG\n";

		memset(big, '\n', n + 1);
		memcpy(big, head, strlen(head));
		for (i = 0; i < 1000; i++)
			big[strlen(head) + i * 40] = '#';
		CHECK(aws_profile_parse(big, n, "default", false, &p, err, sizeof(err)) == 0 && p.found,
			  "1 MiB file: %s", err);
		CHECK_STR(p.access_key_id, "AKIABIG", "1 MiB file akid");
		aws_profile_free(&p);
		CHECK(aws_profile_parse(big, n + 1, "default", false, &p, err, sizeof(err)) == -1 && is_empty(&p),
			  "file over 1 MiB refused");
		free(big);
	}
}

static void
empty(void)
{
	aws_profile p;

	memset(&p, 0x5a, sizeof(p));
	CHECK(aws_profile_parse(NULL, 0, "default", false, &p, err, sizeof(err)) == 0 && is_empty(&p),
		  "NULL buffer: found=false");
	CHECK(aws_profile_parse("", 0, "default", true, &p, err, sizeof(err)) == 0 && is_empty(&p),
		  "empty buffer: found=false");
	CHECK(parse("# only a comment\n\n", "default", false, &p) == 0 && is_empty(&p), "comments only");
	CHECK(parse("[default]\n", "default", false, &p) == 0 && p.found && p.access_key_id == NULL,
		  "empty section found");
	aws_profile_free(&p);
	CHECK(parse("[DEFAULT]\naws_access_key_id = A\n", "DEFAULT", false, &p) == 0 && is_empty(&p),
		  "[DEFAULT] is configparser's, no profile");
	aws_profile_free(NULL);
}

int
main(int argc, char **argv)
{
	(void) argc;
	(void) argv;
	credentials_file();
	config_file();
	layout();
	duplicates();
	unsupported();
	malformed();
	empty();
	return unit_report("profile");
}
