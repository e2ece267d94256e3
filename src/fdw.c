/*-------------------------------------------------------------------------
 *
 * fdw.c
 *		The module's magic block, the foreign-data wrapper's handler and
 *		its planning callbacks: sizes, paths and plans for a foreign table
 *		that lists the objects of a bucket through ListObjectsV2.  What S3 can be asked to filter is
 *		worked out in pushdown.c; the scan that runs a plan is in
 *		fdw_scan.c; ANALYZE and IMPORT FOREIGN SCHEMA are in fdw_utility.c.
 *		Writes are planned here too (which tables accept them, the columns
 *		an UPDATE or DELETE takes from the scan) and run in fdw_modify.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_foreign_server.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "commands/explain.h"
#if PG_VERSION_NUM >= 180000
/* 18 split ExplainState and the ExplainProperty functions out of explain.h */
#include "commands/explain_format.h"
#include "commands/explain_state.h"
#endif
#include "executor/executor.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/appendinfo.h"
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
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/pg_locale.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "fdw_modify.h"
#include "fdw_scan.h"
#include "fdw_utility.h"
#include "pushdown.h"
#include "s3_values.h"

PG_MODULE_MAGIC;

/* ---- planning ---- */

static bool s3_is_modify_target(PlannerInfo *root, RelOptInfo *baserel);

/*
 * PostgreSQL 17 added the fdw_restrictinfo argument, 18 disabled_nodes (set
 * by s3_mark_unusable below)
 */
#if PG_VERSION_NUM >= 180000
#define new_foreignscan_path(root, rel, rows, startup, total, pathkeys, outer) \
	create_foreignscan_path(root, rel, NULL, rows, 0, startup, total, pathkeys, outer, NULL, NIL, NIL)
#elif PG_VERSION_NUM >= 170000
#define new_foreignscan_path(root, rel, rows, startup, total, pathkeys, outer) \
	create_foreignscan_path(root, rel, NULL, rows, startup, total, pathkeys, outer, NULL, NIL, NIL)
#else
#define new_foreignscan_path(root, rel, rows, startup, total, pathkeys, outer) \
	create_foreignscan_path(root, rel, NULL, rows, startup, total, pathkeys, outer, NULL, NIL)
#endif

/*
 * The cost of a plan that would compare a filter column before it has a
 * value: far above disable_cost, so that the planner takes any plan that
 * gives the column its value (a parameterized scan in a nested loop), even
 * one that enable_* settings discourage.
 */
#define S3_UNUSABLE_COST 1.0e12

/*
 * Keeps the planner off a path that would compare a filter column before it
 * has a value.  From PostgreSQL 18 on, the planner compares the count of
 * disabled nodes before the cost: a hash join over this path would otherwise
 * beat a nested loop that enable_nestloop = off disables.  The path counts as
 * more disabled nodes than any plan of enable_* settings has.
 */
#define S3_UNUSABLE_DISABLED_NODES 1000000

