// SPDX-License-Identifier: GPL-2.0
/*
 * libsspi: packages and contexts over the "sspi" generic netlink family
 * (PKG_GET, CTX_IMPORT, CTX_GET, CTX_DELETE, CTX_UPDATE_KEYS), and the
 * message operations through either transport.
 */
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "internal.h"

/* A reply's SECURITY_STATUS, when it has one that failed: say so */
static int reply_status(struct nlattr **tb)
{
	__u32 status;

	if (!tb[SSPI_A_STATUS])
		return 0;
	status = nla_get_u32(tb[SSPI_A_STATUS]);
	if (!sspi_status_failed(status))
		return 0;
	sspi_set_error("%s", sspi_status_name(status));
	sspi_set_error_status(status);
	return -1;
}

static struct nl_msg *handle_request(__u8 cmd, __u64 handle, size_t size)
{
	struct nl_msg *msg = sspi_nl_request(cmd, 0, size + 64);

	if (!msg)
		return NULL;
	if (nla_put_u64(msg, SSPI_A_CTX_HANDLE, handle)) {
		nlmsg_free(msg);
		sspi_set_error("out of memory");
		return NULL;
	}
	return msg;
}

int sspi_open(void)
{
	return sspi_nl_open();
}

/* Packages */

struct pkg_walk {
	sspi_pkg_fn fn;
	void *arg;
	const char *want;		/* sspi_pkg_get(): this one */
	struct sspi_pkg_info *found;
	bool got;
};

static int pkg_reply(struct nlattr **tb, struct nlattr *attrs, int len,
		     void *arg)
{
	struct pkg_walk *w = arg;
	struct sspi_pkg_info p;

	(void)attrs;
	(void)len;
	memset(&p, 0, sizeof(p));
	if (tb[SSPI_A_PKG_NAME])
		nla_strlcpy(p.name, tb[SSPI_A_PKG_NAME], sizeof(p.name));
	if (tb[SSPI_A_PKG_COMMENT])
		nla_strlcpy(p.comment, tb[SSPI_A_PKG_COMMENT],
			    sizeof(p.comment));
	if (tb[SSPI_A_PKG_CAPS])
		p.caps = nla_get_u32(tb[SSPI_A_PKG_CAPS]);
	if (w->want) {
		if (!w->got && !strcmp(w->want, p.name)) {
			*w->found = p;
			w->got = true;
		}
		return 0;
	}
	if (w->fn(&p, w->arg))
		return sspi_set_error("PKG_GET: stopped by the caller");
	return 0;
}

static int pkg_walk(struct pkg_walk *w)
{
	struct nl_msg *msg = sspi_nl_request(SSPI_CMD_PKG_GET, NLM_F_DUMP, 0);

	if (!msg)
		return -1;
	return sspi_nl_exchange(msg, pkg_reply, w);
}

int sspi_pkg_list(sspi_pkg_fn fn, void *arg)
{
	struct pkg_walk w = { .fn = fn, .arg = arg };

	return pkg_walk(&w);
}

int sspi_pkg_get(const char *name, struct sspi_pkg_info *pkg)
{
	struct pkg_walk w = { .want = name, .found = pkg };

	if (pkg_walk(&w))
		return -1;
	if (!w.got)
		return sspi_set_error("PKG_GET: no package \"%s\"", name);
	return 0;
}

/* Contexts */

/* One SSPI_STATS_*_FAILED nest: a status and its count */
static void ctx_parse_failed(struct nlattr *nest, struct sspi_ctx_dir_stats *ds)
{
	struct nlattr *sc[SSPI_STATUS_COUNT_MAX + 1];

	if (ds->nfailed == ARRAY_SIZE(ds->failed) ||
	    nla_parse_nested(sc, SSPI_STATUS_COUNT_MAX, nest, NULL) ||
	    !sc[SSPI_STATUS_COUNT_STATUS] || !sc[SSPI_STATUS_COUNT_COUNT])
		return;
	ds->failed[ds->nfailed].status = nla_get_u32(sc[SSPI_STATUS_COUNT_STATUS]);
	ds->failed[ds->nfailed].count = nla_get_u64(sc[SSPI_STATUS_COUNT_COUNT]);
	ds->nfailed++;
}

