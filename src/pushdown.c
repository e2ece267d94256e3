/*-------------------------------------------------------------------------
 *
 * pushdown.c
 *		Which conditions of a query S3 can apply, and how they narrow a
 *		ListObjectsV2 request: the clause walker, LIKE/starts_with/^@ prefix
 *		extraction, the filter columns, parameterized (join) clauses, lists,
 *		and the scan plan's travel from planner to executor (fdw_private).
 *
 * Columns are matched by name.  The object columns (key, size,
 * last_modified, etag, storage_class, bucket, content) describe each object;
 * the filter columns (prefix, start_after, max_keys, continuation_token)
 * carry request parameters: a condition "column = value" (or IN) on them is
 * sent to S3 and the column echoes the value back, so the condition holds
 * when PostgreSQL checks it again.  Conditions on key (LIKE 'p%', ^@,
 * starts_with(), = and, under the C collation in a UTF-8 database, > and
 * >=) narrow the request too.  Every condition is still checked locally:
 * pushdown only ever asks S3 for fewer keys, never changes the answer.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "mb/pg_wchar.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "optimizer/paths.h"
#include "optimizer/restrictinfo.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/pg_locale.h"

#include "pushdown.h"

#if PG_VERSION_NUM < 140000
/* fmgroids.h named functions after their C symbol before PostgreSQL 14 */
#define F_STARTS_WITH F_TEXT_STARTS_WITH
#endif

const S3ColumnDef s3_column_defs[NUM_COLUMNS] = {
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
	{"delimiter", TEXTOID, VARCHAROID},
	{"is_prefix", BOOLOID, InvalidOid},
	{"content_type", TEXTOID, VARCHAROID},
	{"tags", JSONBOID, InvalidOid},
	{"version_id", TEXTOID, VARCHAROID},
	{"is_latest", BOOLOID, InvalidOid},
	{"is_delete_marker", BOOLOID, InvalidOid},
};

/* The columns an UPDATE or DELETE takes from the scan, to know the object */
const S3IdentityColumn s3_identity_columns[S3_NIDENTITY] = {
	{COL_KEY, "s3_key"},
	{COL_BUCKET, "s3_bucket"},
	{COL_ETAG, "s3_etag"},
	{COL_SIZE, "s3_size"},
	{COL_IS_PREFIX, "s3_is_prefix"},
	{COL_VERSION_ID, "s3_version_id"},
};

/*
 * Map each attribute of a foreign table to an S3Column; raise an error for
 * unknown names and wrong types.
 */
void
s3_map_columns(Relation rel, int *colmap)
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
			if (strcmp(s3_column_defs[c].name, name) == 0)
				break;
		if (c == NUM_COLUMNS)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_COLUMN_NAME),
					 errmsg("foreign table \"%s\" has a column \"%s\" that s3_fdw does not know",
							RelationGetRelationName(rel), name),
					 errhint("Valid column names are key, size, last_modified, etag, storage_class, bucket, prefix, start_after, max_keys, continuation_token, next_continuation_token, content, delimiter, is_prefix, content_type, tags, version_id, is_latest and is_delete_marker.")));
		if (att->atttypid != s3_column_defs[c].type && att->atttypid != s3_column_defs[c].alt_type)
		{
			if (OidIsValid(s3_column_defs[c].alt_type))
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
						 errmsg("column \"%s\" of foreign table \"%s\" must be of type %s or %s, not %s",
								name, RelationGetRelationName(rel),
								format_type_be(s3_column_defs[c].type),
								format_type_be(s3_column_defs[c].alt_type),
								format_type_be(att->atttypid))));
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("column \"%s\" of foreign table \"%s\" must be of type %s, not %s",
							name, RelationGetRelationName(rel),
							format_type_be(s3_column_defs[c].type),
							format_type_be(att->atttypid))));
		}
		colmap[i] = c;
	}
}

Node *
s3_strip_relabel(Node *n)
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

	n = s3_strip_relabel(n);
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

	n = s3_strip_relabel(n);
	if (n == NULL)
		return false;
	t = exprType(n);
	if (type == TEXTOID ? (t != TEXTOID && t != VARCHAROID) : t != type)
		return false;
	return !contain_var_clause(n) && !contain_volatile_functions(n) &&
		!contain_subplans(n);
}

