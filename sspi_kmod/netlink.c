// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the "sspi" generic netlink family, for the userspace helper
 * (Documentation/netlink/specs/sspi.yaml, Documentation/netlink.rst).
 *
 * This file knows attributes, permissions and namespaces, not crypto:
 * it turns requests into sspi_message calls on the core and the result
 * back into attributes.  Which attributes each command takes, their
 * limits and the ops table are generated from the spec (generated/netlink.c,
 * scripts/netlink-gen); the handlers are here.
 */

#include <linux/cred.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "buffer.h"
#include "compat.h"
#include "context.h"
#include "generated/netlink.h"
#include "netlink.h"
#include "package.h"

/*
 * A reply's buffer nest (type, data) must fit a 16-bit attribute length:
 * nla_nest_end() counts the data attribute up to its padded end.
 */
#define SSPI_NL_ATTR_SIZE(len)	NLA_ALIGN(NLA_HDRLEN + (len))
#define SSPI_NL_NEST_LEN(len) \
	(NLA_HDRLEN + SSPI_NL_ATTR_SIZE(sizeof(u32)) + SSPI_NL_ATTR_SIZE(len))
static_assert(SSPI_NL_NEST_LEN(SSPI_NL_MAX_BUF) <= U16_MAX);

static struct genl_family sspi_nl_family;

/*
 * Who asks, for the owner checks of the context table: the process
 * sending, which must also be the one that opened the socket, so that a
 * socket passed to another process does not act for either of them.
 * Admin rights are netlink_ns_capable()'s, which checks both as well.
 */
static void sspi_nl_requester(const struct sk_buff *skb, struct net *net,
			      struct sspi_requester *req)
{
	const struct socket *sock = NETLINK_CB(skb).sk->sk_socket;

	req->uid = current_euid();
	if (!sock || !sock->file || !uid_eq(sock->file->f_cred->euid, req->uid))
		req->uid = INVALID_UID;
	req->admin = netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN);
}

/* The context a request names, if its sender may use it. */
static struct sspi_context *sspi_nl_context(struct sk_buff *skb,
					    struct genl_info *info)
{
	struct sspi_requester req;
	struct sspi_context *ctx;

	if (GENL_REQ_ATTR_CHECK(info, SSPI_A_CTX_HANDLE))
		return ERR_PTR(-EINVAL);
	sspi_nl_requester(skb, genl_info_net(info), &req);
	ctx = sspi_context_get(genl_info_net(info),
			       nla_get_u64(info->attrs[SSPI_A_CTX_HANDLE]), &req);
	if (!ctx) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SSPI_A_CTX_HANDLE],
				    "SEC_E_INVALID_HANDLE: no such context");
		return ERR_PTR(-ENOENT);
	}
	return ctx;
}

/*
 * Key material of a request (an import structure, UPDATE_KEYS' keys) stays
 * in the request's skb after the handler: wipe it once it is used, on
 * every path.
 */
static void sspi_nl_wipe(struct nlattr *attr)
{
	if (attr)
		memzero_explicit(nla_data(attr), nla_len(attr));
}

static u32 sspi_nl_caps(const struct sspi_package *pkg)
{
	const struct sspi_package_ops *ops = pkg->ops;

	/* a delegating package offers what the packages it selects do */
	if (ops->select)
		return pkg->caps;
	return SSPI_PKG_CAP_ENCRYPT | SSPI_PKG_CAP_DECRYPT |
	       (ops->sign ? SSPI_PKG_CAP_SIGN : 0) |
	       (ops->verify ? SSPI_PKG_CAP_VERIFY : 0) |
	       (ops->update_keys ? SSPI_PKG_CAP_UPDATE_KEYS : 0);
}

struct sspi_nl_pkg_walk {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	unsigned long idx;
};

