// SPDX-License-Identifier: GPL-2.0
/*
 * cbpf_attach: attaches a classic BPF socket filter ("accept everything")
 * to a UDP socket. The kernel turns it into an eBPF program through
 * bpf_prog_select_runtime() (net/core/filter.c: bpf_prepare_filter), which
 * bpfrt sees and deliberately does not record.
 */
#include <linux/filter.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sock_filter code[] = {
		{ BPF_RET | BPF_K, 0, 0, 0xffff },
	};
	struct sock_fprog fprog = { .len = 1, .filter = code };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog,
				 sizeof(fprog))) {
		perror("cbpf_attach");
		return 1;
	}
	close(fd);
	printf("ok\n");
	return 0;
}
