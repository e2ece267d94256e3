/*-------------------------------------------------------------------------
 *
 * fdw_modify.c
 *		Writes through a foreign table.  INSERT uploads each row's content
 *		under its key (the rows of a multi-row INSERT several at once), with
 *		its tags if it gives some; UPDATE uploads the new content, or, when
 *		only the key, the bucket or the content type changes, copies inside
 *		S3 (a new key or bucket then removes the old object), or, when only
 *		the tags change, replaces them (PutObjectTagging); DELETE removes
 *		the rows' objects with DeleteObjects, 1,000 keys a request (through
 *		a table with versions 'true', the rows' versions, for good).
 *		RETURNING sees the key, the new ETag and the size.  A new body or a
 *		copy keeps the object's tags unless the UPDATE assigns new ones.
 *
 * S3 is not transactional: an object is written when its row is, and
 * neither a later error nor a ROLLBACK brings the old one back.  A rename
 * (a new key or bucket) therefore never replaces an object: it asks S3
 * whether the new name is taken first, and a name that is refuses the row
 * with unique_violation before anything is written.  A statement does not
 * see the objects it creates itself (the listing is live, and UPDATE ...
 * SET key = key || '.bak' would otherwise meet its own results again): the
 * scan skips them; and an UPDATE writes an object once, however many rows
 * of a join name it (fdw_modify_guard.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "foreign/foreign.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "parser/parsetree.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "credentials.h"
#include "fdw_modify.h"
#include "fdw_modify_guard.h"
#include "pushdown.h"
#include "s3_values.h"

#define DELETE_BATCH 1000
/* the columns INSERT and UPDATE write */
#define WRITABLE (COLBIT(COL_KEY) | COLBIT(COL_BUCKET) | COLBIT(COL_CONTENT) | \
				  COLBIT(COL_CONTENT_TYPE) | COLBIT(COL_TAGS))

typedef struct S3ModifyState
{
	Relation	rel;
	S3Server   *server;
	Oid			userid;			/* whose privileges and user mapping */
	CmdType		op;
	int			natts;
	int		   *colmap;			/* attribute -> S3Column, or -1 */
	int			att[NUM_COLUMNS];	/* S3Column -> attribute index, or -1 */
	const char *table_bucket;	/* the table's options, or NULL */
	const char *table_prefix;
	S3TableOptions topts;		/* sse, storage_class...: the writes' defaults */
	int			max_concurrency;
	AttrNumber	junk[S3_NIDENTITY];	/* UPDATE, DELETE: in the plan's rows */
	int			set;			/* UPDATE: COLBIT of the columns set */
	MemoryContext row_cxt;		/* reset for each row, or batch of rows */
	MemoryContext delete_cxt;	/* the keys waiting for DeleteObjects */
	char	  **pending;
	char	  **pending_versions;	/* their version ids (or NULLs) */
	int			npending;
	char	   *pending_bucket;
	EState	   *estate;
} S3ModifyState;

/* One object an INSERT writes */
typedef struct ObjectWrite
{
	char	   *bucket;
	char	   *key;
	const char *data;
	size_t		len;
	S3PutOptions opts;
	S3ObjectPut *put;
	char	   *etag;
} ObjectWrite;

/* ---- execution ---- */

/* The role whose user mapping signs the writes (a view's owner, say) */
static Oid
modify_user(ResultRelInfo *rinfo, EState *estate)
{
#if PG_VERSION_NUM >= 160000
	return ExecGetResultRelCheckAsUser(rinfo, estate);
#else
	Index		rti = rinfo->ri_RangeTableIndex;
	RangeTblEntry *rte;

	if (rti == 0 && rinfo->ri_RootResultRelInfo != NULL)
		rti = rinfo->ri_RootResultRelInfo->ri_RangeTableIndex;	/* a partition */
	if (rti == 0)
		return GetUserId();
	rte = exec_rt_fetch(rti, estate);
	return OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
#endif
}

