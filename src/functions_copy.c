/*-------------------------------------------------------------------------
 *
 * functions_copy.c
 *		s3_import and s3_export (version 1.1): PostgreSQL's own COPY FROM
 *		and COPY TO, with an S3 object at the other end instead of a file
 *		or the client.
 *
 * s3_import runs COPY FROM with a data source callback that reads the
 * object in ranged chunks (s3_import.c): every COPY FROM option works, with
 * COPY's own errors, triggers, constraints and pg_stat_progress_copy.
 *
 * s3_export runs COPY TO of a query and streams its output into the object
 * (s3_export.c, through a streamed multipart upload).  PostgreSQL 15's
 * BeginCopyTo can send only to a file, a program or the client, so the
 * output goes "to the client" while PqCommMethods points at methods of
 * ours: they take the CopyData messages, swallow CopyOutResponse and
 * CopyDone, and pass anything else (a NOTICE during the query) to the real
 * client, if there is one.  whereToSendOutput is DestRemote meanwhile, so
 * that this works in a background worker too (pg_cron).  Both are restored
 * however the copy ends.  PostgreSQL 14 has the same PQcommMethods and
 * BeginCopyTo; 16 and 17 add a data_dest_cb argument to BeginCopyTo (NULL
 * here); before 14 BeginCopyTo was not exported, and the functions say so.
 * Only 15 is built and tested here.
 *
 * The options are COPY's option list in COPY's own syntax, parsed by
 * PostgreSQL's parser as part of a COPY statement of our making; anything
 * that does not parse as exactly that one statement is refused, so that no
 * text in them can end the statement and start another.  Two options are
 * ours and removed before COPY sees the list: compression, and for imports
 * max_line_bytes, the longest line (record) COPY is handed: the bytes are
 * counted as they come (copy_records.c) and a longer line is refused before
 * COPY buffers it, where COPY itself would grow its line buffer to 1 GB (a
 * gzip object of a few megabytes can inflate to such a line).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "access/xact.h"
#include "catalog/objectaddress.h"
#include "commands/copy.h"
#include "commands/defrem.h"
#include "commands/progress.h"
#include "funcapi.h"
#include "libpq/libpq.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "parser/parse_node.h"
#include "parser/parse_relation.h"
#include "parser/parser.h"
#include "tcop/tcopprot.h"
#include "utils/acl.h"
#include "utils/backend_progress.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/tuplestore.h"

#include "copy_records.h"
#include "functions.h"

PG_FUNCTION_INFO_V1(s3_import_sql);
PG_FUNCTION_INFO_V1(s3_export_sql);

/* What the columns and options arguments say */
typedef struct CopyArgs
{
	List	   *attlist;		/* of String, NIL for every column */
	List	   *options;		/* of DefElem, for COPY */
	S3Compression compression;
	bool		compression_given;
	const char *format;			/* text, csv or binary, as given */
	int64		max_line_bytes; /* imports: the longest line, 0 if not given */
	char		quote;			/* csv: QUOTE and ESCAPE, as COPY takes them */
	char		escape;
	S3PutOptions put;			/* exports: encryption, storage class, tags */
} CopyArgs;

/* the longest line an import hands to COPY, unless max_line_bytes says */
#define DEFAULT_MAX_LINE_BYTES ((int64) 64 * 1024 * 1024)
/* COPY's own ceiling (its line buffer is one allocation) */
#define MAX_MAX_LINE_BYTES ((int64) MaxAllocSize)

/*
 * An option of the object an export writes (version 1.2), not COPY's:
 * sse, kms_key_id (or RDS aws_s3's name, kms_key), encryption_context,
 * bucket_key_enabled, storage_class, tags (a JSON object),
 * checksum_algorithm, if_none_match.  Returns false for any other option.
 */
