/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: every difference between the kernels the module builds
 * against (6.1 to 7.2) is bridged here, and only here.
 */
#ifndef _SSPI_KMOD_COMPAT_H
#define _SSPI_KMOD_COMPAT_H

#include <linux/export.h>
#include <linux/version.h>

/* 6.13 made the namespace argument of the export macros a string. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define SSPI_EXPORT_SYMBOL(sym) EXPORT_SYMBOL_NS_GPL(sym, "SSPI_KMOD")
#else
#define SSPI_EXPORT_SYMBOL(sym) EXPORT_SYMBOL_NS_GPL(sym, SSPI_KMOD)
#endif

#endif /* _SSPI_KMOD_COMPAT_H */
