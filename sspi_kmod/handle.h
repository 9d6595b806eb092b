/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: context handles, unguessable and never reused (handle.c).
 */
#ifndef _SSPI_KMOD_HANDLE_H
#define _SSPI_KMOD_HANDLE_H

#include <linux/siphash.h>
#include <linux/types.h>

void sspi_handle_init(void);
u64 sspi_handle_next(u64 *counter);
u64 sspi_handle_counter(u64 handle);
u64 sspi_handle_permute(const siphash_key_t *key, u64 x);
u64 sspi_handle_unpermute(const siphash_key_t *key, u64 y);

#endif /* _SSPI_KMOD_HANDLE_H */