static void
s3_mark_unusable(ForeignPath *path)
{
	path->path.startup_cost += S3_UNUSABLE_COST;
	path->path.total_cost += S3_UNUSABLE_COST;
#if PG_VERSION_NUM >= 180000
	path->path.disabled_nodes += S3_UNUSABLE_DISABLED_NODES;
#endif
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
	const char *table_prefix;
	S3TableOptions topts;
	Bitmapset  *attrs = NULL;
	bool		whole_row;
	int			natts;
	int			i;

	rel = table_open(foreigntableid, NoLock);
	natts = RelationGetDescr(rel)->natts;
	colmap = palloc(sizeof(int) * Max(natts, 1));
	s3_map_columns(rel, colmap);
	table_close(rel, NoLock);
	plan->colmap = colmap;
	plan->natts = natts;

	s3_table_options(ft->options, &topts);
	plan->bucket = topts.bucket;
	plan->versions = topts.versions;
	{
		/* a listing's pages: several partitions at once, and their size */
		S3Server	so;
		bool		parallel;
		int			concurrency;

		memset(&so, 0, sizeof(so));
		s3_server_options(GetForeignServer(ft->serverid)->options, &so);
		parallel = topts.parallel_listing ? strcmp(topts.parallel_listing, "true") == 0
			: so.parallel_listing;
		concurrency = s3_table_concurrency(&topts, &so);
		plan->parallel = parallel && concurrency > 1 ? concurrency : 0;
		plan->page_size = topts.page_size > 0 ? topts.page_size : so.page_size;
	}
	table_prefix = topts.prefix;
	if (table_prefix)
		s3_add_prefix(plan, table_prefix);

	foreach(lc, baserel->baserestrictinfo)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);
		int			col;
		S3CondOp	op;
		Node	   *arg;

		/* one list per scan: a second one is checked locally */
		if (!s3_match_clause(ri->clause, baserel, colmap, &col, &op, &arg) ||
			(op == OP_ANY && has_any))
		{
			all_exact = false;
			continue;
		}
		if (!s3_condition_is_exact(col, op, arg))
			all_exact = false;
		arg = s3_strip_relabel(arg);
		if (IsA(arg, Const) && op != OP_ANY)
			s3_apply_condition(plan, col, op, ((Const *) arg)->constvalue,
							((Const *) arg)->constisnull);
		else
		{
			/* known when the scan starts (a list: value by value) */
			s3_add_run_cond(plan, col, op, ORIGIN_PARAM);
			plan->run_exprs = lappend(plan->run_exprs, arg);
			has_any |= (op == OP_ANY);
		}
	}

	if (plan->bucket == NULL && !s3_has_run_cond(plan, COL_BUCKET))
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
	whole_row = bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, attrs);
	for (i = 0; i < natts; i++)
		if (colmap[i] >= 0 &&
			(bms_is_member(i + 1 - FirstLowInvalidHeapAttributeNumber, attrs) ||
			 (whole_row && !(s3_is_modify_target(root, baserel) &&
							 (colmap[i] == COL_CONTENT || colmap[i] == COL_CONTENT_TYPE ||
							  colmap[i] == COL_TAGS)))))
			plan->needed_cols |= COLBIT(colmap[i]);
	/* the body is fetched for content and for its type */
	plan->need_content = (plan->needed_cols &
						  (COLBIT(COL_CONTENT) | COLBIT(COL_CONTENT_TYPE))) != 0;

	s3_finish_conditions(plan);
	plan->all_exact = all_exact;	/* a LIMIT may be sent too (UPPERREL_FINAL) */

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
	else if (s3_has_run_cond(plan, COL_KEY))
		baserel->rows = has_any || plan->versions ? 10 : 1;
	else if (plan->key_lookup)
		baserel->rows = 10;		/* the versions of a key */
	else if (s3_has_run_cond(plan, COL_MAX_KEYS))
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

