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

#endif /* _SSPI_KMOD_COMPAT_H */
