/*-------------------------------------------------------------------------
 *
 * fdw_modify_guard.c
 *		What guards the writes through a foreign table (fdw_modify.c): the
 *		objects a statement created, which its own scans skip (fdw_scan.c),
 *		so that UPDATE ... SET key = key || '.bak' does not meet its results
 *		again further on in a live listing; the objects it updated in place,
 *		which its scans still list but which it updates only once; and the
 *		EXECUTE privileges each kind of write takes.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "foreign/foreign.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/acl.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/rel.h"

#include "fdw_modify_guard.h"

/* ---- the objects a statement wrote ---- */

/* One object the statement wrote */
typedef struct WrittenName
{
	char	   *name;			/* "bucket/key" (UTF-8) */
	bool		created;		/* new, rather than updated in place */
} WrittenName;

typedef struct WrittenEntry
{
	uint64		hash;			/* the hash key */
	List	   *names;			/* the WrittenNames of that hash */
} WrittenEntry;

static HTAB *written = NULL;	/* in the statement's query context */
static EState *written_estate = NULL;

static void
forget_written(void *arg)
{
	written = NULL;
	written_estate = NULL;
}

static uint64
written_hash(const char *name)
{
	return hash_bytes_extended((const unsigned char *) name, strlen(name), 0);
}

/*
 * Remember that this statement wrote bucket/utf8_key: created it (an
 * INSERT, the new key of a rename), or updated in place an object that was
 * there before.
 */
