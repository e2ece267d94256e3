/*-------------------------------------------------------------------------
 *
 * fdw.c
 *		The foreign-data wrapper callbacks: a foreign table lists the objects
 *		of a bucket through ListObjectsV2, with what S3 can filter pushed
 *		down to it.
 *
 * Columns are matched by name.  The object columns (key, size,
 * last_modified, etag, storage_class, bucket, content) describe each object;
 * the filter columns (prefix, start_after, max_keys, continuation_token)
 * carry request parameters: a condition "column = constant" on them is sent
 * to S3 and the column echoes the constant back, so the condition holds when
 * PostgreSQL checks it again.  Conditions on key (LIKE 'p%', ^@,
 * starts_with(), = and, under the C collation, > and >=) narrow the request
 * too.  Every condition is still checked locally: pushdown only ever asks
 * S3 for fewer keys, never changes the answer.
 *
 * Memory: each page of keys lives in a context reset before the next page
 * is fetched; each row's values (and an object body, for the content
 * column) in a context reset for every row.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "commands/explain.h"
#include "commands/vacuum.h"
#include "executor/executor.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/paths.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "parser/parsetree.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/sampling.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/pg_locale.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "s3_fdw.h"

/* The columns a foreign table may have */
typedef enum S3Column
{
	COL_KEY,
	COL_SIZE,
	COL_LAST_MODIFIED,
	COL_ETAG,
	COL_STORAGE_CLASS,
	COL_BUCKET,
	COL_PREFIX,
	COL_START_AFTER,
	COL_MAX_KEYS,
	COL_CONTINUATION_TOKEN,
	COL_NEXT_CONTINUATION_TOKEN,
	COL_CONTENT,
	NUM_COLUMNS
} S3Column;

static const struct
{
	const char *name;
	Oid			type;
	Oid			alt_type;		/* another accepted type, or InvalidOid */
}			column_defs[NUM_COLUMNS] = {
	{"key", TEXTOID, VARCHAROID},
	{"size", INT8OID, InvalidOid},
	{"last_modified", TIMESTAMPTZOID, InvalidOid},
	{"etag", TEXTOID, VARCHAROID},
	{"storage_class", TEXTOID, VARCHAROID},
	{"bucket", TEXTOID, VARCHAROID},
	{"prefix", TEXTOID, VARCHAROID},
	{"start_after", TEXTOID, VARCHAROID},
	{"max_keys", INT4OID, InvalidOid},
	{"continuation_token", TEXTOID, VARCHAROID},
	{"next_continuation_token", TEXTOID, VARCHAROID},
	{"content", BYTEAOID, TEXTOID},
};

/*
 * How a condition narrows the request.  Conditions on the filter columns
 * and on key are recognised by the planner; a value known at planning (a
 * constant) is applied at once, any other (a parameter of a prepared
 * statement or SQL function, an outer reference of a correlated subquery,
 * the outer row of a parameterized join) is evaluated when the scan starts
 * and applied then, by the same function.
 */
typedef enum S3CondOp
{
	OP_EQ,						/* column = value */
	OP_LIKE,					/* key LIKE pattern */
	OP_PREFIX,					/* starts_with(key, value), key ^@ value */
	OP_GT,						/* key > value (C collation) */
	OP_GE,						/* key >= value (C collation) */
	OP_ANY						/* column = ANY (array), column IN (list):
								 * one listing or lookup per distinct value */
} S3CondOp;

/* Where a run-time value comes from, for EXPLAIN */
typedef enum S3CondOrigin
{
	ORIGIN_PARAM,				/* a restriction with a parameter */
	ORIGIN_JOIN					/* the outer row of a parameterized path */
} S3CondOrigin;

/*
 * What a scan asks of S3, worked out by the planner.  Travels to the
 * executor as fdw_private (see plan_to_list / list_to_plan).
 */
typedef struct S3ScanPlan
{
	char	   *bucket;
	char	   *prefix;			/* sent as prefix= */
	char	   *start_after;	/* sent as start-after= */
	char	   *continuation_token;
	int			max_keys;		/* sent as max-keys=, 0 for none */
	bool		single_page;	/* max_keys column given: one request */
	bool		key_lookup;		/* key = value: one request suffices */
	bool		empty;			/* the conditions contradict each other */
	bool		need_content;
	int			needed_cols;	/* bit (1 << S3Column) for each column used */
	/* values the filter columns echo (NULL when not filtered on) */
	char	   *echo_prefix;
	char	   *echo_start_after;
	char	   *echo_token;
	int			echo_max_keys;
	/*
	 * conditions with run-time values: (column, S3CondOp, S3CondOrigin) for
	 * each expression of fdw_exprs, flattened into one integer list
	 */
	List	   *run_conds;
	/* planning only */
	List	   *run_exprs;		/* expressions of the restriction run_conds */
	int		   *colmap;			/* attnum-1 -> S3Column, or -1 */
	int			natts;
	double		base_rows;		/* objects under the table's prefix */
} S3ScanPlan;

/* fdw_private of a ForeignScan, as postgres_fdw indexes its own */
enum FdwScanPrivateIndex
{
	FdwScanPrivateStrings,		/* bucket, prefix, start_after,
								 * continuation_token, echo_prefix,
								 * echo_start_after, echo_token */
	FdwScanPrivateInts,			/* max_keys, echo_max_keys, single_page,
								 * empty, need_content, key_lookup,
								 * needed_cols */
	FdwScanPrivateRunConds		/* run_conds */
};

typedef struct S3ScanState
{
	S3Server   *server;
	S3ScanPlan *plan;			/* as planned */
	S3ScanPlan *run;			/* as this (re)scan runs: with run-time values */
	List	   *param_states;	/* ExprStates of fdw_exprs */
	MemoryContext scan_cxt;		/* reset at every rescan */
	int			colmap[MaxTupleAttributeNumber];	/* attnum-1 -> S3Column, or -1 */
	TupleDesc	tupdesc;
	MemoryContext page_cxt;
	MemoryContext row_cxt;
	S3ObjectPage *page;
	int			next;			/* next object in page */
	bool		done;
	char	   *resume_token;	/* continuation token of the next page */
	S3TokenGuard guard;			/* tokens of this listing (in scan_cxt) */
	S3ScanPlan *base;			/* the run plan before a list's value */
	int			any_col;		/* the column of an OP_ANY condition, or -1 */
	List	   *any_values;		/* its distinct values (Datums), in scan_cxt */
	int			any_next;		/* the next value to scan */
	char	   *what_list;		/* "list objects in bucket ..." */
	char	   *what_key;		/* "object key in bucket ..." */
	int64		list_requests;
	int64		get_requests;
} S3ScanState;

/* ---- columns ---- */

/*
 * Map each attribute of a foreign table to an S3Column; raise an error for
 * unknown names and wrong types.
 */
