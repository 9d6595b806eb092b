/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the core's checks of every message operation.
 */
#ifndef _SSPI_KMOD_MESSAGE_H
#define _SSPI_KMOD_MESSAGE_H

#include <linux/errno.h>
#include <sspi_kmod/sspi.h>

#include "context.h"

int sspi_message_check(const struct sspi_message *msg);

/* Whether the context may still be used; under the direction's lock. */
static inline int sspi_message_usable(const struct sspi_context *ctx)
{
	return sspi_context_expired(ctx) ? -EKEYEXPIRED : 0;
}

#endif /* _SSPI_KMOD_MESSAGE_H */
