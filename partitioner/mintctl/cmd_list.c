// SPDX-License-Identifier: GPL-2.0
/* mintctl list [--config=FILE] [--json]: the rows of status, names and
 * states only */
#include <getopt.h>
#include <string.h>

#include "mintctl.h"
#include "node.h"

static void print_lines(FILE *f, const struct node_rows *rows)
{
	int i, w = 0;

	for (i = 0; i < rows->nr; i++)
		if ((int)strlen(rows->v[i].ni.name) > w)
			w = (int)strlen(rows->v[i].ni.name);
	for (i = 0; i < rows->nr; i++)
		fprintf(f, "%-*s  %s\n", w, rows->v[i].ni.name,
			node_row_state(&rows->v[i]));
}

static int print_json(const struct cli_ctx *ctx, const struct node_rows *rows)
{
	struct mint_buf b;
	int i, ret;

	mint_buf_init(&b);
	mint_buf_puts(&b, "{\n  \"nodes\": [");
	for (i = 0; i < rows->nr; i++) {
		mint_buf_puts(&b,
			      i ? ",\n    { \"name\": " : "\n    { \"name\": ");
		mint_json_string(&b, rows->v[i].ni.name);
		mint_buf_puts(&b, ", \"state\": ");
		mint_json_string(&b, rows->v[i].ni.state);
		mint_buf_printf(&b, ", \"defined\": %s }",
				rows->v[i].defined ? "true" : "false");
	}
	mint_buf_puts(&b, rows->nr ? "\n  ]\n}\n" : "]\n}\n");
	ret = cli_write(ctx, &b);
	mint_buf_free(&b);
	return ret;
}

int cmd_list(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_getopt_tab g;
	const char *config = CLI_DEFAULT_CONFIG;
	bool json = false, explicit = false;
	struct node_rows rows;
	int opt, ret;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			explicit = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		default:
			return cli_bad_option(ctx, argv, opt);
		}
	}
	if (optind < argc)
		return cli_usage(ctx, "too many arguments ('mintctl status "
				      "NODE...' shows some nodes)");
	ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	ret = node_rows_load(ctx, config, explicit, &rows);
	if (!ret && json)
		ret = print_json(ctx, &rows);
	else if (!ret)
		print_lines(ctx->out, &rows);
	node_rows_free(&rows);
	return ret;
}