/* does this collation sort by bytes (C or POSIX)? */
static bool
collation_is_c(Oid collation)
{
#if PG_VERSION_NUM >= 180000
	/* 18 removed lc_collate_is_c(): the locale says it */
	if (!OidIsValid(collation))
		return false;
	if (collation == C_COLLATION_OID)
		return true;
	return pg_newlocale_from_collation(collation)->collate_is_c;
#else
	return lc_collate_is_c(collation);
#endif
}

/* S3 orders keys by their UTF-8 bytes: so does C's strcmp on UTF-8 text */
static bool
byte_order_matches(Oid collation)
{
	return collation_is_c(collation) &&
		(GetDatabaseEncoding() == PG_UTF8 || GetDatabaseEncoding() == PG_SQL_ASCII);
}

/*
 * The order a scan's rows come in, as pathkeys: ascending key, S3's order
 * (the bytes of UTF-8), when the key column sorts so (text, a "C"
 * collation, a UTF-8 or SQL_ASCII database).  Not for a list condition (=
 * ANY, IN), whose listings come one after another in the list's order.
 * Only pathkeys the query can use are made (an ORDER BY, a merge join).
 */
List *
s3_key_order_pathkeys(PlannerInfo *root, RelOptInfo *baserel, const S3ScanPlan *plan,
					  Oid foreigntableid)
{
	int			i;
	Oid			typid;
	int32		typmod;
	Oid			collid;
	Var		   *var;

	for (i = 0; i < s3_num_run_conds(plan); i++)
	{
		S3CondOp	op;

		(void) s3_run_cond(plan, i, &op, NULL);
		if (op == OP_ANY)
			return NIL;
	}
	for (i = 0; i < plan->natts; i++)
		if (plan->colmap[i] == COL_KEY)
			break;
	if (i >= plan->natts || (root->query_pathkeys == NIL && !baserel->has_eclass_joins))
		return NIL;
	get_atttypetypmodcoll(foreigntableid, i + 1, &typid, &typmod, &collid);
	if (typid != TEXTOID || !byte_order_matches(collid))
		return NIL;
	var = makeVar(baserel->relid, i + 1, typid, typmod, collid, 0);
#if PG_VERSION_NUM >= 160000
	return build_expression_pathkey(root, (Expr *) var, TextLessOperator, baserel->relids, false);
#else
	return build_expression_pathkey(root, (Expr *) var, NULL, TextLessOperator, baserel->relids,
									false);
#endif
}

/*
 * Is this clause "column op value" with an operation S3 can do?  Sets the
 * column, the operation and the value's expression.  Equality is taken
 * from either side, "value < key" as "key > value".
 */
bool
s3_match_clause(Expr *clause, RelOptInfo *baserel, const int *colmap,
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

		/*
		 * Under a nondeterministic collation a prefix is no prefix ('x%' may
		 * match "X1"), and PostgreSQL before 18 refuses LIKE and starts_with
		 * there altogether: left to the local check, which does whatever the
		 * server's version does with the rows S3 sends.
		 */
		else if ((func == F_TEXTLIKE || func == F_STARTS_WITH) &&
				 OidIsValid(collation) && !get_collation_isdeterministic(collation))
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
bool
s3_condition_is_exact(int col, S3CondOp op, Node *arg)
{
	Const	   *c = (Const *) s3_strip_relabel(arg);
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
void
s3_add_prefix(S3ScanPlan *plan, const char *p)
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
void
s3_apply_condition(S3ScanPlan *plan, int col, S3CondOp op, Datum value, bool isnull)
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

		if (n < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("max_keys must be at least 1, not %d", n)));
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
					s3_add_prefix(plan, v);
					plan->key_lookup = true;	/* the key itself comes first */
					break;
				case COL_BUCKET:
					set_once(plan, &plan->bucket, v);
					break;
				case COL_PREFIX:
					set_once(plan, &plan->echo_prefix, v);
					s3_add_prefix(plan, v);
					break;
				case COL_START_AFTER:
					set_once(plan, &plan->echo_start_after, v);
					add_start_after(plan, v);
					break;
				case COL_CONTINUATION_TOKEN:
					set_once(plan, &plan->echo_token, v);
					plan->continuation_token = v;
					break;
				case COL_DELIMITER:
					set_once(plan, &plan->delimiter, v);
					break;
			}
			break;
		case OP_LIKE:
			{
				bool		exact;
				char	   *p = like_prefix(v, &exact);

				if (p[0] != '\0')
					s3_add_prefix(plan, p);
			}
			break;
		case OP_PREFIX:
			s3_add_prefix(plan, v);
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
void
s3_finish_conditions(S3ScanPlan *plan)
{
	/* a key's versions come one after another: all of them are wanted */
	if (plan->key_lookup && !plan->single_page && !plan->versions)
		plan->max_keys = 1;
}

