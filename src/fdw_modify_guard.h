/*-------------------------------------------------------------------------
 *
 * fdw_modify_guard.h
 *		The objects a statement wrote, and the privileges a write takes
 *		(fdw_modify_guard.c), for the writes (fdw_modify.c) and the scans
 *		(fdw_scan.c) of s3_fdw's foreign tables.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_FDW_MODIFY_GUARD_H
#define S3FDW_FDW_MODIFY_GUARD_H

#include "nodes/execnodes.h"
#include "utils/relcache.h"

/* this statement wrote bucket/utf8_key: created it, or updated it in place */
extern void s3_note_written(EState *estate, const char *bucket, const char *utf8_key,
							bool created);

/* whether the statement running in estate created that object itself */
extern bool s3_created_here(EState *estate, const char *bucket, const char *utf8_key);

/* whether the statement running in estate wrote that object already */
extern bool s3_written_here(EState *estate, const char *bucket, const char *utf8_key);

/* an error unless userid may write through rel that way (renames: SET key or bucket) */
extern void s3_check_write_privilege(Relation rel, Oid userid, CmdType op, bool renames,
									 bool retags);

#endif							/* S3FDW_FDW_MODIFY_GUARD_H */
