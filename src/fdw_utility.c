/*-------------------------------------------------------------------------
 *
 * fdw_utility.c
 *		The utility commands on the foreign table: ANALYZE (it lists the
 *		objects under the table's bucket and prefix, counts them and keeps a
 *		random sample, as file_fdw does with its file) and IMPORT FOREIGN
 *		SCHEMA (one table per bucket the server lists).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_foreign_table.h"
#include "commands/defrem.h"
#include "commands/vacuum.h"
#include "foreign/foreign.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/sampling.h"

#include "credentials.h"
#include "fdw_utility.h"
#include "pushdown.h"
#include "s3_values.h"

/* PostgreSQL 15 moved the sampler to pg_prng */
#if PG_VERSION_NUM >= 150000
#define SAMPLER_FRACT(rs) sampler_random_fract(&(rs).randstate)
#else
#define SAMPLER_FRACT(rs) sampler_random_fract((rs).randstate)
#endif

/* PostgreSQL 18: vacuum_delay_point says whether ANALYZE calls it */
#if PG_VERSION_NUM >= 180000
#define ANALYZE_DELAY_POINT() vacuum_delay_point(true)
#else
#define ANALYZE_DELAY_POINT() vacuum_delay_point()
#endif

/*
 * One object as a row of the table: the object columns; the filter
 * columns and content stay NULL (ANALYZE looks at objects, not requests).
 */
static HeapTuple
object_tuple(Relation rel, const int *colmap, const char *bucket, S3ObjectInfo *o,
			 const char *what_list, MemoryContext row_cxt)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	MemoryContext old = MemoryContextSwitchTo(row_cxt);
	Datum	   *values = palloc0(sizeof(Datum) * Max(tupdesc->natts, 1));
	bool	   *nulls = palloc(sizeof(bool) * Max(tupdesc->natts, 1));
	HeapTuple	tuple;
	int			i;

	for (i = 0; i < tupdesc->natts; i++)
	{
		nulls[i] = false;
		switch (colmap[i])
		{
			case COL_KEY:
				values[i] = CStringGetTextDatum(s3_text_from_utf8(o->key, bucket));
				break;
			case COL_SIZE:
				nulls[i] = o->size < 0;
				values[i] = Int64GetDatum(o->size);
				break;
			case COL_LAST_MODIFIED:
				nulls[i] = o->last_modified == NULL;
				if (!nulls[i])
					values[i] = s3_timestamptz(o->last_modified, what_list, "LastModified");
				break;
			case COL_ETAG:
				values[i] = s3_text_datum_or_null(o->etag, &nulls[i]);
				break;
			case COL_STORAGE_CLASS:
				values[i] = s3_text_datum_or_null(o->storage_class, &nulls[i]);
				break;
			case COL_BUCKET:
				values[i] = CStringGetTextDatum(bucket);
				break;
			default:
				nulls[i] = true;
				break;
		}
	}
	/* the tuple in the caller's context, everything else dropped */
	MemoryContextSwitchTo(old);
	tuple = heap_form_tuple(tupdesc, values, nulls);
	MemoryContextReset(row_cxt);
	return tuple;
}

/*
 * Lists every object under the table's bucket and prefix, counting them
 * and keeping a random sample of targrows (as file_fdw does with its file).
 */
