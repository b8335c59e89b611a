// SPDX-License-Identifier: GPL-2.0
/* Error collection, ordering and the one error format of docs/config.md. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

void mint_diags_init(struct mint_diags *d)
{
	d->v = NULL;
	d->nr = 0;
	d->cap = 0;
	d->nr_dropped = 0;
	d->nomem = false;
}

void mint_diags_free(struct mint_diags *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++)
		free(d->v[i].text);
	free(d->v);
	mint_diags_init(d);
}

size_t mint_diags_count(const struct mint_diags *d)
{
	return d->nr + d->nr_dropped;
}

static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

int mint_diag_add(struct mint_diags *d, unsigned int line,
		  enum mint_scope scope, const char *name, const char *key,
		  const char *fmt, ...)
{
	struct mint_diag *diag;
	struct mint_buf text;
	va_list ap;

	if (d->nr >= MINT_DIAG_STORE_MAX) {
		d->nr_dropped++;
		return 0;
	}
	if (d->nr == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct mint_diag *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			goto nomem;
		d->v = v;
		d->cap = cap;
	}
	mint_buf_init(&text);
	va_start(ap, fmt);
	mint_buf_vprintf(&text, fmt, ap);
	va_end(ap);
	if (text.nomem || !text.data) {
		mint_buf_free(&text);
		goto nomem;
	}
	diag = &d->v[d->nr];
	diag->line = line;
	diag->seq = (unsigned int)d->nr;
	diag->scope = scope;
	copy_str(diag->name, sizeof(diag->name), name);
	copy_str(diag->key, sizeof(diag->key), key);
	diag->text = text.data;
	d->nr++;
	return 0;
nomem:
	d->nomem = true;
	d->nr_dropped++;
	return -ENOMEM;
}

static int diag_cmp(const void *a, const void *b)
{
	const struct mint_diag *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return 0;
}

void mint_diags_sort(struct mint_diags *d)
{
	if (d->nr > 1)
		qsort(d->v, d->nr, sizeof(d->v[0]), diag_cmp);
}

int mint_diag_format(const struct mint_diag *diag, const char *file,
		     struct mint_buf *out)
{
	if (diag->line)
		mint_buf_printf(out, "%s:%u: ", file, diag->line);
	else
		mint_buf_printf(out, "%s: ", file);
	switch (diag->scope) {
	case MINT_SCOPE_FILE:
		break;
	case MINT_SCOPE_PARTITION:
		mint_buf_puts(out, "partition: ");
		break;
	case MINT_SCOPE_NODE:
		mint_buf_printf(out, "node '%s': ", diag->name);
		break;
	case MINT_SCOPE_VM:
		mint_buf_printf(out, "vm '%s': ", diag->name);
		break;
	}
	if (diag->key[0])
		mint_buf_printf(out, "%s: ", diag->key);
	mint_buf_puts(out, diag->text);
	return out->nomem ? -ENOMEM : 0;
}

/* Optimal string alignment distance (a swap of neighbours costs 1). */
static unsigned int osa_distance(const char *a, const char *b)
{
	unsigned int d[33][33];
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > 32 || lb > 32)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = (unsigned int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			unsigned int cost = tolower((unsigned char)a[i - 1]) !=
					    tolower((unsigned char)b[j - 1]);
			unsigned int v = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 &&
			    tolower((unsigned char)a[i - 1]) ==
				    tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) ==
				    tolower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *mint_suggest(const char *word, const char *const *cands)
{
	size_t len = strlen(word);
	unsigned int limit = len <= 2 ? 0 : len <= 4 ? 1 : 2;
	unsigned int best = limit + 1, dist;
	const char *pick = NULL;
	bool tie = false;

	for (; *cands; cands++) {
		dist = osa_distance(word, *cands);
		if (dist < best) {
			best = dist;
			pick = *cands;
			tie = false;
		} else if (dist == best && pick && strcmp(pick, *cands)) {
			tie = true;
		}
	}
	/* "node9" is as close to node0 as to node1: suggest neither. */
	return tie ? NULL : pick;
}