static bool
export_option(DefElem *def, bool is_from, S3PutOptions *put)
{
	static const char *const names[] = {"sse", "kms_key_id", "kms_key", "encryption_context",
		"bucket_key_enabled", "storage_class", "tags", "checksum_algorithm", "if_none_match"};
	const char *name = def->defname;
	const char **field = NULL;
	int			i;

	for (i = 0; i < lengthof(names); i++)
		if (strcmp(name, names[i]) == 0)
			break;
	if (i == lengthof(names))
		return false;
	if (is_from)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("option \"%s\" is only for s3_export", name)));
	if (strcmp(name, "sse") == 0)
		field = &put->sse;
	else if (strcmp(name, "kms_key_id") == 0 || strcmp(name, "kms_key") == 0)
		field = &put->kms_key_id;
	else if (strcmp(name, "storage_class") == 0)
		field = &put->storage_class;
	else if (strcmp(name, "checksum_algorithm") == 0)
		field = &put->checksum_algorithm;
	else if (strcmp(name, "encryption_context") == 0)
		field = &put->encryption_context;
	else if (strcmp(name, "bucket_key_enabled") == 0)
		field = &put->bucket_key_enabled;
	else if (strcmp(name, "tags") == 0)
		field = &put->tagging;
	else
		field = NULL;			/* if_none_match */
	if (field != NULL && *field != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("conflicting or redundant options"),
				 errdetail("%s is given twice.", name)));
	if (field == NULL)
		put->if_none_match = defGetBoolean(def);
	else if (strcmp(name, "bucket_key_enabled") == 0)
		*field = defGetBoolean(def) ? "true" : "false";
	else if (strcmp(name, "tags") == 0)
		*field = s3_tagging_query(DirectFunctionCall1(jsonb_in, CStringGetDatum(defGetString(def))),
								  "option \"tags\"");
	else if (strcmp(name, "encryption_context") == 0)
		*field = s3_encryption_context_json(DirectFunctionCall1(jsonb_in,
																CStringGetDatum(defGetString(def))),
											"option \"encryption_context\"");
	else if (strcmp(name, "storage_class") == 0)
	{
		/*
		 * COPY's option syntax folds a word to lower case, and storage
		 * classes are upper-case names: storage_class glacier_ir is
		 * GLACIER_IR
		 */
		char	   *value = pstrdup(defGetString(def));

		for (char *p = value; *p; p++)
			*p = pg_ascii_toupper((unsigned char) *p);
		*field = value;
	}
	else
		*field = defGetString(def);
	/* COPY's grammar lower-cases a bare word: sse AES256 arrives as aes256 */
	if (field == &put->sse && pg_strcasecmp(*field, "AES256") == 0)
		*field = "AES256";
	return true;
}

/* The text parsed, for the error context of what it says */
typedef struct ParseContext
{
	const char *argname;
	const char *value;
} ParseContext;

/*
 * Errors while the arguments are parsed: no cursor position (it would
 * point into a statement of ours, not the caller's), and the argument.
 */
static void
args_error_callback(void *arg)
{
	ParseContext *pc = (ParseContext *) arg;

	errposition(0);
	errcontext("%s: %s", pc->argname, pc->value);
}

/*
 * Parse sql, a COPY statement of ours around one argument, and return it;
 * anything but exactly one COPY ... FROM/TO STDIN of pg_class, with
 * nothing else, is refused.
 */
static CopyStmt *
parse_copy_statement(const char *sql, bool is_from, const char *argname, const char *value)
{
	ErrorContextCallback errcb;
	ParseContext pc = {argname, value};
	List	   *raw;
	CopyStmt   *cs = NULL;

	errcb.callback = args_error_callback;
	errcb.arg = &pc;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	raw = raw_parser(sql, RAW_PARSE_DEFAULT);
	error_context_stack = errcb.previous;
	if (list_length(raw) == 1 && IsA(linitial_node(RawStmt, raw)->stmt, CopyStmt))
		cs = (CopyStmt *) linitial_node(RawStmt, raw)->stmt;
	if (cs == NULL || cs->relation == NULL || cs->query != NULL || cs->is_program ||
		cs->filename != NULL || cs->is_from != is_from || cs->whereClause != NULL ||
		cs->relation->schemaname == NULL || strcmp(cs->relation->schemaname, "pg_catalog") != 0 ||
		strcmp(cs->relation->relname, "pg_class") != 0 || cs->relation->catalogname != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("invalid %s \"%s\"", argname, value),
				 strcmp(argname, "columns") == 0 ?
				 errdetail("columns must be a list of column names, such as 'id, name'.") :
				 errdetail("options must be a list of COPY options, such as 'format csv, header true'.")));
	return cs;
}

static bool
all_blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char) *s))
			return false;
	return true;
}