static void
map_columns(Relation rel, int *colmap)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	int			i;

	for (i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);
		const char *name = NameStr(att->attname);
		int			c;

		colmap[i] = -1;
		if (att->attisdropped)
			continue;
		for (c = 0; c < NUM_COLUMNS; c++)
			if (strcmp(column_defs[c].name, name) == 0)
				break;
		if (c == NUM_COLUMNS)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_COLUMN_NAME),
					 errmsg("foreign table \"%s\" has a column \"%s\" that s3_fdw does not know",
							RelationGetRelationName(rel), name),
					 errhint("Valid column names are key, size, last_modified, etag, storage_class, bucket, prefix, start_after, max_keys, continuation_token, next_continuation_token and content.")));
		if (att->atttypid != column_defs[c].type && att->atttypid != column_defs[c].alt_type)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("column \"%s\" of foreign table \"%s\" must be of type %s%s%s, not %s",
							name, RelationGetRelationName(rel),
							format_type_be(column_defs[c].type),
							OidIsValid(column_defs[c].alt_type) ? " or " : "",
							OidIsValid(column_defs[c].alt_type) ? format_type_be(column_defs[c].alt_type) : "",
							format_type_be(att->atttypid))));
		colmap[i] = c;
	}
}

/* ---- planning ---- */

#if PG_VERSION_NUM < 140000
/* fmgroids.h named functions after their C symbol before PostgreSQL 14 */
#define F_STARTS_WITH F_TEXT_STARTS_WITH
#endif

/* PostgreSQL 17 added the fdw_restrictinfo argument */
#if PG_VERSION_NUM >= 170000
#define new_foreignscan_path(root, rel, rows, startup, total, outer) \
	create_foreignscan_path(root, rel, NULL, rows, startup, total, NIL, outer, NULL, NIL, NIL)
#else
#define new_foreignscan_path(root, rel, rows, startup, total, outer) \
	create_foreignscan_path(root, rel, NULL, rows, startup, total, NIL, outer, NULL, NIL)
#endif

/* PostgreSQL 15 moved the sampler to pg_prng */
#if PG_VERSION_NUM >= 150000
#define SAMPLER_FRACT(rs) sampler_random_fract(&(rs).randstate)
#else
#define SAMPLER_FRACT(rs) sampler_random_fract((rs).randstate)
#endif

#define COLBIT(c) (1 << (c))
/* the request parameters: NULL unless the query gives them a value */
#define FILTER_COLUMNS (COLBIT(COL_PREFIX) | COLBIT(COL_START_AFTER) | \
						COLBIT(COL_MAX_KEYS) | COLBIT(COL_CONTINUATION_TOKEN))
/* the columns "column = value" narrows the request for */
#define EQ_COLUMN(c) ((COLBIT(c) & (FILTER_COLUMNS | COLBIT(COL_KEY) | COLBIT(COL_BUCKET))) != 0)
/*
 * The cost of a plan that would compare a filter column before it has a
 * value: far above disable_cost, so that the planner takes any plan that
 * gives the column its value (a parameterized scan in a nested loop), even
 * one that enable_* settings discourage.
 */
#define S3_UNUSABLE_COST 1.0e12

static Node *
strip_relabel(Node *n)
{
	while (n && IsA(n, RelabelType))
		n = (Node *) ((RelabelType *) n)->arg;
	return n;
}

/* The S3Column of a Var of this relation, or -1. */
static int
var_column(Node *n, RelOptInfo *baserel, const int *colmap)
{
	Var		   *v;

	n = strip_relabel(n);
	if (n == NULL || !IsA(n, Var))
		return -1;
	v = (Var *) n;
	if (v->varno != baserel->relid || v->varlevelsup != 0 || v->varattno <= 0)
		return -1;
	return colmap[v->varattno - 1];
}

/*
 * Can S3 be given this value?  A constant, or an expression whose value is
 * fixed for the whole scan: no column of this query level, nothing
 * volatile, no subplan (parameters and outer references are fine).
 */
static bool
scan_constant(Node *n, Oid type)
{
	Oid			t;

	n = strip_relabel(n);
	if (n == NULL)
		return false;
	t = exprType(n);
	if (type == TEXTOID ? (t != TEXTOID && t != VARCHAROID) : t != type)
		return false;
	return !contain_var_clause(n) && !contain_volatile_functions(n) &&
		!contain_subplans(n);
}

/* S3 orders keys by their UTF-8 bytes: so does C's strcmp on UTF-8 text */
static bool
byte_order_matches(Oid collation)
{
	return lc_collate_is_c(collation) &&
		(GetDatabaseEncoding() == PG_UTF8 || GetDatabaseEncoding() == PG_SQL_ASCII);
}

/*
 * Is this clause "column op value" with an operation S3 can do?  Sets the
 * column, the operation and the value's expression.  Equality is taken
 * from either side, "value < key" as "key > value".
 */
static bool
match_clause(Expr *clause, RelOptInfo *baserel, const int *colmap,
			 int *colp, S3CondOp *opp, Node **argp)
{
	List	   *args;
	Oid			func;
	Oid			collation;
	int			side;

	if (IsA(clause, ScalarArrayOpExpr))
	{
		ScalarArrayOpExpr *sa = (ScalarArrayOpExpr *) clause;
		int			col;

		/* column = ANY (array): equality with each element */
		if (!sa->useOr || list_length(sa->args) != 2)
			return false;
		col = var_column(linitial(sa->args), baserel, colmap);
		func = get_opcode(sa->opno);
		if (col < 0 || !EQ_COLUMN(col) ||
			func != (col == COL_MAX_KEYS ? F_INT4EQ : F_TEXTEQ) ||
			!scan_constant(lsecond(sa->args), col == COL_MAX_KEYS ? INT4ARRAYOID : TEXTARRAYOID))
			return false;
		if (col == COL_KEY && OidIsValid(sa->inputcollid) &&
			!get_collation_isdeterministic(sa->inputcollid))
			return false;
		*colp = col;
		*opp = OP_ANY;
		*argp = lsecond(sa->args);
		return true;
	}
	if (IsA(clause, OpExpr))
	{
		args = ((OpExpr *) clause)->args;
		func = get_opcode(((OpExpr *) clause)->opno);
		collation = ((OpExpr *) clause)->inputcollid;
	}
	else if (IsA(clause, FuncExpr))
	{
		args = ((FuncExpr *) clause)->args;
		func = ((FuncExpr *) clause)->funcid;
		collation = ((FuncExpr *) clause)->inputcollid;
	}
	else
		return false;
	if (list_length(args) != 2)
		return false;

	for (side = 0; side < 2; side++)
	{
		int			col = var_column(list_nth(args, side), baserel, colmap);
		Node	   *arg = list_nth(args, 1 - side);
		S3CondOp	op;

		if (col < 0)
			continue;
		if (func == F_INT4EQ && col == COL_MAX_KEYS)
		{
			if (!scan_constant(arg, INT4OID))
				continue;
			*colp = col;
			*opp = OP_EQ;
			*argp = arg;
			return true;
		}
		if (!scan_constant(arg, TEXTOID))
			continue;
		if (func == F_TEXTEQ)
		{
			if (!EQ_COLUMN(col) || col == COL_MAX_KEYS)
				continue;
			/* under a nondeterministic collation, "a" = "A" may hold */
			if (col == COL_KEY && OidIsValid(collation) &&
				!get_collation_isdeterministic(collation))
				continue;
			op = OP_EQ;
		}
		else if (col != COL_KEY)
			continue;
		else if (side == 0 && func == F_TEXTLIKE)
			op = OP_LIKE;
		else if (side == 0 && func == F_STARTS_WITH)
			op = OP_PREFIX;
		else if (((side == 0 && func == F_TEXT_GT) || (side == 1 && func == F_TEXT_LT)) &&
				 byte_order_matches(collation))
			op = OP_GT;
		else if (((side == 0 && func == F_TEXT_GE) || (side == 1 && func == F_TEXT_LE)) &&
				 byte_order_matches(collation))
			op = OP_GE;
		else
			continue;
		*colp = col;
		*opp = op;
		*argp = arg;
		return true;
	}
	return false;
}

