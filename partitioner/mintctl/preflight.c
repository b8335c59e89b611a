// SPDX-License-Identifier: GPL-2.0
/*
 * mintctl check --preflight CONFIG: the config against the machine in the
 * kernel it runs before mint. Standard output is the report (warnings,
 * and what only holds after the reboot); the problems come last, on
 * standard error as check's errors do, and make the exit status 3.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mintctl.h"

static void section(const struct cli_ctx *ctx, const char *title,
		    struct mint_diags *d, const char *file)
{
	struct mint_buf line;
	size_t i;

	if (!d->nr)
		return;
	fprintf(ctx->out, "%s\n", title);
	mint_diags_sort(d);
	for (i = 0; i < d->nr; i++) {
		mint_buf_init(&line);
		mint_diag_format(&d->v[i], file, &line);
		if (line.data)
			fprintf(ctx->out, "  %s\n", line.data);
		mint_buf_free(&line);
	}
}

static int report(const struct cli_ctx *ctx, const char *file,
		  struct mint_diags *errors, struct mint_diags *warnings,
		  struct mint_diags *notes)
{
	size_t nr = mint_diags_count(errors);
	char title[512];

	fprintf(ctx->out,
		"Pre-flight check of %s in the kernel running now, before "
		"the first boot into mint\n",
		file);
	section(ctx, "Warnings:", warnings, file);
	snprintf(title, sizeof(title),
		 "Only after the reboot into mint (node0 booted with "
		 "'mintctl bootargs %s'; then 'mintctl check --system %s' "
		 "checks them):",
		 file, file);
	section(ctx, title, notes, file);
	if (!nr) {
		fprintf(ctx->out, "No problems found.\n");
		return CLI_EXIT_OK;
	}
	fprintf(ctx->out,
		"%zu problem%s to fix before the reboot, on standard "
		"error.\n",
		nr, nr == 1 ? "" : "s");
	fflush(ctx->out);
	cli_print_diags(ctx, errors, file);
	return CLI_EXIT_CONFIG;
}

int cli_preflight(const struct cli_ctx *ctx, const char *path)
{
	const char *file = strcmp(path, "-") ? path : "<stdin>";
	struct mint_diags errors, warnings, notes;
	struct mint_files *files = NULL;
	struct mint_config cfg;
	struct mint_sysinfo si;
	char why[512];
	int ret, err;

	mint_config_init(&cfg);
	mint_sysinfo_init(&si);
	mint_diags_init(&errors);
	mint_diags_init(&warnings);
	mint_diags_init(&notes);
	ret = cli_load_config(ctx, path, &cfg, false);
	if (ret)
		goto out;
	err = mint_sysinfo_load(ctx->sysroot, MINT_SYSINFO_PREFLIGHT, &si, why,
				sizeof(why));
	if (err) {
		ret = cli_error(ctx,
				err == -ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_ENV,
				"%s", why);
		goto out;
	}
	files = calloc(1, sizeof(*files));
	if (!files) {
		ret = cli_error(ctx, CLI_EXIT_FAIL, "out of memory");
		goto out;
	}
	mint_files_load(ctx->sysroot, &cfg, files);
	err = mint_config_preflight(&cfg, &si, files, &errors, &warnings,
				    &notes);
	if (err == -ENOMEM)
		ret = cli_error(ctx, CLI_EXIT_FAIL, "out of memory");
	else
		ret = report(ctx, file, &errors, &warnings, &notes);
out:
	free(files);
	mint_diags_free(&errors);
	mint_diags_free(&warnings);
	mint_diags_free(&notes);
	mint_sysinfo_free(&si);
	mint_config_free(&cfg);
	return ret;
}
