/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the failure statuses, numbered for the context counters.
 */
#ifndef _SSPI_KMOD_STATUS_H
#define _SSPI_KMOD_STATUS_H

#include <linux/types.h>

unsigned int sspi_status_failure_index(u32 status);
u32 sspi_status_failure(unsigned int index);

#endif /* _SSPI_KMOD_STATUS_H */
