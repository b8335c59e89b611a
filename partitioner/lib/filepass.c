// SPDX-License-Identifier: GPL-2.0
/*
 * The file pass, before the syntax pass (parse.c): is this a text file a
 * config could be? Not empty, not too big, lines not too long, no NUL or
 * control characters, strict UTF-8.
 */
#include <errno.h>

#include "internal.h"

/* Length of the UTF-8 sequence at p (strict: no overlongs, no surrogates). */
static size_t utf8_len(const unsigned char *p, size_t left)
{
	unsigned int c = p[0];
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if (c == 0xe0 && p[1] < 0xa0)
		return 0;
	if (c == 0xed && p[1] >= 0xa0)
		return 0;
	if (c == 0xf0 && p[1] < 0x90)
		return 0;
	if (c == 0xf4 && p[1] >= 0x90)
		return 0;
	return n;
}

int mint_file_pass(const char *buf, size_t len, struct mint_diags *d)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i = 0, line_start = 0, n;
	unsigned int line = 1;

	if (len == 0)
		return mint_diag_add(d, 0, MINT_SCOPE_FILE, NULL, NULL,
				     "the file is empty; a config needs at "
				     "least '[partition]' and 'version = %d'",
				     MINT_CONFIG_VERSION),
		       -EINVAL;
	if (len > MINT_FILE_MAX)
		return mint_diag_add(d, 0, MINT_SCOPE_FILE, NULL, NULL,
				     "the file is larger than the 1 MiB "
				     "limit; is this the partition config?"),
		       -EINVAL;
	while (i < len) {
		unsigned int c = p[i];

		if (c == '\n' || i + 1 == len) {
			size_t end = c == '\n' ? i : i + 1;

			if (end - line_start > MINT_LINE_MAX)
				return mint_diag_add(
					       d, line, MINT_SCOPE_FILE, NULL,
					       NULL,
					       "the line is %zu bytes long, "
					       "more than the %d-byte limit; "
					       "is this the partition config?",
					       end - line_start, MINT_LINE_MAX),
				       -EINVAL;
		}
		if (c == '\n') {
			line++;
			line_start = ++i;
			continue;
		}
		if (c == 0)
			return mint_diag_add(d, line, MINT_SCOPE_FILE, NULL,
					     NULL,
					     "NUL byte at column %zu: this is "
					     "binary data, not a config; give "
					     "the partition config text file",
					     i - line_start + 1),
			       -EINVAL;
		if ((c < 0x20 && c != '\t' &&
		     !(c == '\r' && i + 1 < len && p[i + 1] == '\n')) ||
		    c == 0x7f)
			return mint_diag_add(d, line, MINT_SCOPE_FILE, NULL,
					     NULL,
					     "control character 0x%02x at "
					     "column %zu; a config is plain "
					     "text, remove it",
					     c, i - line_start + 1),
			       -EINVAL;
		n = utf8_len(p + i, len - i);
		if (!n)
			return mint_diag_add(d, line, MINT_SCOPE_FILE, NULL,
					     NULL,
					     "byte 0x%02x at column %zu is not "
					     "UTF-8 text; save the file as "
					     "UTF-8 or plain ASCII",
					     c, i - line_start + 1),
			       -EINVAL;
		i += n;
	}
	return 0;
}