/* One direction's counts in SSPI_A_CTX_STATS, by its attribute types */
static void ctx_parse_dir_stats(struct nlattr *stats, int messages, int bytes,
				int failed, struct sspi_ctx_dir_stats *ds)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, stats, rem) {
		if (nla_type(a) == messages)
			ds->messages = nla_get_u64(a);
		else if (nla_type(a) == bytes)
			ds->bytes = nla_get_u64(a);
		else if (nla_type(a) == failed)
			ctx_parse_failed(a, ds);
	}
}

static void ctx_parse(struct nlattr **tb, struct sspi_ctx_info *ci)
{
	struct nlattr *st[SSPI_SIZES_MAX + 1];
	int i;

	memset(ci, 0, sizeof(*ci));
	if (tb[SSPI_A_CTX_HANDLE])
		ci->handle = nla_get_u64(tb[SSPI_A_CTX_HANDLE]);
	if (tb[SSPI_A_PKG_NAME])
		nla_strlcpy(ci->package, tb[SSPI_A_PKG_NAME],
			    sizeof(ci->package));
	if (tb[SSPI_A_CTX_OWNER])
		ci->owner = nla_get_u32(tb[SSPI_A_CTX_OWNER]);
	if (tb[SSPI_A_CTX_EXPIRY])
		ci->expiry = nla_get_u64(tb[SSPI_A_CTX_EXPIRY]);
	if (tb[SSPI_A_CTX_PROTOCOL])
		ci->protocol = nla_get_u32(tb[SSPI_A_CTX_PROTOCOL]);
	if (tb[SSPI_A_CTX_CIPHER])
		nla_strlcpy(ci->cipher, tb[SSPI_A_CTX_CIPHER],
			    sizeof(ci->cipher));
	if (tb[SSPI_A_CTX_TX_DRIVER])
		nla_strlcpy(ci->tx_driver, tb[SSPI_A_CTX_TX_DRIVER],
			    sizeof(ci->tx_driver));
	if (tb[SSPI_A_CTX_RX_DRIVER])
		nla_strlcpy(ci->rx_driver, tb[SSPI_A_CTX_RX_DRIVER],
			    sizeof(ci->rx_driver));
	if (tb[SSPI_A_CTX_TX_SEQ])
		ci->tx_seq = nla_get_u64(tb[SSPI_A_CTX_TX_SEQ]);
	if (tb[SSPI_A_CTX_RX_SEQ])
		ci->rx_seq = nla_get_u64(tb[SSPI_A_CTX_RX_SEQ]);
	if (tb[SSPI_A_CTX_NEGOTIATED])
		nla_strlcpy(ci->negotiated, tb[SSPI_A_CTX_NEGOTIATED],
			    sizeof(ci->negotiated));
	if (tb[SSPI_A_CTX_KEY_BITS])
		ci->key_bits = nla_get_u32(tb[SSPI_A_CTX_KEY_BITS]);
	ci->expired = !!tb[SSPI_A_CTX_EXPIRED];
	if (tb[SSPI_A_CTX_STATS]) {
		ci->has_stats = true;
		ctx_parse_dir_stats(tb[SSPI_A_CTX_STATS], SSPI_STATS_TX_MESSAGES,
				    SSPI_STATS_TX_BYTES, SSPI_STATS_TX_FAILED,
				    &ci->tx_stats);
		ctx_parse_dir_stats(tb[SSPI_A_CTX_STATS], SSPI_STATS_RX_MESSAGES,
				    SSPI_STATS_RX_BYTES, SSPI_STATS_RX_FAILED,
				    &ci->rx_stats);
	}
	if (tb[SSPI_A_CTX_SIZES] &&
	    !nla_parse_nested(st, SSPI_SIZES_MAX, tb[SSPI_A_CTX_SIZES], NULL)) {
		ci->has_sizes = true;
		for (i = 1; i <= SSPI_SIZES_MAX; i++)
			if (st[i])
				ci->sizes[i] = nla_get_u32(st[i]);
	}
}

struct ctx_walk {
	sspi_ctx_fn fn;			/* a dump: each one */
	void *arg;
	struct sspi_ctx_info *info;	/* a do: the one */
	bool found;
};

static int ctx_reply(struct nlattr **tb, struct nlattr *attrs, int len,
		     void *arg)
{
	struct ctx_walk *w = arg;
	struct sspi_ctx_info ci;

	(void)attrs;
	(void)len;
	if (reply_status(tb))
		return -1;
	w->found = true;
	if (w->info) {
		ctx_parse(tb, w->info);
		return 0;
	}
	ctx_parse(tb, &ci);
	if (w->fn(&ci, w->arg))
		return sspi_set_error("CTX_GET: stopped by the caller");
	return 0;
}

