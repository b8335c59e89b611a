// SPDX-License-Identifier: GPL-2.0
/* The pure part of mint-qmp (qmp.h). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "qmp.h"

#define MAX_DEPTH 64

static size_t blanks(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n &&
	       (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i;
}

/* A string starting at s[0] == '"': its length with both quotes, or 0. */
static size_t string_span(const char *s, size_t n)
{
	size_t i;

	for (i = 1; i < n && s[i]; i++) {
		if (s[i] == '\\') {
			i++;
			if (i >= n || !s[i])
				return 0;
		} else if ((unsigned char)s[i] < 0x20) {
			return 0;
		} else if (s[i] == '"') {
			return i + 1;
		}
	}
	return 0;
}

static size_t scalar_span(const char *s, size_t n)
{
	static const char *const lit[] = { "true", "false", "null" };
	size_t i = 0, k;

	for (k = 0; k < 3; k++)
		if (n >= strlen(lit[k]) && !strncmp(s, lit[k], strlen(lit[k])))
			return strlen(lit[k]);
	if (i < n && s[i] == '-')
		i++;
	if (i >= n || !isdigit((unsigned char)s[i]))
		return 0;
	while (i < n &&
	       (isdigit((unsigned char)s[i]) || s[i] == '.' || s[i] == 'e' ||
		s[i] == 'E' || s[i] == '+' || s[i] == '-'))
		i++;
	return i;
}

static size_t value_span(const char *s, size_t n, unsigned int depth);

/* An object or array at s[0]: its length with the brackets, or 0. */
static size_t container_span(const char *s, size_t n, unsigned int depth)
{
	char close = s[0] == '{' ? '}' : ']';
	size_t i = 1, v;
	bool first = true;

	if (depth >= MAX_DEPTH)
		return 0;
	for (;;) {
		i += blanks(s + i, n - i);
		if (i >= n)
			return 0;
		if (s[i] == close && first)
			return i + 1;
		if (close == '}') {
			if (s[i] != '"')
				return 0;
			v = string_span(s + i, n - i);
			if (!v)
				return 0;
			i += v;
			i += blanks(s + i, n - i);
			if (i >= n || s[i] != ':')
				return 0;
			i++;
		}
		v = value_span(s + i, n - i, depth + 1);
		if (!v)
			return 0;
		i += v;
		i += blanks(s + i, n - i);
		if (i >= n)
			return 0;
		if (s[i] == close)
			return i + 1;
		if (s[i] != ',')
			return 0;
		i++;
		first = false;
	}
}

static size_t value_span(const char *s, size_t n, unsigned int depth)
{
	size_t b = blanks(s, n), v;

	if (b >= n)
		return 0;
	if (s[b] == '{' || s[b] == '[')
		v = container_span(s + b, n - b, depth);
	else if (s[b] == '"')
		v = string_span(s + b, n - b);
	else
		v = scalar_span(s + b, n - b);
	return v ? b + v : 0;
}

size_t qmp_json_span(const char *s, size_t n)
{
	return value_span(s, strnlen(s, n), 0);
}

/* The value of key @key (@klen bytes) of the object at @obj: its start
 * (after blanks) and length, or NULL. */
static const char *member(const char *obj, size_t n, const char *key,
			  size_t klen, size_t *vlen)
{
	size_t i = blanks(obj, n) + 1, k, v;
	bool match;

	if (i > n || obj[i - 1] != '{')
		return NULL;
	for (;;) {
		i += blanks(obj + i, n - i);
		if (i >= n || obj[i] != '"')
			return NULL;
		k = string_span(obj + i, n - i);
		if (!k)
			return NULL;
		match = k == klen + 2 && !memcmp(obj + i + 1, key, klen);

		i += k;
		i += blanks(obj + i, n - i);
		if (i >= n || obj[i] != ':')
			return NULL;
		i++;
		i += blanks(obj + i, n - i);
		v = value_span(obj + i, n - i, 1);
		if (!v)
			return NULL;
		if (match) {
			*vlen = v;
			return obj + i;
		}
		i += v;
		i += blanks(obj + i, n - i);
		if (i >= n || obj[i] != ',')
			return NULL;
		i++;
	}
}

/* The string value @s (@n bytes with quotes), unescaped into @out. */
static int unquote(const char *s, size_t n, char *out, size_t len)
{
	size_t i, o = 0;
	char c;

	for (i = 1; i + 1 < n; i++) {
		c = s[i];
		if (c == '\\') {
			c = s[++i];
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c != '"' && c != '\\' && c != '/')
				return -1;
		}
		if (o + 1 >= len)
			return -1;
		out[o++] = c;
	}
	out[o] = 0;
	return 0;
}

int qmp_json_get(const char *json, const char *path, char *out, size_t len)
{
	size_t n = qmp_json_span(json, strlen(json)), vlen = n, klen;
	const char *v = json + blanks(json, n), *dot;

	if (!n || !len)
		return -1;
	vlen = n - (size_t)(v - json);
	while (*path) {
		dot = strchr(path, '.');
		klen = dot ? (size_t)(dot - path) : strlen(path);
		v = member(v, vlen, path, klen, &vlen);
		if (!v)
			return -1;
		path += klen + (dot ? 1 : 0);
	}
	if (*v == '"')
		return unquote(v, vlen, out, len);
	if (vlen + 1 > len)
		return -1;
	memcpy(out, v, vlen);
	out[vlen] = 0;
	return 0;
}

enum qmp_kind qmp_kind(const char *line)
{
	size_t n = qmp_json_span(line, strlen(line)), v;
	const char *obj = line + blanks(line, n);

	if (!n || *obj != '{')
		return QMP_BAD;
	n -= (size_t)(obj - line);
	if (member(obj, n, "return", 6, &v))
		return QMP_RETURN;
	if (member(obj, n, "error", 5, &v))
		return QMP_ERROR;
	if (member(obj, n, "event", 5, &v))
		return QMP_EVENT;
	if (member(obj, n, "QMP", 3, &v))
		return QMP_GREETING;
	return QMP_OTHER;
}

int qmp_command(const char *cmd, const char *args, char *out, size_t len)
{
	size_t i, n;
	int w;

	if (!cmd[0])
		return -1;
	for (i = 0; cmd[i]; i++)
		if (!isalnum((unsigned char)cmd[i]) && cmd[i] != '-' &&
		    cmd[i] != '_')
			return -1;
	if (args) {
		n = qmp_json_span(args, strlen(args));
		if (!n ||
		    n + blanks(args + n, strlen(args) - n) != strlen(args) ||
		    args[blanks(args, n)] != '{')
			return -1;
		w = snprintf(out, len,
			     "{\"execute\": \"%s\", \"arguments\": %.*s}\n",
			     cmd, (int)(n - blanks(args, n)),
			     args + blanks(args, n));
	} else {
		w = snprintf(out, len, "{\"execute\": \"%s\"}\n", cmd);
	}
	return w < 0 || (size_t)w >= len ? -1 : 0;
}
