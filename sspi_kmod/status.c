// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the one mapping between kernel errno values and SSPI status
 * codes.  Every status has exactly one errno and the reverse, so that a
 * caller of the kernel API, of netlink or of the ioctl device can tell
 * every status apart.  Several causes may share a status, as on Windows:
 * any malformed input, for one, is SEC_E_INVALID_TOKEN.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <sspi_kmod/sspi.h>

#include "status.h"

struct sspi_status_map {
	u32 status;
	int err;
	const char *name;
};

#define SSPI_MAP(_name, _err) \
	{ .status = SSPI_##_name, .err = (_err), .name = #_name }

static const struct sspi_status_map sspi_status_map[] = {
	SSPI_MAP(SEC_E_OK, 0),
	SSPI_MAP(SEC_E_INSUFFICIENT_MEMORY, -ENOMEM),
	SSPI_MAP(SEC_E_INVALID_HANDLE, -ENOENT),
	SSPI_MAP(SEC_E_UNSUPPORTED_FUNCTION, -EOPNOTSUPP),
	SSPI_MAP(SEC_E_INTERNAL_ERROR, -EIO),
	SSPI_MAP(SEC_E_SECPKG_NOT_FOUND, -EPROTONOSUPPORT),
	SSPI_MAP(SEC_E_INVALID_TOKEN, -EINVAL),
	SSPI_MAP(SEC_E_QOP_NOT_SUPPORTED, -ENOPROTOOPT),
	SSPI_MAP(SEC_E_MESSAGE_ALTERED, -EBADMSG),
	SSPI_MAP(SEC_E_OUT_OF_SEQUENCE, -EILSEQ),
	SSPI_MAP(SEC_E_CONTEXT_EXPIRED, -EKEYEXPIRED),
	SSPI_MAP(SEC_E_INCOMPLETE_MESSAGE, -ENODATA),
	SSPI_MAP(SEC_E_BUFFER_TOO_SMALL, -ENOBUFS),
	SSPI_MAP(SEC_E_DECRYPT_FAILURE, -EKEYREJECTED),
	SSPI_MAP(SEC_E_CRYPTO_SYSTEM_INVALID, -ENOPKG),
	SSPI_MAP(SEC_I_CONTINUE_NEEDED, SSPI_I_CONTINUE_NEEDED),
	SSPI_MAP(SEC_I_CONTEXT_EXPIRED, SSPI_I_CONTEXT_EXPIRED),
	SSPI_MAP(SEC_I_RENEGOTIATE, SSPI_I_RENEGOTIATE),
};

static const struct sspi_status_map *sspi_status_find(u32 status)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sspi_status_map); i++)
		if (sspi_status_map[i].status == status)
			return &sspi_status_map[i];
	return NULL;
}

/**
 * sspi_status_from_errno() - SSPI status for a kernel API return value
 * @err: 0, a negative errno or a positive &enum sspi_info value
 *
 * Return: the SSPI status code; SEC_E_INTERNAL_ERROR for a value outside
 * the documented mapping.
 */
u32 sspi_status_from_errno(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sspi_status_map); i++)
		if (sspi_status_map[i].err == err)
			return sspi_status_map[i].status;
	return SSPI_SEC_E_INTERNAL_ERROR;
}
EXPORT_SYMBOL_GPL(sspi_status_from_errno);

/**
 * sspi_errno_from_status() - kernel API return value for an SSPI status
 * @status: an SSPI status code
 *
 * Return: 0, the negative errno or the positive &enum sspi_info value the
 * status maps to; -EIO (SEC_E_INTERNAL_ERROR) for an unknown status.
 */
int sspi_errno_from_status(u32 status)
{
	const struct sspi_status_map *m = sspi_status_find(status);

	return m ? m->err : -EIO;
}
EXPORT_SYMBOL_GPL(sspi_errno_from_status);

/**
 * sspi_status_name() - symbolic name of an SSPI status code
 * @status: an SSPI status code
 *
 * Return: the name as Windows spells it (e.g. "SEC_E_MESSAGE_ALTERED"),
 * or NULL for an unknown status.
 */
const char *sspi_status_name(u32 status)
{
	const struct sspi_status_map *m = sspi_status_find(status);

	return m ? m->name : NULL;
}
EXPORT_SYMBOL_GPL(sspi_status_name);

/**
 * sspi_status_returns_buffers() - whether a message's buffers go back
 * @status: the SSPI status a message operation came to
 *
 * The buffers of a message mean something to the caller when the
 * operation did not fail (SEC_E_OK, SEC_I_*), and for
 * SEC_E_INCOMPLETE_MESSAGE, whose MISSING buffer tells how many more bytes
 * are needed.  Any other failure returns none: a message that failed its
 * integrity check leaves no plaintext to return.
 *
 * Return: true if the buffers are to be returned to the caller.
 */
bool sspi_status_returns_buffers(u32 status)
{
	return !SSPI_STATUS_FAILED(status) ||
	       status == SSPI_SEC_E_INCOMPLETE_MESSAGE;
}
EXPORT_SYMBOL_GPL(sspi_status_returns_buffers);

/**
 * sspi_status_failure_index() - where a failure status is counted
 * @status: an SSPI status code
 *
 * The failure statuses of the mapping, numbered in its order from 0 to
 * %SSPI_NR_FAILURES - 1, index the failure counts of &struct
 * sspi_dir_stats.
 *
 * Return: the index of @status; that of SEC_E_INTERNAL_ERROR for a status
 * that is not a known failure.
 */
unsigned int sspi_status_failure_index(u32 status)
{
	unsigned int i, n = 0, internal = 0;

	for (i = 0; i < ARRAY_SIZE(sspi_status_map); i++) {
		if (!SSPI_STATUS_FAILED(sspi_status_map[i].status))
			continue;
		if (sspi_status_map[i].status == status)
			return n;
		if (sspi_status_map[i].status == SSPI_SEC_E_INTERNAL_ERROR)
			internal = n;
		n++;
	}
	return internal;
}

/**
 * sspi_status_failure() - the failure status counted at an index
 * @index: 0 to %SSPI_NR_FAILURES - 1
 *
 * Return: the status sspi_status_failure_index() gives @index for;
 * SEC_E_INTERNAL_ERROR for an index out of range.
 */
u32 sspi_status_failure(unsigned int index)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(sspi_status_map); i++) {
		if (!SSPI_STATUS_FAILED(sspi_status_map[i].status))
			continue;
		if (n++ == index)
			return sspi_status_map[i].status;
	}
	return SSPI_SEC_E_INTERNAL_ERROR;
}
