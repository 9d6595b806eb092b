/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: rc4-hmac (RFC 4757) tokens of the Kerberos package, for the
 * Active Directory deployments that still need them; off unless the
 * administrator sets the module parameter allow_rc4.
 */
#ifndef _SSPI_KMOD_KRB5_RC4_H
#define _SSPI_KMOD_KRB5_RC4_H

#include <linux/types.h>
#include <sspi_kmod/sspi.h>

struct sspi_context;
struct sspi_krb5_rc4;

/* the module parameter allow_rc4; tests flip it */
extern bool sspi_krb5_allow_rc4;

int sspi_krb5_rc4_init(struct sspi_krb5_rc4 **out,
		       const struct sspi_krb5_import *imp);
void sspi_krb5_rc4_destroy(struct sspi_krb5_rc4 *r);
int sspi_krb5_rc4_encrypt(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
			  u32 qop, struct sspi_message *msg);
int sspi_krb5_rc4_decrypt(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
			  struct sspi_message *msg, u32 *qop);
int sspi_krb5_rc4_sign(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
		       u32 qop, struct sspi_message *msg);
int sspi_krb5_rc4_verify(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
			 struct sspi_message *msg, u32 *qop);
void sspi_krb5_rc4_query(struct sspi_krb5_rc4 *r, struct sspi_context_info *info);

#endif /* _SSPI_KMOD_KRB5_RC4_H */