static S3ModifyState *
begin_state(ResultRelInfo *rinfo, EState *estate, CmdType op)
{
	S3ModifyState *ms = palloc0(sizeof(S3ModifyState));
	ForeignTable *ft = GetForeignTable(RelationGetRelid(rinfo->ri_RelationDesc));
	S3TableOptions topts;
	int			i;

	ms->rel = rinfo->ri_RelationDesc;
	ms->op = op;
	ms->estate = estate;
	ms->server = s3_server_from_oid(ft->serverid);
	ms->userid = modify_user(rinfo, estate);
	s3_table_options(ft->options, &topts);
	ms->topts = topts;
	ms->table_bucket = topts.bucket;
	ms->table_prefix = topts.prefix;
	ms->max_concurrency = s3_table_concurrency(&topts, ms->server);
	ms->natts = RelationGetDescr(ms->rel)->natts;
	ms->colmap = palloc(sizeof(int) * Max(ms->natts, 1));
	s3_map_columns(ms->rel, ms->colmap);
	for (i = 0; i < NUM_COLUMNS; i++)
		ms->att[i] = -1;
	for (i = 0; i < ms->natts; i++)
		if (ms->colmap[i] >= 0)
			ms->att[ms->colmap[i]] = i;
	ms->row_cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw write",
										ALLOCSET_DEFAULT_SIZES);
	ms->delete_cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw keys to remove",
										   ALLOCSET_DEFAULT_SIZES);
	return ms;
}

/*
 * Before anything is sent: the EXECUTE privileges the write takes (see
 * fdw_modify_guard.c), then the credentials of the user mapping.
 */
static void
start_writing(S3ModifyState *ms)
{
	s3_check_write_privilege(ms->rel, ms->userid, ms->op,
							 (ms->set & (COLBIT(COL_KEY) | COLBIT(COL_BUCKET))) != 0,
							 (ms->set & COLBIT(COL_TAGS)) != 0);
	s3_load_credentials_for(ms->server, ms->userid);
}

static void
s3BeginForeignModify(ModifyTableState *mtstate, ResultRelInfo *rinfo,
					 List *fdw_private, int subplan_index, int eflags)
{
	S3ModifyState *ms;
	Plan	   *subplan;
	int			k;

	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;
	ms = begin_state(rinfo, mtstate->ps.state, mtstate->operation);
	if (ms->op == CMD_UPDATE || ms->op == CMD_DELETE)
	{
#if PG_VERSION_NUM >= 140000
		subplan = outerPlanState(mtstate)->plan;
#else
		subplan = mtstate->mt_plans[subplan_index]->plan;
#endif
		for (k = 0; k < S3_NIDENTITY; k++)
			ms->junk[k] = ExecFindJunkAttributeInTlist(subplan->targetlist, s3_identity_columns[k].junk);
	}
	if (ms->op == CMD_UPDATE)
	{
		Bitmapset  *cols = ExecGetUpdatedCols(rinfo, mtstate->ps.state);
		int			x = -1;

		while ((x = bms_next_member(cols, x)) >= 0)
		{
			AttrNumber	attno = x + FirstLowInvalidHeapAttributeNumber;
			int			c;

			if (attno <= 0)
				continue;
			c = ms->colmap[attno - 1];
			if (c < 0 || (COLBIT(c) & WRITABLE) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("column \"%s\" of foreign table \"%s\" cannot be updated",
								NameStr(TupleDescAttr(RelationGetDescr(ms->rel), attno - 1)->attname),
								RelationGetRelationName(ms->rel)),
						 errdetail("S3 gives it when it lists the object."),
						 errhint("UPDATE sets key, bucket, content, content_type and tags.")));
			ms->set |= COLBIT(c);
		}
	}
	start_writing(ms);
	rinfo->ri_FdwState = ms;
}

/* COPY into the table, or rows routed to it as a partition */
static void
s3BeginForeignInsert(ModifyTableState *mtstate, ResultRelInfo *rinfo)
{
	S3ModifyState *ms = begin_state(rinfo, mtstate->ps.state, CMD_INSERT);

	start_writing(ms);
	rinfo->ri_FdwState = ms;
}