/* The literal prefix of a LIKE pattern (backslash escapes); *exact when the
 * pattern is that prefix followed by a single '%'. */
static char *
like_prefix(const char *pattern, bool *exact)
{
	StringInfoData buf;
	const char *p;

	initStringInfo(&buf);
	*exact = false;
	for (p = pattern; *p; p++)
	{
		if (*p == '%' || *p == '_')
		{
			*exact = (*p == '%' && p[1] == '\0');
			break;
		}
		if (*p == '\\' && p[1] != '\0')
			p++;
		appendStringInfoChar(&buf, *p);
	}
	if (*p == '\0')
		*exact = false;			/* no wildcard: an equality, checked locally */
	return buf.data;
}

/*
 * Does S3's answer satisfy the condition exactly (so that a LIMIT may be
 * pushed down too)?  arg is the value's expression.
 */
static bool
condition_is_exact(int col, S3CondOp op, Node *arg)
{
	Const	   *c = (Const *) strip_relabel(arg);
	bool		exact;

	switch (op)
	{
		case OP_EQ:
			return col != COL_KEY;	/* a key lookup lists the key and its
									 * successors */
		case OP_LIKE:
			if (!IsA(c, Const) || c->constisnull)
				return false;
			(void) like_prefix(TextDatumGetCString(c->constvalue), &exact);
			return exact;
		case OP_PREFIX:
		case OP_GT:
			return true;
		case OP_GE:
			return false;
		case OP_ANY:
			return col != COL_KEY;
	}
	return false;
}

/* Narrow plan->prefix with another required prefix. */
static void
add_prefix(S3ScanPlan *plan, const char *p)
{
	if (plan->prefix == NULL || strncmp(p, plan->prefix, strlen(plan->prefix)) == 0)
		plan->prefix = pstrdup(p);
	else if (strncmp(plan->prefix, p, strlen(p)) != 0)
		plan->empty = true;		/* two prefixes neither of which contains the other */
}

static void
add_start_after(S3ScanPlan *plan, const char *s)
{
	if (plan->start_after == NULL || strcmp(s, plan->start_after) > 0)
		plan->start_after = pstrdup(s);
}

/*
 * Record "column = v" for a column that takes one value; two different
 * values can match no row.
 */
static void
set_once(S3ScanPlan *plan, char **field, char *v)
{
	if (*field != NULL && strcmp(*field, v) != 0)
		plan->empty = true;
	*field = v;
}

/*
 * Apply one condition's value to the request: at planning for a constant,
 * when the scan starts for anything else.  A NULL value matches nothing.
 */
static void
apply_condition(S3ScanPlan *plan, int col, S3CondOp op, Datum value, bool isnull)
{
	char	   *v;

	if (isnull)
	{
		plan->empty = true;
		return;
	}
	if (col == COL_MAX_KEYS)
	{
		int			n = DatumGetInt32(value);

		if (n < 1 || n > 1000)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("max_keys must be between 1 and 1000, not %d", n)));
		if (plan->single_page && plan->echo_max_keys != n)
			plan->empty = true;
		plan->max_keys = plan->echo_max_keys = n;
		plan->single_page = true;
		return;
	}
	v = TextDatumGetCString(value);
	switch (op)
	{
		case OP_EQ:
			switch (col)
			{
				case COL_KEY:
					add_prefix(plan, v);
					plan->key_lookup = true;	/* the key itself comes first */
					break;
				case COL_BUCKET:
					set_once(plan, &plan->bucket, v);
					break;
				case COL_PREFIX:
					set_once(plan, &plan->echo_prefix, v);
					add_prefix(plan, v);
					break;
				case COL_START_AFTER:
					set_once(plan, &plan->echo_start_after, v);
					add_start_after(plan, v);
					break;
				case COL_CONTINUATION_TOKEN:
					set_once(plan, &plan->echo_token, v);
					plan->continuation_token = v;
					break;
			}
			break;
		case OP_LIKE:
			{
				bool		exact;
				char	   *p = like_prefix(v, &exact);

				if (p[0] != '\0')
					add_prefix(plan, p);
			}
			break;
		case OP_PREFIX:
			add_prefix(plan, v);
			break;
		case OP_GT:
			add_start_after(plan, v);
			break;
		case OP_GE:
			/* key >= v: start after v less its last character */
			v[pg_mbcliplen(v, strlen(v), Max((int) strlen(v) - 1, 0))] = '\0';
			if (v[0] != '\0')
				add_start_after(plan, v);
			break;
		case OP_ANY:
			elog(ERROR, "a list condition is applied one value at a time");
			break;
	}
}

/* What the conditions imply, once all are applied. */
static void
finish_conditions(S3ScanPlan *plan)
{
	if (plan->key_lookup && !plan->single_page)
		plan->max_keys = 1;
}

static bool
has_run_cond(S3ScanPlan *plan, int col)
{
	int			i;

	for (i = 0; i < list_length(plan->run_conds); i += 3)
		if (list_nth_int(plan->run_conds, i) == col)
			return true;
	return false;
}

static void
add_run_cond(S3ScanPlan *plan, int col, S3CondOp op, S3CondOrigin origin)
{
	plan->run_conds = lappend_int(plan->run_conds, col);
	plan->run_conds = lappend_int(plan->run_conds, (int) op);
	plan->run_conds = lappend_int(plan->run_conds, (int) origin);
}

/* Is this a single-table query whose LIMIT S3 can apply itself? */
static int64
pushable_limit(PlannerInfo *root)
{
	Query	   *parse = root->parse;
	Const	   *count,
			   *offset;
	int64		n;

	if (parse->limitCount == NULL || parse->sortClause || parse->groupClause ||
		parse->hasAggs || parse->hasWindowFuncs || parse->distinctClause ||
		parse->hasTargetSRFs || parse->havingQual || parse->setOperations ||
		bms_membership(root->all_baserels) != BMS_SINGLETON)
		return -1;
	count = (Const *) strip_relabel(parse->limitCount);
	if (!IsA(count, Const) || count->constisnull || count->consttype != INT8OID)
		return -1;
	n = DatumGetInt64(count->constvalue);
	if (parse->limitOffset != NULL)
	{
		offset = (Const *) strip_relabel(parse->limitOffset);
		if (!IsA(offset, Const) || offset->constisnull || offset->consttype != INT8OID)
			return -1;
		n += DatumGetInt64(offset->constvalue);
	}
	return n;
}

