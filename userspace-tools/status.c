// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: SSPI status codes, as Documentation/status.rst documents them.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <linux/sspi.h>

#include "sspictl.h"

#define S(_name, _err) { SSPI_##_name, _err, #_name }

static const struct sspi_status_info statuses[] = {
	S(SEC_E_OK, 0),
	S(SEC_E_INSUFFICIENT_MEMORY, -ENOMEM),
	S(SEC_E_INVALID_HANDLE, -ENOENT),
	S(SEC_E_UNSUPPORTED_FUNCTION, -EOPNOTSUPP),
	S(SEC_E_INTERNAL_ERROR, -EIO),
	S(SEC_E_INVALID_TOKEN, -EINVAL),
	S(SEC_E_QOP_NOT_SUPPORTED, -ENOPROTOOPT),
	S(SEC_E_MESSAGE_ALTERED, -EBADMSG),
	S(SEC_E_OUT_OF_SEQUENCE, -EILSEQ),
	S(SEC_E_CONTEXT_EXPIRED, -EKEYEXPIRED),
	S(SEC_E_INCOMPLETE_MESSAGE, -ENODATA),
	S(SEC_E_BUFFER_TOO_SMALL, -ENOBUFS),
	S(SEC_E_DECRYPT_FAILURE, -EKEYREJECTED),
	S(SEC_E_CRYPTO_SYSTEM_INVALID, -ENOPKG),
	S(SEC_I_CONTINUE_NEEDED, 1),
	S(SEC_I_CONTEXT_EXPIRED, 2),
	S(SEC_I_RENEGOTIATE, 3),
};

const struct sspi_status_info *sspi_status_table(size_t *n)
{
	*n = sizeof(statuses) / sizeof(statuses[0]);
	return statuses;
}

const struct sspi_status_info *sspi_status_by_value(uint32_t status)
{
	size_t i, n;
	const struct sspi_status_info *t = sspi_status_table(&n);

	for (i = 0; i < n; i++)
		if (t[i].status == status)
			return &t[i];
	return NULL;
}

const struct sspi_status_info *sspi_status_by_name(const char *name)
{
	size_t i, n;
	const struct sspi_status_info *t = sspi_status_table(&n);

	for (i = 0; i < n; i++)
		if (!strcasecmp(t[i].name, name))
			return &t[i];
	return NULL;
}