/* Whether what ExecForeign* returns is read (RETURNING, AFTER ROW triggers) */
static bool
row_is_read(ResultRelInfo *rinfo)
{
	TriggerDesc *td = rinfo->ri_TrigDesc;

	return rinfo->ri_projectReturning != NULL ||
		(td != NULL && (td->trig_insert_after_row || td->trig_update_after_row ||
						td->trig_delete_after_row));
}

/* A text value of a column, or NULL */
static char *
text_value(S3ModifyState *ms, TupleTableSlot *slot, S3Column col)
{
	int			i = ms->att[col];

	if (i < 0 || slot->tts_isnull[i])
		return NULL;
	return TextDatumGetCString(slot->tts_values[i]);
}

static char *
junk_text(S3ModifyState *ms, TupleTableSlot *planSlot, int k)
{
	bool		isnull;
	Datum		d;

	if (ms->junk[k] == InvalidAttrNumber)
		return NULL;
	d = ExecGetJunkAttribute(planSlot, ms->junk[k], &isnull);
	return isnull ? NULL : TextDatumGetCString(d);
}

/* A NULL where the object needs a value */
static void
null_column(const char *column, Relation rel, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_NOT_NULL_VIOLATION),
			 errmsg("null value in column \"%s\" of foreign table \"%s\"",
					column, RelationGetRelationName(rel)),
			 errdetail("%s", detail)));
}

/* The bucket a row writes to: the row's, which must be the table's */
static char *
target_bucket(S3ModifyState *ms, char *bucket)
{
	if (bucket == NULL)
	{
		if (ms->table_bucket == NULL)
			null_column("bucket", ms->rel,
						_("The table has no bucket option: each row names its bucket."));
		return (char *) ms->table_bucket;
	}
	if (ms->table_bucket != NULL && strcmp(bucket, ms->table_bucket) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_WITH_CHECK_OPTION_VIOLATION),
				 errmsg("bucket \"%s\" is not the bucket of foreign table \"%s\"",
						bucket, RelationGetRelationName(ms->rel)),
				 errdetail("The table lists bucket \"%s\".", ms->table_bucket)));
	s3_check_bucket_arg(bucket);
	return bucket;
}

/* A key the table lists: under its prefix option */
static void
check_prefix(S3ModifyState *ms, const char *key)
{
	if (ms->table_prefix != NULL &&
		strncmp(key, ms->table_prefix, strlen(ms->table_prefix)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_WITH_CHECK_OPTION_VIOLATION),
				 errmsg("key \"%s\" is outside foreign table \"%s\"",
						key, RelationGetRelationName(ms->rel)),
				 errdetail("The table lists the keys that begin with \"%s\".", ms->table_prefix)));
}

/* The body of a content value: bytea as it is, text in UTF-8 */
static void
content_bytes(S3ModifyState *ms, Datum value, const char **data, size_t *len)
{
	if (TupleDescAttr(RelationGetDescr(ms->rel), ms->att[COL_CONTENT])->atttypid == BYTEAOID)
	{
		bytea	   *b = DatumGetByteaPP(value);

		*data = VARDATA_ANY(b);
		*len = VARSIZE_ANY_EXHDR(b);
	}
	else
	{
		text	   *t = DatumGetTextPP(value);
		char	   *utf8 = pg_server_to_any(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), PG_UTF8);

		*data = utf8;
		*len = utf8 == VARDATA_ANY(t) ? VARSIZE_ANY_EXHDR(t) : strlen(utf8);
	}
}

/* The type of a new object whose row gives none: as s3_upload's default */
static const char *
default_content_type(S3ModifyState *ms)
{
	if (TupleDescAttr(RelationGetDescr(ms->rel), ms->att[COL_CONTENT])->atttypid == BYTEAOID)
		return "application/octet-stream";
	return "text/plain; charset=utf-8";
}

/*
 * Store a row in slot (as a tuple of its own: the values may point into
 * the tuple the slot held).
 */
