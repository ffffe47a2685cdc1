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
#include <linux/kallsyms.h>
#include <linux/bpfrt.h>
#include <linux/slab.h>

#include "bpfrt.h"
#include "costs.h"
#include "defer.h"
#include "events.h"
#include "registry.h"
#include "terminate.h"

/* The uapi promises no implicit padding; catch a layout mistake at build. */
static_assert(sizeof(struct bpfrt_version) == 152);
static_assert(sizeof(struct bpfrt_prog_summary) == 72);
static_assert(sizeof(struct bpfrt_prog_list) == 48);
static_assert(sizeof(struct bpfrt_prog_info) == 560);
static_assert(sizeof(struct bpfrt_prog_term) == 32);
static_assert(sizeof(struct bpfrt_costs_get) == 104);
static_assert(sizeof(struct bpfrt_costs_set) == 128);
static_assert(BPFRT_COSTS_FAULT_UNUSED == BPFRT_CM_FAULT_UNUSED);
static_assert(BPFRT_COSTS_FAULT_RANGE == BPFRT_CM_FAULT_RANGE);
static_assert(BPFRT_COSTS_PART_MAP_OP == BPFRT_CM_PART_MAP_OP);
static_assert(sizeof(((struct bpfrt_costs_set *)0)->description) ==
	      BPFRT_COSTS_DESC_LEN);
static_assert(sizeof(struct bpfrt_event) == 128);
/* The uapi mirrors the analyzer's flags and kinds; they must agree. */
static_assert(BPFRT_EST_F_UNBOUNDED == BPFRT_AN_F_UNBOUNDED);
static_assert(BPFRT_EST_F_LOOP_CAPPED == BPFRT_AN_F_LOOP_CAPPED);
static_assert(BPFRT_EST_F_TAIL_CALL == BPFRT_AN_F_TAIL_CALL);
static_assert(BPFRT_CONTRIB_UNKNOWN_CALL == BPFRT_AN_C_UNKNOWN_CALL);
static_assert(BPFRT_MOP_LOOKUP_PERCPU == (int)BPFRT_MAP_OP_LOOKUP_PERCPU);
static_assert(BPFRT_MOP_FOR_EACH == (int)BPFRT_MAP_OP_FOR_EACH);
static_assert(BPFRT_MAX_CONTRIB == BPFRT_AN_TOP_N);
static_assert(sizeof(struct bpfrt_contrib) == sizeof(struct bpfrt_an_contrib));

static bool bpfrt_caller_capable(void)
{
	return capable(CAP_BPF) || capable(CAP_SYS_ADMIN);
}

static int bpfrt_open(struct inode *inode, struct file *file)
{
	struct bpfrt_reader *r;

	if (!bpfrt_caller_capable())
		return -EPERM;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	bpfrt_reader_init(r);
	file->private_data = r;
	return nonseekable_open(inode, file);
}

static int bpfrt_release(struct inode *inode, struct file *file)
{
	bpfrt_reader_release(file->private_data);
	kfree(file->private_data);
	return 0;
}

static ssize_t bpfrt_read(struct file *file, char __user *buf, size_t len,
			  loff_t *ppos)
{
	return bpfrt_events_read(file->private_data, file, buf, len);
}

static __poll_t bpfrt_poll(struct file *file, poll_table *wait)
{
	return bpfrt_events_poll(file->private_data, file, wait);
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
	/*
	 * A larger struct's tail is checked for zeros byte by byte: bound
	 * the work a caller can ask for, as clone3() does.
	 */
	if (*usize > PAGE_SIZE)
		return -E2BIG;
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
	v.features = BPFRT_FEAT_VERSION | BPFRT_FEAT_CAPTURE |
		     BPFRT_FEAT_EVENTS | BPFRT_FEAT_COSTS | BPFRT_FEAT_WATCHDOG |
		     BPFRT_FEAT_COSTS_SET;
	strscpy(v.module_version, BPFRT_VERSION, sizeof(v.module_version));
	strscpy(v.kernel_release, utsname()->release, sizeof(v.kernel_release));
	return bpfrt_copy_arg_out(uarg, &v, sizeof(v), usize);
}

