/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the differences between the kernels the module builds
 * against (6.1 to 7.2) are bridged here, and only here -- by feature, not
 * by version number, so that distribution backports are handled too.
 * Kbuild tells which features the target kernel has (SSPI_HAVE_*).
 */
#ifndef _SSPI_KMOD_COMPAT_H
#define _SSPI_KMOD_COMPAT_H

#include <linux/crypto.h>

/* 6.12 moved the unaligned access helpers from asm/ to linux/. */
#ifdef SSPI_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * The generic netlink family: its policies and ops are generated from
 * Documentation/netlink/specs/sspi.yaml by ynl_gen_c.py (generated/netlink.c,
 * which includes this header) for kernels with split ops (6.2).
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>

/* 6.2 made a policy's range pointer const; 6.1's is not. */
#ifndef SSPI_HAVE_CONST_NLA_RANGE
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (struct netlink_range_validation *)(_range),		\
}
#endif

/* 6.2: the largest length of a binary attribute. */
#ifndef NLA_POLICY_MAX_LEN
#define NLA_POLICY_MAX_LEN(_len)	NLA_POLICY_MAX(NLA_BINARY, _len)
#endif

#ifdef SSPI_HAVE_GENL_SPLIT_OPS
/* The generated split ops, as the family's own. */
#define SSPI_GENL_SPLIT_OPS(table, n)	.split_ops = (table), .n_split_ops = (n)

static inline int sspi_genl_register_family(struct genl_family *family)
{
	return genl_register_family(family);
}

static inline void sspi_genl_unregister_family(struct genl_family *family)
{
	genl_unregister_family(family);
}
#else
/*
 * 6.1 has one struct genl_ops per command, doit and dumpit together, where
 * split ops have one entry for each.  The generated table compiles as
 * genl_ops (the members it sets have the same names) with a command's do
 * and dump entries next to each other; registering merges them into one
 * op.  A merged dump is validated with the do's policy when it has none of
 * its own, and the op needs the permissions of both.  So on 6.1 a dump of
 * CTX_GET refuses attributes outside that policy, where 6.2 and later
 * ignore a dump's attributes; and a spec giving a dump a policy of its own
 * different from its do's cannot register here (the WARN below).
 */
#define genl_split_ops			genl_ops
#define SSPI_GENL_SPLIT_OPS(table, n)	.ops = (table), .n_ops = (n)

static inline int sspi_genl_register_family(struct genl_family *family)
{
	const u8 caps = GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP | GENL_CMD_CAP_HASPOL;
	const struct genl_ops *split = family->ops;
	unsigned int i, n = 0, n_split = family->n_ops;
	struct genl_ops *ops, *op;
	int err;

	ops = kcalloc(n_split, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	for (i = 0; i < n_split; i++) {
		const struct genl_ops *s = &split[i];

		op = n && ops[n - 1].cmd == s->cmd ? &ops[n - 1] : &ops[n++];
		if (WARN_ON(op->policy && s->policy && op->policy != s->policy)) {
			kfree(ops);
			return -EINVAL;
		}
		op->cmd = s->cmd;
		op->flags |= s->flags & ~caps;
		if (s->policy) {
			op->policy = s->policy;
			op->maxattr = s->maxattr;
		}
		if (s->doit)
			op->doit = s->doit;
		if (s->dumpit) {
			op->start = s->start;
			op->dumpit = s->dumpit;
			op->done = s->done;
		}
	}
	family->ops = ops;
	family->n_ops = n;
	err = genl_register_family(family);
	if (err) {
		family->ops = split;
		family->n_ops = n_split;
		kfree(ops);
	}
	return err;
}

static inline void sspi_genl_unregister_family(struct genl_family *family)
{
	genl_unregister_family(family);
	kfree(family->ops);
}
#endif

/*
 * Newer kernels (7.2 among them) renamed struct ns_common's reference
 * count from count to __ns_ref.  Only the KUnit suites touch it, to make
 * stand-in namespaces (alive or dying); the module asks check_net().
 */
#ifdef SSPI_HAVE_NS_REF
#define sspi_net_refcount(net)	(&(net)->ns.__ns_ref)
#else
#define sspi_net_refcount(net)	(&(net)->ns.count)
#endif

/*
 * A crypto request's completion takes (void *data, int err) since 6.3,
 * the request itself before.  SSPI_CRYPTO_DONE(name, fn) defines the
 * completion @name, which calls void @fn(void *data, int err) with the
 * data the request was given.
 */
#ifdef SSPI_HAVE_CRYPTO_DONE_DATA
#define SSPI_CRYPTO_DONE(name, fn)					\
	static void name(void *data, int err)				\
	{								\
		fn(data, err);						\
	}
#else
#define SSPI_CRYPTO_DONE(name, fn)					\
	static void name(struct crypto_async_request *base, int err)	\
	{								\
		fn(base->data, err);					\
	}
#endif

/*
 * Page @n of a physically contiguous range: 7.x dropped nth_page() (a
 * macro before), pages of one range being contiguous in the memmap.
 */
#include <linux/mm.h>
#ifdef nth_page
#define sspi_nth_page(page, n)	nth_page(page, n)
#else
#define sspi_nth_page(page, n)	((page) + (n))
#endif

#endif /* _SSPI_KMOD_COMPAT_H */