static void
store_row(TupleTableSlot *slot, Datum *values, bool *nulls)
{
	HeapTuple	tuple = heap_form_tuple(slot->tts_tupleDescriptor, values, nulls);

	ExecForceStoreHeapTuple(tuple, slot, true);
}

/* A copy of the values of a slot whose attributes are all fetched */
static void
slot_values(S3ModifyState *ms, TupleTableSlot *slot, Datum **values, bool **nulls)
{
	*values = palloc(sizeof(Datum) * ms->natts);
	*nulls = palloc(sizeof(bool) * ms->natts);
	memcpy(*values, slot->tts_values, sizeof(Datum) * ms->natts);
	memcpy(*nulls, slot->tts_isnull, sizeof(bool) * ms->natts);
}

static void
set_value(S3ModifyState *ms, Datum *values, bool *nulls, S3Column col, Datum v, bool isnull)
{
	if (ms->att[col] < 0)
		return;
	values[ms->att[col]] = v;
	nulls[ms->att[col]] = isnull;
}

/* What an INSERT's row asks for; checked before anything is sent */
static void
describe_insert(S3ModifyState *ms, TupleTableSlot *slot, ObjectWrite *w)
{
	int			i;

	slot_getallattrs(slot);
	for (i = 0; i < ms->natts; i++)
	{
		int			c = ms->colmap[i];

		if (c >= 0 && !slot->tts_isnull[i] && (COLBIT(c) & WRITABLE) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("column \"%s\" of foreign table \"%s\" cannot be written",
							s3_column_defs[c].name, RelationGetRelationName(ms->rel)),
					 errdetail("S3 gives it when it lists the object."),
					 errhint("INSERT writes key, content, content_type and tags (and bucket): name those columns.")));
	}
	memset(w, 0, sizeof(*w));
	if (ms->att[COL_KEY] < 0 || ms->att[COL_CONTENT] < 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot insert into foreign table \"%s\": it needs the columns key and content",
						RelationGetRelationName(ms->rel))));
	w->key = text_value(ms, slot, COL_KEY);
	if (w->key == NULL)
		null_column("key", ms->rel, _("Each row names its object."));
	w->bucket = target_bucket(ms, text_value(ms, slot, COL_BUCKET));
	check_prefix(ms, w->key);
	if (slot->tts_isnull[ms->att[COL_CONTENT]])
		null_column("content", ms->rel, _("An object needs a body; '' makes an empty one."));
	content_bytes(ms, slot->tts_values[ms->att[COL_CONTENT]], &w->data, &w->len);
	w->opts.content_type = text_value(ms, slot, COL_CONTENT_TYPE);
	if (w->opts.content_type == NULL)
		w->opts.content_type = default_content_type(ms);
	/* tags: sent with the object (x-amz-tagging) */
	if (ms->att[COL_TAGS] >= 0 && !slot->tts_isnull[ms->att[COL_TAGS]])
		w->opts.tagging = s3_tagging_query(slot->tts_values[ms->att[COL_TAGS]], "tags");
	s3_put_options_defaults(&w->opts, ms->server, &ms->topts);
}

/*
 * Upload the rows' objects, up to max_concurrency at once, and give each
 * slot what S3 answered when someone reads it.
 */
