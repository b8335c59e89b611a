// SPDX-License-Identifier: GPL-2.0
/*
 * mintbench: the evaluation program of docs/benchmarks.md. CPU (a register
 * incremented M times), memory (memcpy of 256, 512 and 1024 KiB, N times
 * each) and I/O (L random block reads from a disk, bypassing the page
 * cache), each measured --reps times with the TSC; one CSV line per
 * repetition on stdout.
 */
#include <stdio.h>

#include "mintbench.h"

int main(int argc, char *argv[])
{
	return mb_main(argc, argv, stdout, stderr);
}
