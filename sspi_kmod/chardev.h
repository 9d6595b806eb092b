/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the /dev/sspi misc device.
 */
#ifndef _SSPI_KMOD_CHARDEV_H
#define _SSPI_KMOD_CHARDEV_H

int sspi_chardev_init(void);
void sspi_chardev_exit(void);

#endif /* _SSPI_KMOD_CHARDEV_H */