/*
 * aws_s3's import writes its options in parentheses, '(format csv)': the
 * same list without them, so that such calls translate word for word.  A
 * list that only starts with one, '(a) , (b)', keeps its parentheses and
 * fails as a COPY option list would.
 */
static const char *
strip_parentheses(const char *s)
{
	size_t		len;

	while (isspace((unsigned char) *s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;
	if (len >= 2 && s[0] == '(' && s[len - 1] == ')')
		return pnstrdup(s + 1, len - 2);
	return s;
}

/*
 * The columns (NULL or blank: every column, as COPY without a list and as
 * aws_s3's '') and options arguments, for COPY FROM (is_from) or TO.
 */
static void
parse_copy_args(const char *columns, const char *options, bool is_from, CopyArgs *out)
{
	const char *dir = is_from ? "FROM STDIN" : "TO STDOUT";
	const char *list_text;
	ListCell   *lc;

	memset(out, 0, sizeof(*out));
	out->compression = is_from ? S3_COMPRESSION_AUTO : S3_COMPRESSION_NONE;
	out->format = "text";
	if (columns != NULL && !all_blank(columns))
		out->attlist = parse_copy_statement(psprintf("COPY pg_catalog.pg_class (%s) %s", columns, dir),
											is_from, "columns", columns)->attlist;
	list_text = strip_parentheses(options);
	if (!all_blank(list_text))
	{
		List	   *list = parse_copy_statement(psprintf("COPY pg_catalog.pg_class %s WITH (%s)", dir, list_text),
												is_from, "options", options)->options;

		foreach(lc, list)
		{
			DefElem    *def = lfirst_node(DefElem, lc);

			def->location = -1;	/* a position in our statement: none */
			if (strcmp(def->defname, "compression") == 0)
			{
				char	   *v = defGetString(def);

				if (out->compression_given)
					ereport(ERROR,
							(errcode(ERRCODE_SYNTAX_ERROR),
							 errmsg("conflicting or redundant options"),
							 errdetail("compression is given twice.")));
				out->compression_given = true;
				if (pg_strcasecmp(v, "gzip") == 0)
					out->compression = S3_COMPRESSION_GZIP;
				else if (pg_strcasecmp(v, "none") == 0)
					out->compression = S3_COMPRESSION_NONE;
				else if (is_from && pg_strcasecmp(v, "auto") == 0)
					out->compression = S3_COMPRESSION_AUTO;
				else
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("invalid compression \"%s\"", v),
							 is_from ?
							 errhint("compression is gzip, none or auto (gzip when the object's Content-Encoding or a key ending in .gz says so).") :
							 errhint("compression is gzip or none.")));
				continue;
			}
			if (strcmp(def->defname, "max_line_bytes") == 0)
			{
				int64		v;

				if (!is_from)
					ereport(ERROR,
							(errcode(ERRCODE_SYNTAX_ERROR),
							 errmsg("option \"max_line_bytes\" is only for s3_import")));
				if (out->max_line_bytes != 0)
					ereport(ERROR,
							(errcode(ERRCODE_SYNTAX_ERROR),
							 errmsg("conflicting or redundant options"),
							 errdetail("max_line_bytes is given twice.")));
				v = defGetInt64(def);
				if (v < 1024 || v > MAX_MAX_LINE_BYTES)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("max_line_bytes must be between 1024 and " INT64_FORMAT, MAX_MAX_LINE_BYTES)));
				out->max_line_bytes = v;
				continue;
			}
			if (export_option(def, is_from, &out->put))
				continue;
			if (strcmp(def->defname, "format") == 0 && def->arg != NULL)
				out->format = defGetString(def);
			/* COPY checks them; only their first byte matters here */
			if (strcmp(def->defname, "quote") == 0 && def->arg != NULL)
				out->quote = defGetString(def)[0];
			if (strcmp(def->defname, "escape") == 0 && def->arg != NULL)
				out->escape = defGetString(def)[0];
			out->options = lappend(out->options, def);
		}
	}
}

/* ---------------------------------------------------------------------
 * s3_import
 * ---------------------------------------------------------------------
 */

/* The import in progress, for COPY's data source callback (which has no argument) */
typedef struct Import
{
	S3Download *download;
	const char *bucket;
	const char *key;
	CopyRecords records;		/* the lines counted, for max_line_bytes */
	int64		offset;			/* bytes handed to COPY so far */
} Import;

