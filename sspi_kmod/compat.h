/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the differences between the kernels the module builds
 * against (6.1 to 7.2) are bridged here, and only here -- by feature, not
 * by version number, so that distribution backports are handled too.
 * Kbuild tells which features the target kernel has (SSPI_HAVE_*).
 */
#ifndef _SSPI_KMOD_COMPAT_H
#define _SSPI_KMOD_COMPAT_H

/* 6.12 moved the unaligned access helpers from asm/ to linux/. */
#ifdef SSPI_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
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

#endif /* _SSPI_KMOD_COMPAT_H */