/* --- PROG_LIST ---------------------------------------------------------- */

/*
 * The page is copied into @out under the registry lock and to the caller
 * after it: a user copy that faults slowly (userfaultfd, FUSE) must not
 * hold the lock every program load and free takes.
 */
struct bpfrt_list_state {
	struct bpfrt_prog_summary *out;
	u32 room;		/* entries @out holds */
	u32 written;
	u32 next_id;
};

static int bpfrt_list_one(struct bpfrt_prog_rec *rec, void *arg)
{
	struct bpfrt_list_state *st = arg;

	if (st->written == st->room) {
		/* Full: this one starts the next page. */
		st->next_id = bpfrt_rec_id(rec);
		return 1;
	}
	st->out[st->written] = rec->sum;
	st->out[st->written].id = bpfrt_rec_id(rec);
	st->written++;
	return 0;
}

/* Entries older callers know must hold at least the version-1 fields. */
#define BPFRT_SUMMARY_SIZE_V1 sizeof(struct bpfrt_prog_summary)
#define BPFRT_LIST_MAX_ENTRY (16 * sizeof(struct bpfrt_prog_summary))

/* Each entry padded with zeros to the caller's entry_size. */
static int bpfrt_list_copy_out(const struct bpfrt_prog_list *l,
			       const struct bpfrt_prog_summary *sums, u32 n)
{
	u8 __user *out = u64_to_user_ptr(l->entries);
	u32 len = min_t(u32, l->entry_size, sizeof(*sums)), i;

	for (i = 0; i < n; i++, out += l->entry_size)
		if (copy_to_user(out, &sums[i], len) ||
		    (l->entry_size > len &&
		     clear_user(out + len, l->entry_size - len)))
			return -EFAULT;
	return 0;
}

static long bpfrt_ioctl_prog_list(void __user *uarg)
{
	struct bpfrt_list_state st = {};
	struct bpfrt_prog_list l;
	u32 usize;
	int ret;

	ret = bpfrt_copy_arg_in(&l, sizeof(l), uarg, &usize);
	if (ret)
		return ret;
	if (l.total || l.next_id || !bpfrt_all_zero(l.reserved, sizeof(l.reserved)))
		return -EINVAL;
	if (l.entry_size < BPFRT_SUMMARY_SIZE_V1 ||
	    l.entry_size > BPFRT_LIST_MAX_ENTRY)
		return -EINVAL;
	if (l.count && !l.entries)
		return -EINVAL;

	/* No summary without its estimate: those deferred are made now. */
	ret = bpfrt_defer_settle_all();
	if (ret)
		return ret;
	/*
	 * No more than exist now; programs loaded meanwhile are on the next
	 * page (next_id), which callers follow anyway.
	 */
	st.room = min(l.count, bpfrt_registry_count());
	if (st.room) {
		st.out = kvmalloc_array(st.room, sizeof(*st.out), GFP_KERNEL);
		if (!st.out)
			return -ENOMEM;
	}
	mutex_lock(&bpfrt_registry_lock);
	l.total = bpfrt_registry_count();
	ret = bpfrt_registry_walk_ids(l.start_id, bpfrt_list_one, &st);
	mutex_unlock(&bpfrt_registry_lock);
	if (ret >= 0)
		ret = bpfrt_list_copy_out(&l, st.out, st.written);
	kvfree(st.out);
	if (ret < 0)
		return ret;
	l.count = st.written;
	l.next_id = st.next_id;
	return bpfrt_copy_arg_out(uarg, &l, sizeof(l), usize);
}

/* --- PROG_INFO ---------------------------------------------------------- */

/*
 * sprint_symbol_no_offset() writes up to KSYM_SYMBOL_LEN bytes (and always
 * touches namebuf[KSYM_NAME_LEN - 1], kernel/kallsyms.c: __sprint_symbol),
 * far more than the record's field: print into @sym, then copy.
 */