static char *
table_option(List *options, const char *name)
{
	ListCell   *lc;

	foreach(lc, options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);

		if (strcmp(def->defname, name) == 0)
			return defGetString(def);
	}
	return NULL;
}

/*
 * The filter columns that get a value in a scan of this plan: from a
 * condition applied at planning (the echo fields) or at run time.
 */
static int
valued_filter_columns(S3ScanPlan *plan)
{
	int			cols = 0;
	int			i;

	if (plan->echo_prefix)
		cols |= COLBIT(COL_PREFIX);
	if (plan->echo_start_after)
		cols |= COLBIT(COL_START_AFTER);
	if (plan->single_page)
		cols |= COLBIT(COL_MAX_KEYS);
	if (plan->echo_token)
		cols |= COLBIT(COL_CONTINUATION_TOKEN);
	for (i = 0; i < list_length(plan->run_conds); i += 3)
	{
		int			col = list_nth_int(plan->run_conds, i);
		S3CondOp	op = (S3CondOp) list_nth_int(plan->run_conds, i + 1);

		if (op == OP_EQ || op == OP_ANY)
			cols |= COLBIT(col);
	}
	return cols & FILTER_COLUMNS;
}

static void
s3GetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	ForeignTable *ft = GetForeignTable(foreigntableid);
	S3ScanPlan *plan = palloc0(sizeof(S3ScanPlan));
	Relation	rel;
	int		   *colmap;
	ListCell   *lc;
	bool		all_exact = true;
	bool		has_any = false;
	char	   *table_prefix;
	Bitmapset  *attrs = NULL;
	int			natts;
	int			i;
	int64		limit;

	rel = table_open(foreigntableid, NoLock);
	natts = RelationGetDescr(rel)->natts;
	colmap = palloc(sizeof(int) * Max(natts, 1));
	map_columns(rel, colmap);
	table_close(rel, NoLock);
	plan->colmap = colmap;
	plan->natts = natts;

	plan->bucket = table_option(ft->options, "bucket");
	table_prefix = table_option(ft->options, "prefix");
	if (table_prefix)
		add_prefix(plan, table_prefix);

	foreach(lc, baserel->baserestrictinfo)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);
		int			col;
		S3CondOp	op;
		Node	   *arg;

		/* one list per scan: a second one is checked locally */
		if (!match_clause(ri->clause, baserel, colmap, &col, &op, &arg) ||
			(op == OP_ANY && has_any))
		{
			all_exact = false;
			continue;
		}
		if (!condition_is_exact(col, op, arg))
			all_exact = false;
		arg = strip_relabel(arg);
		if (IsA(arg, Const) && op != OP_ANY)
			apply_condition(plan, col, op, ((Const *) arg)->constvalue,
							((Const *) arg)->constisnull);
		else
		{
			/* known when the scan starts (a list: value by value) */
			add_run_cond(plan, col, op, ORIGIN_PARAM);
			plan->run_exprs = lappend(plan->run_exprs, arg);
			has_any |= (op == OP_ANY);
		}
	}

	if (plan->bucket == NULL && !has_run_cond(plan, COL_BUCKET))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("foreign table \"%s\" names no bucket", get_rel_name(foreigntableid)),
				 errhint("Set the table option bucket, or give the bucket in the query: WHERE bucket = '...'.")));
	if (plan->bucket != NULL)
		s3_check_bucket_arg(plan->bucket);

	/* the columns the query uses: the others stay NULL */
	pull_varattnos((Node *) baserel->reltarget->exprs, baserel->relid, &attrs);
	foreach(lc, baserel->baserestrictinfo)
		pull_varattnos((Node *) lfirst_node(RestrictInfo, lc)->clause, baserel->relid, &attrs);
	for (i = 0; i < natts; i++)
		if (colmap[i] >= 0 &&
			(bms_is_member(i + 1 - FirstLowInvalidHeapAttributeNumber, attrs) ||
			 bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, attrs)))	/* whole row */
			plan->needed_cols |= COLBIT(colmap[i]);
	plan->need_content = (plan->needed_cols & COLBIT(COL_CONTENT)) != 0;

	finish_conditions(plan);
	limit = all_exact ? pushable_limit(root) : -1;
	if (limit > 0 && !plan->single_page && (plan->max_keys == 0 || limit < plan->max_keys))
		plan->max_keys = (int) Min(limit, 1000);

	/*
	 * How many objects: ANALYZE counts those under the table's prefix
	 * (reltuples); a prefix, start-after or list in the query narrows that
	 * to a tenth, a lookup to one.
	 */
	plan->base_rows = baserel->tuples > 0 ? baserel->tuples : 1000;
	if (plan->empty)
		baserel->rows = 0;
	else if (plan->single_page || plan->max_keys > 0)
		baserel->rows = Min(plan->max_keys > 0 ? plan->max_keys : 1000, plan->base_rows);
	else if (has_run_cond(plan, COL_KEY))
		baserel->rows = has_any ? 10 : 1;
	else if (has_run_cond(plan, COL_MAX_KEYS))
		baserel->rows = Min(1000, plan->base_rows);
	else if ((plan->prefix && (table_prefix == NULL || strcmp(plan->prefix, table_prefix) != 0)) ||
			 plan->start_after || plan->run_conds != NIL)
		baserel->rows = clamp_row_est(plan->base_rows * 0.1);
	else
		baserel->rows = plan->base_rows;
	baserel->fdw_private = plan;
}

/* What a request costs the planner: a round trip, plus each key listed */
#define S3_REQUEST_COST 10.0
#define S3_KEY_COST 0.05

/* EquivalenceClass members that are our column (see postgres_fdw) */
static bool
ec_member_is_column(PlannerInfo *root, RelOptInfo *rel, EquivalenceClass *ec,
					EquivalenceMember *em, void *arg)
{
	Var		   *v = (Var *) strip_relabel((Node *) em->em_expr);

	return v != NULL && IsA(v, Var) && v->varno == rel->relid &&
		v->varlevelsup == 0 && v->varattno == *(int *) arg;
}

/*
 * The S3Column that a join clause "column = outer expression" constrains
 * (key, bucket or a filter column), with *outer set to that expression; -1
 * if the clause is not of that form.
 */
static int
param_clause_column(RestrictInfo *ri, RelOptInfo *baserel, S3ScanPlan *plan, Node **outer)
{
	OpExpr	   *op = (OpExpr *) ri->clause;
	Oid			func;
	int			side;

	if (!IsA(op, OpExpr) || list_length(op->args) != 2)
		return -1;
	func = get_opcode(op->opno);
	if (func != F_TEXTEQ && func != F_INT4EQ)
		return -1;
	for (side = 0; side < 2; side++)
	{
		int			col = var_column(list_nth(op->args, side), baserel, plan->colmap);
		Node	   *other = list_nth(op->args, 1 - side);
		Relids		other_relids = side == 0 ? ri->right_relids : ri->left_relids;

		if (col < 0 || !EQ_COLUMN(col) ||
			func != (col == COL_MAX_KEYS ? F_INT4EQ : F_TEXTEQ) ||
			bms_is_member(baserel->relid, other_relids) ||
			contain_volatile_functions(other))
			continue;
		/* under a nondeterministic collation, "a" = "A" may hold */
		if (col == COL_KEY && OidIsValid(op->inputcollid) &&
			!get_collation_isdeterministic(op->inputcollid))
			continue;
		*outer = other;
		return col;
	}
	return -1;
}

