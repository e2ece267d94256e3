/*-------------------------------------------------------------------------
 *
 * fdw_scan.h
 *		The scan callbacks of s3_fdw's foreign tables (fdw_scan.c), as the
 *		handler in fdw.c hands them to PostgreSQL.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_FDW_SCAN_H
#define S3FDW_FDW_SCAN_H

#include "commands/explain.h"
#if PG_VERSION_NUM >= 180000
/* 18 split ExplainState and the ExplainProperty functions out of explain.h */
#include "commands/explain_format.h"
#include "commands/explain_state.h"
#endif
#include "nodes/execnodes.h"

extern void s3BeginForeignScan(ForeignScanState *node, int eflags);
extern TupleTableSlot *s3IterateForeignScan(ForeignScanState *node);
extern void s3ReScanForeignScan(ForeignScanState *node);
extern void s3EndForeignScan(ForeignScanState *node);
extern void s3ExplainForeignScan(ForeignScanState *node, ExplainState *es);

#endif							/* S3FDW_FDW_SCAN_H */
