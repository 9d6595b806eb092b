/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the Negotiate package.
 */
#ifndef _SSPI_KMOD_NEGOTIATE_H
#define _SSPI_KMOD_NEGOTIATE_H

int sspi_negotiate_register(void);
void sspi_negotiate_unregister(void);

#endif /* _SSPI_KMOD_NEGOTIATE_H */
