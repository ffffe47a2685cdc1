/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small pieces the guest test programs share: how a program tells the
 * case script its id, and how it waits for the script's go-ahead.
 */
#ifndef BPFRT_GUEST_UTIL_H
#define BPFRT_GUEST_UTIL_H

#include <stdio.h>
#include <unistd.h>

/* Writes @id to @path (one line); 0, or -1 with errno set. */
static inline int write_id_file(const char *path, unsigned int id)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "%u\n", id);
	return fclose(f);
}

/* Returns once @path exists (the case script creates it); NULL: at once. */
static inline void wait_for_file(const char *path)
{
	while (path && access(path, F_OK))
		usleep(20000);
}

#endif /* BPFRT_GUEST_UTIL_H */
