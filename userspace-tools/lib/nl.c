// SPDX-License-Identifier: GPL-2.0
/*
 * libsspi: the "sspi" generic netlink family, through libnl-genl-3.
 *
 * One socket per process, opened on first use.  A request is sent with NLM_F_ACK and answered by
 * reply messages (each handed to a callback) and an ACK, or by NLMSG_DONE
 * for a dump, or by an error with an extended ACK whose message and
 * missing-attribute type become sspi_error() with the errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "internal.h"

/* Room for a few records' worth of request or reply */
#define NL_SOCK_BUF	(1 << 20)

static struct nl_sock *nl_sk;
static int nl_family;

int sspi_nl_open(void)
{
	int one = 1, err;

	if (nl_sk)
		return 0;
	nl_sk = nl_socket_alloc();
	if (!nl_sk) {
		sspi_set_error("out of memory");
		return -1;
	}
	err = genl_connect(nl_sk);
	if (err) {
		sspi_set_error("generic netlink: %s", nl_geterror(err));
		goto fail;
	}
	err = nl_socket_set_buffer_size(nl_sk, NL_SOCK_BUF, NL_SOCK_BUF);
	if (err) {
		sspi_set_error("netlink buffer size: %s", nl_geterror(err));
		goto fail;
	}
	/* Older kernels lack these; the messages are only less helpful */
	setsockopt(nl_socket_get_fd(nl_sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl_sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl_family = genl_ctrl_resolve(nl_sk, SSPI_GENL_NAME);
	if (nl_family < 0) {
		if (nl_family == -NLE_OBJ_NOTFOUND)
			sspi_set_error("no generic netlink family \"%s\" (is sspi_kmod loaded?)",
				       SSPI_GENL_NAME);
		else
			sspi_set_error("generic netlink family \"%s\": %s",
				       SSPI_GENL_NAME, nl_geterror(nl_family));
		goto fail;
	}
	return 0;
fail:
	nl_socket_free(nl_sk);
	nl_sk = NULL;
	return -1;
}

/* A request for @cmd with room for @size bytes of attributes */
struct nl_msg *sspi_nl_request(__u8 cmd, int flags, size_t size)
{
	struct nl_msg *msg;

	if (sspi_nl_open())
		return NULL;
	msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + size + 256);
	if (!msg) {
		sspi_set_error("out of memory");
		return NULL;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl_family, 0, flags,
			 cmd, SSPI_GENL_VERSION)) {
		nlmsg_free(msg);
		sspi_set_error("out of memory");
		return NULL;
	}
	return msg;
}

struct nl_state {
	sspi_nl_reply_fn fn;
	void *arg;
	bool done;
	int cb_err;		/* the reply callback failed */
	int err;		/* errno of an NLMSG_ERROR */
	char ext_msg[256];	/* its extended ACK message */
	int miss_type;		/* and the attribute it says is missing */
};

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nl_state *st = arg;
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[SSPI_A_MAX + 1];
	struct nlattr *attrs = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);

	if (st->cb_err)
		return NL_OK;
	if (nla_parse(tb, SSPI_A_MAX, attrs, len, NULL)) {
		sspi_set_error("malformed netlink reply");
		st->cb_err = -1;
		return NL_OK;
	}
	if (st->fn && st->fn(tb, attrs, len, st->arg))
		st->cb_err = -1;
	return NL_OK;
}

static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nl_state *st = arg;

	(void)msg;
	st->done = true;
	return NL_STOP;
}

/* The TLVs of an extended ACK follow the (perhaps capped) request */
static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct nl_state *st = arg;
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	(void)nla;
	st->done = true;
	st->err = e->error < 0 ? -e->error : e->error;
	st->miss_type = -1;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= off)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		      nlh->nlmsg_len - off, NULL))
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(st->ext_msg, tb[NLMSGERR_ATTR_MSG],
			    sizeof(st->ext_msg));
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		st->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	return NL_STOP;
}

