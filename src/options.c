/*-------------------------------------------------------------------------
 *
 * options.c
 *		The options s3_fdw accepts, their validator, and the resolution of
 *		a foreign server's options into an S3Server.
 *
 * As in contrib/file_fdw, one table lists every option with the catalog it
 * belongs to, and s3_fdw_validator() checks both names and values, so that
 * a mistake is reported by CREATE/ALTER SERVER or USER MAPPING rather than
 * by the first query.  Secrets are accepted only in user mappings, whose
 * options PostgreSQL shows only to the mapped role, to the server's owner
 * (for a PUBLIC mapping) and to superusers.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/reloptions.h"
#include "catalog/pg_foreign_data_wrapper.h"
#include "catalog/pg_foreign_server.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_user_mapping.h"
#include "commands/defrem.h"
#include "foreign/foreign.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "s3_fdw.h"

typedef struct S3FdwOption
{
	const char *optname;
	Oid			optcontext;		/* catalog the option may appear in */
	bool		secret;			/* never echoed in messages */
} S3FdwOption;

static const S3FdwOption valid_options[] = {
	/* server */
	{"region", ForeignServerRelationId, false},
	{"endpoint", ForeignServerRelationId, false},
	{"url_style", ForeignServerRelationId, false},
	{"credentials", ForeignServerRelationId, false},
	{"role_arn", ForeignServerRelationId, false},
	{"role_session_name", ForeignServerRelationId, false},
	{"external_id", ForeignServerRelationId, false},
	{"sts_endpoint", ForeignServerRelationId, false},
	{"connect_timeout", ForeignServerRelationId, false},
	{"request_timeout", ForeignServerRelationId, false},
	{"max_retries", ForeignServerRelationId, false},
	{"ca_file", ForeignServerRelationId, false},
	/* user mapping */
	{"access_key_id", UserMappingRelationId, false},
	{"secret_access_key", UserMappingRelationId, true},
	{"session_token", UserMappingRelationId, true},
	/* foreign table */
	{"bucket", ForeignTableRelationId, false},
	{"prefix", ForeignTableRelationId, false},
	{NULL, InvalidOid, false}
};

PG_FUNCTION_INFO_V1(s3_fdw_validator);

/* A rule from s3_names.c as a detail sentence: capitalized, with a period. */
static char *
sentence(const char *fragment)
{
	char	   *s = psprintf("%s.", fragment);

	s[0] = pg_toupper((unsigned char) s[0]);
	return s;
}

static const S3FdwOption *
find_option(const char *name)
{
	const S3FdwOption *opt;

	for (opt = valid_options; opt->optname; opt++)
		if (strcmp(opt->optname, name) == 0)
			return opt;
	return NULL;
}

static const char *
context_name(Oid context)
{
	switch (context)
	{
		case ForeignDataWrapperRelationId:
			return "foreign-data wrapper";
		case ForeignServerRelationId:
			return "server";
		case UserMappingRelationId:
			return "user mapping";
		case ForeignTableRelationId:
			return "foreign table";
		default:
			return "object";
	}
}

static S3CredentialMode
parse_credentials_mode(const char *value)
{
	if (strcmp(value, "keys") == 0)
		return S3_CRED_KEYS;
	if (strcmp(value, "instance") == 0)
		return S3_CRED_INSTANCE;
	if (strcmp(value, "role") == 0)
		return S3_CRED_ROLE;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value for option \"credentials\": \"%s\"", value),
			 errhint("Valid values are \"keys\", \"instance\" and \"role\".")));
	return S3_CRED_KEYS;		/* keep compiler quiet */
}

/* The integer options and their ranges */
static int
integer_option(const char *name, const char *value)
{
	int			min = strcmp(name, "max_retries") == 0 ? 0 : 1;
	int			max = strcmp(name, "max_retries") == 0 ? 10
		: strcmp(name, "connect_timeout") == 0 ? 300 : 86400;
	char	   *end;
	long		v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < min || v > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"", name, value),
				 errdetail("It must be a whole number from %d to %d%s.", min, max,
						   strcmp(name, "max_retries") == 0 ? "" : " (seconds)")));
	return (int) v;
}

