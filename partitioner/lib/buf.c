// SPDX-License-Identifier: GPL-2.0
/* Growable NUL-terminated text buffer; an allocation failure sticks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

void mint_buf_init(struct mint_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->nomem = false;
}

void mint_buf_free(struct mint_buf *b)
{
	free(b->data);
	mint_buf_init(b);
}

static int reserve(struct mint_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->nomem)
		return -ENOMEM;
	if (extra > SIZE_MAX / 2 - b->len - 1)
		goto nomem;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		goto nomem;
	b->data = p;
	b->cap = cap;
	return 0;
nomem:
	b->nomem = true;
	return -ENOMEM;
}

int mint_buf_add(struct mint_buf *b, const char *s, size_t len)
{
	if (reserve(b, len))
		return -ENOMEM;
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int mint_buf_puts(struct mint_buf *b, const char *s)
{
	return mint_buf_add(b, s, strlen(s));
}

int mint_buf_vprintf(struct mint_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -EINVAL;
	if (reserve(b, (size_t)n))
		return -ENOMEM;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int mint_buf_printf(struct mint_buf *b, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = mint_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return ret;
}

int mint_next_line(const char **p, char *line, size_t cap, size_t *len)
{
	const char *nl = strchr(*p, '\n');

	*len = nl ? (size_t)(nl - *p) : strlen(*p);
	if (*len >= cap)
		return -ERANGE;
	memcpy(line, *p, *len);
	line[*len] = 0;
	*p += *len + (nl ? 1 : 0);
	return 0;
}
