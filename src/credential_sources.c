/*-------------------------------------------------------------------------
 *
 * credential_sources.c
 *		Where temporary and machine credentials come from: the AWS SDKs'
 *		default chain (for credentials 'instance') and STS AssumeRole (for
 *		credentials 'role'), and the documents they answer with.
 *
 * The chain is read from the database server's environment, in the SDKs'
 * order: AWS_ACCESS_KEY_ID and friends; a web identity token exchanged
 * through STS AssumeRoleWithWebIdentity; a profile of the shared
 * credentials and config files; the ECS/EKS container endpoint; the EC2
 * instance metadata service (IMDSv2, then IMDSv1 unless disabled).  The
 * metadata service and the container endpoint are never asked through a
 * proxy.  Errors name the source asked and why (an error context line);
 * none contains a secret, a session token or a web identity token.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <pwd.h>
#include <unistd.h>

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "aws_json.h"
#include "aws_profile.h"
#include "core.h"
#include "credential_sources.h"
#include "s3_request.h"
#include "s3_xml.h"

#define IMDS_TIMEOUT_MS 1000	/* a machine without one fails fast */
#define CREDENTIALS_TIMEOUT_MS 5000
#define MAX_TOKEN_FILE (64 * 1024)
#define MAX_PROFILE_FILE (1024 * 1024)	/* as aws_profile.c accepts */
#define MAX_CREDENTIALS_BODY ((size_t) 1024 * 1024)	/* a credential document */

static int64 n_fetches = 0;

/* Credential fetches (STS, container endpoint, metadata service) so far. */
int64
s3_credential_fetches(void)
{
	return n_fetches;
}


/* An ISO 8601 expiration as time_t; 0 when absent. */
static time_t
parse_expiration(const char *iso8601, const char *what)
{
	TimestampTz ts;

	if (iso8601 == NULL || iso8601[0] == '\0')
		return 0;
	ts = DatumGetTimestampTz(s3_timestamptz(iso8601, what, "Expiration"));
	return timestamptz_to_time_t(ts);
}

/* Where temporary credentials are taken into (see take_temp) */
typedef struct TempTake
{
	S3Credentials *creds;
	const char *what;
} TempTake;

static void
release_temp(void *t)
{
	s3_temp_credentials_free((s3_temp_credentials *) t);
}

static void
take_temp(void *result, void *arg)
{
	s3_temp_credentials *t = (s3_temp_credentials *) result;
	TempTake   *tt = (TempTake *) arg;
	S3Credentials *c = tt->creds;

	if (!s3_printable_ascii(t->access_key_id) || !s3_printable_ascii(t->secret_access_key) ||
		(t->session_token && !s3_printable_ascii(t->session_token)))
		s3_report_invalid_response(tt->what,
								   "the credentials contain characters other than printable ASCII");
	c->access_key_id = pstrdup(t->access_key_id);
	c->secret_access_key = pstrdup(t->secret_access_key);
	c->session_token = t->session_token && t->session_token[0]
		? pstrdup(t->session_token) : NULL;
	c->expires = parse_expiration(t->expiration, tt->what);
}

/* Move parsed temporary credentials into palloc'd memory, freeing them. */
static S3Credentials *
take_temp_credentials(s3_temp_credentials *t, const char *what)
{
	TempTake	tt;

	tt.creds = palloc0(sizeof(S3Credentials));
	tt.what = what;
	s3_take_core_result(t, release_temp, take_temp, &tt);
	n_fetches++;
	return tt.creds;
}

/* A credential document's parser: STS XML or the endpoints' JSON */
typedef int (*credentials_parser) (const char *buf, size_t len, s3_temp_credentials *out,
								   char *errbuf, size_t errlen);

static S3Credentials *
parse_credentials(credentials_parser parse, const S3HttpResponse *resp, const char *what)
{
	s3_temp_credentials t;
	char		errbuf[128];

	if (parse(resp->body, resp->body_len, &t, errbuf, sizeof(errbuf)) != 0)
		s3_report_invalid_response(what, errbuf);
	return take_temp_credentials(&t, what);
}

/*
 * One unsigned HTTP request of the credential chain; raises unless 2xx (or
 * unless the status is one of "accepted", a 0-terminated list).  The
 * metadata service and the container endpoint are local to the machine:
 * their requests never go through a proxy (no_proxy), so that neither the
 * session token nor the credentials pass through one.
 */