/* The status an extended ACK's message begins with ("SEC_E_...: "), or 0 */
static __u32 ext_msg_status(const char *msg)
{
	const struct sspi_status_info *si;
	char name[40];
	size_t n = strcspn(msg, ":");

	if (!msg[n] || n >= sizeof(name))
		return 0;
	memcpy(name, msg, n);
	name[n] = 0;
	si = sspi_status_by_name(name);
	return si ? si->status : 0;
}

static int nl_error(int cmd, const struct nl_state *st)
{
	const char *ename = strerrorname_np(st->err);
	char miss[64] = "";
	__u32 status;

	if (st->miss_type >= 0)
		snprintf(miss, sizeof(miss), " (missing attribute %s)",
			 sspi_nl_attr_name(st->miss_type));
	if (!st->ext_msg[0])
		return sspi_set_error("%s%s: %s (%s)", sspi_nl_cmd_name(cmd),
				      miss, strerror(st->err),
				      ename ? ename : "?");
	sspi_set_error("%s: %s%s: %s (%s)", sspi_nl_cmd_name(cmd),
		       st->ext_msg, miss, strerror(st->err),
		       ename ? ename : "?");
	status = ext_msg_status(st->ext_msg);
	if (status)
		sspi_set_error_status(status);
	return -1;
}

/*
 * Send @msg (freed, its bytes wiped: they may hold keys or plaintext) and
 * hand each reply to @fn until the ACK or the end of the dump.
 */
int sspi_nl_exchange(struct nl_msg *msg, sspi_nl_reply_fn fn, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nl_state st = { .fn = fn, .arg = arg };
	int cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
	struct nl_cb *cb;
	int err;

	err = nl_send_auto(nl_sk, msg);
	explicit_bzero(nlh, nlh->nlmsg_len);
	nlmsg_free(msg);
	if (err < 0) {
		sspi_set_error("%s: sending: %s", sspi_nl_cmd_name(cmd), nl_geterror(err));
		return -1;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		sspi_set_error("out of memory");
		return -1;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &st);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &st);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, finish_cb, &st);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, &st);
	while (!st.done) {
		err = nl_recvmsgs(nl_sk, cb);
		if (err < 0 && !st.err) {
			sspi_set_error("%s: receiving: %s", sspi_nl_cmd_name(cmd),
				       nl_geterror(err));
			nl_cb_put(cb);
			return -1;
		}
	}
	nl_cb_put(cb);
	if (st.err)
		return nl_error(cmd, &st);
	return st.cb_err;
}

/* Reply buffers' bytes, kept until the next message */
static __u8 *nl_scratch;
static size_t nl_scratch_size;

static int message_reply(struct nlattr **tb, struct nlattr *attrs, int len,
			 void *arg)
{
	struct sspi_msg *m = arg;
	struct nlattr *a, *bt[SSPI_BUF_MAX + 1];
	size_t total = 0, used = 0;
	unsigned int n = 0;
	int rem;

	if (!tb[SSPI_A_STATUS]) {
		sspi_set_error("netlink reply without a status");
		return -1;
	}
	m->status = nla_get_u32(tb[SSPI_A_STATUS]);
	if (tb[SSPI_A_QOP])
		m->qop = nla_get_u32(tb[SSPI_A_QOP]);

	nla_for_each_attr(a, attrs, len, rem)
		if (nla_type(a) == SSPI_A_BUFFER)
			total += nla_len(a);
	if (total > nl_scratch_size) {
		/* not realloc(): the old bytes may be plaintext, wipe them */
		__u8 *p = malloc(total);

		if (!p) {
			sspi_set_error("out of memory");
			return -1;
		}
		if (nl_scratch)
			explicit_bzero(nl_scratch, nl_scratch_size);
		free(nl_scratch);
		nl_scratch = p;
		nl_scratch_size = total;
	}
	nla_for_each_attr(a, attrs, len, rem) {
		struct sspi_buf *b = &m->buf[n];

		if (nla_type(a) != SSPI_A_BUFFER)
			continue;
		if (n == SSPI_MAX_BUFS ||
		    nla_parse_nested(bt, SSPI_BUF_MAX, a, NULL) ||
		    !bt[SSPI_BUF_TYPE]) {
			sspi_set_error("malformed buffer in netlink reply");
			return -1;
		}
		b->type = nla_get_u32(bt[SSPI_BUF_TYPE]);
		b->data = NULL;
		b->len = 0;
		if (bt[SSPI_BUF_DATA]) {
			b->len = nla_len(bt[SSPI_BUF_DATA]);
			b->data = nl_scratch + used;
			memcpy(b->data, nla_data(bt[SSPI_BUF_DATA]), b->len);
			used += b->len;
		} else if (bt[SSPI_BUF_LEN]) {
			b->len = nla_get_u32(bt[SSPI_BUF_LEN]);
		}
		n++;
	}
	m->count = n;
	return 0;
}