bool
s3_has_run_cond(S3ScanPlan *plan, int col)
{
	int			n;

	for (n = 0; n < s3_num_run_conds(plan); n++)
		if (s3_run_cond(plan, n, NULL, NULL) == col)
			return true;
	return false;
}

void
s3_add_run_cond(S3ScanPlan *plan, int col, S3CondOp op, S3CondOrigin origin)
{
	StaticAssertStmt(RunCondColumn == 0 && RunCondOp == 1 && RunCondOrigin == 2,
					 "run_conds is appended to in slot order");
	plan->run_conds = lappend_int(plan->run_conds, col);
	plan->run_conds = lappend_int(plan->run_conds, (int) op);
	plan->run_conds = lappend_int(plan->run_conds, (int) origin);
}

/*
 * The n-th run-time condition of a plan (the n-th expression of fdw_exprs):
 * returns its column, with its operator and origin when asked.
 */
int
s3_run_cond(const S3ScanPlan *plan, int n, S3CondOp *op, S3CondOrigin *origin)
{
	int			base = n * RunCondWidth;

	if (op != NULL)
		*op = (S3CondOp) list_nth_int(plan->run_conds, base + RunCondOp);
	if (origin != NULL)
		*origin = (S3CondOrigin) list_nth_int(plan->run_conds, base + RunCondOrigin);
	return list_nth_int(plan->run_conds, base + RunCondColumn);
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
	if (plan->delimiter)
		cols |= COLBIT(COL_DELIMITER);
	for (i = 0; i < s3_num_run_conds(plan); i++)
	{
		S3CondOp	op;
		int			col = s3_run_cond(plan, i, &op, NULL);

		if (op == OP_EQ || op == OP_ANY)
			cols |= COLBIT(col);
	}
	return cols & FILTER_COLUMNS;
}

/* EquivalenceClass members that are our column (see postgres_fdw) */
bool
s3_ec_member_is_column(PlannerInfo *root, RelOptInfo *rel, EquivalenceClass *ec,
					EquivalenceMember *em, void *arg)
{
	Var		   *v = (Var *) s3_strip_relabel((Node *) em->em_expr);

	return v != NULL && IsA(v, Var) && v->varno == rel->relid &&
		v->varlevelsup == 0 && v->varattno == *(int *) arg;
}

/*
 * The S3Column that a join clause "column = outer expression" constrains
 * (key, bucket or a filter column), with *outer set to that expression; -1
 * if the clause is not of that form.
 */
