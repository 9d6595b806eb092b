/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sspi.yaml */
/* YNL-GEN kernel header */
/* To regenerate run: scripts/netlink-gen */

#ifndef _LINUX_SSPI_GEN_H
#define _LINUX_SSPI_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/sspi_netlink.h>
#include <sspi_kmod/compat.h>

/* Common nested types */
extern const struct nla_policy sspi_buffer_nl_policy[SSPI_BUF_LEN + 1];

/* Ops table for sspi */
extern const struct genl_split_ops sspi_nl_ops[10];

int sspi_nl_pkg_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int sspi_nl_ctx_import_doit(struct sk_buff *skb, struct genl_info *info);
int sspi_nl_ctx_delete_doit(struct sk_buff *skb, struct genl_info *info);
int sspi_nl_ctx_get_doit(struct sk_buff *skb, struct genl_info *info);
int sspi_nl_ctx_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int sspi_nl_encrypt_doit(struct sk_buff *skb, struct genl_info *info);
int sspi_nl_decrypt_doit(struct sk_buff *skb, struct genl_info *info);
int sspi_nl_ctx_update_keys_doit(struct sk_buff *skb, struct genl_info *info);
int sspi_nl_sign_doit(struct sk_buff *skb, struct genl_info *info);
int sspi_nl_verify_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _LINUX_SSPI_GEN_H */
