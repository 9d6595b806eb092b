/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the "sspi" generic netlink family.
 */
#ifndef _SSPI_KMOD_NETLINK_H
#define _SSPI_KMOD_NETLINK_H

int sspi_netlink_init(void);
void sspi_netlink_exit(void);

#endif /* _SSPI_KMOD_NETLINK_H */