static Import *current_import = NULL;

static int
import_source(void *outbuf, int minread, int maxread)
{
	Import	   *im = current_import;
	int			n = s3_download_read(im->download, outbuf, minread, maxread);
	int64		at = copy_records_scan(&im->records, outbuf, (size_t) n);

	if (at >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("line " INT64_FORMAT " of object \"%s\" in bucket \"%s\" is longer than max_line_bytes (" INT64_FORMAT " bytes)",
						im->records.records + 1, im->key, im->bucket, im->records.limit),
				 errdetail("It passes the limit at byte " INT64_FORMAT " of the data%s, before COPY was handed that byte.",
						   im->offset + at, s3_download_is_gzip(im->download) ? " (inflated)" : ""),
				 errhint("Raise the limit with the option max_line_bytes (up to " INT64_FORMAT "), e.g. 'format csv, max_line_bytes 268435456'.",
						 MAX_MAX_LINE_BYTES)));
	im->offset += n;
	return n;
}

/* The line rules of COPY's format, for max_line_bytes */
static void
init_line_count(CopyRecords *cr, const CopyArgs *args)
{
	CopyRecordFormat f = COPY_RECORDS_TEXT;
	char		quote = args->quote ? args->quote : '"';

	if (strcmp(args->format, "csv") == 0)
		f = COPY_RECORDS_CSV;
	else if (strcmp(args->format, "binary") == 0)
		f = COPY_RECORDS_BINARY;
	copy_records_init(cr, f, (unsigned char) quote,
					  (unsigned char) (args->escape ? args->escape : quote),
					  args->max_line_bytes ? args->max_line_bytes : DEFAULT_MAX_LINE_BYTES);
}

/* INSERT on the table, or on each column loaded, as COPY FROM requires */
static void
check_insert_privilege(Relation rel, List *attlist)
{
	Oid			relid = RelationGetRelid(rel);
	List	   *attnums;
	ListCell   *lc;

	if (pg_class_aclcheck(relid, GetUserId(), ACL_INSERT) == ACLCHECK_OK)
		return;
	attnums = CopyGetAttnums(RelationGetDescr(rel), rel, attlist);
	foreach(lc, attnums)
	{
		if (pg_attribute_aclcheck(relid, (AttrNumber) lfirst_int(lc), GetUserId(),
								  ACL_INSERT) != ACLCHECK_OK)
			aclcheck_error(ACLCHECK_NO_PRIV, get_relkind_objtype(rel->rd_rel->relkind),
						   RelationGetRelationName(rel));
	}
}

/*
 * s3_import(server text, bucket text, key text, target regclass,
 *   columns text DEFAULT NULL, options text DEFAULT 'format csv')
 *   RETURNS bigint: COPY target (columns) FROM the object WITH (options);
 *   the rows loaded.
 */
Datum
s3_import_sql(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"server", "bucket", "key", "target"};
#if PG_VERSION_NUM >= 140000
	char	   *bucket,
			   *key;
	S3Server   *server;
	Oid			relid;
	CopyArgs	args;
	Relation	rel;
	S3Download *d;
	Import		im;
	Import	   *volatile prev = current_import;
	ParseState *pstate;
	ParseNamespaceItem *nsitem;
	uint64		rows = 0;

	for (int i = 0; i < 4; i++)
		s3_check_not_null(fcinfo, i, names[i]);
	s3_check_not_null(fcinfo, 5, "options");
	server = s3_target_args(fcinfo, 3, names, &bucket, &key);
	relid = PG_GETARG_OID(3);
	parse_copy_args(PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4)),
					text_to_cstring(PG_GETARG_TEXT_PP(5)), true, &args);

	/* what DoCopy checks for COPY FROM, before any request */
	rel = table_open(relid, RowExclusiveLock);
	check_insert_privilege(rel, args.attlist);
	if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("s3_import is not supported with row-level security"),
				 errhint("Load the object into a table without row-level security, then INSERT ... SELECT from it.")));
	if (XactReadOnly && !rel->rd_islocaltemp)
		PreventCommandIfReadOnly("s3_import");

	d = s3_download_begin(server, bucket, key, args.compression);
	/* CopyFrom's result relation is the first of the range table, as in DoCopy */
	pstate = make_parsestate(NULL);
	nsitem = addRangeTableEntryForRelation(pstate, rel, RowExclusiveLock, NULL, false, false);
