// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_abi: checks every validation rule of the /dev/bpfrt ABI from
 * userspace (Documentation/process/botching-up-ioctls.rst asks for one test
 * per validation failure). Prints one line per check; exits 1 if any fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/bpfrt.h>

static int failures;

static void check(int cond, const char *what)
{
	printf("%s: %s\n", cond ? "ok" : "FAIL", what);
	if (!cond)
		failures++;
}

/* ioctl() result as 0 or -errno */
static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

int main(void)
{
	struct bpfrt_version v;
	unsigned char big[sizeof(v) + 64];
	int fd, ret;

	fd = open(BPFRT_DEVICE_PATH, O_RDWR);
	if (fd < 0) {
		perror("open " BPFRT_DEVICE_PATH);
		return 1;
	}

	/* The normal query. */
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	ret = xioctl(fd, BPFRT_IOC_VERSION, &v);
	check(ret == 0, "version query succeeds");
	check(v.size == sizeof(v), "module reports the size it filled");
	check(v.abi_version == BPFRT_ABI_VERSION, "ABI version matches header");
	check(v.features & BPFRT_FEAT_VERSION, "version feature bit set");
	check(strlen(v.module_version) > 0, "module version present");

	/* Unknown commands: another number, and the right number with a
	 * different direction or magic encoded. */
	check(xioctl(fd, _IOWR(BPFRT_IOC_MAGIC, 0x7f, struct bpfrt_version),
		     &v) == -ENOTTY, "unknown command number -> ENOTTY");
	check(xioctl(fd, _IOWR(BPFRT_IOC_MAGIC, 0x00, __u16), &v) == -ENOTTY,
	      "encoded size too small for the size field -> ENOTTY");
	/* The encoded size is not part of the command: the struct's own size
	 * field governs (a binary built when the struct was smaller). */
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	check(xioctl(fd, _IOWR(BPFRT_IOC_MAGIC, 0x00, __u64), &v) == 0 &&
	      v.abi_version == BPFRT_ABI_VERSION,
	      "version number with another size encoded is still the version query");
	check(xioctl(fd, _IOR(BPFRT_IOC_MAGIC, 0x00, struct bpfrt_version),
		     &v) == -ENOTTY, "version number with wrong direction -> ENOTTY");
	check(xioctl(fd, _IOWR('X', 0x00, struct bpfrt_version), &v) == -ENOTTY,
	      "foreign magic -> ENOTTY");

	/* Size field validation. */
	memset(&v, 0, sizeof(v));
	v.size = 2;
	check(xioctl(fd, BPFRT_IOC_VERSION, &v) == -EINVAL,
	      "size smaller than the size field -> EINVAL");

	/* Input fields must be zero. */
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.reserved[3] = 1;
	check(xioctl(fd, BPFRT_IOC_VERSION, &v) == -EINVAL,
	      "non-zero reserved field -> EINVAL");
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.abi_version = 5;
	check(xioctl(fd, BPFRT_IOC_VERSION, &v) == -EINVAL,
	      "non-zero output field on input -> EINVAL");

	/* A newer, larger struct: zero tail accepted, non-zero tail refused. */
	memset(big, 0, sizeof(big));
	((struct bpfrt_version *)big)->size = sizeof(big);
	check(xioctl(fd, BPFRT_IOC_VERSION, big) == 0,
	      "larger struct with zero tail accepted");
	check(((struct bpfrt_version *)big)->size == sizeof(v),
	      "larger struct: module reports its own size");
	memset(big, 0, sizeof(big));
	((struct bpfrt_version *)big)->size = sizeof(big);
	big[sizeof(big) - 1] = 1;
	check(xioctl(fd, BPFRT_IOC_VERSION, big) == -E2BIG,
	      "larger struct with non-zero tail -> E2BIG");

	/* An older, smaller struct: only its bytes are written. */
	memset(big, 0xa5, sizeof(big));
	memset(big, 0, 16);
	((struct bpfrt_version *)big)->size = 16;
	check(xioctl(fd, BPFRT_IOC_VERSION, big) == 0,
	      "smaller struct accepted");
	check(((struct bpfrt_version *)big)->size == 16 &&
	      ((struct bpfrt_version *)big)->abi_version == BPFRT_ABI_VERSION &&
	      big[16] == 0xa5 && big[sizeof(v) - 1] == 0xa5,
	      "smaller struct: nothing written past its size");

	/* A struct larger than a page is refused before its tail is read. */
	{
		static unsigned char huge[2 * 4096];

		memset(huge, 0, sizeof(huge));
		((struct bpfrt_version *)huge)->size = sizeof(huge);
		check(xioctl(fd, BPFRT_IOC_VERSION, huge) == -E2BIG,
		      "struct larger than a page -> E2BIG");
	}

	/* Bad pointers. */
	check(xioctl(fd, BPFRT_IOC_VERSION, NULL) == -EFAULT,
	      "NULL argument -> EFAULT");
	check(xioctl(fd, BPFRT_IOC_VERSION, (void *)1) == -EFAULT,
	      "wild argument -> EFAULT");

	close(fd);
	printf("%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
