// SPDX-License-Identifier: GPL-2.0
/* bpfrt(8): see cli.c; main() only binds the real streams. */
#include <stdio.h>

#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv, stdout, stderr);
}
