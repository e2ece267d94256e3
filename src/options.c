/*-------------------------------------------------------------------------
 *
 * options.c
 *		The options s3_fdw accepts, their validator, their conversion into
 *		typed records (S3Server, S3MappingOptions, S3TableOptions), and the
 *		lookup of the server a SQL-callable function names (with USAGE
 *		checked: the caller's credentials then come from its own user
 *		mapping, or PUBLIC's, exactly as for a foreign table).
 *
 * As in contrib/file_fdw, one table lists every option with the catalog it
 * belongs to, and s3_fdw_validator() checks both names and values, so that
 * a mistake is reported by CREATE/ALTER SERVER or USER MAPPING rather than
 * by the first query.  Each row also names the field of its catalog's
 * record that the option fills and how its value is converted: one
 * converter per kind of value serves the validator and the reading of
 * values back from the catalogs, so that an option is declared once.
 * Secrets are accepted only in user mappings, whose options PostgreSQL
 * shows only to the mapped role, to the server's owner (for a PUBLIC
 * mapping) and to superusers.
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
#include "nodes/makefuncs.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "s3_server.h"
#include "s3_values.h"

/*
 * What an option's value must be, and what it becomes: convert_option()
 * checks each kind and stores it converted into a field of the type that
 * FIELD_TYPE_<kind> names.
 */
typedef enum S3OptionKind
{
	OPT_REGION,
	OPT_ENDPOINT,				/* http[s]://host[:port], parsed */
	OPT_URL_STYLE,				/* virtual | path */
	OPT_CREDENTIALS,			/* keys | instance | role */
	OPT_ROLE_ARN,
	OPT_SESSION_NAME,
	OPT_EXTERNAL_ID,
	OPT_INTEGER,				/* a whole number from min to max, stored
								 * times scale */
	OPT_SIZE,					/* bytes, with a unit (kB, MB, GB) or not,
								 * from min to max */
	OPT_PAYLOAD_SIGNING,		/* signed | unsigned | auto: whether unsigned */
	OPT_VERIFY,					/* a boolean, or auto */
	OPT_BOOLEAN,				/* true | false (and PostgreSQL's spellings) */
	OPT_PATH,					/* an absolute path, superusers only */
	OPT_KEY_ID,					/* letters and digits */
	OPT_SECRET,					/* no control characters; never echoed */
	OPT_BUCKET,
	OPT_KEY,
	OPT_SSE,					/* AES256 | aws:kms | aws:kms:dsse */
	OPT_KMS_KEY_ID,
	OPT_STORAGE_CLASS,
	OPT_CHECKSUM,				/* CRC32C | CRC32 | SHA256 | SHA1, upper-cased */
	OPT_JSON_OBJECT,			/* a JSON object of strings, kept as given */
	OPT_BOOLEAN_TEXT,			/* a boolean, kept as "true" or "false" */
	OPT_CUSTOMER_KEY			/* an SSE-C key, base64; never echoed */
} S3OptionKind;

/* The type of each kind's field (the rows' macros below check it) */
#define FIELD_TYPE_OPT_REGION			char *
#define FIELD_TYPE_OPT_ENDPOINT			s3_endpoint
#define FIELD_TYPE_OPT_URL_STYLE		S3UrlStyle
#define FIELD_TYPE_OPT_CREDENTIALS		S3CredentialMode
#define FIELD_TYPE_OPT_ROLE_ARN			char *
#define FIELD_TYPE_OPT_SESSION_NAME		char *
#define FIELD_TYPE_OPT_EXTERNAL_ID		char *
#define FIELD_TYPE_OPT_INTEGER			int
#define FIELD_TYPE_OPT_SIZE				int
#define FIELD_TYPE_OPT_PAYLOAD_SIGNING	bool
#define FIELD_TYPE_OPT_VERIFY			S3Verify
#define FIELD_TYPE_OPT_BOOLEAN			bool
#define FIELD_TYPE_OPT_PATH				char *
#define FIELD_TYPE_OPT_KEY_ID			char *
#define FIELD_TYPE_OPT_SECRET			char *
#define FIELD_TYPE_OPT_BUCKET			char *
#define FIELD_TYPE_OPT_KEY				char *
#define FIELD_TYPE_OPT_SSE				char *
#define FIELD_TYPE_OPT_KMS_KEY_ID		char *
#define FIELD_TYPE_OPT_STORAGE_CLASS	char *
#define FIELD_TYPE_OPT_CHECKSUM			char *
#define FIELD_TYPE_OPT_JSON_OBJECT		char *
#define FIELD_TYPE_OPT_BOOLEAN_TEXT		char *
#define FIELD_TYPE_OPT_CUSTOMER_KEY		char *

