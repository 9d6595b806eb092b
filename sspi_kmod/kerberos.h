/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the Kerberos package.
 */
#ifndef _SSPI_KMOD_KERBEROS_H
#define _SSPI_KMOD_KERBEROS_H

int sspi_krb5_register(void);
void sspi_krb5_unregister(void);

#endif /* _SSPI_KMOD_KERBEROS_H */