static void
insert_rows(ResultRelInfo *rinfo, TupleTableSlot **slots, int n)
{
	S3ModifyState *ms = (S3ModifyState *) rinfo->ri_FdwState;
	MemoryContext old;
	ObjectWrite *w;
	int			next = 0;
	int			done = 0;
	int			i;

	MemoryContextReset(ms->row_cxt);
	old = MemoryContextSwitchTo(ms->row_cxt);
	w = palloc(sizeof(ObjectWrite) * n);
	for (i = 0; i < n; i++)
		describe_insert(ms, slots[i], &w[i]);
	while (done < n)
	{
		while (next < n && next - done < ms->max_concurrency)
		{
			w[next].put = s3_put_object_start(ms->server, w[next].bucket, w[next].key,
											  w[next].data, w[next].len, &w[next].opts);
			/* new, as far as the statement knows: a PUT does not say */
			s3_note_written(ms->estate, w[next].bucket, s3_check_key_arg(w[next].key), true);
			next++;
		}
		w[done].etag = s3_put_object_finish(w[done].put);
		done++;
	}
	MemoryContextSwitchTo(old);

	if (!row_is_read(rinfo))
		return;
	for (i = 0; i < n; i++)
	{
		TupleTableSlot *slot = slots[i];
		Datum	   *values;
		bool	   *nulls;

		slot_values(ms, slot, &values, &nulls);
		set_value(ms, values, nulls, COL_BUCKET, CStringGetTextDatum(w[i].bucket), false);
		set_value(ms, values, nulls, COL_ETAG,
				  w[i].etag ? CStringGetTextDatum(w[i].etag) : (Datum) 0, w[i].etag == NULL);
		set_value(ms, values, nulls, COL_SIZE, Int64GetDatum((int64) w[i].len), false);
		set_value(ms, values, nulls, COL_CONTENT_TYPE,
				  CStringGetTextDatum(w[i].opts.content_type), false);
		set_value(ms, values, nulls, COL_IS_PREFIX, BoolGetDatum(false), false);
		store_row(slot, values, nulls);
	}
}

static TupleTableSlot *
s3ExecForeignInsert(EState *estate, ResultRelInfo *rinfo, TupleTableSlot *slot,
					TupleTableSlot *planSlot)
{
	insert_rows(rinfo, &slot, 1);
	return slot;
}

#if PG_VERSION_NUM >= 140000
static TupleTableSlot **
s3ExecForeignBatchInsert(EState *estate, ResultRelInfo *rinfo, TupleTableSlot **slots,
						 TupleTableSlot **planSlots, int *numSlots)
{
	insert_rows(rinfo, slots, *numSlots);
	return slots;
}

/*
 * Rows of a multi-row INSERT go max_concurrency at a time (a batch is
 * uploaded at once); one at a time when RETURNING or a trigger reads each.
 */
static int
s3GetForeignModifyBatchSize(ResultRelInfo *rinfo)
{
	S3ModifyState *ms = (S3ModifyState *) rinfo->ri_FdwState;
	TriggerDesc *td = rinfo->ri_TrigDesc;

	if (ms == NULL || rinfo->ri_projectReturning != NULL ||
		(td != NULL && (td->trig_insert_after_row || td->trig_insert_before_row)))
		return 1;
	return ms->max_concurrency;
}
#endif

/* Send the keys waiting for DeleteObjects; an error names the first failure */
static void
flush_deletes(S3ModifyState *ms)
{
	List	   *failed;

	if (ms->npending == 0)
		return;
	failed = s3_delete_objects(ms->server, ms->pending_bucket, ms->pending,
							   ms->pending_versions, ms->npending);
	if (failed != NIL)
	{
		S3DeleteFailure *f = linitial(failed);
		StringInfoData detail;

		/* as s3_report_error has it; Ceph RGW's messages are empty */
		initStringInfo(&detail);
		appendStringInfo(&detail, "S3 refused with error code %s", f->code ? f->code : "(none)");
		if (f->message != NULL)
			appendStringInfo(&detail, ": %s", f->message);
		if (detail.data[detail.len - 1] != '.')
			appendStringInfoChar(&detail, '.');
		if (list_length(failed) == 2)
			appendStringInfoString(&detail, " One more object was not removed.");
		else if (list_length(failed) > 2)
			appendStringInfo(&detail, " %d more objects were not removed.", list_length(failed) - 1);
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("could not remove object \"%s\" from bucket \"%s\"",
						f->key, ms->pending_bucket),
				 errdetail_internal("%s", detail.data)));
	}
	MemoryContextReset(ms->delete_cxt);
	ms->pending = NULL;
	ms->pending_versions = NULL;
	ms->npending = 0;
	ms->pending_bucket = NULL;
}