/*
 * Every option: where it may appear, what its value must be, the field of
 * its context's record it fills (S3Server, S3MappingOptions or
 * S3TableOptions) and its default.  The validator, the extraction into the
 * records and the hints that list valid options all read this table.
 */
typedef struct S3FdwOption
{
	const char *optname;
	Oid			optcontext;		/* catalog the option may appear in */
	S3OptionKind kind;
	size_t		offset;			/* of its field in its context's record */
	const char *default_value;	/* NULL: none, the field stays 0 or NULL */
	int			min;			/* OPT_INTEGER, OPT_SIZE: the range */
	int			max;
	int			scale;			/* OPT_INTEGER: the field holds the value
								 * times this (0: as given) */
	const char *unit;			/* OPT_INTEGER: the value's, for messages */
} S3FdwOption;

/*
 * A row's context, kind and field.  The field must be of the kind's type:
 * the assignment inside sizeof is never run, but the compiler checks it.
 */
#define ROW(record, context, kind, field) \
	context, kind, offsetof(record, field) + \
	0 * sizeof(*(FIELD_TYPE_##kind **) NULL = &((record *) NULL)->field)
#define SERVER(kind, field)		ROW(S3Server, ForeignServerRelationId, kind, field)
#define MAPPING(kind, field)	ROW(S3MappingOptions, UserMappingRelationId, kind, field)
#define TABLE(kind, field)		ROW(S3TableOptions, ForeignTableRelationId, kind, field)
#define MB(n)					((n) * 1024 * 1024)

static const S3FdwOption valid_options[] = {
	/* server: S3Server (s3_server_from_oid() then finishes it) */
	{"region", SERVER(OPT_REGION, region), "us-east-1"},
	{"endpoint", SERVER(OPT_ENDPOINT, endpoint), NULL},
	{"url_style", SERVER(OPT_URL_STYLE, url_style), NULL},
	{"credentials", SERVER(OPT_CREDENTIALS, cred_mode), "keys"},
	{"role_arn", SERVER(OPT_ROLE_ARN, role_arn), NULL},
	{"role_session_name", SERVER(OPT_SESSION_NAME, role_session_name), "s3_fdw"},
	{"external_id", SERVER(OPT_EXTERNAL_ID, external_id), NULL},
	{"sts_endpoint", SERVER(OPT_ENDPOINT, sts_endpoint), NULL},
	{"connect_timeout", SERVER(OPT_INTEGER, connect_timeout_ms), "10", 1, 300, 1000, "seconds"},
	{"request_timeout", SERVER(OPT_INTEGER, request_timeout_ms), "300", 1, 86400, 1000, "seconds"},
	{"max_retries", SERVER(OPT_INTEGER, max_retries), "3", 0, 10},
	{"ca_file", SERVER(OPT_PATH, ca_file), NULL},
	{"max_concurrency", SERVER(OPT_INTEGER, max_concurrency), "16", 1, 64},
	{"multipart_threshold", SERVER(OPT_SIZE, multipart_threshold), "64MB", MB(5), MB(1024)},
	{"part_size", SERVER(OPT_SIZE, part_size), "16MB", MB(5), MB(1024)},
	{"payload_signing", SERVER(OPT_PAYLOAD_SIGNING, unsigned_payload), "auto"},
	{"verify_md5", SERVER(OPT_VERIFY, verify_md5), "auto"},
	{"updatable", SERVER(OPT_BOOLEAN, updatable), "true"},
	{"sse", SERVER(OPT_SSE, sse), NULL},
	{"kms_key_id", SERVER(OPT_KMS_KEY_ID, kms_key_id), NULL},
	{"encryption_context", SERVER(OPT_JSON_OBJECT, encryption_context), NULL},
	{"bucket_key_enabled", SERVER(OPT_BOOLEAN_TEXT, bucket_key_enabled), NULL},
	{"storage_class", SERVER(OPT_STORAGE_CLASS, storage_class), NULL},
	{"checksum_algorithm", SERVER(OPT_CHECKSUM, checksum_algorithm), NULL},
	/* listings: several partitions of the key range in flight; keys a page */
	{"parallel_listing", SERVER(OPT_BOOLEAN, parallel_listing), "true"},
	{"page_size", SERVER(OPT_INTEGER, page_size), "1000", 1, 1000},
	/* user mapping: S3MappingOptions */
	{"access_key_id", MAPPING(OPT_KEY_ID, access_key_id), NULL},
	{"secret_access_key", MAPPING(OPT_SECRET, secret_access_key), NULL},
	{"session_token", MAPPING(OPT_SECRET, session_token), NULL},
	{"sse_customer_key", MAPPING(OPT_CUSTOMER_KEY, sse_customer_key), NULL},
	/* foreign table: S3TableOptions */
	{"bucket", TABLE(OPT_BUCKET, bucket), NULL},
	{"prefix", TABLE(OPT_KEY, prefix), NULL},
	{"max_concurrency", TABLE(OPT_INTEGER, max_concurrency), NULL, 1, 64},
	/* true: as far as the server's updatable allows (s3IsForeignRelUpdatable) */
	{"updatable", TABLE(OPT_BOOLEAN, updatable), "true"},
	{"sse", TABLE(OPT_SSE, sse), NULL},
	{"kms_key_id", TABLE(OPT_KMS_KEY_ID, kms_key_id), NULL},
	{"encryption_context", TABLE(OPT_JSON_OBJECT, encryption_context), NULL},
	{"bucket_key_enabled", TABLE(OPT_BOOLEAN_TEXT, bucket_key_enabled), NULL},
	{"storage_class", TABLE(OPT_STORAGE_CLASS, storage_class), NULL},
	{"checksum_algorithm", TABLE(OPT_CHECKSUM, checksum_algorithm), NULL},
	/* every version, with ListObjectVersions */
	{"versions", TABLE(OPT_BOOLEAN, versions), "false"},
	{"parallel_listing", TABLE(OPT_BOOLEAN_TEXT, parallel_listing), NULL},
	{"page_size", TABLE(OPT_INTEGER, page_size), NULL, 1, 1000},
	{NULL}
};

/* The values of credentials, in the order of S3CredentialMode */
static const char *const credential_modes[] = {"keys", "instance", "role"};

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

/* An OPT_INTEGER option's value, within its range (before its scale). */
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

/* A boolean, spelt as PostgreSQL's own options are (defGetBoolean()) */
static bool
boolean_option(const S3FdwOption *opt, char *value)
{
	return defGetBoolean(makeDefElem(pstrdup(opt->optname), (Node *) makeString(value), -1));
}

/*
 * Check one option's value, by its kind, and store it converted into its
 * field; an unacceptable value raises an error.  The validator checks the
 * values given to CREATE and ALTER here, and the values read back from the
 * catalogs (and the defaults) are converted here.
 */
static void
convert_option(const S3FdwOption *opt, char *value, void *field)
{
	const char *problem = NULL;
	const char *p;
	int			i;

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
			if ((problem = s3_parse_endpoint(value, (s3_endpoint *) field)) != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				/* user information may hold a password: do not echo it */
						 strchr(value, '@') != NULL
						 ? errmsg("invalid value for option \"%s\"", opt->optname)
						 : errmsg("invalid value for option \"%s\": \"%s\"", opt->optname, value),
						 errdetail("%s", s3_sentence(problem)),
						 errhint("Use a URL such as \"https://s3.example.com\" or \"http://127.0.0.1:9000\".")));
			return;
		case OPT_URL_STYLE:
			if (strcmp(value, "virtual") == 0)
				*(S3UrlStyle *) field = S3_URL_STYLE_VIRTUAL;
			else if (strcmp(value, "path") == 0)
				*(S3UrlStyle *) field = S3_URL_STYLE_PATH;
			else
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"url_style\": \"%s\"", value),
						 errhint("Valid values are \"virtual\" and \"path\".")));
			return;
		case OPT_CREDENTIALS:
			for (i = 0; i < lengthof(credential_modes); i++)
				if (strcmp(value, credential_modes[i]) == 0)
				{
					*(S3CredentialMode *) field = (S3CredentialMode) i;
					return;
				}
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"credentials\": \"%s\"", value),
					 errhint("Valid values are \"keys\", \"instance\" and \"role\".")));
			return;
		case OPT_INTEGER:
			*(int *) field = integer_option(opt, value) * Max(opt->scale, 1);
			return;
		case OPT_SIZE:
			*(int *) field = size_option(opt, value);
			return;
		case OPT_PAYLOAD_SIGNING:
			if (strcmp(value, "signed") != 0 && strcmp(value, "unsigned") != 0 &&
				strcmp(value, "auto") != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"payload_signing\": \"%s\"", value),
						 errhint("Valid values are \"auto\", \"signed\" and \"unsigned\".")));
			/* auto and unsigned alike: unsigned over https only (s3_request.c) */
			*(bool *) field = strcmp(value, "signed") != 0;
			return;
		case OPT_VERIFY:
			if (pg_strcasecmp(value, "auto") == 0)
				*(S3Verify *) field = S3_VERIFY_HTTP;
			else
				*(S3Verify *) field = boolean_option(opt, value) ? S3_VERIFY_ALWAYS : S3_VERIFY_NEVER;
			return;
		case OPT_BOOLEAN:
			*(bool *) field = boolean_option(opt, value);
			return;
		case OPT_PATH:
			if (!is_absolute_path(value))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"%s\" must be an absolute path", opt->optname)));
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
		case OPT_SSE:
		case OPT_KMS_KEY_ID:
		case OPT_STORAGE_CLASS:
		case OPT_CHECKSUM:
			problem = opt->kind == OPT_SSE ? s3_check_sse(value)
				: opt->kind == OPT_KMS_KEY_ID ? s3_check_kms_key_id(value)
				: opt->kind == OPT_STORAGE_CLASS ? s3_check_storage_class(value)
				: s3_check_checksum_algorithm(value);
			if (problem != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"%s\": \"%s\"", opt->optname, value),
						 errdetail("%s", s3_sentence(problem))));
			if (opt->kind == OPT_CHECKSUM)
			{
				*(char **) field = pstrdup(s3_checksum_name(value));
				return;
			}
			break;
		case OPT_JSON_OBJECT:
			(void) s3_encryption_context_json(DirectFunctionCall1(jsonb_in, CStringGetDatum(value)),
											  psprintf("option \"%s\"", opt->optname));
			break;
		case OPT_BOOLEAN_TEXT:
			*(char **) field = boolean_option(opt, value) ? "true" : "false";
			return;
		case OPT_CUSTOMER_KEY:
			{
				unsigned char key[32];

				if ((problem = s3_check_customer_key(value, key)) != NULL)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("invalid value for option \"%s\"", opt->optname),
							 errdetail("%s", s3_sentence(problem))));
				explicit_bzero(key, sizeof(key));
			}
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
	/* the kinds that break out of the switch are strings, kept as given */
	*(char **) field = value;
}

