/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The crypto API's list of algorithms, its lock, and the removal of the
 * instances built on an algorithm: declared in the kernel's
 * crypto/internal.h, which is not installed with the headers; exported
 * (GPL) by crypto/api.c and crypto/algapi.c.  sspi_async.c changes a
 * priority the way crypto_user does, and looks a driver name up.
 */
#ifndef SSPI_ASYNC_H
#define SSPI_ASYNC_H

#include <linux/list.h>
#include <linux/rwsem.h>

struct crypto_alg;

extern struct list_head crypto_alg_list;
extern struct rw_semaphore crypto_alg_sem;

void crypto_remove_spawns(struct crypto_alg *alg, struct list_head *list,
			  struct crypto_alg *nalg);
void crypto_remove_final(struct list_head *list);

#endif /* SSPI_ASYNC_H */