static int sspi_nl_put_pkg(const struct sspi_package *pkg, void *arg)
{
	struct sspi_nl_pkg_walk *w = arg;
	void *hdr;

	if (w->idx++ < w->cb->args[0])
		return 0;
	hdr = genlmsg_put(w->skb, NETLINK_CB(w->cb->skb).portid,
			  w->cb->nlh->nlmsg_seq, &sspi_nl_family, NLM_F_MULTI,
			  SSPI_CMD_PKG_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(w->skb, SSPI_A_PKG_NAME, pkg->name) ||
	    nla_put_string(w->skb, SSPI_A_PKG_COMMENT, pkg->comment) ||
	    nla_put_u32(w->skb, SSPI_A_PKG_CAPS, sspi_nl_caps(pkg))) {
		genlmsg_cancel(w->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(w->skb, hdr);
	w->cb->args[0] = w->idx;
	return 0;
}

int sspi_nl_pkg_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sspi_nl_pkg_walk w = { .skb = skb, .cb = cb };
	int err = sspi_package_for_each(sspi_nl_put_pkg, &w);

	/* a full message ends this part of the dump; the next resumes */
	if (err && err != -EMSGSIZE)
		return err;
	return skb->len;
}

static int sspi_nl_ctx_import(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr **a = info->attrs;
	time64_t expiry = 0;
	struct sk_buff *rep;
	u64 handle;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SSPI_A_PKG_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, SSPI_A_CTX_IMPORT))
		return -EINVAL;
	if (a[SSPI_A_CTX_LIFETIME] && a[SSPI_A_CTX_EXPIRY]) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[SSPI_A_CTX_EXPIRY],
				    "a lifetime or an expiry, not both");
		return -EINVAL;
	}
	if (a[SSPI_A_CTX_LIFETIME] && nla_get_u32(a[SSPI_A_CTX_LIFETIME]))
		expiry = ktime_get_real_seconds() +
			 nla_get_u32(a[SSPI_A_CTX_LIFETIME]);
	if (a[SSPI_A_CTX_EXPIRY]) {
		u64 when = nla_get_u64(a[SSPI_A_CTX_EXPIRY]);

		if (when && (when > TIME64_MAX || when <= ktime_get_real_seconds())) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[SSPI_A_CTX_EXPIRY],
					    "SEC_E_CONTEXT_EXPIRED: the expiry has passed");
			return -EKEYEXPIRED;
		}
		expiry = when;
	}

	rep = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!rep)
		return -ENOMEM;
	err = sspi_context_import(nla_data(a[SSPI_A_PKG_NAME]), net,
				  current_euid(), expiry, nla_data(a[SSPI_A_CTX_IMPORT]),
				  nla_len(a[SSPI_A_CTX_IMPORT]), &handle);
	if (err == -EPROTONOSUPPORT) {
		/* the package named, or the one a Negotiate import selects */
		if (!sspi_package_find(nla_data(a[SSPI_A_PKG_NAME])))
			NL_SET_ERR_MSG_ATTR(info->extack, a[SSPI_A_PKG_NAME],
					    "SEC_E_SECPKG_NOT_FOUND: no such package");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, a[SSPI_A_CTX_IMPORT],
					    "SEC_E_SECPKG_NOT_FOUND: the selected mechanism's package is not registered");
		goto fail;
	}
	if (err == -EMFILE) {
		NL_SET_ERR_MSG(info->extack,
			       "the namespace has max_contexts live contexts already");
		goto fail;
	}
	if (err == -EDQUOT) {
		NL_SET_ERR_MSG(info->extack,
			       "the user has max_contexts_per_user live contexts already");
		goto fail;
	}
	if (err == -ENFILE) {
		NL_SET_ERR_MSG(info->extack,
			       "there are max_contexts_total live contexts already");
		goto fail;
	}
	if (err == -EOVERFLOW) {
		NL_SET_ERR_MSG(info->extack,
			       "no context handles left on this 32-bit kernel: reload the module");
		goto fail;
	}
	if (err == -ENOPKG) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[SSPI_A_CTX_IMPORT],
				    "SEC_E_CRYPTO_SYSTEM_INVALID: cipher or enctype not available");
		goto fail;
	}
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[SSPI_A_CTX_IMPORT],
				    "the package refused the import structure");
		goto fail;
	}
	hdr = genlmsg_put_reply(rep, info, &sspi_nl_family, 0, SSPI_CMD_CTX_IMPORT);
	if (!hdr || nla_put_u32(rep, SSPI_A_STATUS, SSPI_SEC_E_OK) ||
	    nla_put_u64_64bit(rep, SSPI_A_CTX_HANDLE, handle, SSPI_A_PAD)) {
		/* the caller never learns the handle: take the context back */
		sspi_context_delete(net, handle, NULL);
		err = -EMSGSIZE;
		goto fail;
	}
	genlmsg_end(rep, hdr);
	return genlmsg_reply(rep, info);