/* Checks one option's value; raises an error when it is unacceptable. */
static void
check_option_value(const S3FdwOption *opt, DefElem *def)
{
	const char *value = defGetString(def);
	const char *problem;

	if (value[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"%s\" must not be empty", opt->optname)));

	if (strcmp(opt->optname, "region") == 0)
	{
		if ((problem = s3_check_region(value)) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"region\": \"%s\"", value),
					 errdetail("%s", sentence(problem)),
					 errhint("Use a region name such as \"us-east-1\" or \"eu-west-3\".")));
	}
	else if (strcmp(opt->optname, "role_arn") == 0 ||
			 strcmp(opt->optname, "role_session_name") == 0 ||
			 strcmp(opt->optname, "external_id") == 0)
	{
		if (strcmp(opt->optname, "role_arn") == 0)
			problem = s3_check_role_arn(value);
		else if (strcmp(opt->optname, "role_session_name") == 0)
			problem = s3_check_role_session_name(value);
		else
			problem = s3_check_external_id(value);
		if (problem != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"%s\": \"%s\"", opt->optname, value),
					 errdetail("%s", sentence(problem))));
	}
	else if (strcmp(opt->optname, "endpoint") == 0 || strcmp(opt->optname, "sts_endpoint") == 0)
	{
		s3_endpoint ep;

		if ((problem = s3_parse_endpoint(value, &ep)) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 /* user information may hold a password: do not echo it */
					 strchr(value, '@') != NULL
					 ? errmsg("invalid value for option \"%s\"", opt->optname)
					 : errmsg("invalid value for option \"%s\": \"%s\"", opt->optname, value),
					 errdetail("%s", sentence(problem)),
					 errhint("Use a URL such as \"https://s3.example.com\" or \"http://127.0.0.1:9000\".")));
		/* where the machine's credentials live (checked again at connect time) */
		if (!superuser() && (problem = s3_endpoint_literal_link_local(&ep)) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("only a superuser may set option \"%s\" to a link-local address", opt->optname),
					 errdetail("%s", sentence(problem))));
	}
	else if (strcmp(opt->optname, "connect_timeout") == 0 ||
			 strcmp(opt->optname, "request_timeout") == 0 ||
			 strcmp(opt->optname, "max_retries") == 0)
		(void) integer_option(opt->optname, value);
	else if (strcmp(opt->optname, "ca_file") == 0)
	{
		if (!is_absolute_path(value))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"ca_file\" must be an absolute path")));
		/* curl would read any file the server can: as file_fdw's filename */
		if (!superuser())
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("only a superuser may set the option \"ca_file\"")));
	}
	else if (strcmp(opt->optname, "url_style") == 0)
	{
		if (strcmp(value, "virtual") != 0 && strcmp(value, "path") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"url_style\": \"%s\"", value),
					 errhint("Valid values are \"virtual\" and \"path\".")));
	}
	else if (strcmp(opt->optname, "credentials") == 0)
		(void) parse_credentials_mode(value);
	else if (strcmp(opt->optname, "bucket") == 0)
		s3_check_bucket_arg(value);
	else if (strcmp(opt->optname, "prefix") == 0)
		(void) s3_check_key_arg(value);
	else if (strcmp(opt->optname, "access_key_id") == 0)
	{
		const char *p;

		for (p = value; *p; p++)
			if (!isalnum((unsigned char) *p))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"access_key_id\""),
						 errdetail("An access key id contains only letters and digits.")));
	}
	else if (opt->secret)
	{
		const char *p;

		for (p = value; *p; p++)
			if ((unsigned char) *p < 0x20 || (unsigned char) *p == 0x7f)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"%s\"", opt->optname),
						 errdetail("The value contains control characters.")));
	}
}