/* An object (or one version of it, version_id not NULL) to remove */
static void
queue_delete(S3ModifyState *ms, const char *bucket, const char *key, const char *version_id)
{
	MemoryContext old;

	if (ms->npending > 0 && (ms->npending >= ms->max_concurrency * DELETE_BATCH ||
							 strcmp(ms->pending_bucket, bucket) != 0))
		flush_deletes(ms);
	old = MemoryContextSwitchTo(ms->delete_cxt);
	if (ms->pending == NULL)
	{
		ms->pending = palloc(sizeof(char *) * ms->max_concurrency * DELETE_BATCH);
		ms->pending_versions = palloc0(sizeof(char *) * ms->max_concurrency * DELETE_BATCH);
		ms->pending_bucket = pstrdup(bucket);
	}
	ms->pending_versions[ms->npending] = version_id ? pstrdup(version_id) : NULL;
	ms->pending[ms->npending++] = pstrdup(key);
	MemoryContextSwitchTo(old);
}

/* Whether XML 1.0 can carry the key (DeleteObjects names keys in XML) */
static bool
xml_can_carry(const char *utf8)
{
	const unsigned char *p;

	for (p = (const unsigned char *) utf8; *p; p++)
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			return false;
	return true;
}

/* The object a row of UPDATE or DELETE stands for; false for a folder row */
static bool
row_object(S3ModifyState *ms, TupleTableSlot *planSlot, char **bucket, char **key)
{
	bool		isnull;

	if (ms->junk[S3_IDENTITY_IS_PREFIX] != InvalidAttrNumber &&
		DatumGetBool(ExecGetJunkAttribute(planSlot, ms->junk[S3_IDENTITY_IS_PREFIX], &isnull)) && !isnull)
		return false;			/* a common prefix: no object */
	*key = junk_text(ms, planSlot, 0);
	if (*key == NULL)
		elog(ERROR, "the row to write has no key");
	*bucket = junk_text(ms, planSlot, 1);
	if (*bucket == NULL)
		*bucket = (char *) ms->table_bucket;
	if (*bucket == NULL)
		elog(ERROR, "the row to write has no bucket");
	return true;
}

static TupleTableSlot *
s3ExecForeignDelete(EState *estate, ResultRelInfo *rinfo, TupleTableSlot *slot,
					TupleTableSlot *planSlot)
{
	S3ModifyState *ms = (S3ModifyState *) rinfo->ri_FdwState;
	char	   *bucket;
	char	   *key;
	char	   *version_id;
	Datum	   *values;
	bool	   *nulls;
	int			k;

	MemoryContextReset(ms->row_cxt);
	if (!row_object(ms, planSlot, &bucket, &key))
		return NULL;
	/* a version's row (versions 'true') removes that version for good */
	version_id = junk_text(ms, planSlot, S3_IDENTITY_VERSION_ID);
	if (version_id == NULL && ms->topts.versions)
		elog(ERROR, "the version to remove has no version id");
	if (xml_can_carry(s3_check_key_arg(key)))
		queue_delete(ms, bucket, key, version_id);
	else
		s3_delete_object(ms->server, bucket, key, version_id);	/* alone: DeleteObjects' XML cannot name it */
	if (!row_is_read(rinfo))
		return slot;

	/* what RETURNING sees: the scan's key, bucket, etag and size */
	values = palloc0(sizeof(Datum) * ms->natts);
	nulls = palloc(sizeof(bool) * ms->natts);
	memset(nulls, true, sizeof(bool) * ms->natts);
	for (k = 0; k < S3_NIDENTITY; k++)
		if (ms->junk[k] != InvalidAttrNumber && ms->att[s3_identity_columns[k].col] >= 0)
		{
			int			i = ms->att[s3_identity_columns[k].col];

			values[i] = ExecGetJunkAttribute(planSlot, ms->junk[k], &nulls[i]);
		}
	set_value(ms, values, nulls, COL_BUCKET, CStringGetTextDatum(bucket), false);
	store_row(slot, values, nulls);
	return slot;
}

