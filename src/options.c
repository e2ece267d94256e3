/*-------------------------------------------------------------------------
 *
 * options.c
 *		The options s3_fdw accepts, their validator, the resolution of a
 *		foreign server's options into an S3Server, and the lookup of the
 *		server a SQL-callable function names (with USAGE checked: the
 *		caller's credentials then come from its own user mapping, or
 *		PUBLIC's, exactly as for a foreign table).
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
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "s3_server.h"
#include "s3_values.h"

/* What an option's value must be; check_option_value() checks each kind */
typedef enum S3OptionKind
{
	OPT_REGION,
	OPT_ENDPOINT,				/* http[s]://host[:port] */
	OPT_URL_STYLE,				/* virtual | path */
	OPT_CREDENTIALS,			/* keys | instance | role */
	OPT_ROLE_ARN,
	OPT_SESSION_NAME,
	OPT_EXTERNAL_ID,
	OPT_INTEGER,				/* a whole number from min to max */
	OPT_SIZE,					/* bytes, with a unit (kB, MB, GB) or not,
								 * from min to max */
	OPT_PAYLOAD_SIGNING,		/* signed | unsigned | auto */
	OPT_VERIFY,					/* a boolean, or auto */
	OPT_BOOLEAN,				/* true | false (and PostgreSQL's spellings) */
	OPT_PATH,					/* an absolute path, superusers only */
	OPT_KEY_ID,					/* letters and digits */
	OPT_SECRET,					/* no control characters; never echoed */
	OPT_BUCKET,
	OPT_KEY
} S3OptionKind;

/*
 * Every option: where it may appear, what its value must be, its default
 * and the field of S3Options it fills.  The validator, s3_extract_options()
 * and the hints that list valid options all read this table.
 */
typedef struct S3FdwOption
{
	const char *optname;
	Oid			optcontext;		/* catalog the option may appear in */
	S3OptionKind kind;
	int			min;			/* OPT_INTEGER */
	int			max;
	const char *unit;			/* OPT_INTEGER: for messages, or NULL */
	const char *default_value;	/* NULL: none */
	size_t		offset;			/* of its field in S3Options */
} S3FdwOption;

#define FIELD(f) offsetof(S3Options, f)

static const S3FdwOption valid_options[] = {
	/* server */
	{"region", ForeignServerRelationId, OPT_REGION, 0, 0, NULL, "us-east-1", FIELD(region)},
	{"endpoint", ForeignServerRelationId, OPT_ENDPOINT, 0, 0, NULL, NULL, FIELD(endpoint)},
	{"url_style", ForeignServerRelationId, OPT_URL_STYLE, 0, 0, NULL, NULL, FIELD(url_style)},
	{"credentials", ForeignServerRelationId, OPT_CREDENTIALS, 0, 0, NULL, "keys", FIELD(credentials)},
	{"role_arn", ForeignServerRelationId, OPT_ROLE_ARN, 0, 0, NULL, NULL, FIELD(role_arn)},
	{"role_session_name", ForeignServerRelationId, OPT_SESSION_NAME, 0, 0, NULL, "s3_fdw", FIELD(role_session_name)},
	{"external_id", ForeignServerRelationId, OPT_EXTERNAL_ID, 0, 0, NULL, NULL, FIELD(external_id)},
	{"sts_endpoint", ForeignServerRelationId, OPT_ENDPOINT, 0, 0, NULL, NULL, FIELD(sts_endpoint)},
	{"connect_timeout", ForeignServerRelationId, OPT_INTEGER, 1, 300, "seconds", "10", FIELD(connect_timeout)},
	{"request_timeout", ForeignServerRelationId, OPT_INTEGER, 1, 86400, "seconds", "300", FIELD(request_timeout)},
	{"max_retries", ForeignServerRelationId, OPT_INTEGER, 0, 10, NULL, "3", FIELD(max_retries)},
	{"ca_file", ForeignServerRelationId, OPT_PATH, 0, 0, NULL, NULL, FIELD(ca_file)},
	{"max_concurrency", ForeignServerRelationId, OPT_INTEGER, 1, 64, NULL, "16", FIELD(max_concurrency)},
	{"multipart_threshold", ForeignServerRelationId, OPT_SIZE, 5 * 1024 * 1024, 1024 * 1024 * 1024, NULL, "64MB", FIELD(multipart_threshold)},
	{"part_size", ForeignServerRelationId, OPT_SIZE, 5 * 1024 * 1024, 1024 * 1024 * 1024, NULL, "16MB", FIELD(part_size)},
	{"payload_signing", ForeignServerRelationId, OPT_PAYLOAD_SIGNING, 0, 0, NULL, "auto", FIELD(payload_signing)},
	{"verify_md5", ForeignServerRelationId, OPT_VERIFY, 0, 0, NULL, "auto", FIELD(verify_md5)},
	{"updatable", ForeignServerRelationId, OPT_BOOLEAN, 0, 0, NULL, "true", FIELD(updatable)},
	/* user mapping */
	{"access_key_id", UserMappingRelationId, OPT_KEY_ID, 0, 0, NULL, NULL, FIELD(access_key_id)},
	{"secret_access_key", UserMappingRelationId, OPT_SECRET, 0, 0, NULL, NULL, FIELD(secret_access_key)},
	{"session_token", UserMappingRelationId, OPT_SECRET, 0, 0, NULL, NULL, FIELD(session_token)},
	/* foreign table */
	{"bucket", ForeignTableRelationId, OPT_BUCKET, 0, 0, NULL, NULL, FIELD(bucket)},
	{"prefix", ForeignTableRelationId, OPT_KEY, 0, 0, NULL, NULL, FIELD(prefix)},
	{"max_concurrency", ForeignTableRelationId, OPT_INTEGER, 1, 64, NULL, NULL, FIELD(table_max_concurrency)},
	{"updatable", ForeignTableRelationId, OPT_BOOLEAN, 0, 0, NULL, NULL, FIELD(table_updatable)},
	{NULL, InvalidOid, 0, 0, 0, NULL, NULL, 0}
};