/*
 * Rules about a server's options together.  The machine's own identity
 * (credentials 'instance', or 'role' on top of it) is handed to everybody
 * with USAGE on the server, so, as postgres_fdw does for password-less
 * connections, only a superuser may create or change such a server.
 */
static void
check_server_options(List *options)
{
	const char *mode = NULL;
	bool		role_option = false;
	bool		role_arn = false;
	ListCell   *lc;

	foreach(lc, options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);

		if (strcmp(def->defname, "credentials") == 0)
			mode = defGetString(def);
		else if (strcmp(def->defname, "role_arn") == 0)
			role_arn = role_option = true;
		else if (strcmp(def->defname, "role_session_name") == 0 ||
				 strcmp(def->defname, "external_id") == 0)
			role_option = true;
	}
	if (mode != NULL && strcmp(mode, "keys") != 0 && !superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only a superuser may create or alter a server with credentials \"%s\"", mode),
				 errdetail("Such a server lends the database server's own AWS identity to every role with USAGE on it."),
				 errhint("A superuser can create the server and grant USAGE on it.")));
	if (mode != NULL && strcmp(mode, "role") == 0 && !role_arn)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("credentials \"role\" needs the option role_arn"),
				 errhint("Add OPTIONS (role_arn 'arn:aws:iam::123456789012:role/NAME').")));
	if (role_option && (mode == NULL || strcmp(mode, "role") != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options role_arn, role_session_name and external_id apply only to credentials \"role\"")));
}

/*
 * Validate the generic options given to a FOREIGN DATA WRAPPER, SERVER,
 * USER MAPPING or FOREIGN TABLE that uses s3_fdw.
 */
Datum
s3_fdw_validator(PG_FUNCTION_ARGS)
{
	List	   *options_list = untransformRelOptions(PG_GETARG_DATUM(0));
	Oid			catalog = PG_GETARG_OID(1);
	ListCell   *cell;
	List	   *seen = NIL;

	foreach(cell, options_list)
	{
		DefElem    *def = (DefElem *) lfirst(cell);
		const S3FdwOption *opt = find_option(def->defname);

		if (opt == NULL || opt->optcontext != catalog)
		{
			const S3FdwOption *o;
			StringInfoData buf;

			if (opt != NULL && opt->optcontext == UserMappingRelationId)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
						 errmsg("option \"%s\" is accepted only in a user mapping",
								def->defname),
						 errhint("Credentials belong in CREATE USER MAPPING ... SERVER ... OPTIONS (access_key_id '...', secret_access_key '...'), whose options PostgreSQL shows only to the mapped role, to the server's owner for a PUBLIC mapping, and to superusers.")));

			initStringInfo(&buf);
			for (o = valid_options; o->optname; o++)
				if (o->optcontext == catalog)
					appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "", o->optname);
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
					 errmsg("invalid option \"%s\" for %s", def->defname,
							context_name(catalog)),
					 buf.len > 0
					 ? errhint("Valid options in this context are: %s.", buf.data)
					 : errhint("There are no valid options in this context.")));
		}
		if (list_member(seen, makeString(def->defname)))
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("conflicting or redundant options"),
					 errdetail("Option \"%s\" is given more than once.", def->defname)));
		seen = lappend(seen, makeString(def->defname));
		check_option_value(opt, def);
	}
	if (catalog == ForeignServerRelationId)
		check_server_options(options_list);

	PG_RETURN_VOID();
}

/*
 * Resolve a foreign server's options into an S3Server (credentials are
 * loaded separately, by s3_load_credentials()).
 */
