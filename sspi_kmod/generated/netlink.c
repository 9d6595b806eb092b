// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sspi.yaml */
/* YNL-GEN kernel source */
/* To regenerate run: scripts/netlink-gen */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink.h"

#include <uapi/linux/sspi_netlink.h>
#include <sspi_kmod/compat.h>

/* Integer value ranges */
static const struct netlink_range_validation sspi_buf_len_range = {
	.max	= SSPI_NL_MAX_BUF,
};

/* Common nested types */
const struct nla_policy sspi_buffer_nl_policy[SSPI_BUF_LEN + 1] = {
	[SSPI_BUF_TYPE] = { .type = NLA_U32, },
	[SSPI_BUF_DATA] = { .type = NLA_BINARY, },
	[SSPI_BUF_LEN] = NLA_POLICY_FULL_RANGE(NLA_U32, &sspi_buf_len_range),
};

/* SSPI_CMD_CTX_IMPORT - do */
static const struct nla_policy sspi_ctx_import_nl_policy[SSPI_A_CTX_EXPIRY + 1] = {
	[SSPI_A_PKG_NAME] = { .type = NLA_NUL_STRING, .len = SSPI_NL_MAX_NAME, },
	[SSPI_A_CTX_IMPORT] = NLA_POLICY_MAX_LEN(SSPI_NL_MAX_IMPORT),
	[SSPI_A_CTX_LIFETIME] = { .type = NLA_U32, },
	[SSPI_A_CTX_EXPIRY] = { .type = NLA_U64, },
};

/* SSPI_CMD_CTX_DELETE - do */
static const struct nla_policy sspi_ctx_delete_nl_policy[SSPI_A_CTX_HANDLE + 1] = {
	[SSPI_A_CTX_HANDLE] = { .type = NLA_U64, },
};

/* SSPI_CMD_CTX_GET - do */
static const struct nla_policy sspi_ctx_get_nl_policy[SSPI_A_CTX_HANDLE + 1] = {
	[SSPI_A_CTX_HANDLE] = { .type = NLA_U64, },
};

/* SSPI_CMD_ENCRYPT - do */
static const struct nla_policy sspi_encrypt_nl_policy[SSPI_A_BUFFER + 1] = {
	[SSPI_A_CTX_HANDLE] = { .type = NLA_U64, },
	[SSPI_A_QOP] = { .type = NLA_U32, },
	[SSPI_A_SEQNO] = { .type = NLA_U32, },
	[SSPI_A_BUFFER] = NLA_POLICY_NESTED(sspi_buffer_nl_policy),
};

/* SSPI_CMD_DECRYPT - do */
static const struct nla_policy sspi_decrypt_nl_policy[SSPI_A_BUFFER + 1] = {
	[SSPI_A_CTX_HANDLE] = { .type = NLA_U64, },
	[SSPI_A_SEQNO] = { .type = NLA_U32, },
	[SSPI_A_BUFFER] = NLA_POLICY_NESTED(sspi_buffer_nl_policy),
};

/* SSPI_CMD_CTX_UPDATE_KEYS - do */
static const struct nla_policy sspi_ctx_update_keys_nl_policy[SSPI_A_KEYS + 1] = {
	[SSPI_A_CTX_HANDLE] = { .type = NLA_U64, },
	[SSPI_A_DIRECTION] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[SSPI_A_KEYS] = NLA_POLICY_MAX_LEN(SSPI_NL_MAX_IMPORT),
};

/* SSPI_CMD_SIGN - do */
static const struct nla_policy sspi_sign_nl_policy[SSPI_A_BUFFER + 1] = {
	[SSPI_A_CTX_HANDLE] = { .type = NLA_U64, },
	[SSPI_A_QOP] = { .type = NLA_U32, },
	[SSPI_A_SEQNO] = { .type = NLA_U32, },
	[SSPI_A_BUFFER] = NLA_POLICY_NESTED(sspi_buffer_nl_policy),
};

/* SSPI_CMD_VERIFY - do */
static const struct nla_policy sspi_verify_nl_policy[SSPI_A_BUFFER + 1] = {
	[SSPI_A_CTX_HANDLE] = { .type = NLA_U64, },
	[SSPI_A_SEQNO] = { .type = NLA_U32, },
	[SSPI_A_BUFFER] = NLA_POLICY_NESTED(sspi_buffer_nl_policy),
};

/* Ops table for sspi */
const struct genl_split_ops sspi_nl_ops[10] = {
	{
		.cmd	= SSPI_CMD_PKG_GET,
		.dumpit	= sspi_nl_pkg_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SSPI_CMD_CTX_IMPORT,
		.doit		= sspi_nl_ctx_import_doit,
		.policy		= sspi_ctx_import_nl_policy,
		.maxattr	= SSPI_A_CTX_EXPIRY,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SSPI_CMD_CTX_DELETE,
		.doit		= sspi_nl_ctx_delete_doit,
		.policy		= sspi_ctx_delete_nl_policy,
		.maxattr	= SSPI_A_CTX_HANDLE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SSPI_CMD_CTX_GET,
		.doit		= sspi_nl_ctx_get_doit,
		.policy		= sspi_ctx_get_nl_policy,
		.maxattr	= SSPI_A_CTX_HANDLE,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SSPI_CMD_CTX_GET,
		.dumpit	= sspi_nl_ctx_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SSPI_CMD_ENCRYPT,
		.doit		= sspi_nl_encrypt_doit,
		.policy		= sspi_encrypt_nl_policy,
		.maxattr	= SSPI_A_BUFFER,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SSPI_CMD_DECRYPT,
		.doit		= sspi_nl_decrypt_doit,
		.policy		= sspi_decrypt_nl_policy,
		.maxattr	= SSPI_A_BUFFER,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SSPI_CMD_CTX_UPDATE_KEYS,
		.doit		= sspi_nl_ctx_update_keys_doit,
		.policy		= sspi_ctx_update_keys_nl_policy,
		.maxattr	= SSPI_A_KEYS,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SSPI_CMD_SIGN,
		.doit		= sspi_nl_sign_doit,
		.policy		= sspi_sign_nl_policy,
		.maxattr	= SSPI_A_BUFFER,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SSPI_CMD_VERIFY,
		.doit		= sspi_nl_verify_doit,
		.policy		= sspi_verify_nl_policy,
		.maxattr	= SSPI_A_BUFFER,
		.flags		= GENL_CMD_CAP_DO,
	},
};