/*
 * The most bytes one buffer carries: a netlink attribute's length is 16
 * bits, SSPI_BUF_DATA sits in an SSPI_A_BUFFER nest after SSPI_BUF_TYPE,
 * and libnl counts the nest up to the padded end of its last attribute.
 */
#define NL_MAX_BUF_DATA	((0xffffu - NLA_HDRLEN - NLA_HDRLEN - 4 - NLA_HDRLEN) & \
			 ~(NLA_ALIGNTO - 1u))

/*
 * EncryptMessage, DecryptMessage, MakeSignature or VerifySignature (@cmd:
 * SSPI_CMD_ENCRYPT, _DECRYPT, _SIGN, _VERIFY) over netlink: 0 with m->status
 * set and, when it says they mean something, m->buf[] replaced by the
 * reply's buffers (their bytes valid until the next call); -1 when the
 * request was refused (sspi_error() says why).
 */
int sspi_nl_message(__u8 cmd, struct sspi_msg *m)
{
	struct nl_msg *msg;
	struct nlattr *nest;
	size_t size = 64;
	unsigned int i;

	for (i = 0; i < m->count; i++) {
		if (m->buf[i].data && m->buf[i].len > NL_MAX_BUF_DATA) {
			sspi_set_error("%s: a buffer over %u bytes; use --ioctl",
				       sspi_nl_cmd_name(cmd), NL_MAX_BUF_DATA);
			return -1;
		}
		size += 32 + (m->buf[i].data ? m->buf[i].len : 0);
	}
	msg = sspi_nl_request(cmd, 0, size);
	if (!msg)
		return -1;
	if (nla_put_u64(msg, SSPI_A_CTX_HANDLE, m->handle) ||
	    ((cmd == SSPI_CMD_ENCRYPT || cmd == SSPI_CMD_SIGN) &&
	     nla_put_u32(msg, SSPI_A_QOP, m->qop)) ||
	    (m->seqno && nla_put_u32(msg, SSPI_A_SEQNO, m->seqno)))
		goto too_big;
	for (i = 0; i < m->count; i++) {
		const struct sspi_buf *b = &m->buf[i];

		nest = nla_nest_start(msg, SSPI_A_BUFFER);
		if (!nest || nla_put_u32(msg, SSPI_BUF_TYPE, b->type))
			goto too_big;
		/* input bytes, or the size of room for output (EMPTY: 0) */
		if (b->data) {
			if (nla_put(msg, SSPI_BUF_DATA, b->len, b->data))
				goto too_big;
		} else if (nla_put_u32(msg, SSPI_BUF_LEN, b->len)) {
			goto too_big;
		}
		/* libnl drops a nest that outgrew 16 bits: never send it short */
		if (nla_nest_end(msg, nest) < 0)
			goto too_big;
	}
	m->status = SSPI_STATUS_NONE;
	m->count = 0;
	if (sspi_nl_exchange(msg, message_reply, m))
		return -1;
	if (m->status == SSPI_STATUS_NONE) {
		sspi_set_error("%s: no reply", sspi_nl_cmd_name(cmd));
		return -1;
	}
	return 0;

too_big:
	explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	sspi_set_error("%s: message too large", sspi_nl_cmd_name(cmd));
	return -1;
}