/*
 * Who may store a value, checked by the validator on the value as
 * converted (values read back are not: the role reading them is not the
 * one that stored them).
 */
static void
check_option_privilege(const S3FdwOption *opt, const void *field)
{
	const char *problem;

	switch (opt->kind)
	{
		case OPT_ENDPOINT:
			/* where the machine's credentials live (checked again at connect time) */
			if (!superuser() &&
				(problem = s3_endpoint_literal_link_local((const s3_endpoint *) field)) != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						 errmsg("only a superuser may set option \"%s\" to a link-local address", opt->optname),
						 errdetail("%s", s3_sentence(problem))));
			break;
		case OPT_PATH:
			/* curl would read any file the server can: as file_fdw's filename */
			if (!superuser())
				ereport(ERROR,
						(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						 errmsg("only a superuser may set the option \"%s\"", opt->optname)));
			break;
		default:
			break;
	}
}

/*
 * Fill a zeroed record with the options of one context: each option of
 * the list, else its default, converted into its field.  The values were
 * checked when they were stored; one that no longer passes raises the
 * validator's error.
 */
static void
apply_options(List *options, Oid context, void *record)
{
	const S3FdwOption *opt;
	ListCell   *lc;

	for (opt = valid_options; opt->optname; opt++)
	{
		char	   *value = (char *) opt->default_value;

		if (opt->optcontext != context)
			continue;
		foreach(lc, options)
		{
			DefElem    *def = (DefElem *) lfirst(lc);

			if (strcmp(def->defname, opt->optname) == 0)
				value = defGetString(def);
		}
		if (value != NULL)
			convert_option(opt, value, (char *) record + opt->offset);
	}
}