fail:
	nlmsg_free(rep);
	return err;
}

int sspi_nl_ctx_import_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err = sspi_nl_ctx_import(skb, info);

	sspi_nl_wipe(info->attrs[SSPI_A_CTX_IMPORT]);
	return err;
}

int sspi_nl_ctx_delete_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sspi_requester req;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SSPI_A_CTX_HANDLE))
		return -EINVAL;
	sspi_nl_requester(skb, genl_info_net(info), &req);
	err = sspi_context_delete(genl_info_net(info),
				  nla_get_u64(info->attrs[SSPI_A_CTX_HANDLE]), &req);
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SSPI_A_CTX_HANDLE],
				    "SEC_E_INVALID_HANDLE: no such context");
	return err;
}

static int sspi_nl_put_sizes(struct sk_buff *skb, const struct sspi_sizes *sz)
{
	struct nlattr *nest = nla_nest_start(skb, SSPI_A_CTX_SIZES);

	if (!nest ||
	    nla_put_u32(skb, SSPI_SIZES_MAX_TOKEN, sz->max_token) ||
	    nla_put_u32(skb, SSPI_SIZES_MAX_SIGNATURE, sz->max_signature) ||
	    nla_put_u32(skb, SSPI_SIZES_BLOCK_SIZE, sz->block_size) ||
	    nla_put_u32(skb, SSPI_SIZES_SECURITY_TRAILER, sz->security_trailer) ||
	    nla_put_u32(skb, SSPI_SIZES_STREAM_HEADER, sz->stream_header) ||
	    nla_put_u32(skb, SSPI_SIZES_STREAM_TRAILER, sz->stream_trailer) ||
	    nla_put_u32(skb, SSPI_SIZES_MAX_MESSAGE, sz->max_message) ||
	    nla_put_u32(skb, SSPI_SIZES_BUFFERS, sz->buffers))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* One direction's counts: messages, bytes, and each status seen failing */
static int sspi_nl_put_dir_stats(struct sk_buff *skb,
				 const struct sspi_dir_stats *st, int messages,
				 int bytes, int failed)
{
	struct nlattr *nest;
	unsigned int i;

	if (nla_put_u64_64bit(skb, messages, st->messages, SSPI_STATS_PAD) ||
	    nla_put_u64_64bit(skb, bytes, st->bytes, SSPI_STATS_PAD))
		return -EMSGSIZE;
	for (i = 0; i < SSPI_NR_FAILURES; i++) {
		if (!st->failed[i].count)
			continue;
		nest = nla_nest_start(skb, failed);
		if (!nest ||
		    nla_put_u32(skb, SSPI_STATUS_COUNT_STATUS,
				st->failed[i].status) ||
		    nla_put_u64_64bit(skb, SSPI_STATUS_COUNT_COUNT,
				      st->failed[i].count,
				      SSPI_STATUS_COUNT_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/* its own frame: the counts take some 500 bytes of stack */
static noinline_for_stack int sspi_nl_put_stats(struct sk_buff *skb,
						struct sspi_context *ctx)
{
	struct sspi_context_stats st;
	struct nlattr *nest;

	sspi_query_stats(ctx, &st);
	nest = nla_nest_start(skb, SSPI_A_CTX_STATS);
	if (!nest ||
	    sspi_nl_put_dir_stats(skb, &st.tx, SSPI_STATS_TX_MESSAGES,
				  SSPI_STATS_TX_BYTES, SSPI_STATS_TX_FAILED) ||
	    sspi_nl_put_dir_stats(skb, &st.rx, SSPI_STATS_RX_MESSAGES,
				  SSPI_STATS_RX_BYTES, SSPI_STATS_RX_FAILED))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * What is left to tell of a context past its expiry time that the reaper
 * has not freed yet: who and what it is, and SSPI_A_CTX_EXPIRED.
 */
static int sspi_nl_put_expired_ctx(struct sk_buff *skb, struct sspi_context *ctx)
{
	if (nla_put_u32(skb, SSPI_A_STATUS, SSPI_SEC_E_OK) ||
	    nla_put_u64_64bit(skb, SSPI_A_CTX_HANDLE, ctx->handle, SSPI_A_PAD) ||
	    nla_put_string(skb, SSPI_A_PKG_NAME, ctx->outer->name) ||
	    nla_put_u32(skb, SSPI_A_CTX_OWNER,
			from_kuid_munged(current_user_ns(), ctx->owner)) ||
	    nla_put_u64_64bit(skb, SSPI_A_CTX_EXPIRY, ctx->expiry, SSPI_A_PAD) ||
	    (ctx->outer != ctx->pkg &&
	     nla_put_string(skb, SSPI_A_CTX_NEGOTIATED, ctx->pkg->name)) ||
	    nla_put_flag(skb, SSPI_A_CTX_EXPIRED))
		return -EMSGSIZE;
	return sspi_nl_put_stats(skb, ctx);
}

/*
 * A context's description; an expired one's in brief, marked expired;
 * -EKEYEXPIRED for one deleted or reaped meanwhile.
 */
static int sspi_nl_put_ctx(struct sk_buff *skb, struct sspi_context *ctx)
{
	struct sspi_context_info info;
	int err = sspi_query(ctx, &info);

	if (err == -EKEYEXPIRED && !READ_ONCE(ctx->dead))
		return sspi_nl_put_expired_ctx(skb, ctx);
	if (err)
		return err;
	if (nla_put_u32(skb, SSPI_A_STATUS, SSPI_SEC_E_OK) ||
	    nla_put_u64_64bit(skb, SSPI_A_CTX_HANDLE, ctx->handle, SSPI_A_PAD) ||
	    nla_put_string(skb, SSPI_A_PKG_NAME, info.package) ||
	    nla_put_u32(skb, SSPI_A_CTX_OWNER,
			from_kuid_munged(current_user_ns(), ctx->owner)) ||
	    nla_put_u64_64bit(skb, SSPI_A_CTX_EXPIRY, ctx->expiry, SSPI_A_PAD) ||
	    sspi_nl_put_sizes(skb, &info.sizes) ||
	    nla_put_u32(skb, SSPI_A_CTX_PROTOCOL, info.protocol) ||
	    nla_put_string(skb, SSPI_A_CTX_CIPHER, info.cipher) ||
	    nla_put_string(skb, SSPI_A_CTX_TX_DRIVER, info.tx_driver) ||
	    nla_put_string(skb, SSPI_A_CTX_RX_DRIVER, info.rx_driver) ||
	    nla_put_u64_64bit(skb, SSPI_A_CTX_TX_SEQ, info.tx_seq, SSPI_A_PAD) ||
	    nla_put_u64_64bit(skb, SSPI_A_CTX_RX_SEQ, info.rx_seq, SSPI_A_PAD) ||
	    (info.negotiated &&
	     nla_put_string(skb, SSPI_A_CTX_NEGOTIATED, info.negotiated)) ||
	    nla_put_u32(skb, SSPI_A_CTX_KEY_BITS, info.key_bits))
		return -EMSGSIZE;
	return sspi_nl_put_stats(skb, ctx);
}

int sspi_nl_ctx_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sspi_context *ctx = sspi_nl_context(skb, info);
	struct sk_buff *rep;
	void *hdr;
	int err;

	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	rep = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	err = -ENOMEM;
	if (!rep)
		goto out;
	hdr = genlmsg_put_reply(rep, info, &sspi_nl_family, 0, SSPI_CMD_CTX_GET);
	err = hdr ? sspi_nl_put_ctx(rep, ctx) : -EMSGSIZE;
	if (err) {
		nlmsg_free(rep);
		if (err == -EKEYEXPIRED)
			NL_SET_ERR_MSG(info->extack,
				       "SEC_E_CONTEXT_EXPIRED: context deleted meanwhile");
		goto out;
	}
	genlmsg_end(rep, hdr);
	err = genlmsg_reply(rep, info);
out:
	sspi_context_put(ctx);
	return err;
}

/*
 * A CTX_GET dump's state, in cb->args: where it stands, and the requester
 * of the dump's request, whoever reads the later parts.
 */
struct sspi_nl_ctx_dump {
	struct sspi_ctx_pos pos;
	struct sspi_requester req;
	bool started;
};

static_assert(sizeof(struct sspi_nl_ctx_dump) <=
	      sizeof_field(struct netlink_callback, args));

int sspi_nl_ctx_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sspi_nl_ctx_dump *d = (struct sspi_nl_ctx_dump *)cb->args;
	struct net *net = sock_net(skb->sk);
	struct sspi_context *ctx;
	struct sspi_ctx_pos here;
	void *hdr;
	int err;

	if (!d->started) {
		sspi_nl_requester(cb->skb, net, &d->req);
		d->started = true;
	}
	for (;;) {
		here = d->pos;
		ctx = sspi_context_get_next(net, &d->pos, &d->req);
		if (!ctx)
			break;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &sspi_nl_family,
				  NLM_F_MULTI, SSPI_CMD_CTX_GET);
		err = hdr ? sspi_nl_put_ctx(skb, ctx) : -EMSGSIZE;
		sspi_context_put(ctx);
		if (!err) {
			genlmsg_end(skb, hdr);
			continue;
		}
		if (hdr)
			genlmsg_cancel(skb, hdr);
		/* deleted since it was found: not listed */
		if (err == -EKEYEXPIRED)
			continue;
		/* full: this context starts the next part */
		d->pos = here;
		break;
	}
	return skb->len;
}

static int sspi_nl_ctx_update_keys(struct sk_buff *skb, struct genl_info *info)
{
	struct sspi_context *ctx;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SSPI_A_DIRECTION) ||
	    GENL_REQ_ATTR_CHECK(info, SSPI_A_KEYS))
		return -EINVAL;
	ctx = sspi_nl_context(skb, info);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	err = sspi_update_keys(ctx, nla_get_u32(info->attrs[SSPI_A_DIRECTION]),
			       nla_data(info->attrs[SSPI_A_KEYS]),
			       nla_len(info->attrs[SSPI_A_KEYS]));
	sspi_context_put(ctx);
	if (err == -EOPNOTSUPP)
		NL_SET_ERR_MSG(info->extack,
			       "SEC_E_UNSUPPORTED_FUNCTION: the package cannot change keys");
	else if (err == -EKEYEXPIRED)
		NL_SET_ERR_MSG(info->extack,
			       "SEC_E_CONTEXT_EXPIRED: context deleted or expired");
	else if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SSPI_A_KEYS],
				    "the package refused the keys");
	return err;
}

