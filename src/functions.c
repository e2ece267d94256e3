/*-------------------------------------------------------------------------
 *
 * functions.c
 *		What the SQL-callable functions share (functions_bucket.c,
 *		functions_object.c, functions_copy.c): NULL arguments named, the
 *		server looked up, result sets; and s3_fdw_connection_stats.
 *
 * The functions are not STRICT: a NULL argument is an error naming the
 * argument rather than a silent NULL result, so that an automation that
 * loses a value does not believe it has uploaded or removed something.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "credential_sources.h"
#include "functions.h"
#include "s3_http.h"

PG_FUNCTION_INFO_V1(s3_fdw_connection_stats);

/* Refuse a NULL argument with a message naming it. */
void
s3_check_not_null(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", name)));
}

/*
 * The leading arguments (server, then bucket and key when nargs says so),
 * none NULL (names[] names them), as C strings; returns the server, looked
 * up with USAGE.
 */
S3Server *
s3_target_args(FunctionCallInfo fcinfo, int nargs, const char *const *names,
			   char **bucket, char **key)
{
	int			i;

	for (i = 0; i < nargs; i++)
		s3_check_not_null(fcinfo, i, names[i]);
	if (bucket != NULL)
		*bucket = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (key != NULL)
		*key = text_to_cstring(PG_GETARG_TEXT_PP(2));
	return s3_lookup_server(text_to_cstring(PG_GETARG_TEXT_PP(0)));
}

/* A materialized result set for a function returning a table */
Tuplestorestate *
s3_begin_result(FunctionCallInfo fcinfo, TupleDesc *desc)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	tupdesc;
	MemoryContext oldcontext;
	Tuplestorestate *tupstore;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	oldcontext = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	tupstore = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tupstore;
	rsinfo->setDesc = CreateTupleDescCopy(tupdesc);
	MemoryContextSwitchTo(oldcontext);
	*desc = rsinfo->setDesc;
	return tupstore;
}

/*
 * s3_fdw_connection_stats(OUT requests bigint, OUT connections bigint,
 *						   OUT credential_fetches bigint)
 *
 * HTTP requests made, connections opened and temporary credentials fetched
 * by this backend so far: with keep-alive, many requests share one
 * connection; with the cache, many requests share one set of credentials.
 */
Datum
s3_fdw_connection_stats(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int64		requests,
				connections;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	s3_http_stats(&requests, &connections);
	values[0] = Int64GetDatum(requests);
	values[1] = Int64GetDatum(connections);
	values[2] = Int64GetDatum(s3_credential_fetches());
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