PG_FUNCTION_INFO_V1(s3_fdw_validator);

/* The option of that name in that catalog, else in another, else NULL */
static const S3FdwOption *
find_option(const char *name, Oid catalog)
{
	const S3FdwOption *opt;
	const S3FdwOption *elsewhere = NULL;

	for (opt = valid_options; opt->optname; opt++)
		if (strcmp(opt->optname, name) == 0)
		{
			if (opt->optcontext == catalog)
				return opt;
			elsewhere = opt;
		}
	return elsewhere;
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

/* An OPT_INTEGER option's value, within its range. */
static int
integer_option(const S3FdwOption *opt, const char *value)
{
	char	   *end;
	long		v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < opt->min || v > opt->max)
	{
		if (opt->unit)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"%s\": \"%s\"", opt->optname, value),
					 errdetail("It must be a whole number from %d to %d (%s).",
							   opt->min, opt->max, opt->unit)));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"", opt->optname, value),
				 errdetail("It must be a whole number from %d to %d.", opt->min, opt->max)));
	}
	return (int) v;
}

/*
 * An OPT_SIZE option's value in bytes, within its range: a whole number
 * with PostgreSQL's memory units (kB, MB, GB) or none (bytes).
 */
static int
size_option(const S3FdwOption *opt, const char *value)
{
	int			v;
	const char *hint = NULL;

	if (!parse_int(value, &v, GUC_UNIT_BYTE, &hint) || v < opt->min || v > opt->max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"", opt->optname, value),
				 errdetail("It must be a size from %d MB to %d MB, such as \"%s\".",
						   opt->min / (1024 * 1024), opt->max / (1024 * 1024),
						   opt->default_value)));
	return v;
}