static void
plain_request(const char *method, const char *url, List *headers,
			  const char *body, int timeout_ms, bool no_proxy, const long *accepted,
			  const char *what, const char *who, S3HttpResponse *resp)
{
	S3HttpRequest req;

	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.timeout_ms = timeout_ms;
	req.connect_timeout_ms = timeout_ms;
	req.max_body = MAX_CREDENTIALS_BODY;
	req.no_proxy = no_proxy;
	s3_http_perform(&req, resp, what);
	if (resp->status < 200 || resp->status > 299)
	{
		for (; accepted != NULL && *accepted != 0; accepted++)
			if (resp->status == *accepted)
				return;
		s3_report_error(what, who, resp, 1);
	}
}

/*
 * Reads a small file whole into buf.  Returns 0, -1 when it could not be
 * opened (errno tells why) or -2 when it is longer than max bytes; the
 * caller words the error.
 */
static int
read_small_file(const char *path, size_t max, StringInfo buf)
{
	FILE	   *f;
	char		chunk[4096];
	size_t		n;

	f = AllocateFile(path, "r");
	if (f == NULL)
		return -1;
	initStringInfo(buf);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
	{
		if (buf->len + n > max)
		{
			FreeFile(f);
			return -2;
		}
		appendBinaryStringInfo(buf, chunk, n);
	}
	FreeFile(f);
	return 0;
}

/* The contents of a token file, trimmed; the path may be named, never the contents. */
static char *
read_token_file(const char *path, const char *envname)
{
	StringInfoData buf;
	int			rc = read_small_file(path, MAX_TOKEN_FILE, &buf);

	if (rc == -1)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read the token file \"%s\" named by %s: %m", path, envname)));
	if (rc == -2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the token file \"%s\" named by %s is larger than 64 kB", path, envname)));
	while (buf.len > 0 && isspace((unsigned char) buf.data[buf.len - 1]))
		buf.data[--buf.len] = '\0';
	if (buf.len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 errmsg("the token file \"%s\" named by %s is empty", path, envname)));
	return buf.data;
}

