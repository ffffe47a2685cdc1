// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/bpfrt: the query interface. A misc device, mode 0600; opening it also
 * needs CAP_BPF or CAP_SYS_ADMIN, the capabilities that already govern who
 * may inspect BPF programs (kernel/bpf/syscall.c: bpf_capable()).
 */
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/bpfrt.h>

#include "bpfrt.h"

/* The uapi promises no implicit padding; catch a layout mistake at build. */
static_assert(sizeof(struct bpfrt_version) == 152);

static bool bpfrt_caller_capable(void)
{
	return capable(CAP_BPF) || capable(CAP_SYS_ADMIN);
}

static int bpfrt_open(struct inode *inode, struct file *file)
{
	if (!bpfrt_caller_capable())
		return -EPERM;
	return nonseekable_open(inode, file);
}

/*
 * Reads an extensible argument struct: its first __u32 is the caller's size.
 * A caller's struct may be older (smaller; the rest reads as zero) or newer
 * (larger; its extra bytes must be zero, else -E2BIG).
 */
static int bpfrt_copy_arg_in(void *karg, size_t ksize, void __user *uarg,
			     u32 *usize)
{
	if (get_user(*usize, (u32 __user *)uarg))
		return -EFAULT;
	if (*usize < sizeof(u32))
		return -EINVAL;
	return copy_struct_from_user(karg, ksize, uarg, *usize);
}

/* Writes back no more than the caller asked for, and says how much. */
static int bpfrt_copy_arg_out(void __user *uarg, void *karg, size_t ksize,
			      u32 usize)
{
	u32 n = min_t(u32, usize, ksize);

	*(u32 *)karg = n;
	return copy_to_user(uarg, karg, n) ? -EFAULT : 0;
}

static bool bpfrt_all_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

static long bpfrt_ioctl_version(void __user *uarg)
{
	struct bpfrt_version v;
	u32 usize;
	int ret;

	ret = bpfrt_copy_arg_in(&v, sizeof(v), uarg, &usize);
	if (ret)
		return ret;
	/* Everything but the size is output: input must be all zero. */
	if (!bpfrt_all_zero((u8 *)&v + sizeof(v.size), sizeof(v) - sizeof(v.size)))
		return -EINVAL;

	memset(&v, 0, sizeof(v));
	v.abi_version = BPFRT_ABI_VERSION;
	v.features = BPFRT_FEAT_VERSION;
	strscpy(v.module_version, BPFRT_VERSION, sizeof(v.module_version));
	strscpy(v.kernel_release, utsname()->release, sizeof(v.kernel_release));
	return bpfrt_copy_arg_out(uarg, &v, sizeof(v), usize);
}

static long bpfrt_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case BPFRT_IOC_VERSION:
		return bpfrt_ioctl_version(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations bpfrt_fops = {
	.owner		= THIS_MODULE,
	.open		= bpfrt_open,
	.unlocked_ioctl	= bpfrt_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	/*
	 * No .llseek: nonseekable_open() clears FMODE_LSEEK, so lseek() gets
	 * -ESPIPE on every kernel (no_llseek itself is gone in 6.12).
	 */
};

static struct miscdevice bpfrt_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "bpfrt",
	.fops	= &bpfrt_fops,
	.mode	= 0600,
};

int bpfrt_chardev_init(void)
{
	int ret = misc_register(&bpfrt_miscdev);

	if (ret)
		pr_err("cannot register /dev/bpfrt: %d\n", ret);
	return ret;
}

void bpfrt_chardev_exit(void)
{
	misc_deregister(&bpfrt_miscdev);
}
