/*
 * inputs.c - the inputs of a batch: files as given, every *.md below a
 * directory (walked with fts, which keeps its state in its handle), "-"
 * for standard input; and sharding.  Every input that cannot be read is
 * named through the caller's diagnostics.
 */
#include <errno.h>
#include <fts.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "medexport.h"

static int
S_add(struct mx_input_list *list, const char *path, const char *relative,
      const char *dir, size_t dirlen)
{
	struct mx_input *in;

	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		struct mx_input *items =
		        realloc(list->items, cap * sizeof(*items));
		if (items == NULL)
			return -1;
		list->items = items;
		list->cap = cap;
	}
	in = &list->items[list->count];
	in->path = strdup(path);
	in->relative = strdup(relative);
	in->dir = strndup(dir, dirlen);
	if (!in->path || !in->relative || !in->dir) {
		free(in->path);
		free(in->relative);
		free(in->dir);
		return -1;
	}
	list->count++;
	return 0;
}

static int
S_ends_with_md(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && strcmp(path + n - 3, ".md") == 0;
}

/* Inputs are in the order of their paths ("a/b.md" before "a/b/c.md"),
 * which is the order of a feed and of the ids made unique in it. */
static int
S_cmp_input(const void *a, const void *b)
{
	return strcmp(((const struct mx_input *)a)->path,
	              ((const struct mx_input *)b)->path);
}

/* One entry of the walk: 1 when it is an input, 0 when it is not, -1
 * after reporting a problem with it. */
static int
S_entry(FTS *fts, FTSENT *e, const struct mx_diag *diag)
{
	struct stat target;

	if (e->fts_level > 0 && e->fts_name[0] == '.') {
		if (e->fts_info == FTS_D)
			fts_set(fts, e, FTS_SKIP);
		return 0;
	}
	switch (e->fts_info) {
	case FTS_DNR:
	case FTS_ERR:
		mx_report(diag, MX_ERROR, e->fts_path, 0,
		          "cannot read directory: %s", strerror(e->fts_errno));
		return -1;
	case FTS_NS:
		/* Listed but not looked at: a directory that can be read
		 * and not entered. */
		if (!S_ends_with_md(e->fts_path))
			return 0;
		mx_report(diag, MX_ERROR, e->fts_path, 0, "cannot open: %s",
		          strerror(e->fts_errno));
		return -1;
	case FTS_SL:
	case FTS_SLNONE:
		/* Links to files are followed; links to directories are
		 * not, so a link loop cannot trap the walk. */
		if (!S_ends_with_md(e->fts_path))
			return 0;
		if (stat(e->fts_accpath, &target) != 0) {
			mx_report(diag, MX_ERROR, e->fts_path, 0,
			          "cannot open: %s", strerror(errno));
			return -1;
		}
		return S_ISREG(target.st_mode);
	case FTS_F:
		return S_ends_with_md(e->fts_path);
	case FTS_DEFAULT:
		if (!S_ends_with_md(e->fts_path))
			return 0;
		mx_report(diag, MX_ERROR, e->fts_path, 0, "not a regular file");
		return -1;
	default:
		return 0;
	}
}

/* Every *.md below the directory `arg`, in sorted order. */
static int
S_walk(struct mx_input_list *list, const char *arg, const struct mx_diag *diag)
{
	char *root = strdup(arg);
	char *argv[2] = {root, NULL};
	size_t n, before = list->count;
	int problems = 0;
	FTS *fts;
	FTSENT *e;

	if (root == NULL)
		return -1;
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		root[--n] = '\0';
	/* FTS_COMFOLLOW: a link named as the directory is followed. */
	fts = fts_open(argv, FTS_PHYSICAL | FTS_COMFOLLOW | FTS_NOCHDIR, NULL);
	if (fts == NULL) {
		mx_report(diag, MX_ERROR, arg, 0, "cannot read directory: %s",
		          strerror(errno));
		free(root);
		return 1;
	}
	while ((e = fts_read(fts)) != NULL) {
		int rc = S_entry(fts, e, diag);
		if (rc < 0) {
			problems++;
		} else if (rc > 0) {
			const char *path = e->fts_path;
			const char *slash = strrchr(path, '/');
			if (S_add(list, path, path + n + 1, path,
			          (size_t)(slash - path)) != 0) {
				problems = -1;
				break;
			}
		}
	}
	if (problems >= 0 && errno != 0 && e == NULL) {
		mx_report(diag, MX_ERROR, arg, 0, "cannot read directory: %s",
		          strerror(errno));
		problems++;
	}
	fts_close(fts);
	free(root);
	if (list->count > before)
		qsort(list->items + before, list->count - before,
		      sizeof(*list->items), S_cmp_input);
	if (problems >= 0 && list->count == before) {
		mx_report(diag, MX_ERROR, arg, 0,
		          "no *.md files in this directory");
		problems++;
	}
	return problems;
}

int
mx_inputs_add(struct mx_input_list *list, const char *arg,
              const struct mx_diag *diag)
{
	const char *slash;
	struct stat st;

	if (strcmp(arg, "-") == 0)
		return S_add(list, "-", "stdin.md", ".", 1) != 0 ? -1 : 0;
	if (stat(arg, &st) != 0) {
		mx_report(diag, MX_ERROR, arg, 0, "cannot open: %s",
		          strerror(errno));
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		errno = 0;
		return S_walk(list, arg, diag);
	}
	slash = strrchr(arg, '/');
	if (slash == NULL)
		return S_add(list, arg, arg, ".", 1) != 0 ? -1 : 0;
	if (slash == arg)
		return S_add(list, arg, slash + 1, "/", 1) != 0 ? -1 : 0;
	return S_add(list, arg, slash + 1, arg, (size_t)(slash - arg)) != 0 ? -1
	                                                                    : 0;
}

/* FNV-1a of the path below its input directory: the same file lands in
 * the same shard on every machine. */
static unsigned
S_shard_of(const char *relative, unsigned count)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)relative; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % count;
}

void
mx_inputs_shard(struct mx_input_list *list, unsigned index, unsigned count)
{
	size_t keep = 0;

	if (count == 0)
		return;
	for (size_t i = 0; i < list->count; i++) {
		struct mx_input *in = &list->items[i];
		if (S_shard_of(in->relative, count) == index) {
			list->items[keep++] = *in;
		} else {
			free(in->path);
			free(in->relative);
			free(in->dir);
		}
	}
	list->count = keep;
}

void
mx_inputs_free(struct mx_input_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].path);
		free(list->items[i].relative);
		free(list->items[i].dir);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}
