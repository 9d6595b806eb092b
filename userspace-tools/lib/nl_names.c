// SPDX-License-Identifier: GPL-2.0
/*
 * libsspi: names of the "sspi" family's commands and attributes, for
 * messages.  The one place they are spelt out: a table generated from
 * Documentation/netlink/specs/sspi.yaml may take its place.
 */
#include <stdio.h>

#include "internal.h"

static const char * const cmd_names[] = {
	[SSPI_CMD_PKG_GET] = "PKG_GET",
	[SSPI_CMD_CTX_IMPORT] = "CTX_IMPORT",
	[SSPI_CMD_CTX_DELETE] = "CTX_DELETE",
	[SSPI_CMD_CTX_GET] = "CTX_GET",
	[SSPI_CMD_ENCRYPT] = "ENCRYPT",
	[SSPI_CMD_DECRYPT] = "DECRYPT",
	[SSPI_CMD_CTX_UPDATE_KEYS] = "CTX_UPDATE_KEYS",
	[SSPI_CMD_SIGN] = "SIGN",
	[SSPI_CMD_VERIFY] = "VERIFY",
};

static const char * const attr_names[] = {
	[SSPI_A_PAD] = "PAD",
	[SSPI_A_STATUS] = "STATUS",
	[SSPI_A_PKG_NAME] = "PKG_NAME",
	[SSPI_A_PKG_COMMENT] = "PKG_COMMENT",
	[SSPI_A_PKG_CAPS] = "PKG_CAPS",
	[SSPI_A_CTX_HANDLE] = "CTX_HANDLE",
	[SSPI_A_CTX_IMPORT] = "CTX_IMPORT",
	[SSPI_A_CTX_LIFETIME] = "CTX_LIFETIME",
	[SSPI_A_CTX_EXPIRY] = "CTX_EXPIRY",
	[SSPI_A_CTX_OWNER] = "CTX_OWNER",
	[SSPI_A_CTX_SIZES] = "CTX_SIZES",
	[SSPI_A_CTX_PROTOCOL] = "CTX_PROTOCOL",
	[SSPI_A_CTX_CIPHER] = "CTX_CIPHER",
	[SSPI_A_CTX_TX_DRIVER] = "CTX_TX_DRIVER",
	[SSPI_A_CTX_RX_DRIVER] = "CTX_RX_DRIVER",
	[SSPI_A_CTX_TX_SEQ] = "CTX_TX_SEQ",
	[SSPI_A_CTX_RX_SEQ] = "CTX_RX_SEQ",
	[SSPI_A_DIRECTION] = "DIRECTION",
	[SSPI_A_KEYS] = "KEYS",
	[SSPI_A_QOP] = "QOP",
	[SSPI_A_SEQNO] = "SEQNO",
	[SSPI_A_BUFFER] = "BUFFER",
};

const char *sspi_nl_attr_name(int type)
{
	static char buf[16];

	if (type > 0 && (size_t)type < ARRAY_SIZE(attr_names) &&
	    attr_names[type])
		return attr_names[type];
	snprintf(buf, sizeof(buf), "%d", type);
	return buf;
}

const char *sspi_nl_cmd_name(int cmd)
{
	if (cmd > 0 && (size_t)cmd < ARRAY_SIZE(cmd_names) && cmd_names[cmd])
		return cmd_names[cmd];
	return "request";
}