/*
 * A server's options as the table converts them, without the finishing
 * step of s3_server_from_oid() (whose STS endpoint may come from the
 * environment, which can be wrong): for a caller that wants one option.
 */
void
s3_server_options(List *options, S3Server *out)
{
	memset(out, 0, sizeof(*out));
	apply_options(options, ForeignServerRelationId, out);
}

/* A user mapping's options */
void
s3_mapping_options(List *options, S3MappingOptions *out)
{
	memset(out, 0, sizeof(*out));
	apply_options(options, UserMappingRelationId, out);
}

/* A foreign table's options */
void
s3_table_options(List *options, S3TableOptions *out)
{
	memset(out, 0, sizeof(*out));
	apply_options(options, ForeignTableRelationId, out);
}

/*
 * Requests a table's scans and writes have in flight at once: its own
 * max_concurrency, else its server's
 */
int
s3_table_concurrency(const S3TableOptions *table, const S3Server *server)
{
	return table->max_concurrency > 0 ? table->max_concurrency : server->max_concurrency;
}

/*
 * Rules about a server's options together, on the options given (the
 * others are 0 or NULL in it, defaults not applied).  The machine's own
 * identity (credentials 'instance', or 'role' on top of it) is handed to
 * everybody with USAGE on the server, so, as postgres_fdw does for
 * password-less connections, only a superuser may create or change such a
 * server.
 */