static char *
form_encode(const char *s)
{
	char	   *enc = s3_uri_encode(s, strlen(s), false);
	char	   *r;

	if (enc == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	r = pstrdup(enc);
	free(enc);
	return r;
}

static char *
endpoint_url(const s3_endpoint *ep)
{
	if (ep->port != 0)
		return psprintf("%s://%s:%d/", ep->https ? "https" : "http", ep->host, ep->port);
	return psprintf("%s://%s/", ep->https ? "https" : "http", ep->host);
}

static char *
endpoint_host(const s3_endpoint *ep)
{
	if (ep->port != 0 && ep->port != (ep->https ? 443 : 80))
		return psprintf("%s:%d", ep->host, ep->port);
	return pstrdup(ep->host);
}

/* AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN: STS AssumeRoleWithWebIdentity */
static S3Credentials *
web_identity_credentials(S3Server *server, const char *token_file, const char *role_arn)
{
	const char *session = getenv("AWS_ROLE_SESSION_NAME");
	char	   *token = read_token_file(token_file, "AWS_WEB_IDENTITY_TOKEN_FILE");
	char	   *url = endpoint_url(&server->sts_endpoint);
	char	   *what = psprintf(_("could not assume role \"%s\" with a web identity token through STS at %s"),
							   role_arn, url);
	char	   *body;
	S3HttpResponse resp;

	body = psprintf("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=%s"
					"&RoleSessionName=%s&WebIdentityToken=%s",
					form_encode(role_arn),
					form_encode(session && session[0] ? session : "s3_fdw"),
					form_encode(token));
	plain_request("POST", url,
				  list_make2(psprintf("Host: %s", endpoint_host(&server->sts_endpoint)),
							 "Content-Type: application/x-www-form-urlencoded; charset=utf-8"),
				  body, CREDENTIALS_TIMEOUT_MS, false, NULL, what, "STS", &resp);
	return parse_credentials(s3_xml_parse_sts_credentials, &resp, what);
}

/* AWS_CONTAINER_CREDENTIALS_{RELATIVE,FULL}_URI: the ECS/EKS endpoint */
static S3Credentials *
container_credentials(const char *relative, const char *full)
{
	const char *token_file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *token = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	char	   *url = relative ? psprintf("http://169.254.170.2%s", relative) : pstrdup(full);
	char	   *what = psprintf(_("could not get credentials from the container endpoint %s"), url);
	List	   *headers = NIL;
	S3HttpResponse resp;

	if (token_file && token_file[0])
		token = read_token_file(token_file, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	if (token && token[0])
	{
		if (strpbrk(token, "\r\n") != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
					 errmsg("the container authorization token contains a line break")));
		headers = lappend(headers, psprintf("Authorization: %s", token));
	}
	plain_request("GET", url, headers, NULL, CREDENTIALS_TIMEOUT_MS, true, NULL, what,
				  "The container endpoint", &resp);
	return parse_credentials(s3_json_parse_credentials, &resp, what);
}

static bool env_true(const char *name);
static S3Credentials *profile_credentials(void);

/*
 * The EC2 instance metadata service: IMDSv2 (a session token first, then
 * the role's credentials with it).  As the SDKs do, a service that refuses
 * the token request (403, 404 or 405: IMDSv2 not offered) is asked again
 * without a token (IMDSv1), unless AWS_EC2_METADATA_V1_DISABLED is true.
 */
static S3Credentials *
imds_credentials(void)
{
	static const long v1_statuses[] = {403, 404, 405, 0};
	const char *base = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	char	   *root;
	char	   *what;
	char	   *token = NULL;
	List	   *token_header = NIL;
	char	   *role;
	char	   *nl;
	S3HttpResponse resp;

	if (base == NULL || base[0] == '\0')
		base = "http://169.254.169.254";
	root = pstrdup(base);
	while (root[0] && root[strlen(root) - 1] == '/')
		root[strlen(root) - 1] = '\0';
	what = psprintf(_("could not get credentials from the instance metadata service at %s"), root);

	plain_request("PUT", psprintf("%s/latest/api/token", root),
				  list_make1("X-aws-ec2-metadata-token-ttl-seconds: 21600"),
				  "", IMDS_TIMEOUT_MS, true, v1_statuses, what, "The metadata service", &resp);
	if (resp.status >= 200 && resp.status <= 299)
	{
		token = pnstrdup(resp.body ? resp.body : "", resp.body_len);
		if (token[0] == '\0' || strpbrk(token, "\r\n") != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_STRING_FORMAT),
					 errmsg_internal("%s", what),
					 errdetail("The session token the service gave is empty or has a line break.")));
		token_header = list_make1(psprintf("X-aws-ec2-metadata-token: %s", token));
	}
	else if (env_true("AWS_EC2_METADATA_V1_DISABLED"))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 errmsg_internal("%s", what),
				 errdetail("The service refused a session token (HTTP %ld), and AWS_EC2_METADATA_V1_DISABLED is true, so IMDSv1 (without a token) was not tried.",
						   resp.status),
				 errhint("Require IMDSv2 on the instance, or unset AWS_EC2_METADATA_V1_DISABLED.")));

	plain_request("GET", psprintf("%s/latest/meta-data/iam/security-credentials/", root),
				  token_header, NULL, IMDS_TIMEOUT_MS, true, NULL, what, "The metadata service", &resp);
	role = pnstrdup(resp.body ? resp.body : "", resp.body_len);
	if ((nl = strchr(role, '\n')) != NULL)
		*nl = '\0';
	if (role[0] == '\0' || strpbrk(role, "/?#% ") != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 errmsg_internal("%s", what),
				 errdetail("The instance has no IAM role."),
				 errhint("Attach an instance profile to the instance, or use credentials 'keys'.")));

	plain_request("GET", psprintf("%s/latest/meta-data/iam/security-credentials/%s", root, role),
				  token_header, NULL, IMDS_TIMEOUT_MS, true, NULL, what, "The metadata service", &resp);
	return parse_credentials(s3_json_parse_credentials, &resp, what);
}

static bool
env_true(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && pg_strcasecmp(v, "true") == 0;
}

static void
chain_context(void *arg)
{
	errcontext("%s", (const char *) arg);
}

/*
 * Ask one source of the chain, with an error context line saying which
 * source it is and why it was chosen.
 */
static S3Credentials *
ask_source(S3Server *server, const char *why, int source,
		   const char *token_file, const char *role_arn,
		   const char *relative, const char *full)
{
	ErrorContextCallback cb;
	S3Credentials *result;

	cb.callback = chain_context;
	cb.arg = psprintf("credentials 'instance' of server \"%s\": %s", server->servername, why);
	cb.previous = error_context_stack;
	error_context_stack = &cb;
	if (source == 0)
		result = web_identity_credentials(server, token_file, role_arn);
	else if (source == 1)
		result = container_credentials(relative, full);
	else if (source == 3)
		result = profile_credentials();
	else
		result = imds_credentials();
	error_context_stack = cb.previous;
	return result;
}