/*
 * Is the column (attno) compared with another relation's columns, in a
 * join clause or through an equivalence class?
 */
static bool
column_joined(PlannerInfo *root, RelOptInfo *baserel, int attno)
{
	ListCell   *lc;

	foreach(lc, baserel->joininfo)
	{
		Bitmapset  *attrs = NULL;

		pull_varattnos((Node *) lfirst_node(RestrictInfo, lc)->clause, baserel->relid, &attrs);
		if (bms_is_member(attno - FirstLowInvalidHeapAttributeNumber, attrs))
			return true;
	}
	if (!baserel->has_eclass_joins)
		return false;
	foreach(lc, root->eq_classes)
	{
		EquivalenceClass *ec = (EquivalenceClass *) lfirst(lc);
		ListCell   *lm;

		if (ec->ec_has_const || bms_num_members(ec->ec_relids) < 2 ||
			!bms_is_member(baserel->relid, ec->ec_relids))
			continue;
		foreach(lm, ec->ec_members)
		{
			EquivalenceMember *em = (EquivalenceMember *) lfirst(lm);

			if (ec_member_is_column(root, baserel, ec, em, &attno))
				return true;
		}
	}
	return false;
}

/*
 * The filter columns that the query compares (in its conditions on this
 * table, or with other tables) although this plan gives them no value:
 * such a comparison would see NULL, and the answer would be wrong.
 */
static int
unvalued_compared_columns(PlannerInfo *root, RelOptInfo *baserel, S3ScanPlan *plan,
						  List *scan_clauses)
{
	int			missing = FILTER_COLUMNS & ~valued_filter_columns(plan);
	int			found = 0;
	int			i;
	Bitmapset  *attrs = NULL;

	if (missing == 0)
		return 0;
	pull_varattnos((Node *) scan_clauses, baserel->relid, &attrs);
	for (i = 0; i < plan->natts; i++)
	{
		int			col = plan->colmap[i];

		if (col < 0 || (missing & COLBIT(col)) == 0)
			continue;
		if (bms_is_member(i + 1 - FirstLowInvalidHeapAttributeNumber, attrs) ||
			column_joined(root, baserel, i + 1))
			found |= COLBIT(col);
	}
	return found;
}

static S3ScanPlan *path_plan(S3ScanPlan *plan, ForeignPath *path, List **fdw_exprs);

static void
s3GetForeignPaths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	S3ScanPlan *plan = (S3ScanPlan *) baserel->fdw_private;
	double		pages = plan->empty ? 0 : ceil(baserel->rows / 1000.0);
	Cost		startup = plan->empty ? 0 : S3_REQUEST_COST;
	Cost		total = pages * S3_REQUEST_COST + baserel->rows * (S3_KEY_COST + cpu_tuple_cost);
	Cost		per_row_get = plan->need_content ? S3_REQUEST_COST : 0;
	List	   *candidates = NIL;
	ListCell   *lc;
	int			i;
	ForeignPath *path;

	/*
	 * Without parameters, a filter column compared with another table has
	 * no value: take that plan only when there is no other (and then
	 * GetForeignPlan says how to write the query).
	 */
	if (unvalued_compared_columns(root, baserel, plan,
								  extract_actual_clauses(baserel->baserestrictinfo, false)) != 0)
	{
		startup += S3_UNUSABLE_COST;
		total += S3_UNUSABLE_COST;
	}
	add_path(baserel, (Path *)
			 new_foreignscan_path(root, baserel, baserel->rows,
								  startup, total + baserel->rows * per_row_get, NULL));
	if (plan->empty)
		return;

	/*
	 * Parameterized paths: "key = outer.column" looks one key up (one
	 * request of at most one key) for each outer row; "prefix =
	 * outer.column" (or another filter column, or bucket) lists with that
	 * value.  The clauses come from join clauses and from equivalence
	 * classes.
	 */
	foreach(lc, baserel->joininfo)
		candidates = lappend(candidates, lfirst(lc));
	for (i = 0; i < plan->natts && baserel->has_eclass_joins; i++)
	{
		int			attno = i + 1;

		if (plan->colmap[i] >= 0 && EQ_COLUMN(plan->colmap[i]))
			candidates = list_concat(candidates,
									 generate_implied_equalities_for_column(root, baserel,
																			ec_member_is_column,
																			&attno,
																			baserel->lateral_referencers));
	}
	foreach(lc, candidates)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);
		Node	   *outer;
		int			col = param_clause_column(ri, baserel, plan, &outer);
		Relids		required_outer;
		double		rows;

		if (col < 0 || !join_clause_is_movable_to(ri, baserel))
			continue;
		required_outer = bms_del_member(bms_copy(ri->clause_relids), baserel->relid);
		required_outer = bms_union(required_outer, baserel->lateral_relids);
		if (bms_is_empty(required_outer))
			continue;
		rows = col == COL_KEY ? 1
			: col == COL_MAX_KEYS ? Min(baserel->rows, 1000)
			: clamp_row_est(Min(baserel->rows, plan->base_rows * 0.1));
		path = new_foreignscan_path(root, baserel, rows,
									S3_REQUEST_COST,
									S3_REQUEST_COST * ceil(rows / 1000.0) +
									rows * (S3_KEY_COST + cpu_tuple_cost + per_row_get),
									required_outer);
		/* as above, for the filter columns this path leaves without a value */
		if (unvalued_compared_columns(root, baserel, path_plan(plan, path, NULL),
									  extract_actual_clauses(baserel->baserestrictinfo, false)) != 0)
		{
			path->path.startup_cost += S3_UNUSABLE_COST;
			path->path.total_cost += S3_UNUSABLE_COST;
		}
		add_path(baserel, (Path *) path);
	}
}

static Node *
str_or_null(const char *s)
{
	return s ? (Node *) makeString(pstrdup(s)) : NULL;
}

static char *
null_or_str(Node *n)
{
	return n ? strVal(n) : NULL;
}

static List *
plan_to_list(S3ScanPlan *p)
{
	List	   *strings = list_make4(str_or_null(p->bucket), str_or_null(p->prefix),
									 str_or_null(p->start_after),
									 str_or_null(p->continuation_token));
	List	   *ints = list_make4(makeInteger(p->max_keys), makeInteger(p->echo_max_keys),
								  makeInteger(p->single_page), makeInteger(p->empty));

	strings = lappend(strings, str_or_null(p->echo_prefix));
	strings = lappend(strings, str_or_null(p->echo_start_after));
	strings = lappend(strings, str_or_null(p->echo_token));
	ints = lappend(ints, makeInteger(p->need_content));
	ints = lappend(ints, makeInteger(p->key_lookup));
	ints = lappend(ints, makeInteger(p->needed_cols));
	return list_make3(strings, ints, p->run_conds);
}

