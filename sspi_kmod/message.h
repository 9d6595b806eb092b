/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the core's checks of every message operation.
 */
#ifndef _SSPI_KMOD_MESSAGE_H
#define _SSPI_KMOD_MESSAGE_H

#include <sspi_kmod/sspi.h>

int sspi_message_check(const struct sspi_message *msg);
int sspi_message_usable(const struct sspi_context *ctx);

#endif /* _SSPI_KMOD_MESSAGE_H */