static void
check_server_options(const S3Server *given)
{
	if (given->cred_mode != S3_CRED_KEYS && !superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only a superuser may create or alter a server with credentials \"%s\"",
						credential_modes[given->cred_mode]),
				 errdetail("Such a server lends the database server's own AWS identity to every role with USAGE on it."),
				 errhint("A superuser can create the server and grant USAGE on it.")));
	if (given->cred_mode == S3_CRED_ROLE && given->role_arn == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("credentials \"role\" needs the option role_arn"),
				 errhint("Add OPTIONS (role_arn 'arn:aws:iam::123456789012:role/NAME').")));
	if ((given->role_arn != NULL || given->role_session_name != NULL ||
		 given->external_id != NULL) && given->cred_mode != S3_CRED_ROLE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options role_arn, role_session_name and external_id apply only to credentials \"role\"")));
}

/*
 * A server's or a table's encryption options together: a KMS key, an
 * encryption context and the bucket key belong to SSE-KMS.
 */
static void
check_encryption_options(const char *sse, const char *kms_key_id,
						 const char *encryption_context, const char *bucket_key_enabled)
{
	if (sse != NULL && strncmp(sse, "aws:kms", 7) != 0 &&
		(kms_key_id != NULL || encryption_context != NULL || bucket_key_enabled != NULL))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options kms_key_id, encryption_context and bucket_key_enabled need sse 'aws:kms', not '%s'",
						sse)));
}