static S3ScanPlan *
list_to_plan(List *l)
{
	S3ScanPlan *p = palloc0(sizeof(S3ScanPlan));
	List	   *strings = list_nth(l, FdwScanPrivateStrings);
	List	   *ints = list_nth(l, FdwScanPrivateInts);

	p->bucket = null_or_str(list_nth(strings, 0));
	p->prefix = null_or_str(list_nth(strings, 1));
	p->start_after = null_or_str(list_nth(strings, 2));
	p->continuation_token = null_or_str(list_nth(strings, 3));
	p->echo_prefix = null_or_str(list_nth(strings, 4));
	p->echo_start_after = null_or_str(list_nth(strings, 5));
	p->echo_token = null_or_str(list_nth(strings, 6));
	p->max_keys = intVal(list_nth(ints, 0));
	p->echo_max_keys = intVal(list_nth(ints, 1));
	p->single_page = intVal(list_nth(ints, 2));
	p->empty = intVal(list_nth(ints, 3));
	p->need_content = intVal(list_nth(ints, 4));
	p->key_lookup = intVal(list_nth(ints, 5));
	p->needed_cols = intVal(list_nth(ints, 6));
	p->run_conds = list_nth(l, FdwScanPrivateRunConds);
	return p;
}

/*
 * The plan of one path: the relation's, with a run-time condition for each
 * join clause the path is parameterized by.  Their outer expressions are
 * appended to *fdw_exprs when it is not NULL.
 */
static S3ScanPlan *
path_plan(S3ScanPlan *plan, ForeignPath *path, List **fdw_exprs)
{
	S3ScanPlan *p = palloc(sizeof(S3ScanPlan));
	ListCell   *lc;

	*p = *plan;
	p->run_conds = list_copy(plan->run_conds);
	if (path->path.param_info)
	{
		foreach(lc, path->path.param_info->ppi_clauses)
		{
			Node	   *outer;
			int			col = param_clause_column(lfirst_node(RestrictInfo, lc),
												  path->path.parent, plan, &outer);

			if (col >= 0)
			{
				if (fdw_exprs)
					*fdw_exprs = lappend(*fdw_exprs, outer);
				add_run_cond(p, col, OP_EQ, ORIGIN_JOIN);
			}
		}
	}
	return p;
}

static ForeignScan *
s3GetForeignPlan(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid,
				 ForeignPath *best_path, List *tlist, List *scan_clauses,
				 Plan *outer_plan)
{
	S3ScanPlan *plan = (S3ScanPlan *) baserel->fdw_private;
	List	   *fdw_exprs = list_copy(plan->run_exprs);
	S3ScanPlan *p = path_plan(plan, best_path, &fdw_exprs);
	int			unvalued;

	/* every condition, these included, is checked again locally */
	scan_clauses = extract_actual_clauses(scan_clauses, false);

	/*
	 * A filter column compared before it has a value would give wrong rows
	 * silently: say how to write the query instead.
	 */
	unvalued = unvalued_compared_columns(root, baserel, p, scan_clauses);
	if (unvalued != 0)
	{
		int			c;

		for (c = 0; (unvalued & COLBIT(c)) == 0; c++)
			;
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("column \"%s\" of foreign table \"%s\" has no value to be compared with",
						column_defs[c].name, get_rel_name(foreigntableid)),
				 errdetail("The filter columns are request parameters, NULL unless the query sets them with = or IN; this plan would compare one before it is set."),
				 errhint("Compare it with = to a constant, a parameter or a list, or join so that each outer row gives its value: CROSS JOIN LATERAL (SELECT * FROM table WHERE %s = outer.column).",
						 column_defs[c].name)));
	}
	return make_foreignscan(tlist, scan_clauses, baserel->relid, fdw_exprs,
							plan_to_list(p), NIL, NIL, outer_plan);
}

/* ---- execution ---- */

static void
s3BeginForeignScan(ForeignScanState *node, int eflags)
{
	ForeignScan *fs = (ForeignScan *) node->ss.ps.plan;
	Relation	rel = node->ss.ss_currentRelation;
	S3ScanState *st = palloc0(sizeof(S3ScanState));
	Oid			userid;

	st->plan = list_to_plan(fs->fdw_private);
	st->tupdesc = RelationGetDescr(rel);
	map_columns(rel, st->colmap);
	node->fdw_state = st;
	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	st->server = s3_server_from_oid(GetForeignTable(RelationGetRelid(rel))->serverid);
	/*
	 * The keys of the role the table is read as (a view's owner, say), loaded
	 * here so that they outlive the page contexts.
	 */
#if PG_VERSION_NUM >= 160000
	userid = OidIsValid(fs->checkAsUser) ? fs->checkAsUser : GetUserId();
#else
	{
		RangeTblEntry *rte = exec_rt_fetch(fs->scan.scanrelid, node->ss.ps.state);

		userid = OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
	}
#endif
	s3_load_credentials_for(st->server, userid);
	st->page_cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw page",
										 ALLOCSET_DEFAULT_SIZES);
	st->row_cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw row",
										ALLOCSET_DEFAULT_SIZES);
	st->scan_cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw scan",
										 ALLOCSET_SMALL_SIZES);
	st->param_states = ExecInitExprList(fs->fdw_exprs, (PlanState *) node);
}

/*
 * The distinct, non-NULL elements of a list condition's array, copied into
 * the current memory context.
 */
static List *
distinct_elements(Datum array, int col)
{
	ArrayType  *arr = DatumGetArrayTypeP(array);
	Oid			elemtype = col == COL_MAX_KEYS ? INT4OID : TEXTOID;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	List	   *values = NIL;

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, elemtype, typlen, typbyval, typalign, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		ListCell   *lc;
		bool		seen = false;

		if (nulls[i])
			continue;
		foreach(lc, values)
			if (col == COL_MAX_KEYS
				? DatumGetInt32((Datum) lfirst(lc)) == DatumGetInt32(elems[i])
				: DatumGetBool(DirectFunctionCall2Coll(texteq, C_COLLATION_OID,
													   (Datum) lfirst(lc), elems[i])))
				seen = true;
		if (!seen)
			values = lappend(values, (void *) (col == COL_MAX_KEYS ? elems[i]
											   : PointerGetDatum(PG_DETOAST_DATUM_COPY(elems[i]))));
	}
	return values;
}

/*
 * Start the listing (or lookup) of the next value of a list condition, or
 * of the only request when there is none; false when there is no more.
 */