/*
 * A rename never replaces an object: not one that was there before the
 * statement, not one the statement created (the new name of an earlier
 * row), not one the statement has yet to read (still listed, so there).
 * HEAD the new name first; one that is taken refuses the row, as a unique
 * key would, before anything is written.  (Between the HEAD and the copy,
 * another client may still write the name: S3 has no lock to take.)
 */
static void
check_rename_target(S3ModifyState *ms, const char *old_bucket, const char *old_key,
					const char *bucket, const char *key)
{
	S3ObjectHead *head = s3_head_object(ms->server, bucket, key, NULL);

	if (head->found)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("object \"%s\" already exists in bucket \"%s\"", key, bucket),
				 strcmp(bucket, old_bucket) == 0
				 ? errdetail("Renaming \"%s\" in foreign table \"%s\" would replace it.",
							 old_key, RelationGetRelationName(ms->rel))
				 : errdetail("Moving \"%s\" from bucket \"%s\" in foreign table \"%s\" would replace it.",
							 old_key, old_bucket, RelationGetRelationName(ms->rel)),
				 errhint("An UPDATE of key or bucket never replaces an object: remove it first, or choose a name that is free.")));
}

static TupleTableSlot *
s3ExecForeignUpdate(EState *estate, ResultRelInfo *rinfo, TupleTableSlot *slot,
					TupleTableSlot *planSlot)
{
	S3ModifyState *ms = (S3ModifyState *) rinfo->ri_FdwState;
	char	   *old_bucket;
	char	   *old_key;
	char	   *bucket;
	char	   *key;
	char	   *etag = NULL;
	char	   *content_type = NULL;
	Datum		tags = (Datum) 0;
	bool		moved;
	bool		has_size = false;
	int64		size = 0;
	Datum	   *values;
	bool	   *nulls;
	MemoryContext old;

	MemoryContextReset(ms->row_cxt);
	old = MemoryContextSwitchTo(ms->row_cxt);
	if (!row_object(ms, planSlot, &old_bucket, &old_key) ||
		s3_written_here(estate, old_bucket, s3_check_key_arg(old_key)))
	{
		/* a folder row; or an object this statement wrote already */
		MemoryContextSwitchTo(old);
		return NULL;
	}
	slot_getallattrs(slot);
	key = old_key;
	if (ms->set & COLBIT(COL_KEY))
	{
		key = text_value(ms, slot, COL_KEY);
		if (key == NULL)
			null_column("key", ms->rel, _("Each row names its object."));
		check_prefix(ms, key);
	}
	bucket = (ms->set & COLBIT(COL_BUCKET))
		? target_bucket(ms, text_value(ms, slot, COL_BUCKET)) : old_bucket;
	moved = strcmp(key, old_key) != 0 || strcmp(bucket, old_bucket) != 0;
	if (ms->set & COLBIT(COL_CONTENT_TYPE))
	{
		content_type = text_value(ms, slot, COL_CONTENT_TYPE);
		if (content_type == NULL)
			null_column("content_type", ms->rel, _("An object always has a content type."));
	}
	if (ms->set & COLBIT(COL_TAGS))
	{
		if (slot->tts_isnull[ms->att[COL_TAGS]])
			null_column("tags", ms->rel, _("An object's tags are a JSON object; '{}' removes them all."));
		tags = slot->tts_values[ms->att[COL_TAGS]];
	}
	if (moved)
		check_rename_target(ms, old_bucket, old_key, bucket, key);

	if (ms->set & COLBIT(COL_CONTENT))
	{
		/* a new body: the object's other headers and metadata stay */
		S3ObjectHead *head = s3_head_object(ms->server, old_bucket, old_key, NULL);
		S3PutOptions opts;
		const char *data;
		size_t		len;
		List	   *late_tags = NIL;

		if (slot->tts_isnull[ms->att[COL_CONTENT]])
			null_column("content", ms->rel, _("An object needs a body; '' makes an empty one."));
		content_bytes(ms, slot->tts_values[ms->att[COL_CONTENT]], &data, &len);
		memset(&opts, 0, sizeof(opts));
		if (head->found)
		{
			opts.cache_control = head->cache_control;
			opts.content_encoding = head->content_encoding;
			opts.nmeta = s3_metadata_headers(s3_metadata_jsonb(head), &opts.meta);
		}
		if (content_type == NULL)
			content_type = head->found && head->content_type ? head->content_type
				: (char *) default_content_type(ms);
		opts.content_type = content_type;
		/* a new name: never over an object another client wrote since the HEAD */
		opts.if_none_match = moved;
		/* the new tags, or the object's own (a PUT would drop them) */
		if (tags != (Datum) 0)
			opts.tagging = s3_tagging_query(tags, "tags");
		else if (head->found)
			late_tags = s3_carry_tags(ms->server, old_bucket, old_key, NULL, head->tag_count,
									  &opts);
		s3_put_options_defaults(&opts, ms->server, &ms->topts);
		etag = s3_put_object(ms->server, bucket, key, data, len, &opts);
		if (late_tags != NIL)
			s3_put_tag_pairs(ms->server, bucket, key, late_tags, NULL);
		size = len;
		has_size = true;
	}
	else if (moved || content_type != NULL)
	{
		/* inside S3: no byte through PostgreSQL; the tags kept, or replaced */
		S3PutOptions opts;

		memset(&opts, 0, sizeof(opts));
		opts.content_type = content_type;
		opts.if_none_match = moved;
		if (tags != (Datum) 0)
			opts.tagging = s3_tagging_query(tags, "tags");
		s3_put_options_defaults(&opts, ms->server, &ms->topts);
		etag = s3_copy_object(ms->server, old_bucket, old_key, NULL, bucket, key, (Datum) 0,
							  &opts);
	}
	else if (tags != (Datum) 0)
	{
		/* the tags alone: the object stays as it is */
		s3_put_object_tags(ms->server, bucket, key, tags, "tags", NULL);
	}
	s3_note_written(estate, bucket, s3_check_key_arg(key), moved);
	if (moved)
		s3_delete_object(ms->server, old_bucket, old_key, NULL);
	MemoryContextSwitchTo(old);

	if (!row_is_read(rinfo))
		return slot;
	slot_values(ms, slot, &values, &nulls);
	set_value(ms, values, nulls, COL_KEY, CStringGetTextDatum(key), false);
	set_value(ms, values, nulls, COL_BUCKET, CStringGetTextDatum(bucket), false);
	if (etag != NULL)
		set_value(ms, values, nulls, COL_ETAG, CStringGetTextDatum(etag), false);
	if (has_size)
		set_value(ms, values, nulls, COL_SIZE, Int64GetDatum(size), false);
	if (content_type != NULL)
		set_value(ms, values, nulls, COL_CONTENT_TYPE, CStringGetTextDatum(content_type), false);
	store_row(slot, values, nulls);
	return slot;
}

static void
s3EndForeignModify(EState *estate, ResultRelInfo *rinfo)
{
	S3ModifyState *ms = (S3ModifyState *) rinfo->ri_FdwState;

	if (ms == NULL)
		return;
	flush_deletes(ms);
	MemoryContextDelete(ms->row_cxt);
	MemoryContextDelete(ms->delete_cxt);
	rinfo->ri_FdwState = NULL;
}

void
s3_modify_routines(FdwRoutine *routine)
{
	routine->BeginForeignModify = s3BeginForeignModify;
	routine->ExecForeignInsert = s3ExecForeignInsert;
	routine->ExecForeignUpdate = s3ExecForeignUpdate;
	routine->ExecForeignDelete = s3ExecForeignDelete;
	routine->EndForeignModify = s3EndForeignModify;
	routine->BeginForeignInsert = s3BeginForeignInsert;
	routine->EndForeignInsert = s3EndForeignModify;
#if PG_VERSION_NUM >= 140000
	routine->ExecForeignBatchInsert = s3ExecForeignBatchInsert;
	routine->GetForeignModifyBatchSize = s3GetForeignModifyBatchSize;
#endif
}
