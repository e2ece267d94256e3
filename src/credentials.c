/*-------------------------------------------------------------------------
 *
 * credentials.c
 *		Which credentials sign a request, by the server option
 *		"credentials", and the cache that keeps temporary ones for as long
 *		as they are valid.
 *
 * Server option "credentials":
 *	keys	 the user mapping's access_key_id, secret_access_key and optional
 *			 session_token: the calling role's own mapping, else PUBLIC's,
 *			 never another role's.
 *	instance the AWS SDKs' default chain (credential_sources.c).
 *	role	 STS AssumeRole of role_arn (credential_sources.c), signed with the
 *			 user mapping's keys when there are some, else with the instance
 *			 chain's.
 *
 * Temporary credentials are cached per backend, server and role (the cache
 * lives in its own memory context under TopMemoryContext), and fetched
 * again REFRESH_MARGIN seconds before they expire: never once per request.
 * ALTER SERVER or USER MAPPING empties the cache.  No message ever contains
 * a secret key, a session token or a web identity token.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <time.h>

#include "access/htup_details.h"
#include "catalog/pg_user_mapping.h"
#include "foreign/foreign.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "credential_sources.h"
#include "credentials.h"
#include "digest.h"

#define REFRESH_MARGIN 300		/* seconds before expiry to fetch anew */

typedef struct CachedCredentials
{
	Oid			serverid;
	Oid			userid;			/* InvalidOid for the instance chain */
	S3CredentialMode mode;
	S3Credentials creds;		/* in cache_cxt */
	struct CachedCredentials *next;
} CachedCredentials;

static MemoryContext cache_cxt = NULL;
static CachedCredentials *cache = NULL;

/* ---- the cache ---- */

static void
invalidate_cache(Datum arg, int cacheid, uint32 hashvalue)
{
	if (cache_cxt != NULL)
		MemoryContextReset(cache_cxt);
	cache = NULL;
}

static CachedCredentials *
cache_lookup(Oid serverid, Oid userid, S3CredentialMode mode)
{
	CachedCredentials *c;

	for (c = cache; c != NULL; c = c->next)
		if (c->serverid == serverid && c->userid == userid && c->mode == mode)
			return c;
	return NULL;
}

static bool
still_fresh(const S3Credentials *creds)
{
	return creds->expires == 0 || creds->expires - REFRESH_MARGIN > time(NULL);
}

static void
cache_store(Oid serverid, Oid userid, S3CredentialMode mode, const S3Credentials *creds)
{
	CachedCredentials *c;

	if (cache_cxt == NULL)
	{
		cache_cxt = AllocSetContextCreate(TopMemoryContext, "s3_fdw credentials",
										  ALLOCSET_SMALL_SIZES);
		CacheRegisterSyscacheCallback(FOREIGNSERVEROID, invalidate_cache, (Datum) 0);
		CacheRegisterSyscacheCallback(USERMAPPINGOID, invalidate_cache, (Datum) 0);
	}
	c = cache_lookup(serverid, userid, mode);
	if (c == NULL)
	{
		c = MemoryContextAllocZero(cache_cxt, sizeof(CachedCredentials));
		c->serverid = serverid;
		c->userid = userid;
		c->mode = mode;
		c->next = cache;
		cache = c;
	}
	else
	{
		pfree(c->creds.access_key_id);
		pfree(c->creds.secret_access_key);
		if (c->creds.session_token)
			pfree(c->creds.session_token);
	}
	c->creds.access_key_id = MemoryContextStrdup(cache_cxt, creds->access_key_id);
	c->creds.secret_access_key = MemoryContextStrdup(cache_cxt, creds->secret_access_key);
	c->creds.session_token = creds->session_token
		? MemoryContextStrdup(cache_cxt, creds->session_token) : NULL;
	c->creds.expires = creds->expires;
}

static S3Credentials *
copy_credentials(const S3Credentials *src)
{
	S3Credentials *c = palloc0(sizeof(S3Credentials));

	c->access_key_id = pstrdup(src->access_key_id);
	c->secret_access_key = pstrdup(src->secret_access_key);
	c->session_token = src->session_token ? pstrdup(src->session_token) : NULL;
	c->expires = src->expires;
	return c;
}


/* ---- user mappings ---- */