/*
 * A file of the shared configuration: the path from the environment
 * variable (a leading "~/" is the home directory, as the SDKs read it),
 * else ~/NAME.  Its contents, or NULL when it does not exist.
 */
static char *
read_profile_file(const char *envname, const char *name, char **path_out, size_t *len)
{
	const char *path = getenv(envname);
	const char *home = getenv("HOME");
	StringInfoData buf;
	int			rc;

	if (home == NULL || home[0] == '\0')
	{
		struct passwd *pw = getpwuid(geteuid());

		home = pw ? pw->pw_dir : "";
	}
	if (path == NULL || path[0] == '\0')
		*path_out = psprintf("%s/%s", home, name);
	else if (path[0] == '~' && path[1] == '/')
		*path_out = psprintf("%s%s", home, path + 1);
	else
		*path_out = pstrdup(path);

	rc = read_small_file(*path_out, MAX_PROFILE_FILE, &buf);
	if (rc == -1 && (errno == ENOENT || errno == ENOTDIR))
		return NULL;
	if (rc == -1)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read the AWS shared configuration file \"%s\": %m", *path_out)));
	if (rc == -2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the AWS shared configuration file \"%s\" is larger than 1 MB", *path_out)));
	*len = buf.len;
	return buf.data;
}

/*
 * One file's keys for the profile, copied into palloc'd memory; NULL when
 * the file or the profile's section is not there, or holds no keys.
 */
/* What a profile is taken into (see take_profile) */
typedef struct ProfileTake
{
	const char *profile;
	const char *path;
	bool	   *found;
	S3Credentials *creds;		/* NULL when the profile has no keys */
} ProfileTake;

static void
release_profile(void *p)
{
	aws_profile_free((aws_profile *) p);
}

static void
take_profile(void *result, void *arg)
{
	aws_profile *p = (aws_profile *) result;
	ProfileTake *pt = (ProfileTake *) arg;

	*pt->found |= p->found;
	if (p->access_key_id != NULL || p->secret_access_key != NULL)
	{
		if (p->access_key_id == NULL || p->secret_access_key == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
					 errmsg("profile \"%s\" of \"%s\" has only one of aws_access_key_id and aws_secret_access_key",
							pt->profile, pt->path)));
		if (!s3_printable_ascii(p->access_key_id) || !s3_printable_ascii(p->secret_access_key) ||
			(p->session_token && !s3_printable_ascii(p->session_token)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
					 errmsg("profile \"%s\" of \"%s\" holds credentials that are not printable ASCII",
							pt->profile, pt->path)));
		pt->creds = palloc0(sizeof(S3Credentials));
		pt->creds->access_key_id = pstrdup(p->access_key_id);
		pt->creds->secret_access_key = pstrdup(p->secret_access_key);
		pt->creds->session_token = p->session_token ? pstrdup(p->session_token) : NULL;
	}
	else if (p->found && p->unsupported != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("profile \"%s\" of \"%s\" uses %s, which s3_fdw does not follow",
						pt->profile, pt->path, p->unsupported),
				 errhint("Give the profile aws_access_key_id and aws_secret_access_key, or use credentials 'role' with role_arn for an assumed role.")));
}

static S3Credentials *
profile_from_file(const char *envname, const char *name, bool config_file,
				  const char *profile, bool *found)
{
	char	   *path;
	size_t		len = 0;
	char	   *text = read_profile_file(envname, name, &path, &len);
	aws_profile prof;
	char		errbuf[128];
	ProfileTake pt;

	if (text == NULL)
		return NULL;
	if (aws_profile_parse(text, len, profile, config_file, &prof, errbuf, sizeof(errbuf)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("could not read the AWS shared configuration file \"%s\"", path),
				 errdetail("%s", s3_sentence(errbuf))));
	pt.profile = profile;
	pt.path = path;
	pt.found = found;
	pt.creds = NULL;
	s3_take_core_result(&prof, release_profile, take_profile, &pt);
	return pt.creds;
}