#if PG_VERSION_NUM >= 160000
	nsitem->p_perminfo->requiredPerms = ACL_INSERT;
#else
	nsitem->p_rte->requiredPerms = ACL_INSERT;
#endif
	memset(&im, 0, sizeof(im));
	im.download = d;
	im.bucket = bucket;
	im.key = key;
	init_line_count(&im.records, &args);
	current_import = &im;
	PG_TRY();
	{
		CopyFromState cstate;

		cstate = BeginCopyFrom(pstate, rel, NULL, NULL, false, import_source,
							   args.attlist, args.options);
		/* the object's size: compressed, for gzip */
		pgstat_progress_update_param(PROGRESS_COPY_BYTES_TOTAL, s3_download_size(d));
		rows = CopyFrom(cstate);
		EndCopyFrom(cstate);
	}
	PG_CATCH();
	{
		current_import = prev;
		s3_download_cancel(d);
		PG_RE_THROW();
	}
	PG_END_TRY();
	current_import = prev;
	s3_download_end(d);
	table_close(rel, NoLock);
	PG_RETURN_INT64((int64) rows);
#else
	(void) names;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("s3_import needs PostgreSQL 14 or later")));
	PG_RETURN_NULL();
#endif
}

/* ---------------------------------------------------------------------
 * s3_export
 * ---------------------------------------------------------------------
 */

#if PG_VERSION_NUM >= 140000

/* The export in progress: where its rows go, and what to restore */
typedef struct Capture
{
	const PQcommMethods *saved_methods;
	CommandDest saved_dest;
	S3ExportWriter *writer;
	struct Capture *previous;	/* an export in the query of another */
} Capture;

static Capture *capture = NULL;

static bool
to_client(void)
{
	return capture->saved_dest == DestRemote;
}

/* CopyData to the object; CopyOutResponse and CopyDone nowhere; the rest to the client */
static int
capture_putmessage(char msgtype, const char *s, size_t len)
{
	switch (msgtype)
	{
		case 'd':				/* CopyData */
			s3_export_write(capture->writer, s, len);
			return 0;
		case 'H':				/* CopyOutResponse */
		case 'c':				/* CopyDone */
			return 0;
		default:
			return to_client() ? capture->saved_methods->putmessage(msgtype, s, len) : 0;
	}
}

static void
capture_putmessage_noblock(char msgtype, const char *s, size_t len)
{
	(void) capture_putmessage(msgtype, s, len);
}

static void
capture_comm_reset(void)
{
	if (to_client())
		capture->saved_methods->comm_reset();
}

static int
capture_flush(void)
{
	return to_client() ? capture->saved_methods->flush() : 0;
}

static int
capture_flush_if_writable(void)
{
	return to_client() ? capture->saved_methods->flush_if_writable() : 0;
}

static bool
capture_is_send_pending(void)
{
	return to_client() ? capture->saved_methods->is_send_pending() : false;
}

static const PQcommMethods capture_methods = {
	capture_comm_reset,
	capture_flush,
	capture_flush_if_writable,
	capture_is_send_pending,
	capture_putmessage,
	capture_putmessage_noblock
};

/* Back to the client's methods and destination (or the outer export's) */
static void
end_capture(Capture *c)
{
	if (capture == c)
	{
		PqCommMethods = c->saved_methods;
		whereToSendOutput = c->saved_dest;
		capture = c->previous;
	}
}

/*
 * Errors about the query: a cursor position is one in the query argument,
 * shown with it (as SPI does), not in the caller's statement.
 */
static void
query_error_callback(void *arg)
{
	int			pos = geterrposition();

	if (pos > 0)
	{
		errposition(0);
		internalerrposition(pos);
		internalerrquery((const char *) arg);
	}
}