/* The role's user mapping, else PUBLIC's, else NULL. */
static UserMapping *
find_user_mapping(Oid userid, Oid serverid)
{
	HeapTuple	tp;

	tp = SearchSysCache2(USERMAPPINGUSERSERVER,
						 ObjectIdGetDatum(userid),
						 ObjectIdGetDatum(serverid));
	if (!HeapTupleIsValid(tp))
		tp = SearchSysCache2(USERMAPPINGUSERSERVER,
							 ObjectIdGetDatum(InvalidOid),
							 ObjectIdGetDatum(serverid));
	if (!HeapTupleIsValid(tp))
		return NULL;
	ReleaseSysCache(tp);

	/* GetUserMapping() applies the same rule and builds the option list */
	return GetUserMapping(userid, serverid);
}

/*
 * The keys of a user mapping; NULL when there is no mapping and that is
 * allowed (required == false).
 */
static S3Credentials *
mapping_keys(S3Server *server, Oid userid, bool required)
{
	UserMapping *um = find_user_mapping(userid, server->serverid);
	S3Credentials *creds;
	S3MappingOptions o;

	if (um == NULL)
	{
		if (!required)
			return NULL;
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("user mapping not found for role \"%s\" on server \"%s\"",
						GetUserNameFromId(userid, false), server->servername),
				 errhint("Create one with CREATE USER MAPPING FOR CURRENT_USER SERVER %s OPTIONS (access_key_id '...', secret_access_key '...').",
						 quote_identifier(server->servername))));
	}

	s3_mapping_options(um->options, &o);
	creds = palloc0(sizeof(S3Credentials));
	creds->access_key_id = o.access_key_id;
	creds->secret_access_key = o.secret_access_key;
	creds->session_token = o.session_token;
	if (!required && creds->access_key_id == NULL && creds->secret_access_key == NULL)
		return NULL;			/* a mapping without keys: use the instance */
	if (creds->access_key_id == NULL || creds->secret_access_key == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("user mapping for server \"%s\" lacks %s",
						server->servername,
						creds->access_key_id == NULL ? "access_key_id" : "secret_access_key"),
				 errhint("Credentials need both access_key_id and secret_access_key in the user mapping.")));
	return creds;
}

/* Cached, or fetched when missing or about to expire. */
static S3Credentials *
cached_or_fetch(S3Server *server, Oid userid, S3CredentialMode mode, const S3Credentials *base)
{
	CachedCredentials *c = cache_lookup(server->serverid, userid, mode);
	S3Credentials *fresh;

	if (c != NULL && still_fresh(&c->creds))
		return copy_credentials(&c->creds);
	fresh = mode == S3_CRED_ROLE ? s3_assume_role(server, base) : s3_instance_credentials(server);
	cache_store(server->serverid, userid, mode, fresh);
	return fresh;
}

/*
 * Fill server->creds for the current user.
 */
void
s3_load_credentials(S3Server *server)
{
	s3_load_credentials_for(server, GetUserId());
}

/*
 * Fill server->creds for a given role: a foreign table read through a view
 * uses the view owner's user mapping, as postgres_fdw does.
 */
/*
 * The user mapping's SSE-C key, if it has one, with its MD5: any
 * credential mode may encrypt with a customer key.
 */
static void
load_customer_key(S3Server *server, Oid userid)
{
	UserMapping *um = find_user_mapping(userid, server->serverid);
	S3MappingOptions o;
	unsigned char key[32];
	char		md5[25];

	if (um == NULL)
		return;
	s3_mapping_options(um->options, &o);
	if (o.sse_customer_key == NULL || s3_check_customer_key(o.sse_customer_key, key) != NULL)
		return;					/* s3_mapping_options() checked it */
	sigv4_md5_base64(key, sizeof(key), md5);
	explicit_bzero(key, sizeof(key));
	server->sse_customer_key = o.sse_customer_key;
	server->sse_customer_key_md5 = pstrdup(md5);
}

void
s3_load_credentials_for(S3Server *server, Oid userid)
{
	S3Credentials *base;

	if (server->creds != NULL)
		return;
	load_customer_key(server, userid);
	switch (server->cred_mode)
	{
		case S3_CRED_KEYS:
			server->creds = mapping_keys(server, userid, true);
			break;
		case S3_CRED_INSTANCE:
			server->creds = cached_or_fetch(server, InvalidOid, S3_CRED_INSTANCE, NULL);
			break;
		case S3_CRED_ROLE:
			base = mapping_keys(server, userid, false);
			if (base == NULL)
			{
				base = cached_or_fetch(server, InvalidOid, S3_CRED_INSTANCE, NULL);
				userid = InvalidOid;	/* the same for every role */
			}
			server->creds = cached_or_fetch(server, userid, S3_CRED_ROLE, base);
			break;
	}
}