/*
 * The shared credentials and config files of the database server's OS
 * user, as the SDKs read them: profile AWS_PROFILE (else "default") in
 * AWS_SHARED_CREDENTIALS_FILE (else ~/.aws/credentials), then in
 * AWS_CONFIG_FILE (else ~/.aws/config).  NULL when neither gives keys and
 * no AWS_PROFILE was named.
 */
static S3Credentials *
profile_credentials(void)
{
	const char *named = getenv("AWS_PROFILE");
	const char *profile = named && named[0] ? named : "default";
	bool		found = false;
	S3Credentials *c;

	c = profile_from_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials", false, profile, &found);
	if (c == NULL)
		c = profile_from_file("AWS_CONFIG_FILE", ".aws/config", true, profile, &found);
	if (c == NULL && named && named[0] && !found)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 errmsg("the AWS profile \"%s\" named by AWS_PROFILE was not found", profile),
				 errhint("Add it to the shared credentials file (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials of the database server's OS user).")));
	return c;
}

/* The AWS SDKs' default chain, in their order. */
S3Credentials *
s3_instance_credentials(S3Server *server)
{
	const char *ak = getenv("AWS_ACCESS_KEY_ID");
	const char *sk = getenv("AWS_SECRET_ACCESS_KEY");
	const char *token_file = getenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	const char *role_arn = getenv("AWS_ROLE_ARN");
	const char *relative = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	S3Credentials *profile;

	if (ak && ak[0] && sk && sk[0])
	{
		S3Credentials *c = palloc0(sizeof(S3Credentials));
		const char *st = getenv("AWS_SESSION_TOKEN");

		if (!s3_printable_ascii(ak) || !s3_printable_ascii(sk) || (st && !s3_printable_ascii(st)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
					 errmsg("invalid AWS credentials in the database server's environment"),
					 errdetail("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN must be printable ASCII.")));
		c->access_key_id = pstrdup(ak);
		c->secret_access_key = pstrdup(sk);
		c->session_token = st && st[0] ? pstrdup(st) : NULL;
		return c;
	}
	if (token_file && token_file[0] && role_arn && role_arn[0])
		return ask_source(server, "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set", 0,
						  token_file, role_arn, NULL, NULL);
	if ((profile = ask_source(server, "the shared credentials and config files were read", 3,
							  NULL, NULL, NULL, NULL)) != NULL)
		return profile;
	if (relative && relative[0])
		return ask_source(server, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set", 1,
						  NULL, NULL, relative, NULL);
	if (full && full[0])
		return ask_source(server, "AWS_CONTAINER_CREDENTIALS_FULL_URI is set", 1,
						  NULL, NULL, NULL, full);
	if (env_true("AWS_EC2_METADATA_DISABLED"))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 errmsg("no AWS credentials found in the database server's environment for server \"%s\"",
						server->servername),
				 errdetail("No AWS_ACCESS_KEY_ID, web identity token, profile with keys or container endpoint is set, and AWS_EC2_METADATA_DISABLED is true."),
				 errhint("Use credentials 'keys' with a user mapping, or give the database server an AWS identity.")));
	return ask_source(server, "no AWS_ACCESS_KEY_ID, web identity token, profile with keys or container endpoint is set, so the instance metadata service was asked",
					  2, NULL, NULL, NULL, NULL);
}

/* STS AssumeRole of the server's role_arn, signed with base credentials. */
S3Credentials *
s3_assume_role(S3Server *server, const S3Credentials *base)
{
	S3SignedRequest r;
	S3HttpResponse resp;
	char	   *what;

	memset(&r, 0, sizeof(r));
	r.url = endpoint_url(&server->sts_endpoint);
	r.host = endpoint_host(&server->sts_endpoint);
	r.path = "/";
	what = psprintf(_("could not assume role \"%s\" through STS at %s"), server->role_arn, r.url);
	r.what = what;
	r.method = "POST";
	r.body = psprintf("Action=AssumeRole&Version=2011-06-15&RoleArn=%s&RoleSessionName=%s%s%s",
					  form_encode(server->role_arn),
					  form_encode(server->role_session_name),
					  server->external_id ? "&ExternalId=" : "",
					  server->external_id ? form_encode(server->external_id) : "");
	r.body_len = strlen(r.body);
	r.content_type = "application/x-www-form-urlencoded; charset=utf-8";
	r.region = server->region;
	r.service = "sts";
	r.server = server;
	s3_send_signed(base, &r, &resp);
	return parse_credentials(s3_xml_parse_sts_credentials, &resp, what);
}