static void bpfrt_site_to_user(struct bpfrt_call_site *u,
			       const struct bpfrt_site *s, char *sym)
{
	memset(u, 0, sizeof(*u));
	u->func = s->func;
	u->insn = s->insn;
	u->jit_off = s->jit_off;
	u->kind = s->kind;
	u->op = s->op;
	u->id = s->id;
	sprint_symbol_no_offset(sym, s->target);
	strscpy(u->target, sym, sizeof(u->target));
}

static long bpfrt_ioctl_prog_info(void __user *uarg)
{
	struct bpfrt_call_site *sites = NULL;
	struct bpfrt_map_desc *maps = NULL;
	struct bpfrt_prog_rec *rec;
	char *sym = NULL;
	struct bpfrt_prog_info *info;
	u32 usize, room, nsites = 0, nmaps = 0, i;
	int ret;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	ret = bpfrt_copy_arg_in(info, sizeof(*info), uarg, &usize);
	if (ret)
		goto out;
	/* Only id, site_cnt and the two pointers are input. */
	room = info->site_cnt;
	{
		struct bpfrt_prog_info z = {};

		z.size = info->size;
		z.id = info->id;
		z.site_cnt = info->site_cnt;
		z.sites = info->sites;
		z.maps = info->maps;
		if (memcmp(&z, info, sizeof(z))) {
			ret = -EINVAL;
			goto out;
		}
	}
	if (room > 65536 || (room && !info->sites)) {
		ret = -EINVAL;
		goto out;
	}

	/* Snapshot under the lock; user copies happen after it. */
	sites = room ? kvcalloc(room, sizeof(*sites), GFP_KERNEL) : NULL;
	if (room)
		sym = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (info->maps)
		maps = kcalloc(BPFRT_MAX_MAPS, sizeof(*maps), GFP_KERNEL);
	if ((room && (!sites || !sym)) || (info->maps && !maps)) {
		ret = -ENOMEM;
		goto out;
	}

	mutex_lock(&bpfrt_registry_lock);
	rec = bpfrt_registry_find_id(info->id);
	/* Its estimate may have been deferred (defer.c). */
	while (rec && rec->est_state != BPFRT_EST_DONE) {
		bpfrt_defer_settle(rec);
		rec = bpfrt_registry_find_id(info->id);
	}
	if (!rec) {
		mutex_unlock(&bpfrt_registry_lock);
		ret = -ENOENT;
		goto out;
	}
	info->summary = rec->sum;
	info->summary.id = bpfrt_rec_id(rec);
	info->verified_insns = rec->verified_insns;
	info->verify_ns = rec->verify_ns;
	info->jited_len = rec->jited_len;
	info->best_ps = rec->est.best_ps;
	info->worst_ps = rec->est.worst_ps;
	info->best_insns = rec->est.best_insns;
	info->worst_insns = rec->est.worst_insns;
	info->best_helper_calls = rec->est.best_helper_calls;
	info->worst_helper_calls = rec->est.worst_helper_calls;
	info->contrib_cnt = min_t(u32, rec->est.contrib_cnt, BPFRT_MAX_CONTRIB);
	memcpy(info->contrib, rec->est.contrib,
	       info->contrib_cnt * sizeof(info->contrib[0]));
	info->map_cnt = rec->map_cnt;
	nsites = min(room, rec->site_cnt);
	for (i = 0; i < nsites; i++)
		bpfrt_site_to_user(&sites[i], &rec->sites[i], sym);
	info->site_cnt = rec->site_cnt;
	info->term_requested = atomic64_read(&rec->term.requested);
	info->term_completed = atomic64_read(&rec->term.completed);
	info->term_last_latency_ns = atomic64_read(&rec->term.last_latency_ns);
	info->term_stub_hits = atomic64_read(&rec->term.stub_hits);
	info->term_state = (READ_ONCE(rec->term.patches) ? BPFRT_TERM_ARMED : 0) |
			   (READ_ONCE(rec->term.all_cpus) ? BPFRT_TERM_ALL_CPUS : 0);
	info->image_crc32 = bpfrt_term_image_crc(rec);
	if (maps) {
		nmaps = min_t(u32, rec->map_cnt, BPFRT_MAX_MAPS);
		memcpy(maps, rec->maps, nmaps * sizeof(*maps));
	}
	mutex_unlock(&bpfrt_registry_lock);

	if ((nsites && copy_to_user(u64_to_user_ptr(info->sites), sites,
				    nsites * sizeof(*sites))) ||
	    (nmaps && copy_to_user(u64_to_user_ptr(info->maps), maps,
				   nmaps * sizeof(*maps)))) {
		ret = -EFAULT;
		goto out;
	}
	ret = bpfrt_copy_arg_out(uarg, info, sizeof(*info), usize);
out:
	kfree(sym);
	kvfree(sites);
	kfree(maps);
	kfree(info);
	return ret;
}

