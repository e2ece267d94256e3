/*-------------------------------------------------------------------------
 *
 * s3_xml_delete.c
 *		Parsing of S3's answer to DeleteObjects (DeleteResult): the keys it
 *		deleted and those it could not, with S3's error code and message.
 *		libc and libxml2 only, with the rules of s3_xml.c: local names, no
 *		DOCTYPE, malloc'd results, messages that name at most an element.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core.h"
#include "s3_xml.h"
#include "s3_xml_internal.h"

void
s3_delete_result_free(s3_delete_result *r)
{
	size_t		i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nerrors; i++)
	{
		free(r->errors[i].key);
		free(r->errors[i].code);
		free(r->errors[i].message);
	}
	free(r->errors);
	memset(r, 0, sizeof(*r));
}

int
s3_xml_parse_delete_result(const char *buf, size_t len, s3_delete_result *out,
						   char *errbuf, size_t errlen)
{
	static const char what[] = "DeleteObjects response";
	s3_delete_result res;
	size_t		cap = 0;
	xmlDocPtr	doc;
	xmlNodePtr	root;
	xmlNodePtr	n;

	memset(&res, 0, sizeof(res));
	doc = s3x_open_document(buf, len, out, sizeof(*out), what, errbuf, errlen, &root);
	if (doc == NULL)
		return -1;
	if (!s3x_check_root(root, "DeleteResult", what, errbuf, errlen))
		goto fail;
	for (n = root->children; n != NULL; n = n->next)
	{
		xmlNodePtr	c;
		s3_delete_error *e;

		if (s3x_name_is(n, "Deleted"))
		{
			res.ndeleted++;
			continue;
		}
		if (!s3x_name_is(n, "Error"))
			continue;
		res.errors = s3x_array_reserve(res.errors, res.nerrors + 1, &cap, sizeof(s3_delete_error));
		if (res.errors == NULL)
			goto oom;
		e = &res.errors[res.nerrors++];
		memset(e, 0, sizeof(*e));
		for (c = n->children; c != NULL; c = c->next)
		{
			if ((s3x_name_is(c, "Key") && !s3x_take_text(c, &e->key)) ||
				(s3x_name_is(c, "Code") && !s3x_take_text(c, &e->code)) ||
				(s3x_name_is(c, "Message") && !s3x_take_text(c, &e->message)))
				goto oom;
		}
		if (e->key == NULL)
		{
			core_set_error(errbuf, errlen, "an <Error> without <Key> in %s", what);
			goto fail;
		}
	}
	xmlFreeDoc(doc);
	*out = res;
	return 0;

oom:
	core_set_error(errbuf, errlen, "out of memory parsing %s", what);
fail:
	xmlFreeDoc(doc);
	s3_delete_result_free(&res);
	return -1;
}