S3Server *
s3_server_from_oid(Oid serverid)
{
	ForeignServer *fs = GetForeignServer(serverid);
	S3Server   *server = palloc0(sizeof(S3Server));
	const char *endpoint = NULL;
	const char *url_style = NULL;
	const char *sts_endpoint = NULL;
	ListCell   *lc;

	server->serverid = serverid;
	server->servername = pstrdup(fs->servername);
	/* a server of a non-superuser may not reach link-local addresses */
	server->restricted = !superuser_arg(fs->owner);
	server->region = "us-east-1";
	server->cred_mode = S3_CRED_KEYS;
	server->connect_timeout_ms = 10 * 1000;
	server->request_timeout_ms = 300 * 1000;
	server->max_retries = 3;

	foreach(lc, fs->options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);

		if (strcmp(def->defname, "region") == 0)
			server->region = defGetString(def);
		else if (strcmp(def->defname, "endpoint") == 0)
			endpoint = defGetString(def);
		else if (strcmp(def->defname, "url_style") == 0)
			url_style = defGetString(def);
		else if (strcmp(def->defname, "credentials") == 0)
			server->cred_mode = parse_credentials_mode(defGetString(def));
		else if (strcmp(def->defname, "role_arn") == 0)
			server->role_arn = defGetString(def);
		else if (strcmp(def->defname, "role_session_name") == 0)
			server->role_session_name = defGetString(def);
		else if (strcmp(def->defname, "external_id") == 0)
			server->external_id = defGetString(def);
		else if (strcmp(def->defname, "sts_endpoint") == 0)
			sts_endpoint = defGetString(def);
		else if (strcmp(def->defname, "connect_timeout") == 0)
			server->connect_timeout_ms = integer_option(def->defname, defGetString(def)) * 1000;
		else if (strcmp(def->defname, "request_timeout") == 0)
			server->request_timeout_ms = integer_option(def->defname, defGetString(def)) * 1000;
		else if (strcmp(def->defname, "max_retries") == 0)
			server->max_retries = integer_option(def->defname, defGetString(def));
		else if (strcmp(def->defname, "ca_file") == 0)
			server->ca_file = defGetString(def);
	}
	if (server->role_session_name == NULL)
		server->role_session_name = "s3_fdw";

	/* STS: the option, else the SDKs' environment variable, else AWS's */
	if (sts_endpoint == NULL)
	{
		sts_endpoint = getenv("AWS_ENDPOINT_URL_STS");
		if (sts_endpoint != NULL && s3_parse_endpoint(sts_endpoint, &server->sts_endpoint) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid AWS_ENDPOINT_URL_STS in the database server's environment")));
	}
	else
		(void) s3_parse_endpoint(sts_endpoint, &server->sts_endpoint);
	if (sts_endpoint == NULL)
		s3_default_sts_endpoint(server->region, &server->sts_endpoint);

	if (endpoint != NULL)
	{
		const char *problem = s3_parse_endpoint(endpoint, &server->endpoint);

		if (problem != NULL)	/* the validator should have caught it */
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"endpoint\": \"%s\"", endpoint),
					 errdetail("%s", sentence(problem))));
		server->custom_endpoint = true;
	}
	else
		s3_default_endpoint(server->region, &server->endpoint);

	/* AWS serves both styles; other stores mostly only path style */
	if (url_style != NULL)
		server->virtual_style = (strcmp(url_style, "virtual") == 0);
	else
		server->virtual_style = !server->custom_endpoint;

	return server;
}

/* Raise an error unless bucket is a valid S3 bucket name. */
void
s3_check_bucket_arg(const char *bucket)
{
	const char *problem = s3_check_bucket_name(bucket);

	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_NAME),
				 errmsg("invalid bucket name \"%s\"", bucket),
				 errdetail("%s", sentence(problem))));
}

/*
 * Check an object key and return it converted to UTF-8, the encoding S3
 * keys are in.
 */
char *
s3_check_key_arg(const char *key)
{
	char	   *utf8 = pg_server_to_any(key, strlen(key), PG_UTF8);
	const char *problem = s3_check_key(utf8, strlen(utf8));

	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid object key"),
				 errdetail("%s", sentence(problem))));
	return utf8;
}