/* --- PROG_TERMINATE / PROG_RESTORE --------------------------------------- */

static long bpfrt_ioctl_prog_term(void __user *uarg, bool terminate)
{
	struct bpfrt_prog_term t;
	u32 usize;
	int ret;

	/* It rewrites a running program's code: an admin's act. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = bpfrt_copy_arg_in(&t, sizeof(t), uarg, &usize);
	if (ret)
		return ret;
	if (t.sites || t.reserved0 || !bpfrt_all_zero(t.reserved, sizeof(t.reserved)))
		return -EINVAL;
	ret = terminate ? bpfrt_term_prog(t.id, &t.sites) :
			  bpfrt_term_restore(t.id, &t.sites);
	if (ret)
		return ret;
	return bpfrt_copy_arg_out(uarg, &t, sizeof(t), usize);
}

/* --- COSTS_GET ---------------------------------------------------------- */

static long bpfrt_ioctl_costs_get(void __user *uarg)
{
	struct bpfrt_cost_model *cm;
	struct bpfrt_costs_get g;
	u32 usize, need = sizeof(*bpfrt_costs);
	int ret;

	ret = bpfrt_copy_arg_in(&g, sizeof(g), uarg, &usize);
	if (ret)
		return ret;
	if (g.source || g.reserved0 || g.generation || g.reserved1 ||
	    !bpfrt_all_zero(g.description, sizeof(g.description)) ||
	    !bpfrt_all_zero(g.reserved, sizeof(g.reserved)))
		return -EINVAL;
	if (g.buf_size < need) {
		/* Say how much is needed; the caller retries. */
		g.buf_size = need;
		ret = bpfrt_copy_arg_out(uarg, &g, sizeof(g), usize);
		return ret ? ret : -ENOSPC;
	}
	if (!g.buf)
		return -EINVAL;
	/* A copy, so the user copy does not hold what every load takes. */
	cm = kvmalloc(need, GFP_KERNEL);
	if (!cm)
		return -ENOMEM;
	mutex_lock(&bpfrt_costs_lock);
	memcpy(cm, bpfrt_costs, need);
	g.source = bpfrt_costs_source;
	g.generation = bpfrt_costs_gen;
	strscpy(g.description, bpfrt_costs_description(),
		sizeof(g.description));
	mutex_unlock(&bpfrt_costs_lock);
	ret = copy_to_user(u64_to_user_ptr(g.buf), cm, need) ? -EFAULT : 0;
	kvfree(cm);
	if (ret)
		return ret;
	g.buf_size = need;
	return bpfrt_copy_arg_out(uarg, &g, sizeof(g), usize);
}

/* --- COSTS_SET ---------------------------------------------------------- */

/* Not empty, NUL-terminated, printable: it is shown in sysfs and logs. */
static bool bpfrt_costs_desc_ok(const char *d, size_t len)
{
	size_t i;

	if (!d[0])
		return false;
	for (i = 0; i < len && d[i]; i++)
		if (d[i] < 0x20 || d[i] > 0x7e)
			return false;
	return i < len;
}

static long bpfrt_ioctl_costs_set(void __user *uarg)
{
	struct bpfrt_cost_model *cm = NULL;
	struct bpfrt_cm_where where;
	struct bpfrt_costs_set s;
	bool builtin;
	u32 usize;
	int ret;

	/* Estimates drive the load policy: changing them is an admin's act. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = bpfrt_copy_arg_in(&s, sizeof(s), uarg, &usize);
	if (ret)
		return ret;
	if (s.reserved0 || s.progs || s.failed || s.fault || s.fault_part ||
	    s.fault_index || s.fault_op ||
	    !bpfrt_all_zero(s.reserved, sizeof(s.reserved)) ||
	    (s.flags & ~BPFRT_COSTS_SET_BUILTIN))
		return -EINVAL;
	builtin = s.flags & BPFRT_COSTS_SET_BUILTIN;
	if (builtin) {
		if (s.buf || s.buf_size ||
		    !bpfrt_all_zero(s.description, sizeof(s.description)))
			return -EINVAL;
	} else {
		if (!s.buf)
			return -EINVAL;
		if (s.buf_size != sizeof(*cm))
			return -EMSGSIZE;
		if (!bpfrt_costs_desc_ok(s.description, sizeof(s.description)))
			return -EINVAL;
		cm = kvmalloc(sizeof(*cm), GFP_KERNEL);
		if (!cm)
			return -ENOMEM;
		if (copy_from_user(cm, u64_to_user_ptr(s.buf), sizeof(*cm))) {
			kvfree(cm);
			return -EFAULT;
		}
		ret = bpfrt_cost_model_validate(cm, &where);
		if (ret) {
			/* Nothing changed; say what is wrong and where. */
			kvfree(cm);
			s.fault = where.fault;
			s.fault_part = where.part;
			s.fault_index = where.index;
			s.fault_op = where.op;
			bpfrt_copy_arg_out(uarg, &s, sizeof(s), usize);
			return ret;
		}
	}
	/* Takes cm, also on failure. */
	ret = bpfrt_costs_replace(cm, s.description, &s.progs, &s.failed);
	if (ret)
		return ret;
	return bpfrt_copy_arg_out(uarg, &s, sizeof(s), usize);
}