/* Checks one option's value, by its kind; raises an error when it is unacceptable. */
static void
check_option_value(const S3FdwOption *opt, DefElem *def)
{
	const char *value = defGetString(def);
	const char *problem = NULL;
	const char *p;

	if (value[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"%s\" must not be empty", opt->optname)));

	switch (opt->kind)
	{
		case OPT_REGION:
			if ((problem = s3_check_region(value)) != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"region\": \"%s\"", value),
						 errdetail("%s", s3_sentence(problem)),
						 errhint("Use a region name such as \"us-east-1\" or \"eu-west-3\".")));
			break;
		case OPT_ROLE_ARN:
		case OPT_SESSION_NAME:
		case OPT_EXTERNAL_ID:
			problem = opt->kind == OPT_ROLE_ARN ? s3_check_role_arn(value)
				: opt->kind == OPT_SESSION_NAME ? s3_check_role_session_name(value)
				: s3_check_external_id(value);
			if (problem != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"%s\": \"%s\"", opt->optname, value),
						 errdetail("%s", s3_sentence(problem))));
			break;
		case OPT_ENDPOINT:
			{
				s3_endpoint ep;

				if ((problem = s3_parse_endpoint(value, &ep)) != NULL)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					/* user information may hold a password: do not echo it */
							 strchr(value, '@') != NULL
							 ? errmsg("invalid value for option \"%s\"", opt->optname)
							 : errmsg("invalid value for option \"%s\": \"%s\"", opt->optname, value),
							 errdetail("%s", s3_sentence(problem)),
							 errhint("Use a URL such as \"https://s3.example.com\" or \"http://127.0.0.1:9000\".")));
				/* where the machine's credentials live (checked again at connect time) */
				if (!superuser() && (problem = s3_endpoint_literal_link_local(&ep)) != NULL)
					ereport(ERROR,
							(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
							 errmsg("only a superuser may set option \"%s\" to a link-local address", opt->optname),
							 errdetail("%s", s3_sentence(problem))));
			}
			break;
		case OPT_INTEGER:
			(void) integer_option(opt, value);
			break;
		case OPT_SIZE:
			(void) size_option(opt, value);
			break;
		case OPT_BOOLEAN:
			(void) defGetBoolean(def);
			break;
		case OPT_PAYLOAD_SIGNING:
			if (strcmp(value, "signed") != 0 && strcmp(value, "unsigned") != 0 &&
				strcmp(value, "auto") != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"payload_signing\": \"%s\"", value),
						 errhint("Valid values are \"auto\", \"signed\" and \"unsigned\".")));
			break;
		case OPT_VERIFY:
			if (pg_strcasecmp(value, "auto") != 0)
				(void) defGetBoolean(def);
			break;
		case OPT_PATH:
			if (!is_absolute_path(value))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"%s\" must be an absolute path", opt->optname)));
			/* curl would read any file the server can: as file_fdw's filename */
			if (!superuser())
				ereport(ERROR,
						(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						 errmsg("only a superuser may set the option \"%s\"", opt->optname)));
			break;
		case OPT_URL_STYLE:
			if (strcmp(value, "virtual") != 0 && strcmp(value, "path") != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"url_style\": \"%s\"", value),
						 errhint("Valid values are \"virtual\" and \"path\".")));
			break;
		case OPT_CREDENTIALS:
			(void) parse_credentials_mode(value);
			break;
		case OPT_BUCKET:
			s3_check_bucket_arg(value);
			break;
		case OPT_KEY:
			(void) s3_check_key_arg(value);
			break;
		case OPT_KEY_ID:
			for (p = value; *p; p++)
				if (!isalnum((unsigned char) *p))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("invalid value for option \"%s\"", opt->optname),
							 errdetail("An access key id contains only letters and digits.")));
			break;
		case OPT_SECRET:
			for (p = value; *p; p++)
				if ((unsigned char) *p < 0x20 || (unsigned char) *p == 0x7f)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("invalid value for option \"%s\"", opt->optname),
							 errdetail("The value contains control characters.")));
			break;
	}
}

/*
 * The options of one catalog object (server, user mapping or foreign
 * table) as an S3Options: every field of its context set from the list, or
 * to the table's default, or NULL / 0.  Values were checked by the
 * validator when they were stored.
 */