static void
s3GetForeignPaths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	S3ScanPlan *plan = (S3ScanPlan *) baserel->fdw_private;
	double		pages = plan->empty ? 0 : ceil(baserel->rows / 1000.0);
	Cost		startup = plan->empty ? 0 : S3_REQUEST_COST;
	Cost		total = pages * S3_REQUEST_COST + baserel->rows * (S3_KEY_COST + cpu_tuple_cost);
	Cost		per_row_get = (plan->need_content ? S3_REQUEST_COST : 0) +
		((plan->needed_cols & COLBIT(COL_TAGS)) ? S3_REQUEST_COST : 0);
	List	   *candidates = NIL;
	ListCell   *lc;
	int			i;
	ForeignPath *path;

	/*
	 * Without parameters, a filter column compared with another table has
	 * no value: take that plan only when there is no other (and then
	 * GetForeignPlan says how to write the query).
	 */
	/* rows come in key order, S3's: say so when the key column sorts so */
	path = new_foreignscan_path(root, baserel, baserel->rows,
								startup, total + baserel->rows * per_row_get,
								s3_key_order_pathkeys(root, baserel, plan, foreigntableid), NULL);
	if (s3_unvalued_compared_columns(root, baserel, plan,
								  extract_actual_clauses(baserel->baserestrictinfo, false)) != 0)
		s3_mark_unusable(path);
	add_path(baserel, (Path *) path);
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
																			s3_ec_member_is_column,
																			&attno,
																			baserel->lateral_referencers));
	}
	foreach(lc, candidates)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);
		Node	   *outer;
		int			col = s3_param_clause_column(ri, baserel, plan, &outer);
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
									NIL, required_outer);
		/* as above, for the filter columns this path leaves without a value */
		if (s3_unvalued_compared_columns(root, baserel, s3_path_plan(plan, path, NULL),
									  extract_actual_clauses(baserel->baserestrictinfo, false)) != 0)
			s3_mark_unusable(path);
		add_path(baserel, (Path *) path);
	}
}

static ForeignScan *
s3GetForeignPlan(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid,
				 ForeignPath *best_path, List *tlist, List *scan_clauses,
				 Plan *outer_plan)
{
	S3ScanPlan *plan = (S3ScanPlan *) baserel->fdw_private;
	List	   *fdw_exprs = list_copy(plan->run_exprs);
	S3ScanPlan *p = s3_path_plan(plan, best_path, &fdw_exprs);
	int			unvalued;

	p->ordered = best_path->path.pathkeys != NIL;
	/* every condition, these included, is checked again locally */
	scan_clauses = extract_actual_clauses(scan_clauses, false);

	/*
	 * A filter column compared before it has a value would give wrong rows
	 * silently: say how to write the query instead.
	 */
	unvalued = s3_unvalued_compared_columns(root, baserel, p, scan_clauses);
	if (unvalued != 0)
	{
		int			c;

		for (c = 0; (unvalued & COLBIT(c)) == 0; c++)
			;
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("column \"%s\" of foreign table \"%s\" has no value to be compared with",
						s3_column_defs[c].name, get_rel_name(foreigntableid)),
				 errdetail("The filter columns are request parameters, NULL unless the query sets them with = or IN; this plan would compare one before it is set."),
				 errhint("Compare it with = to a constant, a parameter or a list, or join so that each outer row gives its value: CROSS JOIN LATERAL (SELECT * FROM table WHERE %s = outer.column).",
						 s3_column_defs[c].name)));
	}
	return make_foreignscan(tlist, scan_clauses, baserel->relid, fdw_exprs,
							s3_plan_to_list(p), NIL, NIL, outer_plan);
}

/*
 * The final stage of planning: when the query is this table alone, with
 * every condition one S3 applies exactly, its LIMIT (plus OFFSET) is sent
 * as max-keys, so that the first page holds what the query needs.  The
 * scan still pages on if more rows are asked for: the value is only ever a
 * page size, so an estimate (a parameter's) is as good as a constant.  No
 * path is added: the plan of the scan, made after this, carries the value.
 */
static void
s3GetForeignUpperPaths(PlannerInfo *root, UpperRelationKind stage,
					   RelOptInfo *input_rel, RelOptInfo *output_rel, void *extra)
{
	FinalPathExtraData *fe = (FinalPathExtraData *) extra;
	S3ScanPlan *plan = (S3ScanPlan *) input_rel->fdw_private;
	int64		n;

	if (stage != UPPERREL_FINAL || input_rel->reloptkind != RELOPT_BASEREL ||
		plan == NULL || !plan->all_exact || plan->single_page || plan->empty ||
		fe == NULL || !fe->limit_needed || fe->count_est <= 0 ||
		root->parse->hasTargetSRFs)
		return;
	n = fe->count_est + Max(fe->offset_est, 0);
	if (plan->max_keys == 0 || n < plan->max_keys)
		plan->max_keys = (int) Min(n, 1000);
}