/*
 * Validate the generic options given to a FOREIGN DATA WRAPPER, SERVER,
 * USER MAPPING or FOREIGN TABLE that uses s3_fdw: each name, each value
 * (converted as the extraction will convert it), who may store it, then
 * the rules about a server's options together.
 */
Datum
s3_fdw_validator(PG_FUNCTION_ARGS)
{
	List	   *options_list = untransformRelOptions(PG_GETARG_DATUM(0));
	Oid			catalog = PG_GETARG_OID(1);
	ListCell   *cell;
	List	   *seen = NIL;
	union
	{
		S3Server	server;
		S3MappingOptions mapping;
		S3TableOptions table;
	}			given;

	memset(&given, 0, sizeof(given));
	foreach(cell, options_list)
	{
		DefElem    *def = (DefElem *) lfirst(cell);
		const S3FdwOption *opt = find_option(def->defname, catalog);
		char	   *field;

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
		field = (char *) &given + opt->offset;
		convert_option(opt, defGetString(def), field);
		check_option_privilege(opt, field);
	}
	if (catalog == ForeignServerRelationId)
		check_server_options(&given.server);
	if (catalog == ForeignServerRelationId)
		check_encryption_options(given.server.sse, given.server.kms_key_id,
								 given.server.encryption_context, given.server.bucket_key_enabled);
	if (catalog == ForeignTableRelationId)
		check_encryption_options(given.table.sse, given.table.kms_key_id,
								 given.table.encryption_context, given.table.bucket_key_enabled);

	PG_RETURN_VOID();
}

/*
 * Resolve a foreign server's options into an S3Server (credentials are
 * loaded separately, by s3_load_credentials()): the table converts each
 * option, then this finishes what depends on several.
 */
S3Server *
s3_server_from_oid(Oid serverid)
{
	ForeignServer *fs = GetForeignServer(serverid);
	S3Server   *server = palloc(sizeof(S3Server));

	s3_server_options(fs->options, server);
	server->serverid = serverid;
	server->servername = pstrdup(fs->servername);
	/* a server of a non-superuser may not reach link-local addresses */
	server->restricted = !superuser_arg(fs->owner);

	/* STS: the option, else the SDKs' environment variable, else AWS's */
	if (server->sts_endpoint.host[0] == '\0')
	{
		const char *env = getenv("AWS_ENDPOINT_URL_STS");

		if (env == NULL)
			s3_default_sts_endpoint(server->region, &server->sts_endpoint);
		else if (s3_parse_endpoint(env, &server->sts_endpoint) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid AWS_ENDPOINT_URL_STS in the database server's environment")));
	}

	/* the endpoint: the option (host "" when not given), else the region's */
	server->custom_endpoint = server->endpoint.host[0] != '\0';
	if (!server->custom_endpoint)
		s3_default_endpoint(server->region, &server->endpoint);

	/* AWS serves both styles; other stores mostly only path style */
	if (server->url_style == S3_URL_STYLE_UNSET)
		server->virtual_style = !server->custom_endpoint;
	else
		server->virtual_style = server->url_style == S3_URL_STYLE_VIRTUAL;

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