int sspi_ctx_get(__u64 handle, struct sspi_ctx_info *info)
{
	struct ctx_walk w = { .info = info };
	struct nl_msg *msg = handle_request(SSPI_CMD_CTX_GET, handle, 0);

	if (!msg || sspi_nl_exchange(msg, ctx_reply, &w))
		return -1;
	if (!w.found)
		return sspi_set_error("CTX_GET: no reply");
	if (info->expired) {
		/* listed until reaped, but of no use: fail as before */
		sspi_set_error("SEC_E_CONTEXT_EXPIRED: context expired");
		sspi_set_error_status(SSPI_SEC_E_CONTEXT_EXPIRED);
		return -1;
	}
	return 0;
}

int sspi_ctx_list(sspi_ctx_fn fn, void *arg)
{
	struct ctx_walk w = { .fn = fn, .arg = arg };
	struct nl_msg *msg = sspi_nl_request(SSPI_CMD_CTX_GET, NLM_F_DUMP, 0);

	if (!msg)
		return -1;
	return sspi_nl_exchange(msg, ctx_reply, &w);
}

static int status_reply(struct nlattr **tb, struct nlattr *attrs, int len,
			void *arg)
{
	__u64 *handle = arg;

	(void)attrs;
	(void)len;
	if (reply_status(tb))
		return -1;
	if (handle && tb[SSPI_A_CTX_HANDLE])
		*handle = nla_get_u64(tb[SSPI_A_CTX_HANDLE]);
	return 0;
}

int sspi_ctx_delete(__u64 handle)
{
	struct nl_msg *msg = handle_request(SSPI_CMD_CTX_DELETE, handle, 0);

	if (!msg)
		return -1;
	return sspi_nl_exchange(msg, status_reply, NULL);
}

int sspi_ctx_import(const char *pkg, const void *blob, size_t len,
		    const struct sspi_ctx_limit *limit, __u64 *handle)
{
	struct nl_msg *msg = sspi_nl_request(SSPI_CMD_CTX_IMPORT, 0, len + 128);
	__u64 h = 0;

	if (!msg)
		return -1;
	if (nla_put_string(msg, SSPI_A_PKG_NAME, pkg) ||
	    nla_put(msg, SSPI_A_CTX_IMPORT, len, blob) ||
	    (limit && limit->has_lifetime &&
	     nla_put_u32(msg, SSPI_A_CTX_LIFETIME, limit->lifetime)) ||
	    (limit && limit->has_expiry &&
	     nla_put_u64(msg, SSPI_A_CTX_EXPIRY, limit->expiry))) {
		/* the import structure holds keys */
		explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		return sspi_set_error("out of memory");
	}
	if (sspi_nl_exchange(msg, status_reply, &h))
		return -1;
	if (!h)
		return sspi_set_error("CTX_IMPORT: no handle in the reply");
	*handle = h;
	return 0;
}

int sspi_ctx_update_keys(__u64 handle, __u32 dir, const void *keys,
			 size_t len)
{
	struct nl_msg *msg = handle_request(SSPI_CMD_CTX_UPDATE_KEYS, handle,
					    len);

	if (!msg)
		return -1;
	if (nla_put_u32(msg, SSPI_A_DIRECTION, dir) ||
	    nla_put(msg, SSPI_A_KEYS, len, keys)) {
		explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		return sspi_set_error("out of memory");
	}
	return sspi_nl_exchange(msg, status_reply, NULL);
}

/* Messages */

struct sspi_buf *sspi_msg_find(struct sspi_msg *m, __u32 type)
{
	unsigned int i;

	for (i = 0; i < m->count; i++)
		if ((m->buf[i].type & ~SSPI_SECBUFFER_ATTRMASK) == type)
			return &m->buf[i];
	return NULL;
}

void sspi_msg_add(struct sspi_msg *m, __u32 type, void *data, __u32 len)
{
	if (m->count >= SSPI_MAX_BUFS)
		return;
	m->buf[m->count].type = type;
	m->buf[m->count].data = data;
	m->buf[m->count].len = len;
	m->count++;
}

int sspi_message(__u8 cmd, struct sspi_msg *m, enum sspi_transport t)
{
	if (t == SSPI_TRANSPORT_IOCTL)
		return sspi_ioc_message(cmd, m);
	return sspi_nl_message(cmd, m);
}