int
s3_param_clause_column(RestrictInfo *ri, RelOptInfo *baserel, S3ScanPlan *plan, Node **outer)
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

			if (s3_ec_member_is_column(root, baserel, ec, em, &attno))
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
int
s3_unvalued_compared_columns(PlannerInfo *root, RelOptInfo *baserel, S3ScanPlan *plan,
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

/* A plan as fdw_private: copyObject() can copy it, EXPLAIN VERBOSE show it */
List *
s3_plan_to_list(S3ScanPlan *p)
{
	Node	   *strings[PlanNumStrings];
	Node	   *ints[PlanNumInts];
	List	   *ls = NIL;
	List	   *li = NIL;
	int			i;

	strings[PlanBucket] = str_or_null(p->bucket);
	strings[PlanPrefix] = str_or_null(p->prefix);
	strings[PlanStartAfter] = str_or_null(p->start_after);
	strings[PlanContinuationToken] = str_or_null(p->continuation_token);
	strings[PlanEchoPrefix] = str_or_null(p->echo_prefix);
	strings[PlanEchoStartAfter] = str_or_null(p->echo_start_after);
	strings[PlanEchoToken] = str_or_null(p->echo_token);
	strings[PlanDelimiter] = str_or_null(p->delimiter);
	ints[PlanMaxKeys] = (Node *) makeInteger(p->max_keys);
	ints[PlanEchoMaxKeys] = (Node *) makeInteger(p->echo_max_keys);
	ints[PlanSinglePage] = (Node *) makeInteger(p->single_page);
	ints[PlanEmpty] = (Node *) makeInteger(p->empty);
	ints[PlanNeedContent] = (Node *) makeInteger(p->need_content);
	ints[PlanKeyLookup] = (Node *) makeInteger(p->key_lookup);
	ints[PlanNeededCols] = (Node *) makeInteger(p->needed_cols);
	ints[PlanVersions] = (Node *) makeInteger(p->versions);
	ints[PlanParallel] = (Node *) makeInteger(p->parallel);
	ints[PlanPageSize] = (Node *) makeInteger(p->page_size);
	ints[PlanOrdered] = (Node *) makeInteger(p->ordered);
	for (i = 0; i < PlanNumStrings; i++)
		ls = lappend(ls, strings[i]);
	for (i = 0; i < PlanNumInts; i++)
		li = lappend(li, ints[i]);
	return list_make3(ls, li, p->run_conds);
}

/* fdw_private back as a plan, in the executor */
S3ScanPlan *
s3_list_to_plan(List *l)
{
	S3ScanPlan *p = palloc0(sizeof(S3ScanPlan));
	List	   *strings = list_nth(l, FdwScanPrivateStrings);
	List	   *ints = list_nth(l, FdwScanPrivateInts);

	p->bucket = null_or_str(list_nth(strings, PlanBucket));
	p->prefix = null_or_str(list_nth(strings, PlanPrefix));
	p->start_after = null_or_str(list_nth(strings, PlanStartAfter));
	p->continuation_token = null_or_str(list_nth(strings, PlanContinuationToken));
	p->echo_prefix = null_or_str(list_nth(strings, PlanEchoPrefix));
	p->echo_start_after = null_or_str(list_nth(strings, PlanEchoStartAfter));
	p->echo_token = null_or_str(list_nth(strings, PlanEchoToken));
	p->delimiter = null_or_str(list_nth(strings, PlanDelimiter));
	p->max_keys = intVal(list_nth(ints, PlanMaxKeys));
	p->echo_max_keys = intVal(list_nth(ints, PlanEchoMaxKeys));
	p->single_page = intVal(list_nth(ints, PlanSinglePage));
	p->empty = intVal(list_nth(ints, PlanEmpty));
	p->need_content = intVal(list_nth(ints, PlanNeedContent));
	p->key_lookup = intVal(list_nth(ints, PlanKeyLookup));
	p->needed_cols = intVal(list_nth(ints, PlanNeededCols));
	p->versions = intVal(list_nth(ints, PlanVersions));
	p->parallel = intVal(list_nth(ints, PlanParallel));
	p->page_size = intVal(list_nth(ints, PlanPageSize));
	p->ordered = intVal(list_nth(ints, PlanOrdered));
	p->run_conds = list_nth(l, FdwScanPrivateRunConds);
	return p;
}

/*
 * The plan of one path: the relation's, with a run-time condition for each
 * join clause the path is parameterized by.  Their outer expressions are
 * appended to *fdw_exprs when it is not NULL.
 */
S3ScanPlan *
s3_path_plan(S3ScanPlan *plan, ForeignPath *path, List **fdw_exprs)
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
			int			col = s3_param_clause_column(lfirst_node(RestrictInfo, lc),
												  path->path.parent, plan, &outer);

			if (col >= 0)
			{
				if (fdw_exprs)
					*fdw_exprs = lappend(*fdw_exprs, outer);
				s3_add_run_cond(p, col, OP_EQ, ORIGIN_JOIN);
			}
		}
	}
	return p;
}