/*
 * The command number without its size bits. Every argument starts with
 * its own size (bpfrt_copy_arg_in), so a struct that grows keeps its
 * command: an older binary's number, which encodes the older size, is
 * the same command (Documentation/process/botching-up-ioctls.rst; DRM
 * dispatches on the number alone for the same reason). Magic, number and
 * direction must still match.
 */
#define BPFRT_IOC_SIZELESS(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

static long bpfrt_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	/* Anything smaller could not hold the leading size field. */
	if (_IOC_SIZE(cmd) < sizeof(u32))
		return -ENOTTY;
	switch (BPFRT_IOC_SIZELESS(cmd)) {
	case BPFRT_IOC_SIZELESS(BPFRT_IOC_VERSION):
		return bpfrt_ioctl_version(uarg);
	case BPFRT_IOC_SIZELESS(BPFRT_IOC_PROG_LIST):
		return bpfrt_ioctl_prog_list(uarg);
	case BPFRT_IOC_SIZELESS(BPFRT_IOC_PROG_INFO):
		return bpfrt_ioctl_prog_info(uarg);
	case BPFRT_IOC_SIZELESS(BPFRT_IOC_COSTS_GET):
		return bpfrt_ioctl_costs_get(uarg);
	case BPFRT_IOC_SIZELESS(BPFRT_IOC_COSTS_SET):
		return bpfrt_ioctl_costs_set(uarg);
	case BPFRT_IOC_SIZELESS(BPFRT_IOC_PROG_TERMINATE):
		return bpfrt_ioctl_prog_term(uarg, true);
	case BPFRT_IOC_SIZELESS(BPFRT_IOC_PROG_RESTORE):
		return bpfrt_ioctl_prog_term(uarg, false);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations bpfrt_fops = {
	.owner		= THIS_MODULE,
	.open		= bpfrt_open,
	.release	= bpfrt_release,
	.read		= bpfrt_read,
	.poll		= bpfrt_poll,
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
