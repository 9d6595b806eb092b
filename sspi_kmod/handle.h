/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: context handles, unguessable and never reused (handle.c).
 */
#ifndef _SSPI_KMOD_HANDLE_H
#define _SSPI_KMOD_HANDLE_H

#include <linux/siphash.h>
#include <linux/types.h>

void sspi_handle_init(void);
u64 sspi_handle_next(void);
u64 sspi_handle_permute(const siphash_key_t *key, u64 x);

#endif /* _SSPI_KMOD_HANDLE_H */