void
s3_note_written(EState *estate, const char *bucket, const char *utf8_key, bool created)
{
	MemoryContext old = MemoryContextSwitchTo(estate->es_query_cxt);
	char	   *name = psprintf("%s/%s", bucket, utf8_key);
	uint64		h = written_hash(name);
	WrittenEntry *e;
	WrittenName *w;
	ListCell   *lc;
	bool		found;

	if (written == NULL || written_estate != estate)
	{
		HASHCTL		ctl;
		MemoryContextCallback *cb = palloc0(sizeof(MemoryContextCallback));

		ctl.keysize = sizeof(uint64);
		ctl.entrysize = sizeof(WrittenEntry);
		ctl.hcxt = estate->es_query_cxt;
		written = hash_create("s3_fdw objects written", 256, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		written_estate = estate;
		/* gone with the statement, whether it ends or fails */
		cb->func = forget_written;
		MemoryContextRegisterResetCallback(estate->es_query_cxt, cb);
	}
	e = hash_search(written, &h, HASH_ENTER, &found);
	if (!found)
		e->names = NIL;
	foreach(lc, e->names)
	{
		w = (WrittenName *) lfirst(lc);
		if (strcmp(w->name, name) == 0)
		{
			w->created |= created;	/* created once, it stays new */
			MemoryContextSwitchTo(old);
			return;
		}
	}
	w = palloc(sizeof(WrittenName));
	w->name = name;
	w->created = created;
	e->names = lappend(e->names, w);
	MemoryContextSwitchTo(old);
}

/* What the statement running in estate wrote of bucket/utf8_key, or NULL */
static WrittenName *
find_written(EState *estate, const char *bucket, const char *utf8_key)
{
	char	   *name;
	WrittenEntry *e;
	uint64		h;
	ListCell   *lc;
	WrittenName *hit = NULL;

	if (written == NULL || written_estate != estate || utf8_key == NULL)
		return NULL;
	name = psprintf("%s/%s", bucket, utf8_key);
	h = written_hash(name);
	e = hash_search(written, &h, HASH_FIND, NULL);
	if (e != NULL)
		foreach(lc, e->names)
			if (strcmp(((WrittenName *) lfirst(lc))->name, name) == 0)
				hit = (WrittenName *) lfirst(lc);
	pfree(name);
	return hit;
}

/*
 * Whether the statement running in estate created bucket/utf8_key itself
 * (the scan skips such objects; it lists those the statement updated in
 * place, which were there before it).
 */
bool
s3_created_here(EState *estate, const char *bucket, const char *utf8_key)
{
	WrittenName *w = find_written(estate, bucket, utf8_key);

	return w != NULL && w->created;
}

/*
 * Whether the statement running in estate wrote bucket/utf8_key already
 * (an UPDATE leaves such a row alone, as PostgreSQL leaves a row the
 * statement itself updated).
 */
bool
s3_written_here(EState *estate, const char *bucket, const char *utf8_key)
{
	return find_written(estate, bucket, utf8_key) != NULL;
}

/*
 * Writing through a table takes the EXECUTE privilege of the functions
 * that write the same way, so that a DBA who takes those functions away
 * from a role (the README's read-only recipe) does not leave it a foreign
 * table of its own to write with:
 *
 *   INSERT (and COPY)                          s3_upload
 *   UPDATE that assigns neither key nor bucket s3_upload
 *   UPDATE that assigns key or bucket          s3_upload and s3_remove
 *   UPDATE that assigns tags                   s3_upload and s3_put_tags
 *   DELETE                                     s3_remove
 *
 * An UPDATE that assigns key or bucket may rename, which removes the old
 * object: it needs s3_remove whatever the values turn out to be, as
 * PostgreSQL checks the UPDATE privilege of each column assigned, even to
 * its own value.  The forms of version 1.1, else 1.0's, in the wrapper's
 * schema.
 */
typedef struct WriterFunction
{
	const char *name;
	int			nargs;
	Oid			args[17];
} WriterFunction;

/* the bytea s3_upload as versions 1.2, 1.1 and 1.0 declare it */
static const WriterFunction uploaders[] = {
	{"s3_upload", 17, {TEXTOID, TEXTOID, TEXTOID, BYTEAOID, TEXTOID, JSONBOID, TEXTOID, TEXTOID,
	TEXTOID, TEXTOID, TEXTOID, JSONBOID, BOOLOID, TEXTOID, TEXTOID, JSONBOID, BOOLOID}},
	{"s3_upload", 8, {TEXTOID, TEXTOID, TEXTOID, BYTEAOID, TEXTOID, JSONBOID, TEXTOID, TEXTOID}},
	{"s3_upload", 5, {TEXTOID, TEXTOID, TEXTOID, BYTEAOID, TEXTOID}},
};
/* s3_put_tags, which only version 1.2 has */
static const WriterFunction taggers[] = {
	{"s3_put_tags", 5, {TEXTOID, TEXTOID, TEXTOID, JSONBOID, TEXTOID}},
};
static const WriterFunction removers[] = {
	{"s3_remove", 3, {TEXTOID, TEXTOID, TEXTARRAYOID}},
	{"s3_remove", 4, {TEXTOID, TEXTOID, TEXTOID, TEXTOID}},
	{"s3_remove", 3, {TEXTOID, TEXTOID, TEXTOID}},
};

static void
require_execute(Relation rel, Oid userid, const WriterFunction *fns, int nfns,
				const char *action)
{
	ForeignServer *server = GetForeignServer(GetForeignTable(RelationGetRelid(rel))->serverid);
	ForeignDataWrapper *fdw = GetForeignDataWrapper(server->fdwid);
	char	   *schema = get_namespace_name(get_func_namespace(fdw->fdwhandler));
	Oid			fn = InvalidOid;
	int			i;
	AclResult	ok = ACLCHECK_NO_PRIV;

	for (i = 0; i < nfns && !OidIsValid(fn); i++)
		fn = LookupFuncName(list_make2(makeString(schema), makeString(pstrdup(fns[i].name))),
							fns[i].nargs, fns[i].args, true);
	if (OidIsValid(fn))
#if PG_VERSION_NUM >= 160000
		ok = object_aclcheck(ProcedureRelationId, fn, userid, ACL_EXECUTE);
#else
		ok = pg_proc_aclcheck(fn, userid, ACL_EXECUTE);
#endif
	if (ok != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to %s through foreign table \"%s\"",
						action, RelationGetRelationName(rel)),
				 errdetail("Writing through an s3_fdw table needs EXECUTE on %s, as calling it does.",
						   OidIsValid(fn) ? format_procedure(fn) : fns[0].name)));
}

/*
 * The privileges writing with op takes (renames: an UPDATE that assigns key
 * or bucket; retags: one that assigns tags); an error if userid lacks one
 */
void
s3_check_write_privilege(Relation rel, Oid userid, CmdType op, bool renames, bool retags)
{
	if (op == CMD_INSERT || op == CMD_UPDATE)
		require_execute(rel, userid, uploaders, lengthof(uploaders),
						op == CMD_INSERT ? "insert" : "update");
	if (op == CMD_UPDATE && retags)
		require_execute(rel, userid, taggers, lengthof(taggers), "update");
	if (op == CMD_DELETE || (op == CMD_UPDATE && renames))
		require_execute(rel, userid, removers, lengthof(removers),
						op == CMD_DELETE ? "delete" : "update");
}