/* ---- planning writes (executed in fdw_modify.c) ---- */

/* whether baserel is the table an UPDATE or DELETE writes to */
static bool
s3_is_modify_target(PlannerInfo *root, RelOptInfo *baserel)
{
	CmdType		op = root->parse->commandType;

	if (op != CMD_UPDATE && op != CMD_DELETE)
		return false;
#if PG_VERSION_NUM >= 140000
	return bms_is_member(baserel->relid, root->all_result_relids);
#else
	return baserel->relid == (Index) root->parse->resultRelation;
#endif
}

/*
 * Whether a table's server lets its tables write: its updatable option is
 * a ceiling, which a table option can only lower (a role with USAGE on the
 * server can create a table of its own, with any options).
 */
static bool
server_allows_writes(ForeignServer *fs)
{
	S3Server	so;

	s3_server_options(fs->options, &so);
	return so.updatable;
}

static int
s3IsForeignRelUpdatable(Relation rel)
{
	ForeignTable *ft = GetForeignTable(RelationGetRelid(rel));
	S3TableOptions to;

	if (!server_allows_writes(GetForeignServer(ft->serverid)))
		return 0;
	s3_table_options(ft->options, &to);
	if (!to.updatable)
		return 0;
	/* a row of a versions table is a version: it can be removed, not written */
	if (to.versions)
		return 1 << CMD_DELETE;
	return (1 << CMD_INSERT) | (1 << CMD_UPDATE) | (1 << CMD_DELETE);
}

/*
 * UPDATE and DELETE: the scan hands over the key (and the bucket, ETag,
 * size and is_prefix, where the table has them) of each row as junk
 * columns.
 */
#if PG_VERSION_NUM >= 140000
static void
s3AddForeignUpdateTargets(PlannerInfo *root, Index rtindex,
						  RangeTblEntry *target_rte, Relation target_relation)
#else
static void
s3AddForeignUpdateTargets(Query *parsetree, RangeTblEntry *target_rte,
						  Relation target_relation)
#endif
{
	TupleDesc	tupdesc = RelationGetDescr(target_relation);
	int		   *colmap = palloc(sizeof(int) * Max(tupdesc->natts, 1));
	bool		has_key = false;
	int			k;
	int			i;

	s3_map_columns(target_relation, colmap);
	for (k = 0; k < S3_NIDENTITY; k++)
		for (i = 0; i < tupdesc->natts; i++)
		{
			Form_pg_attribute a = TupleDescAttr(tupdesc, i);
			Var		   *var;

			if (colmap[i] != s3_identity_columns[k].col)
				continue;
#if PG_VERSION_NUM >= 140000
			var = makeVar(rtindex, a->attnum, a->atttypid, a->atttypmod, a->attcollation, 0);
			add_row_identity_var(root, var, rtindex, s3_identity_columns[k].junk);
#else
			var = makeVar(parsetree->resultRelation, a->attnum, a->atttypid,
						  a->atttypmod, a->attcollation, 0);
			parsetree->targetList = lappend(parsetree->targetList,
											makeTargetEntry((Expr *) var,
															list_length(parsetree->targetList) + 1,
															pstrdup(s3_identity_columns[k].junk), true));
#endif
			has_key |= s3_identity_columns[k].col == COL_KEY;
		}
	if (!has_key)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot update or delete rows of foreign table \"%s\": it has no column key",
						RelationGetRelationName(target_relation)),
				 errhint("Add a column key of type text: it names the object each row stands for.")));
}

/*
 * A table with versions 'true' lists versions: a DELETE removes the
 * versions of its rows for good (it needs the column version_id to name
 * them), and nothing can be written, since S3 makes a new version only as
 * the latest.  The executor refuses the writes too
 * (s3IsForeignRelUpdatable), but could not say why.
 */
