/*
 * strset.c - a map of strings to pointers, with open addressing and FNV-1a:
 * the ids of a feed (the runner's, and the feed backends' own check,
 * mx_feed_claim_id()) and the directories a run has swept.
 */
#include <stdlib.h>
#include <string.h>

#include "core/support.h"

static size_t
S_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct mx_strset_entry *
S_slot(struct mx_strset_entry *e, size_t cap, const char *key)
{
	size_t i;

	for (i = S_hash(key) & (cap - 1); e[i].key != NULL;
	     i = (i + 1) & (cap - 1))
		if (strcmp(e[i].key, key) == 0)
			break;
	return &e[i];
}

int
mx_strset_find(const struct mx_strset *set, const char *key, const void **value)
{
	const struct mx_strset_entry *slot;

	if (set->cap == 0)
		return 0;
	slot = S_slot(set->e, set->cap, key);
	if (slot->key == NULL)
		return 0;
	if (value != NULL)
		*value = slot->value;
	return 1;
}

int
mx_strset_add(struct mx_strset *set, const char *key, const void *value,
              const void **old)
{
	struct mx_strset_entry *slot;

	if (set->count * 2 >= set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		struct mx_strset_entry *e = calloc(cap, sizeof(*e));
		if (e == NULL)
			return -1;
		for (size_t i = 0; i < set->cap; i++)
			if (set->e[i].key != NULL)
				*S_slot(e, cap, set->e[i].key) = set->e[i];
		free(set->e);
		set->e = e;
		set->cap = cap;
	}
	slot = S_slot(set->e, set->cap, key);
	if (slot->key != NULL) {
		if (old != NULL)
			*old = slot->value;
		return 0;
	}
	slot->key = strdup(key);
	if (slot->key == NULL)
		return -1;
	slot->value = value;
	set->count++;
	return 1;
}

void
mx_strset_clear(struct mx_strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->e[i].key);
	free(set->e);
	memset(set, 0, sizeof(*set));
}

int
mx_feed_claim_id(struct mx_strset *ids, const struct mx_document *doc,
                 const struct mx_diag *diag)
{
	int rc = mx_strset_add(ids, doc->id, NULL, NULL);

	if (rc < 0) {
		mx_report(diag, MX_ERROR, doc->source, 0, "out of memory");
		return -1;
	}
	if (rc == 0) {
		mx_report(diag, MX_ERROR, doc->source, 0,
		          "the id '%s' is in the feed already; ids in a feed "
		          "are unique",
		          doc->id);
		return -1;
	}
	return 0;
}