void
s3_extract_options(List *options, Oid context, S3Options *out)
{
	const S3FdwOption *opt;
	ListCell   *lc;

	memset(out, 0, sizeof(*out));
	for (opt = valid_options; opt->optname; opt++)
	{
		const char *value = opt->default_value;

		if (opt->optcontext != context)
			continue;
		foreach(lc, options)
		{
			DefElem    *def = (DefElem *) lfirst(lc);

			if (strcmp(def->defname, opt->optname) == 0)
				value = defGetString(def);
		}
		if (opt->kind == OPT_INTEGER)
			*(int *) ((char *) out + opt->offset) = value ? integer_option(opt, value) : 0;
		else if (opt->kind == OPT_SIZE)
			*(int *) ((char *) out + opt->offset) = value ? size_option(opt, value) : 0;
		else
			*(const char **) ((char *) out + opt->offset) = value;
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
		const S3FdwOption *opt = find_option(def->defname, catalog);

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
	S3Options	o;

	s3_extract_options(fs->options, ForeignServerRelationId, &o);
	server->serverid = serverid;
	server->servername = pstrdup(fs->servername);
	/* a server of a non-superuser may not reach link-local addresses */
	server->restricted = !superuser_arg(fs->owner);
	server->region = (char *) o.region;
	server->cred_mode = parse_credentials_mode(o.credentials);
	server->role_arn = (char *) o.role_arn;
	server->role_session_name = (char *) o.role_session_name;
	server->external_id = (char *) o.external_id;
	server->connect_timeout_ms = o.connect_timeout * 1000;
	server->request_timeout_ms = o.request_timeout * 1000;
	server->max_retries = o.max_retries;
	server->ca_file = (char *) o.ca_file;
	server->max_concurrency = o.max_concurrency;
	server->multipart_threshold = o.multipart_threshold;
	server->part_size = o.part_size;
	/* auto and unsigned alike: unsigned over https only (s3_request.c) */
	server->unsigned_payload = strcmp(o.payload_signing, "signed") != 0;
	{
		bool		verify;

		if (pg_strcasecmp(o.verify_md5, "auto") == 0)
			server->verify_md5 = S3_VERIFY_HTTP;
		else if (parse_bool(o.verify_md5, &verify))
			server->verify_md5 = verify ? S3_VERIFY_ALWAYS : S3_VERIFY_NEVER;
		else
			server->verify_md5 = S3_VERIFY_ALWAYS;
	}

	/* STS: the option, else the SDKs' environment variable, else AWS's */
	if (o.sts_endpoint != NULL)
		(void) s3_parse_endpoint(o.sts_endpoint, &server->sts_endpoint);
	else if (getenv("AWS_ENDPOINT_URL_STS") != NULL)
	{
		if (s3_parse_endpoint(getenv("AWS_ENDPOINT_URL_STS"), &server->sts_endpoint) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid AWS_ENDPOINT_URL_STS in the database server's environment")));
	}
	else
		s3_default_sts_endpoint(server->region, &server->sts_endpoint);

	if (o.endpoint != NULL)
	{
		const char *problem = s3_parse_endpoint(o.endpoint, &server->endpoint);

		if (problem != NULL)	/* the validator should have caught it */
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"endpoint\": \"%s\"", o.endpoint),
					 errdetail("%s", s3_sentence(problem))));
		server->custom_endpoint = true;
	}
	else
		s3_default_endpoint(server->region, &server->endpoint);

	/* AWS serves both styles; other stores mostly only path style */
	if (o.url_style != NULL)
		server->virtual_style = (strcmp(o.url_style, "virtual") == 0);
	else
		server->virtual_style = !server->custom_endpoint;

	return server;
}

/*
 * Resolve a server name for the current user: it must exist, belong to
 * s3_fdw, and be usable by the caller.
 */
S3Server *
s3_lookup_server(const char *servername)
{
	ForeignServer *fs = GetForeignServerByName(servername, false);
	ForeignDataWrapper *fdw = GetForeignDataWrapper(fs->fdwid);
	AclResult	aclresult;
	FmgrInfo	flinfo;

	if (!OidIsValid(fdw->fdwvalidator) ||
		(fmgr_info(fdw->fdwvalidator, &flinfo), flinfo.fn_addr != s3_fdw_validator))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("server \"%s\" is not an s3_fdw server", servername),
				 errdetail("It uses the foreign-data wrapper \"%s\".", fdw->fdwname)));

#if PG_VERSION_NUM >= 160000
	aclresult = object_aclcheck(ForeignServerRelationId, fs->serverid,
								GetUserId(), ACL_USAGE);
#else
	aclresult = pg_foreign_server_aclcheck(fs->serverid, GetUserId(), ACL_USAGE);
#endif
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_FOREIGN_SERVER, fs->servername);

	return s3_server_from_oid(fs->serverid);
}