/* The query: one statement that COPY can take */
static RawStmt *
parse_export_query(const char *query)
{
	List	   *raw = raw_parser(query, RAW_PARSE_DEFAULT);
	RawStmt    *rs;

	if (list_length(raw) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg(raw == NIL ? "query must not be empty" : "query must be a single statement"),
				 errdetail("The query has %d statements.", list_length(raw))));
	rs = linitial_node(RawStmt, raw);
	switch (nodeTag(rs->stmt))
	{
		case T_SelectStmt:		/* SELECT, VALUES, TABLE, WITH ... SELECT */
		case T_InsertStmt:		/* with RETURNING, which BeginCopyTo checks */
		case T_UpdateStmt:
		case T_DeleteStmt:
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("query must be a SELECT, VALUES or TABLE, or an INSERT, UPDATE or DELETE with RETURNING"),
					 errdetail("COPY TO takes no other statement.")));
	}
	return rs;
}

static const char *
content_type_for(const char *format)
{
	if (pg_strcasecmp(format, "csv") == 0)
		return "text/csv";
	if (pg_strcasecmp(format, "binary") == 0)
		return "application/octet-stream";
	return "text/plain";
}
#endif							/* PG_VERSION_NUM >= 140000 */

/*
 * s3_export(server text, query text, bucket text, key text,
 *   options text DEFAULT 'format csv') RETURNS TABLE (rows bigint,
 *   bytes bigint, parts integer): COPY (query) TO the object WITH
 *   (options); the rows, the bytes stored and the parts (1 for a single
 *   PUT).
 */
Datum
s3_export_sql(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"server", "query", "bucket", "key", "options"};
#if PG_VERSION_NUM >= 140000
	MemoryContext cxt = CurrentMemoryContext;
	S3Server   *server;
	char	   *query,
			   *bucket,
			   *key;
	CopyArgs	args;
	RawStmt    *rs;
	TupleDesc	desc;
	Tuplestorestate *tupstore;
	ErrorContextCallback errcb;
	Capture		cap;
	S3ExportWriter *volatile writer;
	uint64		rows = 0;
	int64		bytes = 0;
	int			parts = 0;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int			i;

	for (i = 0; i < 5; i++)
		s3_check_not_null(fcinfo, i, names[i]);
	server = s3_lookup_server(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	query = text_to_cstring(PG_GETARG_TEXT_PP(1));
	bucket = text_to_cstring(PG_GETARG_TEXT_PP(2));
	key = text_to_cstring(PG_GETARG_TEXT_PP(3));
	parse_copy_args(NULL, text_to_cstring(PG_GETARG_TEXT_PP(4)), false, &args);
	tupstore = s3_begin_result(fcinfo, &desc);

	errcb.callback = query_error_callback;
	errcb.arg = query;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	rs = parse_export_query(query);
	args.put.content_type = content_type_for(args.format);
	s3_put_options_defaults(&args.put, server, NULL);
	writer = s3_export_begin(server, bucket, key, &args.put,
							 args.compression == S3_COMPRESSION_GZIP);

	cap.saved_methods = PqCommMethods;
	cap.saved_dest = whereToSendOutput;
	cap.writer = writer;
	cap.previous = capture;
	PG_TRY();
	{
		ParseState *pstate = make_parsestate(NULL);
		CopyToState cstate;

		pstate->p_sourcetext = query;
		capture = &cap;
		PqCommMethods = &capture_methods;
		whereToSendOutput = DestRemote;
#if PG_VERSION_NUM >= 160000
		cstate = BeginCopyTo(pstate, NULL, rs, InvalidOid, NULL, false, NULL, NIL, args.options);
#else
		cstate = BeginCopyTo(pstate, NULL, rs, InvalidOid, NULL, false, NIL, args.options);
#endif
		rows = DoCopyTo(cstate);
		EndCopyTo(cstate);
		end_capture(&cap);
		s3_export_finish(writer, &bytes, &parts);
		writer = NULL;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		end_capture(&cap);
		error_context_stack = errcb.previous;
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		if (writer != NULL)
			s3_export_abort(writer);
		ReThrowError(edata);
	}
	PG_END_TRY();
	error_context_stack = errcb.previous;

	values[0] = Int64GetDatum((int64) rows);
	values[1] = Int64GetDatum(bytes);
	values[2] = Int32GetDatum(parts);
	tuplestore_putvalues(tupstore, desc, values, nulls);
	return (Datum) 0;
#else
	(void) names;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("s3_export needs PostgreSQL 14 or later")));
	PG_RETURN_NULL();
#endif
}
