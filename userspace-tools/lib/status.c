// SPDX-License-Identifier: GPL-2.0
/*
 * libsspi: names of the SSPI status codes of <linux/sspi.h>.  Userspace
 * sees statuses only (netlink and ioctl replies carry them); the kernel's
 * errno for each is the kernel API's business (Documentation/status.rst).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define S(_name) { SSPI_##_name, #_name }

static const struct sspi_status_info statuses[] = {
	S(SEC_E_OK),
	S(SEC_E_INSUFFICIENT_MEMORY),
	S(SEC_E_INVALID_HANDLE),
	S(SEC_E_UNSUPPORTED_FUNCTION),
	S(SEC_E_INTERNAL_ERROR),
	S(SEC_E_SECPKG_NOT_FOUND),
	S(SEC_E_INVALID_TOKEN),
	S(SEC_E_QOP_NOT_SUPPORTED),
	S(SEC_E_MESSAGE_ALTERED),
	S(SEC_E_OUT_OF_SEQUENCE),
	S(SEC_E_CONTEXT_EXPIRED),
	S(SEC_E_INCOMPLETE_MESSAGE),
	S(SEC_E_BUFFER_TOO_SMALL),
	S(SEC_E_DECRYPT_FAILURE),
	S(SEC_E_CRYPTO_SYSTEM_INVALID),
	S(SEC_I_CONTINUE_NEEDED),
	S(SEC_I_CONTEXT_EXPIRED),
	S(SEC_I_RENEGOTIATE),
};

const struct sspi_status_info *sspi_status_table(size_t *n)
{
	*n = ARRAY_SIZE(statuses);
	return statuses;
}

const struct sspi_status_info *sspi_status_by_value(__u32 status)
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

/* The status's name, or its value in hex when it has none */
const char *sspi_status_name(__u32 status)
{
	const struct sspi_status_info *s = sspi_status_by_value(status);
	static char buf[16];

	if (s)
		return s->name;
	snprintf(buf, sizeof(buf), "0x%08X", status);
	return buf;
}