static bool
begin_listing(S3ScanState *st)
{
	MemoryContext old = MemoryContextSwitchTo(st->scan_cxt);

	for (;;)
	{
		st->run = palloc(sizeof(S3ScanPlan));
		*st->run = *st->base;
		if (st->any_col >= 0)
		{
			if (st->any_next >= list_length(st->any_values))
			{
				MemoryContextSwitchTo(old);
				return false;
			}
			apply_condition(st->run, st->any_col, OP_EQ,
							(Datum) list_nth(st->any_values, st->any_next++), false);
		}
		finish_conditions(st->run);
		if (!st->run->empty || st->any_col < 0)
			break;
	}
	if (!st->run->empty)
	{
		if (st->run->bucket == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("bucket must not be null")));
		s3_check_bucket_arg(st->run->bucket);
		st->what_list = psprintf("list objects in bucket \"%s\"", st->run->bucket);
		st->what_key = psprintf("object key in bucket \"%s\"", st->run->bucket);
	}
	s3_token_guard_init(&st->guard, st->scan_cxt);
	st->resume_token = NULL;
	st->page = NULL;
	st->next = 0;
	st->done = st->run->empty;
	MemoryContextSwitchTo(old);
	return true;
}

/*
 * Work out this (re)scan's request: the plan's, with the values of its
 * parameters, outer references and outer row applied.  A list condition
 * (= ANY, IN) makes one request per distinct value, one after another.
 */
static void
start_scan(ForeignScanState *node, S3ScanState *st)
{
	ExprContext *econtext = node->ss.ps.ps_ExprContext;
	MemoryContext old = MemoryContextSwitchTo(st->scan_cxt);
	ListCell   *lc;
	int			i = 0;

	st->base = palloc(sizeof(S3ScanPlan));
	*st->base = *st->plan;
	st->any_col = -1;
	st->any_values = NIL;
	st->any_next = 0;
	foreach(lc, st->param_states)
	{
		bool		isnull;
		Datum		v = ExecEvalExpr((ExprState *) lfirst(lc), econtext, &isnull);
		int			col = list_nth_int(st->plan->run_conds, i);
		S3CondOp	op = (S3CondOp) list_nth_int(st->plan->run_conds, i + 1);

		if (op != OP_ANY)
			apply_condition(st->base, col, op, v, isnull);
		else
		{
			st->any_col = col;
			st->any_values = isnull ? NIL : distinct_elements(v, col);
		}
		i += 3;
	}
	MemoryContextSwitchTo(old);
	(void) begin_listing(st);
}

/* Fetch the next page into page_cxt; false when there is none. */
static bool
fetch_page(S3ScanState *st)
{
	S3ListRequest lr;
	MemoryContext old;

	/* a list condition's next value, when this one is done */
	while (st->done)
		if (st->any_col < 0 || !begin_listing(st))
			return false;
	MemoryContextReset(st->page_cxt);
	old = MemoryContextSwitchTo(st->page_cxt);
	memset(&lr, 0, sizeof(lr));
	lr.bucket = st->run->bucket;
	lr.prefix = st->run->prefix;
	lr.start_after = st->run->start_after;
	lr.max_keys = st->run->max_keys;
	lr.continuation_token = st->resume_token ? st->resume_token : st->run->continuation_token;
	lr.guard = &st->guard;
	st->page = s3_list_objects(st->server, &lr);
	MemoryContextSwitchTo(old);
	st->list_requests++;
	st->next = 0;

	/* the token outlives the page it came with */
	st->resume_token = NULL;
	if (st->page->is_truncated && !st->run->single_page && !st->run->key_lookup)
		st->resume_token = MemoryContextStrdup(st->scan_cxt, st->page->next_continuation_token);
	else
		st->done = true;
	return true;
}

