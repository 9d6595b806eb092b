// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: rc4-hmac (RFC 4757) tokens of the Kerberos package.
 *
 * Not implemented yet: importing an rc4-hmac context fails with -ENOPKG
 * (SEC_E_CRYPTO_SYSTEM_INVALID), whatever allow_rc4 says, and no other
 * function is reached without a context.
 */

#include <linux/errno.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "krb5_rc4.h"

static bool allow_rc4;
module_param(allow_rc4, bool, 0644);
MODULE_PARM_DESC(allow_rc4, "accept rc4-hmac (enctype 23) Kerberos contexts (default: no)");

/**
 * sspi_krb5_rc4_init() - set up an rc4-hmac context
 * @out: where the state goes
 * @imp: the import structure
 *
 * Return: -ENOPKG: rc4-hmac is refused unless allow_rc4 is set, and not
 * implemented yet when it is.
 */
int sspi_krb5_rc4_init(struct sspi_krb5_rc4 **out,
		       const struct sspi_krb5_import *imp)
{
	*out = NULL;
	return -ENOPKG;
}

/**
 * sspi_krb5_rc4_destroy() - free an rc4-hmac context's state
 * @r: the state
 */
void sspi_krb5_rc4_destroy(struct sspi_krb5_rc4 *r)
{
}

/**
 * sspi_krb5_rc4_encrypt() - seal a message with rc4-hmac
 * @r: the state
 * @ctx: its context
 * @qop: 0 or SSPI_SECQOP_WRAP_NO_ENCRYPT
 * @msg: the message
 *
 * Return: -EOPNOTSUPP.
 */
int sspi_krb5_rc4_encrypt(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
			  u32 qop, struct sspi_message *msg)
{
	return -EOPNOTSUPP;
}

/**
 * sspi_krb5_rc4_decrypt() - unseal a message with rc4-hmac
 * @r: the state
 * @ctx: its context
 * @msg: the message
 * @qop: where the QOP goes
 *
 * Return: -EOPNOTSUPP.
 */
int sspi_krb5_rc4_decrypt(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
			  struct sspi_message *msg, u32 *qop)
{
	return -EOPNOTSUPP;
}

/**
 * sspi_krb5_rc4_sign() - an rc4-hmac MIC token
 * @r: the state
 * @ctx: its context
 * @qop: 0
 * @msg: the message
 *
 * Return: -EOPNOTSUPP.
 */
int sspi_krb5_rc4_sign(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
		       u32 qop, struct sspi_message *msg)
{
	return -EOPNOTSUPP;
}

/**
 * sspi_krb5_rc4_verify() - check an rc4-hmac MIC token
 * @r: the state
 * @ctx: its context
 * @msg: the message
 * @qop: where the QOP goes
 *
 * Return: -EOPNOTSUPP.
 */
int sspi_krb5_rc4_verify(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
			 struct sspi_message *msg, u32 *qop)
{
	return -EOPNOTSUPP;
}

/**
 * sspi_krb5_rc4_query() - sizes of an rc4-hmac context
 * @r: the state
 * @info: filled in
 */
void sspi_krb5_rc4_query(struct sspi_krb5_rc4 *r, struct sspi_context_info *info)
{
}