static int
s3_acquire_sample_rows(Relation rel, int elevel, HeapTuple *rows, int targrows,
					   double *totalrows, double *totaldeadrows)
{
	ForeignTable *ft = GetForeignTable(RelationGetRelid(rel));
	S3Options	o;
	const char *bucket;
	const char *prefix;
	S3Server   *server;
	int		   *colmap = palloc(sizeof(int) * Max(RelationGetDescr(rel)->natts, 1));
	MemoryContext page_cxt;
	MemoryContext row_cxt;
	MemoryContext old;
	S3TokenGuard guard;
	char	   *token = NULL;
	char	   *what_list;
	ReservoirStateData rstate;
	double		rowstoskip = -1;
	double		seen = 0;
	int			numrows = 0;

	s3_extract_options(ft->options, ForeignTableRelationId, &o);
	bucket = o.bucket;
	prefix = o.prefix;
	*totalrows = 0;
	*totaldeadrows = 0;
	if (bucket == NULL)
	{
		ereport(elevel,
				(errmsg("skipping \"%s\": it has no table option bucket, so there is no set of objects to count",
						RelationGetRelationName(rel))));
		return 0;
	}
	s3_map_columns(rel, colmap);
	server = s3_server_from_oid(ft->serverid);
	s3_load_credentials(server);
	what_list = psprintf(_("could not list objects in bucket \"%s\""), bucket);
	s3_token_guard_init(&guard, CurrentMemoryContext);
	reservoir_init_selection_state(&rstate, targrows);
	page_cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw analyze page",
									 ALLOCSET_DEFAULT_SIZES);
	row_cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw analyze row",
									ALLOCSET_DEFAULT_SIZES);
	do
	{
		S3ListRequest lr;
		S3ObjectPage *page;
		int			i;

		MemoryContextReset(page_cxt);
		old = MemoryContextSwitchTo(page_cxt);
		memset(&lr, 0, sizeof(lr));
		lr.bucket = bucket;
		lr.prefix = prefix;
		lr.continuation_token = token;
		lr.guard = &guard;
		page = s3_list_objects(server, &lr);
		MemoryContextSwitchTo(old);
		for (i = 0; i < page->nobjects; i++)
		{
			ANALYZE_DELAY_POINT();
			seen++;
			if (numrows < targrows)
				rows[numrows++] = object_tuple(rel, colmap, bucket, &page->objects[i],
											   what_list, row_cxt);
			else
			{
				/* Vitter's algorithm, as acquire_sample_rows() */
				if (rowstoskip < 0)
					rowstoskip = reservoir_get_next_S(&rstate, seen, targrows);
				if (rowstoskip <= 0)
				{
					int			k = (int) (targrows * SAMPLER_FRACT(rstate));

					heap_freetuple(rows[k]);
					rows[k] = object_tuple(rel, colmap, bucket, &page->objects[i],
										   what_list, row_cxt);
				}
				rowstoskip -= 1;
			}
		}
		if (token != NULL)
			pfree(token);
		token = page->is_truncated ? pstrdup(page->next_continuation_token) : NULL;
	} while (token != NULL);
	MemoryContextDelete(page_cxt);
	MemoryContextDelete(row_cxt);

	*totalrows = seen;
	ereport(elevel,
			(errmsg("\"%s\": %.0f objects listed in bucket \"%s\", %d rows in sample",
					RelationGetRelationName(rel), seen, bucket, numrows)));
	return numrows;
}

bool
s3AnalyzeForeignTable(Relation relation, AcquireSampleRowsFunc *func,
					  BlockNumber *totalpages)
{
	*func = s3_acquire_sample_rows;
	*totalpages = 1;
	return true;
}

List *
s3ImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid)
{
	S3Server   *server;
	List	   *buckets;
	List	   *commands = NIL;
	bool		import_content = false;
	ListCell   *lc;

	/*
	 * IMPORT's own options, checked before any request.  A table leaves out
	 * the content column unless asked: SELECT * on it would download every
	 * object of the bucket.
	 */
	foreach(lc, stmt->options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);

		if (strcmp(def->defname, "import_content") == 0)
			import_content = defGetBoolean(def);
		else
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
					 errmsg("invalid option \"%s\" for IMPORT FOREIGN SCHEMA", def->defname),
					 errhint("The only option is import_content (a boolean, false by default).")));
	}

	server = s3_server_from_oid(serverOid);
	buckets = s3_list_buckets(server);

	foreach(lc, buckets)
	{
		S3BucketInfo *b = (S3BucketInfo *) lfirst(lc);
		ListCell   *lc2;
		bool		listed = false;
		const char *problem;

		foreach(lc2, stmt->table_list)
			if (strcmp(((RangeVar *) lfirst(lc2))->relname, b->name) == 0)
				listed = true;
		if ((stmt->list_type == FDW_IMPORT_SCHEMA_LIMIT_TO && !listed) ||
			(stmt->list_type == FDW_IMPORT_SCHEMA_EXCEPT && listed))
			continue;
		/* a name S3 itself would refuse: no table can use it as its bucket */
		if ((problem = s3_check_bucket_name(b->name)) != NULL)
		{
			ereport(WARNING,
					(errcode(ERRCODE_INVALID_NAME),
					 errmsg("skipping bucket \"%s\": it is not a valid S3 bucket name", b->name),
					 errdetail("%s", s3_sentence(problem))));
			continue;
		}
		commands = lappend(commands,
						   psprintf("CREATE FOREIGN TABLE %s ("
									"key text, size bigint, last_modified timestamptz, etag text, "
									"storage_class text, prefix text, start_after text, max_keys integer, "
									"continuation_token text, next_continuation_token text%s"
									") SERVER %s OPTIONS (bucket %s)",
									quote_identifier(b->name),
									import_content ? ", content bytea" : "",
									quote_identifier(server->servername),
									quote_literal_cstr(b->name)));
	}
	return commands;
}