static void
check_versions_write(Oid relid, CmdType operation)
{
	S3TableOptions to;
	Relation	rel;
	int		   *colmap;
	bool		has_version_id = false;
	int			i;

	s3_table_options(GetForeignTable(relid)->options, &to);
	if (!to.versions)
		return;
	if (operation != CMD_DELETE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot %s foreign table \"%s\": it lists versions",
						operation == CMD_INSERT ? "insert into" : "update", get_rel_name(relid)),
				 errdetail("Its option versions is 'true': each row is a version of an object, and S3 writes only new latest versions."),
				 errhint("Write through a table without versions 'true'; s3_copy() with src_version_id brings an old version back as the latest.")));
	rel = table_open(relid, NoLock);
	colmap = palloc(sizeof(int) * Max(RelationGetDescr(rel)->natts, 1));
	s3_map_columns(rel, colmap);
	for (i = 0; i < RelationGetDescr(rel)->natts; i++)
		has_version_id |= colmap[i] == COL_VERSION_ID;
	table_close(rel, NoLock);
	if (!has_version_id)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot delete from foreign table \"%s\": it lists versions but has no column version_id",
						get_rel_name(relid)),
				 errdetail("A DELETE through a table with versions 'true' removes the versions of its rows, which the column version_id names."),
				 errhint("Add a column version_id of type text.")));
}

static List *
s3PlanForeignModify(PlannerInfo *root, ModifyTable *plan, Index resultRelation,
					int subplan_index)
{
	RangeTblEntry *rte = planner_rt_fetch(resultRelation, root);
	ForeignServer *fs = GetForeignServer(GetForeignTable(rte->relid)->serverid);

	/*
	 * The executor would refuse too (s3IsForeignRelUpdatable), but could
	 * not say that the server is the reason, nor that no table option helps.
	 */
	if (!server_allows_writes(fs))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to %s through foreign table \"%s\"",
						plan->operation == CMD_INSERT ? "insert" :
						plan->operation == CMD_UPDATE ? "update" : "delete",
						get_rel_name(rte->relid)),
				 errdetail("Server \"%s\" has updatable 'false', which no table option can lift.",
						   fs->servername),
				 errhint("The server forbids writes through its tables; its owner may allow them with ALTER SERVER %s OPTIONS (SET updatable 'true').",
						 quote_identifier(fs->servername))));
	check_versions_write(rte->relid, plan->operation);
	if (plan->onConflictAction != ONCONFLICT_NONE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("INSERT with ON CONFLICT is not supported on s3_fdw foreign tables"),
				 errdetail("An upload replaces any object of the same key.")));
	return NIL;
}

PG_FUNCTION_INFO_V1(s3_fdw_handler);

Datum
s3_fdw_handler(PG_FUNCTION_ARGS)
{
	FdwRoutine *routine = makeNode(FdwRoutine);

	routine->GetForeignRelSize = s3GetForeignRelSize;
	routine->GetForeignPaths = s3GetForeignPaths;
	routine->GetForeignPlan = s3GetForeignPlan;
	routine->GetForeignUpperPaths = s3GetForeignUpperPaths;
	routine->BeginForeignScan = s3BeginForeignScan;
	routine->IterateForeignScan = s3IterateForeignScan;
	routine->ReScanForeignScan = s3ReScanForeignScan;
	routine->EndForeignScan = s3EndForeignScan;
	routine->ExplainForeignScan = s3ExplainForeignScan;
	routine->ImportForeignSchema = s3ImportForeignSchema;
	routine->AnalyzeForeignTable = s3AnalyzeForeignTable;
	routine->IsForeignRelUpdatable = s3IsForeignRelUpdatable;
	routine->AddForeignUpdateTargets = s3AddForeignUpdateTargets;
	routine->PlanForeignModify = s3PlanForeignModify;
	s3_modify_routines(routine);
	PG_RETURN_POINTER(routine);
}