static Datum
text_datum_or_null(const char *s, bool *isnull)
{
	*isnull = (s == NULL);
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

static TupleTableSlot *
s3IterateForeignScan(ForeignScanState *node)
{
	S3ScanState *st = (S3ScanState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	S3ObjectInfo *o;
	MemoryContext old;
	char	   *key = NULL;
	int			i;

	ExecClearTuple(slot);
	if (st->base == NULL)
		start_scan(node, st);
	while (st->page == NULL || st->next >= st->page->nobjects)
	{
		if (!fetch_page(st))
			return slot;
	}
	o = &st->page->objects[st->next++];

	MemoryContextReset(st->row_cxt);
	old = MemoryContextSwitchTo(st->row_cxt);
	/* in the database encoding, only when the row needs it */
	if (st->plan->needed_cols & (COLBIT(COL_KEY) | COLBIT(COL_CONTENT)))
		key = s3_text_from_utf8(o->key, st->what_key);
	for (i = 0; i < st->tupdesc->natts; i++)
	{
		Datum	   *v = &slot->tts_values[i];
		bool	   *isnull = &slot->tts_isnull[i];

		*isnull = false;
		if (st->colmap[i] < 0 || (st->plan->needed_cols & COLBIT(st->colmap[i])) == 0)
		{
			*isnull = true;		/* not used by the query */
			continue;
		}
		switch (st->colmap[i])
		{
			case COL_KEY:
				*v = CStringGetTextDatum(key);
				break;
			case COL_SIZE:
				*isnull = o->size < 0;
				*v = Int64GetDatum(o->size);
				break;
			case COL_LAST_MODIFIED:
				*isnull = o->last_modified == NULL;
				if (!*isnull)
					*v = s3_timestamptz(o->last_modified, st->what_list, "LastModified");
				break;
			case COL_ETAG:
				*v = text_datum_or_null(o->etag, isnull);
				break;
			case COL_STORAGE_CLASS:
				*v = text_datum_or_null(o->storage_class, isnull);
				break;
			case COL_BUCKET:
				*v = CStringGetTextDatum(st->run->bucket);
				break;
			case COL_PREFIX:
				*v = text_datum_or_null(st->run->echo_prefix, isnull);
				break;
			case COL_START_AFTER:
				*v = text_datum_or_null(st->run->echo_start_after, isnull);
				break;
			case COL_MAX_KEYS:
				*isnull = !st->run->single_page;
				*v = Int32GetDatum(st->run->echo_max_keys);
				break;
			case COL_CONTINUATION_TOKEN:
				*v = text_datum_or_null(st->run->echo_token, isnull);
				break;
			case COL_NEXT_CONTINUATION_TOKEN:
				*v = text_datum_or_null(st->page->is_truncated
										? st->page->next_continuation_token : NULL, isnull);
				break;
			case COL_CONTENT:
				{
					bytea	   *raw = s3_get_object(st->server, st->run->bucket, key);

					st->get_requests++;
					if (TupleDescAttr(st->tupdesc, i)->atttypid == BYTEAOID)
						*v = PointerGetDatum(raw);
					else
						*v = PointerGetDatum(s3_object_as_text(raw, st->run->bucket, key));
				}
				break;
			default:
				*isnull = true;
				break;
		}
	}
	MemoryContextSwitchTo(old);
	return ExecStoreVirtualTuple(slot);
}

static void
s3ReScanForeignScan(ForeignScanState *node)
{
	S3ScanState *st = (S3ScanState *) node->fdw_state;

	st->page = NULL;
	st->next = 0;
	st->run = st->base = NULL;	/* parameters may have changed */
	st->resume_token = NULL;
	MemoryContextReset(st->page_cxt);
	MemoryContextReset(st->scan_cxt);
}

static void
s3EndForeignScan(ForeignScanState *node)
{
	/* the memory contexts go with the executor's */
}

static const char *const run_value_names[NUM_COLUMNS] = {
	[COL_KEY] = "key",
	[COL_BUCKET] = "bucket",
	[COL_PREFIX] = "prefix",
	[COL_START_AFTER] = "start-after",
	[COL_MAX_KEYS] = "max-keys",
	[COL_CONTINUATION_TOKEN] = "continuation-token",
};

static void
s3ExplainForeignScan(ForeignScanState *node, ExplainState *es)
{
	S3ScanState *st = (S3ScanState *) node->fdw_state;
	S3ScanPlan *p = st->plan;
	StringInfoData buf;
	bool		one_page = p->single_page || p->key_lookup;
	int			i;

	initStringInfo(&buf);
	if (p->empty)
		appendStringInfoString(&buf, "none (the conditions exclude every key)");
	else
	{
		appendStringInfo(&buf, "ListObjectsV2 bucket=%s", p->bucket ? p->bucket : "(value at run time)");
		if (p->prefix)
			appendStringInfo(&buf, " prefix=%s", p->prefix);
		for (i = 0; i < list_length(p->run_conds); i += 3)
		{
			int			col = list_nth_int(p->run_conds, i);
			S3CondOp	op = (S3CondOp) list_nth_int(p->run_conds, i + 1);

			if (list_nth_int(p->run_conds, i + 2) == ORIGIN_JOIN)
			{
				appendStringInfoString(&buf, col == COL_KEY
									   ? " prefix=(each outer key) max-keys=1"
									   : " prefix=(each outer prefix)");
				one_page |= (col == COL_KEY);
			}
			else if (col == COL_BUCKET)
				continue;
			else if (op == OP_LIKE || op == OP_PREFIX)
				appendStringInfoString(&buf, " prefix=(from a pattern at run time)");
			else if (op == OP_GT || op == OP_GE)
				appendStringInfoString(&buf, " start-after=(value at run time)");
			else if (op == OP_ANY)
				appendStringInfo(&buf, " %s=(each value of a list)", run_value_names[col]);
			else
			{
				appendStringInfo(&buf, " %s=(value at run time)", run_value_names[col]);
				one_page |= (col == COL_KEY || col == COL_MAX_KEYS);
			}
		}
		if (p->start_after)
			appendStringInfo(&buf, " start-after=%s", p->start_after);
		if (p->max_keys > 0)
			appendStringInfo(&buf, " max-keys=%d", p->max_keys);
		if (p->continuation_token)
			appendStringInfoString(&buf, " continuation-token=(given)");
		appendStringInfoString(&buf, one_page ? ", one page" : ", all pages");
		if (p->need_content)
			appendStringInfoString(&buf, "; GetObject for each row");
	}
	ExplainPropertyText("S3 Request", buf.data, es);
	if (es->analyze)
	{
		ExplainPropertyInteger("S3 List Requests", NULL, st->list_requests, es);
		ExplainPropertyInteger("S3 Get Requests", NULL, st->get_requests, es);
	}
}

/* ---- ANALYZE: the number of objects, and a sample of them ---- */

/*
 * One object as a row of the table: the object columns; the filter
 * columns and content stay NULL (ANALYZE looks at objects, not requests).
 */
static HeapTuple
object_tuple(Relation rel, const int *colmap, const char *bucket, S3ObjectInfo *o,
			 const char *what_list, const char *what_key, MemoryContext row_cxt)
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
				values[i] = CStringGetTextDatum(s3_text_from_utf8(o->key, what_key));
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
				values[i] = text_datum_or_null(o->etag, &nulls[i]);
				break;
			case COL_STORAGE_CLASS:
				values[i] = text_datum_or_null(o->storage_class, &nulls[i]);
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
	char	   *bucket = table_option(ft->options, "bucket");
	char	   *prefix = table_option(ft->options, "prefix");
	S3Server   *server;
	int		   *colmap = palloc(sizeof(int) * Max(RelationGetDescr(rel)->natts, 1));
	MemoryContext page_cxt;
	MemoryContext row_cxt;
	MemoryContext old;
	S3TokenGuard guard;
	char	   *token = NULL;
	char	   *what_list;
	char	   *what_key;
	ReservoirStateData rstate;
	double		rowstoskip = -1;
	double		seen = 0;
	int			numrows = 0;

	*totalrows = 0;
	*totaldeadrows = 0;
	if (bucket == NULL)
	{
		ereport(elevel,
				(errmsg("skipping \"%s\": it has no table option bucket, so there is no set of objects to count",
						RelationGetRelationName(rel))));
		return 0;
	}
	map_columns(rel, colmap);
	server = s3_server_from_oid(ft->serverid);
	s3_load_credentials(server);
	what_list = psprintf("list objects in bucket \"%s\"", bucket);
	what_key = psprintf("object key in bucket \"%s\"", bucket);
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
			vacuum_delay_point();
			seen++;
			if (numrows < targrows)
				rows[numrows++] = object_tuple(rel, colmap, bucket, &page->objects[i],
											   what_list, what_key, row_cxt);
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
										   what_list, what_key, row_cxt);
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

static bool
s3AnalyzeForeignTable(Relation relation, AcquireSampleRowsFunc *func,
					  BlockNumber *totalpages)
{
	*func = s3_acquire_sample_rows;
	*totalpages = 1;
	return true;
}

/* ---- IMPORT FOREIGN SCHEMA: one table per bucket ---- */

static List *
s3ImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid)
{
	S3Server   *server = s3_server_from_oid(serverOid);
	List	   *buckets = s3_list_buckets(server);
	List	   *commands = NIL;
	ListCell   *lc;

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
					 errdetail("%c%s.", pg_toupper((unsigned char) problem[0]), problem + 1)));
			continue;
		}
		commands = lappend(commands,
						   psprintf("CREATE FOREIGN TABLE %s ("
									"key text, size bigint, last_modified timestamptz, etag text, "
									"storage_class text, prefix text, start_after text, max_keys integer, "
									"continuation_token text, next_continuation_token text, content bytea"
									") SERVER %s OPTIONS (bucket %s)",
									quote_identifier(b->name),
									quote_identifier(server->servername),
									quote_literal_cstr(b->name)));
	}
	return commands;
}

PG_FUNCTION_INFO_V1(s3_fdw_handler);

Datum
s3_fdw_handler(PG_FUNCTION_ARGS)
{
	FdwRoutine *routine = makeNode(FdwRoutine);

	routine->GetForeignRelSize = s3GetForeignRelSize;
	routine->GetForeignPaths = s3GetForeignPaths;
	routine->GetForeignPlan = s3GetForeignPlan;
	routine->BeginForeignScan = s3BeginForeignScan;
	routine->IterateForeignScan = s3IterateForeignScan;
	routine->ReScanForeignScan = s3ReScanForeignScan;
	routine->EndForeignScan = s3EndForeignScan;
	routine->ExplainForeignScan = s3ExplainForeignScan;
	routine->ImportForeignSchema = s3ImportForeignSchema;
	routine->AnalyzeForeignTable = s3AnalyzeForeignTable;
	PG_RETURN_POINTER(routine);
}