int sspi_nl_ctx_update_keys_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err = sspi_nl_ctx_update_keys(skb, info);

	sspi_nl_wipe(info->attrs[SSPI_A_KEYS]);
	return err;
}

/*
 * The request's SSPI_A_BUFFER attributes as an sspi_message over one
 * allocation: input bytes copied in, room left for output buffers.
 */
static int sspi_nl_parse_buffers(struct genl_info *info, struct sspi_message *msg,
				 u8 **mem)
{
	struct nlattr *tb[SSPI_BUF_MAX + 1], *attr;
	struct sspi_buffer *b = msg->buffers;
	size_t total = 0;
	unsigned int n = 0;
	int rem, err;
	u8 *p;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != SSPI_A_BUFFER)
			continue;
		if (n == SSPI_MAX_BUFFERS) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr, "more than 16 buffers");
			return -EINVAL;
		}
		err = nla_parse_nested(tb, SSPI_BUF_MAX, attr, sspi_buffer_nl_policy,
				       info->extack);
		if (err)
			return err;
		if (!tb[SSPI_BUF_TYPE]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr, "buffer without a type");
			return -EINVAL;
		}
		if (!!tb[SSPI_BUF_DATA] == !!tb[SSPI_BUF_LEN]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "a buffer has either data or a length");
			return -EINVAL;
		}
		/*
		 * A nest that leaves out its last attribute's padding carries
		 * a few bytes more than the reply's nest can give back.
		 */
		if (tb[SSPI_BUF_DATA] && nla_len(tb[SSPI_BUF_DATA]) > SSPI_NL_MAX_BUF) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[SSPI_BUF_DATA],
					    "a buffer over nl-max-buf ("
					    __stringify(SSPI_NL_MAX_BUF) " bytes)");
			return -ERANGE;
		}
		b[n].type = nla_get_u32(tb[SSPI_BUF_TYPE]);
		b[n].len = tb[SSPI_BUF_DATA] ? nla_len(tb[SSPI_BUF_DATA]) :
					       nla_get_u32(tb[SSPI_BUF_LEN]);
		total += b[n].len;
		if (total > SSPI_NL_MAX_BYTES) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "buffers over 256 KiB in all");
			return -E2BIG;
		}
		/* for now the offset into @mem; data in the second pass */
		b[n].data = tb[SSPI_BUF_DATA];
		n++;
	}
	if (!n) {
		NL_SET_ERR_MSG(info->extack, "no buffers");
		return -EINVAL;
	}
	p = kzalloc(total ?: 1, GFP_KERNEL | __GFP_NOWARN);
	if (!p)
		return -ENOMEM;
	*mem = p;
	msg->count = n;
	for (n = 0; n < msg->count; n++) {
		if (b[n].data)
			memcpy(p, nla_data(b[n].data), b[n].len);
		b[n].data = b[n].len ? p : NULL;
		p += b[n].len;
	}
	return 0;
}

