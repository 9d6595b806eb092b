/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the TLS-record package.
 */
#ifndef _SSPI_KMOD_TLS_RECORD_H
#define _SSPI_KMOD_TLS_RECORD_H

int sspi_tls_register(void);
void sspi_tls_unregister(void);

#endif /* _SSPI_KMOD_TLS_RECORD_H */
