/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure part of mint-qmp: just enough JSON to read QEMU's QMP lines
 * (greeting, returns, errors, events) and to take one value out of them.
 * Nothing here allocates or does I/O.
 */
#ifndef MINT_QMP_H
#define MINT_QMP_H

#include <stddef.h>

enum qmp_kind {
	QMP_BAD, /* not a JSON object */
	QMP_GREETING, /* {"QMP": ...} */
	QMP_RETURN, /* {"return": ...} */
	QMP_ERROR, /* {"error": {"class", "desc"}} */
	QMP_EVENT, /* {"event": ..., "timestamp": ...} */
	QMP_OTHER, /* an object with none of those keys */
};

/*
 * The length of the JSON value at @s (after leading blanks, which count),
 * at most @n bytes: an object, array, string, number or literal. 0 when
 * @s does not start with a complete, well-formed value.
 */
size_t qmp_json_span(const char *s, size_t n);

/*
 * The value at @path ("a.b.c": keys of nested objects) in the JSON object
 * @json into @out (@len bytes, NUL-terminated): a string without its
 * quotes, its escapes \" \\ \/ \n \t undone (any other escape: -1); any
 * other value as its JSON text. 0 on success; -1 when the path is not
 * there, the text is not JSON or the value does not fit.
 */
int qmp_json_get(const char *json, const char *path, char *out, size_t len);

/* What QMP line @line is. */
enum qmp_kind qmp_kind(const char *line);

/*
 * The command line {"execute": @cmd[, "arguments": @args]}\n into @out.
 * @cmd: letters, digits, '-' and '_'; @args: NULL or one JSON object.
 * 0, or -1 when either is malformed or it does not fit.
 */
int qmp_command(const char *cmd, const char *args, char *out, size_t len);

#endif
