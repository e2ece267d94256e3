/*-------------------------------------------------------------------------
 *
 * pushdown.h
 *		The columns of a foreign table, the scan plan that the planner works
 *		out and the executor runs, and the pushdown of conditions into it
 *		(pushdown.c).  fdw.c (the callbacks) and fdw_utility.c (ANALYZE,
 *		IMPORT FOREIGN SCHEMA) build on them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_PUSHDOWN_H
#define S3FDW_PUSHDOWN_H

#include "foreign/fdwapi.h"
#include "nodes/pathnodes.h"
#include "utils/rel.h"

#include "s3_ops.h"

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
	COL_DELIMITER,
	COL_IS_PREFIX,
	COL_CONTENT_TYPE,
	/* version 1.2 */
	COL_TAGS,					/* fetched per object, only when selected */
	COL_VERSION_ID,				/* a table with versions 'true' */
	COL_IS_LATEST,
	COL_IS_DELETE_MARKER,
	NUM_COLUMNS
} S3Column;

/* A column's name and the types it may be declared with */
typedef struct S3ColumnDef
{
	const char *name;
	Oid			type;
	Oid			alt_type;		/* another accepted type, or InvalidOid */
} S3ColumnDef;

extern const S3ColumnDef s3_column_defs[NUM_COLUMNS];

/*
 * The columns an UPDATE or DELETE takes from the scan as junk columns, to
 * know each row's object (fdw.c adds them, fdw_modify.c reads them); the
 * key comes first, then bucket, etag, size, is_prefix and version_id.
 */
typedef struct S3IdentityColumn
{
	S3Column	col;
	const char *junk;			/* its name among the plan's junk columns */
} S3IdentityColumn;

#define S3_NIDENTITY 6
#define S3_IDENTITY_IS_PREFIX 4
#define S3_IDENTITY_VERSION_ID 5
extern const S3IdentityColumn s3_identity_columns[S3_NIDENTITY];

#define COLBIT(c) (1 << (c))
/* the request parameters: NULL unless the query gives them a value */
#define FILTER_COLUMNS (COLBIT(COL_PREFIX) | COLBIT(COL_START_AFTER) | \
						COLBIT(COL_MAX_KEYS) | COLBIT(COL_CONTINUATION_TOKEN) | \
						COLBIT(COL_DELIMITER))
/* the columns "column = value" narrows the request for */
#define EQ_COLUMN(c) ((COLBIT(c) & (FILTER_COLUMNS | COLBIT(COL_KEY) | COLBIT(COL_BUCKET))) != 0)

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
 * executor as fdw_private (see s3_plan_to_list / s3_list_to_plan).
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
	bool		versions;		/* the table has versions 'true':
								 * ListObjectVersions */
	int			needed_cols;	/* bit (1 << S3Column) for each column used */
	/* values the filter columns echo (NULL when not filtered on) */
	char	   *echo_prefix;
	char	   *echo_start_after;
	char	   *echo_token;
	int			echo_max_keys;
	char	   *delimiter;		/* sent as delimiter= and echoed, or NULL */
	int			parallel;		/* pages in flight across the partitions of
								 * a listing (parallel_listing), 0: one
								 * page after another */
	int			page_size;		/* keys a page asks for (page_size) */
	bool		ordered;		/* the path declared the order of key */
	/*
	 * conditions with run-time values: (column, S3CondOp, S3CondOrigin) for
	 * each expression of fdw_exprs, flattened into one integer list
	 */
	List	   *run_conds;
	/* planning only */
	List	   *run_exprs;		/* expressions of the restriction run_conds */
	int		   *colmap;			/* attnum-1 -> S3Column, or -1 */
	bool		all_exact;		/* S3 applies every condition exactly */
	int			natts;
	double		base_rows;		/* objects under the table's prefix */
} S3ScanPlan;

/*
 * fdw_private of a ForeignScan, as postgres_fdw indexes its own: three
 * lists, whose members have named slots too.
 */
enum FdwScanPrivateIndex
{
	FdwScanPrivateStrings,		/* the strings of the plan, by PlanString */
	FdwScanPrivateInts,			/* its integers, by PlanInt */
	FdwScanPrivateRunConds		/* run_conds, by RunCondSlot */
};

/* The strings of a plan in fdw_private (String nodes, or NULL) */
typedef enum PlanString
{
	PlanBucket,
	PlanPrefix,
	PlanStartAfter,
	PlanContinuationToken,
	PlanEchoPrefix,
	PlanEchoStartAfter,
	PlanEchoToken,
	PlanDelimiter,
	PlanNumStrings
} PlanString;

/* The integers of a plan in fdw_private (Integer nodes) */
typedef enum PlanInt
{
	PlanMaxKeys,
	PlanEchoMaxKeys,
	PlanSinglePage,
	PlanEmpty,
	PlanNeedContent,
	PlanKeyLookup,
	PlanNeededCols,
	PlanVersions,
	PlanParallel,
	PlanPageSize,
	PlanOrdered,
	PlanNumInts
} PlanInt;

/* One run-time condition in run_conds: RunCondWidth integers */
typedef enum RunCondSlot
{
	RunCondColumn,				/* an S3Column */
	RunCondOp,					/* an S3CondOp */
	RunCondOrigin,				/* an S3CondOrigin */
	RunCondWidth
} RunCondSlot;

/* The run-time conditions of a plan; s3_run_cond() reads the n-th */
#define s3_num_run_conds(plan) (list_length((plan)->run_conds) / RunCondWidth)

extern void s3_map_columns(Relation rel, int *colmap);
extern List *s3_key_order_pathkeys(PlannerInfo *root, RelOptInfo *baserel,
								   const S3ScanPlan *plan, Oid foreigntableid);
extern Node *s3_strip_relabel(Node *n);
extern bool s3_match_clause(Expr *clause, RelOptInfo *baserel, const int *colmap,
							 int *colp, S3CondOp *opp, Node **argp);
extern bool s3_condition_is_exact(int col, S3CondOp op, Node *arg);
extern void s3_add_prefix(S3ScanPlan *plan, const char *p);
extern void s3_apply_condition(S3ScanPlan *plan, int col, S3CondOp op, Datum value, bool isnull);
extern void s3_finish_conditions(S3ScanPlan *plan);
extern bool s3_has_run_cond(S3ScanPlan *plan, int col);
extern void s3_add_run_cond(S3ScanPlan *plan, int col, S3CondOp op, S3CondOrigin origin);
extern int	s3_run_cond(const S3ScanPlan *plan, int n, S3CondOp *op, S3CondOrigin *origin);
extern bool s3_ec_member_is_column(PlannerInfo *root, RelOptInfo *rel, EquivalenceClass *ec,
								   EquivalenceMember *em, void *arg);
extern int	s3_param_clause_column(RestrictInfo *ri, RelOptInfo *baserel, S3ScanPlan *plan, Node **outer);
extern int	s3_unvalued_compared_columns(PlannerInfo *root, RelOptInfo *baserel, S3ScanPlan *plan,
										 List *scan_clauses);
extern List *s3_plan_to_list(S3ScanPlan *p);
extern S3ScanPlan *s3_list_to_plan(List *l);
extern S3ScanPlan *s3_path_plan(S3ScanPlan *plan, ForeignPath *path, List **fdw_exprs);

#endif							/* S3FDW_PUSHDOWN_H */