static int sspi_nl_put_buffers(struct sk_buff *skb, const struct sspi_message *msg)
{
	const struct sspi_buffer *b;
	struct nlattr *nest;
	unsigned int i;
	int err;

	for (i = 0; i < msg->count; i++) {
		b = &msg->buffers[i];
		nest = nla_nest_start(skb, SSPI_A_BUFFER);
		if (!nest || nla_put_u32(skb, SSPI_BUF_TYPE, b->type))
			return -EMSGSIZE;
		/* never a nest whose length wraps: nl-max-buf is the most */
		if (b->data && b->len > SSPI_NL_MAX_BUF)
			return -EMSGSIZE;
		if (b->data)
			err = nla_put(skb, SSPI_BUF_DATA, b->len, b->data);
		else
			err = nla_put_u32(skb, SSPI_BUF_LEN, b->len);
		if (err)
			return err;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/* Bytes of a reply carrying @msg's buffers, its status and its qop. */
static size_t sspi_nl_reply_size(const struct sspi_message *msg)
{
	size_t size = nla_total_size(sizeof(u32)) * 2;
	unsigned int i;

	for (i = 0; i < msg->count; i++)
		size += nla_total_size(0) + 2 * nla_total_size(sizeof(u32)) +
			nla_total_size(msg->buffers[i].len);
	return size;
}

/*
 * Bytes of the reply to allocate before @op runs on @msg, so that it need
 * not grow after the package used a sequence number: its buffers as they
 * came in, the padding of each should the package cut it into a slice of
 * another length (Schannel's DecryptMessage makes STREAM_HEADER, DATA and
 * STREAM_TRAILER of the record in DATA and three EMPTY buffers), and for
 * DecryptMessage the DATA it hands back inside each STREAM too ([STREAM,
 * DATA] in, the whole token and its plaintext out).
 */
static size_t sspi_nl_reply_room(const struct sspi_message *msg, enum sspi_op op)
{
	size_t size = sspi_nl_reply_size(msg) + msg->count * (NLA_ALIGNTO - 1);
	unsigned int i;

	if (op != SSPI_OP_DECRYPT)
		return size;
	for (i = 0; i < msg->count; i++)
		if (sspi_buf_type(&msg->buffers[i]) == SSPI_SECBUFFER_STREAM)
			size += nla_total_size(msg->buffers[i].len);
	return size;
}

/* The operation a command runs. */
static enum sspi_op sspi_nl_cmd_op(u8 cmd)
{
	switch (cmd) {
	case SSPI_CMD_ENCRYPT:
		return SSPI_OP_ENCRYPT;
	case SSPI_CMD_DECRYPT:
		return SSPI_OP_DECRYPT;
	case SSPI_CMD_SIGN:
		return SSPI_OP_SIGN;
	default:
		return SSPI_OP_VERIFY;
	}
}

/*
 * ENCRYPT, DECRYPT, SIGN and VERIFY: once the attributes are valid, every
 * outcome is a reply with its SECURITY_STATUS, and with the buffers when
 * the core says they go back.
 */
static int sspi_nl_crypt(struct sk_buff *skb, struct genl_info *info)
{
	enum sspi_op op = sspi_nl_cmd_op(info->genlhdr->cmd);
	bool send = op == SSPI_OP_ENCRYPT || op == SSPI_OP_SIGN;
	struct sspi_buffer bufs[SSPI_MAX_BUFFERS] = {};
	struct sspi_message msg = { .buffers = bufs };
	struct nlattr **a = info->attrs;
	struct sspi_requester req;
	struct sspi_context *ctx;
	struct sspi_outcome res;
	u32 seqno = 0, qop = 0;
	struct sk_buff *rep;
	u8 *mem = NULL;
	size_t size;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SSPI_A_CTX_HANDLE))
		return -EINVAL;
	err = sspi_nl_parse_buffers(info, &msg, &mem);
	if (err)
		return err;
	if (a[SSPI_A_SEQNO])
		seqno = nla_get_u32(a[SSPI_A_SEQNO]);
	if (send && a[SSPI_A_QOP])
		qop = nla_get_u32(a[SSPI_A_QOP]);

	/*
	 * The reply is allocated before the package runs, for the buffers as
	 * they came in and the plaintext of each STREAM to unseal: an
	 * allocation failure then costs no sequence number.  Outputs are
	 * slices of the input, so that is enough unless a package hands back
	 * other overlapping ones; only then is a larger one allocated.
	 */
	size = sspi_nl_reply_room(&msg, op);
	rep = genlmsg_new(size, GFP_KERNEL);
	err = -ENOMEM;
	if (!rep)
		goto out;

	sspi_nl_requester(skb, genl_info_net(info), &req);
	ctx = sspi_context_get(genl_info_net(info),
			       nla_get_u64(a[SSPI_A_CTX_HANDLE]), &req);
	sspi_message_op(ctx, op, &msg, seqno, &qop, &res);
	if (ctx)
		sspi_context_put(ctx);

	if (res.buffers && sspi_nl_reply_size(&msg) > size) {
		nlmsg_free(rep);
		rep = genlmsg_new(sspi_nl_reply_size(&msg), GFP_KERNEL);
		if (!rep)
			goto out;
	}
	hdr = genlmsg_put_reply(rep, info, &sspi_nl_family, 0, info->genlhdr->cmd);
	if (!hdr || nla_put_u32(rep, SSPI_A_STATUS, res.status) ||
	    (!send && nla_put_u32(rep, SSPI_A_QOP, qop)) ||
	    (res.buffers && sspi_nl_put_buffers(rep, &msg))) {
		nlmsg_free(rep);
		err = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(rep, hdr);
	err = genlmsg_reply(rep, info);
out:
	kfree_sensitive(mem);
	return err;
}

int sspi_nl_encrypt_doit(struct sk_buff *skb, struct genl_info *info)
{
	return sspi_nl_crypt(skb, info);
}

int sspi_nl_decrypt_doit(struct sk_buff *skb, struct genl_info *info)
{
	return sspi_nl_crypt(skb, info);
}

int sspi_nl_sign_doit(struct sk_buff *skb, struct genl_info *info)
{
	return sspi_nl_crypt(skb, info);
}

int sspi_nl_verify_doit(struct sk_buff *skb, struct genl_info *info)
{
	return sspi_nl_crypt(skb, info);
}

static struct genl_family sspi_nl_family __ro_after_init = {
	.name = SSPI_FAMILY_NAME,
	.version = SSPI_FAMILY_VERSION,
	.netnsok = true,
	.parallel_ops = true,	/* the context table has locks of its own */
	.module = THIS_MODULE,
	/* each with its own policy: a command takes only its attributes */
	SSPI_GENL_SPLIT_OPS(sspi_nl_ops, ARRAY_SIZE(sspi_nl_ops)),
	/* a new family: the header's reserved fields are checked for all */
	.resv_start_op = SSPI_CMD_PKG_GET,
};

/**
 * sspi_netlink_init() - register the "sspi" generic netlink family
 *
 * Return: 0 or the error of genl_register_family().
 */
int __init sspi_netlink_init(void)
{
	return sspi_genl_register_family(&sspi_nl_family);
}

/**
 * sspi_netlink_exit() - unregister the family; requests in progress finish
 */
void sspi_netlink_exit(void)
{
	sspi_genl_unregister_family(&sspi_nl_family);
}
