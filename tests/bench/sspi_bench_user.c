// SPDX-License-Identifier: GPL-2.0
/*
 * sspi-bench: seal and unseal throughput of sspi_kmod through each of its
 * ways in, each as a ratio to the raw AEAD measured alongside it.
 *
 *   sspi-bench --tx HANDLE --rx HANDLE [--ms N] [--sizes A,B,...]
 *		[--paths kapi,ioctl,netlink] [--gss COMMAND]
 *
 * TX and RX are two contexts with mirrored keys (what TX seals, RX
 * unseals).  Paths:
 *
 *   kapi	sspi_encrypt()/sspi_decrypt() in the kernel (the sspi_bench
 *		module, through /sys/kernel/debug/sspi_bench/run)
 *   ioctl	SSPI_IOC_ENCRYPT/SSPI_IOC_DECRYPT on /dev/sspi
 *   netlink	SSPI_CMD_ENCRYPT/SSPI_CMD_DECRYPT of the "sspi" generic
 *		netlink family
 *
 * The anchor ("raw") is the sspi_bench module running the crypto API's
 * AEAD -- the driver TX seals with -- on the same record layout.  Every
 * measurement is taken in rounds, the anchor's slices and the path's
 * alternating (anchor first in even rounds, the path first in odd ones),
 * so that both see the same machine: under QEMU's TCG on a shared host,
 * speed drifts by more than the differences looked for.  Each operation
 * gets about N milliseconds in all (default 1000), for the path and for
 * the anchor.  Operations are timed one by one; a slice's figure is its
 * median operation, a measurement's the median of its rounds' (so that
 * the host preempting the guest now and then does not count), and the
 * range of the rounds' ratios is printed with the ratio.
 *
 * Sealing is timed in a loop.  Unsealing consumes its record, so each one
 * is sealed with TX untimed and unsealed with RX timed; timed sealing
 * uses RX's sending direction, whose receiver is never used.  Thus RX's
 * receiving direction stays in step with TX's sending one whatever the
 * paths and sizes measured, as long as nothing fails.
 *
 * Output: one line per path, operation and size:
 *
 *   PATH OP SIZE CIPHER  MB/s  RATIOx raw  (rounds LOW-HIGH)
 *
 * the anchor's own lines first ("raw"), and "skipped (why)" for a path
 * that is not there.  Exit status 1 when a measurement failed.
 *
 * Kerberos: when TX and RX are Kerberos contexts (an initiator and its
 * acceptor), the operations are "wrap" and "unwrap" of RFC 4121 Wrap
 * tokens, 1 KiB and 64 KiB by default (at most 65536), on the paths kapi
 * ([TOKEN, DATA] in place, the DATA in pages) and ioctl (EncryptMessage
 * [TOKEN, DATA, PADDING], DecryptMessage [STREAM, DATA] of the whole
 * token); netlink is not measured.  The anchor is the enctype's
 * skcipher and HMAC (see the sspi_bench module).  With --gss COMMAND (or
 * --mit COMMAND), a shell command that starts gss-bench (MIT krb5's
 * gss_wrap and gss_unwrap on a context of the same enctype), MIT is a
 * second anchor, its slices taking turns with the other two in every
 * round, and a line reads
 *
 *   PATH OP SIZE ENCTYPE  MB/s  RATIOx MIT (LOW-HIGH)  RATIOx raw (LOW-HIGH)
 *
 * NTLM: when TX and RX are NTLM contexts (an initiator and its acceptor),
 * the operations are "seal" and "unseal" of messages with their 16-byte
 * signatures, 1 KiB and 64 KiB by default (at most 65536), on the paths
 * kapi ([TOKEN, DATA] in place, the DATA in pages) and ioctl
 * (EncryptMessage [TOKEN, DATA], DecryptMessage [STREAM, DATA] of the
 * signature and the sealed data); netlink is not measured.  The anchor is
 * RC4 and HMAC-MD5 (see the sspi_bench module); with --gss COMMAND
 * starting "gss-bench --mech ntlm", gss-ntlmssp's gss_wrap and gss_unwrap
 * are the second one, as MIT's are for Kerberos, and lines read
 *
 *   PATH OP SIZE NAME  MB/s  RATIOx ntlmssp (LOW-HIGH)  RATIOx raw (LOW-HIGH)
 *
 * A ratio above 1 is faster than the anchor.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sspi.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#define DEBUGFS_RUN	"/sys/kernel/debug/sspi_bench/run"
#define DEV_PATH	"/dev/" SSPI_DEV_NAME
#define ROUNDS		10
#define MAX_SIZE	65536
#define TLS_MAX_SIZE	16384
#define TOKEN_ROOM	128
#define MAX_SIZES	8
#define ROOM		32
#define NL_BUF		(1024 * 1024)
#define MAX_SAMPLES	(256 * 1024)

/* operations timed one by one: how many, in all, the median one */
struct op {
	__u64 ops, ns, median;
};

/* one slice: sealing and unsealing */
struct meas {
	struct op seal, unseal;
};

struct anchor_info {
	char cipher[64], driver[64], package[64], mac[64];
	unsigned int protocol, header, trailer, token;
};

static __u64 tx_handle, rx_handle;
static unsigned int hlen, tlen;
/* Kerberos: the TOKEN's room (security_trailer), the last token's length */
static bool krb5;
static unsigned int krb5_room, krb5_toklen;
/* NTLM: sealed as Kerberos is, [TOKEN, DATA], but with no PADDING */
static bool ntlm;
/* the second anchor, gss-bench: its name in a ratio, in the path column */
static const char *gss_label = "MIT", *gss_row = "mit";
/* the operations' names: Kerberos wraps and unwraps */
static const char *op_names[2] = { "seal", "unseal" };

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* ---- the sspi_bench module ---- */

/* The two result lines (also gss-bench's) into @m. */
static int parse_meas(const char *buf, struct meas *m)
{
	const char *p;

	p = strstr(buf, "seal ");
	if (!p || (p != buf && p[-1] != '\n') ||
	    sscanf(p, "seal size=%*u ops=%llu ns=%llu median=%llu",
		   &m->seal.ops, &m->seal.ns, &m->seal.median) != 3)
		return -EIO;
	p = strstr(buf, "\nunseal ");
	if (!p || sscanf(p, "\nunseal size=%*u ops=%llu ns=%llu median=%llu",
			 &m->unseal.ops, &m->unseal.ns, &m->unseal.median) != 3)
		return -EIO;
	return 0;
}

/* Run one debugfs command; its result into @m (and @ai when asked). */
static int kernel_cmd(const char *cmd, struct meas *m, struct anchor_info *ai)
{
	char buf[512];
	const char *p;
	ssize_t n;
	int fd;

	fd = open(DEBUGFS_RUN, O_RDWR);
	if (fd < 0)
		return -errno;
	if (write(fd, cmd, strlen(cmd)) < 0) {
		n = -errno;
		close(fd);
		fprintf(stderr, "sspi-bench: \"%s\": %s\n", cmd, strerror(-n));
		return n;
	}
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	p = strchr(buf, '\n');
	if (!p || parse_meas(p + 1, m))
		return -EIO;
	if (ai && sscanf(buf,
			 "path=%*s cipher=%63s protocol=%x driver=%63s header=%u trailer=%u package=%63s token=%u mac=%63s",
			 ai->cipher, &ai->protocol, ai->driver,
			 &ai->header, &ai->trailer, ai->package, &ai->token,
			 ai->mac) != 8)
		return -EIO;
	return 0;
}

static int anchor_slice(unsigned int size, unsigned int ms, struct meas *m)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "anchor %llu %u %u", tx_handle, size, ms);
	return kernel_cmd(cmd, m, NULL);
}

static int kapi_slice(unsigned int size, unsigned int ms, struct meas *m)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "kapi %llu %llu %u %u",
		 tx_handle, rx_handle, size, ms);
	return kernel_cmd(cmd, m, NULL);
}

/* ---- MIT krb5 or gss-ntlmssp (gss-bench, a coprocess) ---- */

static FILE *gss_in, *gss_out;
static pid_t gss_pid;
/* what gss-bench said when ready */
static char gss_ready[256];

/* Start @cmd; NULL once it says it is ready, else why not. */
static const char *gss_start(const char *cmd)
{
	static char why[256];
	int to[2], from[2];
	char line[256];

	if (pipe(to) || pipe(from))
		return strerror(errno);
	gss_pid = fork();
	if (gss_pid < 0)
		return strerror(errno);
	if (!gss_pid) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[0]);
		close(to[1]);
		close(from[0]);
		close(from[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	gss_in = fdopen(to[1], "w");
	gss_out = fdopen(from[0], "r");
	if (!gss_in || !gss_out)
		return "out of memory";
	if (!fgets(line, sizeof(line), gss_out))
		return "it exited";
	line[strcspn(line, "\n")] = '\0';
	if (strncmp(line, "ready ", 6)) {
		snprintf(why, sizeof(why), "%s", line);
		return why;
	}
	snprintf(gss_ready, sizeof(gss_ready), "%s", line + 6);
	return NULL;
}

static void gss_stop(void)
{
	if (gss_in)
		fclose(gss_in);
	if (gss_out)
		fclose(gss_out);
	gss_in = NULL;
	gss_out = NULL;
	if (gss_pid > 0)
		waitpid(gss_pid, NULL, 0);
	gss_pid = 0;
}

static int gss_slice(unsigned int size, unsigned int ms, struct meas *m)
{
	char buf[512];
	size_t n = 0;
	int lines;

	if (fprintf(gss_in, "%u %u\n", size, ms) < 0 || fflush(gss_in))
		return -EPIPE;
	for (lines = 0; lines < 2; lines++) {
		if (!fgets(buf + n, sizeof(buf) - n, gss_out))
			return -EPIPE;
		if (!strncmp(buf + n, "error", 5)) {
			fprintf(stderr, "sspi-bench: %s: %s", gss_label, buf + n);
			return -EIO;
		}
		n += strlen(buf + n);
	}
	return parse_meas(buf, m);
}

/* ---- /dev/sspi ---- */

static int dev_fd = -1;
static __u8 *rec;

static int ioc(unsigned long req, __u64 handle, struct sspi_ioc_buffer *b)
{
	struct sspi_ioc_message m = {
		.size = sizeof(m),
		.handle = handle,
		.count = 4,
		.buffers = (uintptr_t)b,
	};

	if (ioctl(dev_fd, req, &m) < 0) {
		int err = -errno;

		fprintf(stderr, "sspi-bench: %s: %s, status 0x%08x\n",
			req == SSPI_IOC_ENCRYPT ? "SSPI_IOC_ENCRYPT" : "SSPI_IOC_DECRYPT",
			strerror(-err), m.status);
		return err;
	}
	return 0;
}

static int ioc_seal(__u64 handle, unsigned int size)
{
	struct sspi_ioc_buffer b[4] = {
		{ SSPI_SECBUFFER_STREAM_HEADER, hlen, (uintptr_t)rec },
		{ SSPI_SECBUFFER_DATA, size, (uintptr_t)(rec + hlen) },
		{ SSPI_SECBUFFER_STREAM_TRAILER, tlen, (uintptr_t)(rec + hlen + size) },
		{ SSPI_SECBUFFER_EMPTY, 0, 0 },
	};
	int err = ioc(SSPI_IOC_ENCRYPT, handle, b);

	if (!err && (b[0].len != hlen || b[2].len != tlen))
		err = -EPROTO;
	return err;
}

static int ioc_unseal(__u64 handle, unsigned int size)
{
	struct sspi_ioc_buffer b[4] = {
		{ SSPI_SECBUFFER_DATA, hlen + size + tlen, (uintptr_t)rec },
		{ SSPI_SECBUFFER_EMPTY, 0, 0 },
		{ SSPI_SECBUFFER_EMPTY, 0, 0 },
		{ SSPI_SECBUFFER_EMPTY, 0, 0 },
	};
	int err = ioc(SSPI_IOC_DECRYPT, handle, b);

	if (!err && (b[1].type != SSPI_SECBUFFER_DATA || b[1].len != size))
		err = -EPROTO;
	return err;
}

/*
 * EncryptMessage [TOKEN, DATA, PADDING] of a Wrap token put together in rec;
 * NTLM: [TOKEN, DATA, EMPTY], the signature and the sealed data
 */
static int ioc_wrap_at(__u64 handle, unsigned int size, bool compact)
{
	struct sspi_ioc_buffer b[4] = {
		{ SSPI_SECBUFFER_TOKEN, krb5_room, (uintptr_t)rec },
		{ SSPI_SECBUFFER_DATA, size, (uintptr_t)(rec + krb5_room) },
		{ ntlm ? SSPI_SECBUFFER_EMPTY : SSPI_SECBUFFER_PADDING, ntlm ? 0 : ROOM,
		  ntlm ? 0 : (uintptr_t)(rec + krb5_room + size) },
		{ SSPI_SECBUFFER_EMPTY, 0, 0 },
	};
	int err = ioc(SSPI_IOC_ENCRYPT, handle, b);

	if (err)
		return err;
	if (!b[0].len || b[0].len > krb5_room || b[1].len != size || b[2].len > ROOM)
		return -EPROTO;
	/* TOKEN | DATA | PADDING with the lengths returned */
	if (compact && b[0].len < krb5_room)
		memmove(rec + b[0].len, rec + krb5_room, size + b[2].len);
	krb5_toklen = b[0].len + size + b[2].len;
	return 0;
}

static int ioc_wrap(__u64 handle, unsigned int size)
{
	return ioc_wrap_at(handle, size, false);
}

static int ioc_wrap_token(__u64 handle, unsigned int size)
{
	return ioc_wrap_at(handle, size, true);
}

/* DecryptMessage [STREAM (the whole token), DATA (empty)] */
static int ioc_unwrap(__u64 handle, unsigned int size)
{
	struct sspi_ioc_buffer b[4] = {
		{ SSPI_SECBUFFER_STREAM, krb5_toklen, (uintptr_t)rec },
		{ SSPI_SECBUFFER_DATA, 0, 0 },
		{ SSPI_SECBUFFER_EMPTY, 0, 0 },
		{ SSPI_SECBUFFER_EMPTY, 0, 0 },
	};
	int err = ioc(SSPI_IOC_DECRYPT, handle, b);

	if (!err && (b[1].type != SSPI_SECBUFFER_DATA || b[1].len != size))
		err = -EPROTO;
	return err;
}

static const char *ioc_open(void)
{
	static char why[128];

	dev_fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	if (dev_fd < 0) {
		snprintf(why, sizeof(why), "%s: %s", DEV_PATH, strerror(errno));
		return why;
	}
	return NULL;
}

/* ---- generic netlink ---- */

static struct nl_sock *nl_sk;
static int nl_family;

struct nl_reply {
	bool seen;
	__u32 status;
	unsigned int count;
	__u32 type[4];
	__u32 len[4];
	const __u8 *data[4];
	struct nl_msg *msg;
};

static int nl_parse(struct nl_msg *msg, void *arg)
{
	struct nl_reply *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *a, *b;
	int rem, rem2;

	r->seen = true;
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(a) == SSPI_A_STATUS) {
			r->status = nla_get_u32(a);
		} else if (nla_type(a) == SSPI_A_BUFFER && r->count < 4) {
			unsigned int i = r->count++;

			r->type[i] = 0;
			r->len[i] = 0;
			r->data[i] = NULL;
			nla_for_each_nested(b, a, rem2) {
				if (nla_type(b) == SSPI_BUF_TYPE) {
					r->type[i] = nla_get_u32(b);
				} else if (nla_type(b) == SSPI_BUF_DATA) {
					r->data[i] = nla_data(b);
					r->len[i] = nla_len(b);
				} else if (nla_type(b) == SSPI_BUF_LEN) {
					r->len[i] = nla_get_u32(b);
				}
			}
		}
	}
	/* keep the message: @r points into it */
	nlmsg_get(msg);
	r->msg = msg;
	return NL_OK;
}

static void nl_reply_free(struct nl_reply *r)
{
	if (r->msg)
		nlmsg_free(r->msg);
	r->msg = NULL;
}

/* One request: buffers [type, len, data (NULL: room of len)] x @count. */
static int nl_op(__u8 cmd, __u64 handle, unsigned int count,
		 const __u32 *type, const __u32 *len, const __u8 *const *data,
		 struct nl_reply *r)
{
	struct nl_msg *msg = nlmsg_alloc_size(256 + MAX_SIZE + 2 * ROOM);
	struct nlattr *nest;
	unsigned int i;
	int err = -EMSGSIZE;

	if (!msg)
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	r->status = 0xffffffffu;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl_family, 0, 0, cmd,
			 SSPI_GENL_VERSION) ||
	    nla_put_u64(msg, SSPI_A_CTX_HANDLE, handle) ||
	    (cmd == SSPI_CMD_ENCRYPT && nla_put_u32(msg, SSPI_A_QOP, 0)))
		goto out;
	for (i = 0; i < count; i++) {
		nest = nla_nest_start(msg, SSPI_A_BUFFER);
		if (!nest || nla_put_u32(msg, SSPI_BUF_TYPE, type[i]))
			goto out;
		/* the family wants one of the two, even for an EMPTY buffer */
		if (data[i] ? nla_put(msg, SSPI_BUF_DATA, len[i], data[i]) :
		    nla_put_u32(msg, SSPI_BUF_LEN, len[i]))
			goto out;
		nla_nest_end(msg, nest);
	}
	nl_socket_modify_cb(nl_sk, NL_CB_VALID, NL_CB_CUSTOM, nl_parse, r);
	/* no ACK asked for: the reply, or an error, ends the exchange */
	err = nl_send_auto(nl_sk, msg);
	if (err >= 0)
		err = nl_recvmsgs_default(nl_sk);
	if (err < 0) {
		fprintf(stderr, "sspi-bench: netlink: %s\n", nl_geterror(err));
		err = -EIO;
	} else if (!r->seen || r->status != SSPI_SEC_E_OK) {
		fprintf(stderr, "sspi-bench: netlink: status 0x%08x\n", r->status);
		err = -EIO;
	}
out:
	nlmsg_free(msg);
	if (err)
		nl_reply_free(r);
	return err;
}

/* Seal the record in rec (for unsealing); @copy: put it together in rec */
static int nl_seal(__u64 handle, unsigned int size, bool copy)
{
	static const __u32 type[4] = {
		SSPI_SECBUFFER_STREAM_HEADER, SSPI_SECBUFFER_DATA,
		SSPI_SECBUFFER_STREAM_TRAILER, SSPI_SECBUFFER_EMPTY,
	};
	const __u32 len[4] = { hlen, size, tlen, 0 };
	const __u8 *data[4] = { NULL, rec + hlen, NULL, NULL };
	struct nl_reply r;
	unsigned int i, off = 0;
	int err = nl_op(SSPI_CMD_ENCRYPT, handle, 4, type, len, data, &r);

	if (err)
		return err;
	if (r.count < 3 || r.len[0] != hlen || r.len[1] != size || r.len[2] != tlen)
		err = -EPROTO;
	for (i = 0; !err && copy && i < 3; i++) {
		if (!r.data[i]) {
			err = -EPROTO;
			break;
		}
		memcpy(rec + off, r.data[i], r.len[i]);
		off += r.len[i];
	}
	nl_reply_free(&r);
	return err;
}

static int nl_unseal(__u64 handle, unsigned int size)
{
	static const __u32 type[4] = {
		SSPI_SECBUFFER_DATA, SSPI_SECBUFFER_EMPTY,
		SSPI_SECBUFFER_EMPTY, SSPI_SECBUFFER_EMPTY,
	};
	const __u32 len[4] = { hlen + size + tlen, 0, 0, 0 };
	const __u8 *data[4] = { rec, NULL, NULL, NULL };
	struct nl_reply r;
	int err = nl_op(SSPI_CMD_DECRYPT, handle, 4, type, len, data, &r);

	if (err)
		return err;
	if (r.count < 2 || r.type[1] != SSPI_SECBUFFER_DATA || r.len[1] != size)
		err = -EPROTO;
	nl_reply_free(&r);
	return err;
}

static const char *nl_open(void)
{
	static char why[128];
	int err;

	nl_sk = nl_socket_alloc();
	if (!nl_sk)
		return "out of memory";
	err = genl_connect(nl_sk);
	if (!err)
		err = nl_socket_set_buffer_size(nl_sk, NL_BUF, NL_BUF);
	if (!err) {
		nl_socket_disable_auto_ack(nl_sk);
		nl_socket_enable_msg_peek(nl_sk);
		nl_socket_set_msg_buf_size(nl_sk, 2 * MAX_SIZE + 4096);
		nl_family = genl_ctrl_resolve(nl_sk, SSPI_GENL_NAME);
		err = nl_family < 0 ? nl_family : 0;
	}
	if (err) {
		snprintf(why, sizeof(why), "generic netlink family \"%s\": %s",
			 SSPI_GENL_NAME, nl_geterror(err));
		nl_socket_free(nl_sk);
		nl_sk = NULL;
		return why;
	}
	return NULL;
}

/* ---- userspace paths: one slice ---- */

struct user_path {
	int (*seal)(__u64 handle, unsigned int size);
	int (*seal_for_unseal)(__u64 handle, unsigned int size);
	int (*unseal)(__u64 handle, unsigned int size);
};

static int nl_seal_timed(__u64 handle, unsigned int size)
{
	return nl_seal(handle, size, false);
}

static int nl_seal_record(__u64 handle, unsigned int size)
{
	return nl_seal(handle, size, true);
}

static const struct user_path ioc_path = { ioc_seal, ioc_seal, ioc_unseal };
static const struct user_path nl_path = { nl_seal_timed, nl_seal_record, nl_unseal };
static const struct user_path ioc_krb5_path = { ioc_wrap, ioc_wrap_token, ioc_unwrap };

static __u32 *samples;

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/* Count an operation from @t0 to @t1; whether to go on. */
static bool op_add(struct op *o, __u64 budget, __u64 end, __u64 t0, __u64 t1)
{
	samples[o->ops++] = t1 - t0 > UINT_MAX ? UINT_MAX : t1 - t0;
	o->ns += t1 - t0;
	return o->ns < budget && t1 < end && o->ops < MAX_SAMPLES;
}

static void op_end(struct op *o)
{
	qsort(samples, o->ops, sizeof(*samples), cmp_u32);
	o->median = o->ops ? samples[o->ops / 2] : 0;
}

/* As the sspi_bench module does for kapi: see there. */
static int user_slice(const struct user_path *p, unsigned int size,
		      unsigned int ms, struct meas *m)
{
	__u64 budget = (__u64)ms * 1000000u, t0, t1, end;
	int err;

	memset(m, 0, sizeof(*m));
	end = now_ns() + 2 * budget;
	do {
		t0 = now_ns();
		err = p->seal(rx_handle, size);
		t1 = now_ns();
		if (err)
			return err;
	} while (op_add(&m->seal, budget, end, t0, t1));
	op_end(&m->seal);

	end = now_ns() + 2 * budget;
	do {
		err = p->seal_for_unseal(tx_handle, size);
		if (err)
			return err;
		t0 = now_ns();
		err = p->unseal(rx_handle, size);
		t1 = now_ns();
		if (err)
			return err;
	} while (op_add(&m->unseal, budget, end, t0, t1));
	op_end(&m->unseal);
	return 0;
}

/* ---- rounds and output ---- */

enum path_id { P_KAPI, P_IOCTL, P_NETLINK, P_MAX };

static const char *const path_names[P_MAX] = { "kapi", "ioctl", "netlink" };

/* per round, the median operation's ns: [0] sealing, [1] unsealing */
struct rounds {
	__u64 path[2][ROUNDS];
	__u64 raw[2][ROUNDS];
	__u64 gss[2][ROUNDS];
};

static int path_slice(enum path_id id, unsigned int size, unsigned int ms,
		      struct meas *m)
{
	switch (id) {
	case P_KAPI:
		return kapi_slice(size, ms, m);
	case P_IOCTL:
		return user_slice(krb5 || ntlm ? &ioc_krb5_path : &ioc_path, size, ms, m);
	default:
		return user_slice(&nl_path, size, ms, m);
	}
}

static void keep(__u64 (*v)[ROUNDS], unsigned int r, const struct meas *m)
{
	v[0][r] = m->seal.median;
	v[1][r] = m->unseal.median;
}

/*
 * ROUNDS slices of the path and of the anchor (and of gss-bench, when
 * there), taking turns: round r starts with the (r mod n)th of the anchor,
 * the path and gss-bench.
 */
static int measure(enum path_id id, unsigned int size, unsigned int ms,
		   struct rounds *rd)
{
	unsigned int slice = ms / ROUNDS, r, k, n = gss_in ? 3 : 2;
	struct meas m;
	int err;

	for (r = 0; r < ROUNDS; r++) {
		for (k = 0; k < n; k++) {
			switch ((r + k) % n) {
			case 0:
				err = anchor_slice(size, slice, &m);
				if (!err)
					keep(rd->raw, r, &m);
				break;
			case 1:
				err = path_slice(id, size, slice, &m);
				if (!err)
					keep(rd->path, r, &m);
				break;
			default:
				err = gss_slice(size, slice, &m);
				if (!err)
					keep(rd->gss, r, &m);
				break;
			}
			if (err)
				return err;
		}
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static double median(const __u64 *v)
{
	__u64 s[ROUNDS];

	memcpy(s, v, sizeof(s));
	qsort(s, ROUNDS, sizeof(*s), cmp_u64);
	return (s[(ROUNDS - 1) / 2] + s[ROUNDS / 2]) / 2.0;
}

static void print_op(const char *path, const char *op, unsigned int size,
		     const char *cipher, const __u64 *v, const __u64 *raw)
{
	double ns = median(v), lo = 1e9, hi = 0, q;
	unsigned int r;

	printf("%-8s %-7s %6u %-18s %9.1f MB/s", path, op, size, cipher,
	       ns ? size * 1000.0 / ns : 0);
	if (raw) {
		for (r = 0; r < ROUNDS; r++) {
			q = v[r] ? (double)raw[r] / v[r] : 0;
			lo = q < lo ? q : lo;
			hi = q > hi ? q : hi;
		}
		printf("  %5.2fx raw  (rounds %.2f-%.2f)", ns ? median(raw) / ns : 0,
		       lo, hi);
	}
	printf("\n");
}

/* " RATIOx NAME (LOW-HIGH)": @v against @ref, round by round */
static void print_ratio(const char *name, const __u64 *v, const __u64 *ref)
{
	double ns = median(v), lo = 1e9, hi = 0, q;
	unsigned int r;

	for (r = 0; r < ROUNDS; r++) {
		q = v[r] ? (double)ref[r] / v[r] : 0;
		lo = q < lo ? q : lo;
		hi = q > hi ? q : hi;
	}
	printf("  %5.2fx %s (%.2f-%.2f)", ns ? median(ref) / ns : 0, name, lo, hi);
}

/*
 * A Kerberos or NTLM line: MB/s, then the ratios to gss-bench (MIT or
 * ntlmssp) and to raw when given.
 */
static void print_krb5(const char *path, const char *op, unsigned int size,
		       const char *cipher, const __u64 *v, const __u64 *mit,
		       const __u64 *raw)
{
	double ns = median(v);

	printf("%-8s %-7s %6u %-26s %9.1f MB/s", path, op, size, cipher,
	       ns ? size * 1000.0 / ns : 0);
	if (mit)
		print_ratio(gss_label, v, mit);
	if (raw)
		print_ratio("raw", v, raw);
	printf("\n");
}

static void print_skip(const char *path, unsigned int size, const char *cipher,
		       const char *why)
{
	printf("%-8s %-7s %6u %-18s skipped (%s)\n", path, op_names[0],
	       size, cipher, why);
	printf("%-8s %-7s %6u %-18s skipped (%s)\n", path, op_names[1],
	       size, cipher, why);
}

static int parse_list(char *s, unsigned int *v, unsigned int max)
{
	unsigned int n = 0;
	char *tok, *end;

	for (tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		unsigned long x = strtoul(tok, &end, 0);

		if (*end || !x || x > MAX_SIZE || n == max)
			return -1;
		v[n++] = x;
	}
	return n;
}

static void print_usage(void)
{
	fprintf(stderr,
		"Usage: sspi-bench --tx HANDLE --rx HANDLE [--ms N] [--sizes A,B,...]\n"
		"                  [--paths kapi,ioctl,netlink] [--gss COMMAND]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int sizes[MAX_SIZES] = { 64, 1024, 16384 }, nsizes = 3;
	char *sizes_arg = NULL;
	bool paths_given;
	const char *gss_cmd = NULL, *gss_why = NULL;
	unsigned int ms = 1000, i, s;
	const char *why[P_MAX] = { NULL };
	bool want[P_MAX] = { true, true, true };
	struct anchor_info ai;
	struct meas probe;
	struct rounds rd;
	int err, failed = 0, p;
	char *paths = NULL, *t, cmd[128];

	for (i = 1; i < (unsigned int)argc; i++) {
		const char *a = argv[i], *v = i + 1 < (unsigned int)argc ? argv[i + 1] : NULL;

		if (!v)
			print_usage();
		if (!strcmp(a, "--tx"))
			tx_handle = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--rx"))
			rx_handle = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--ms"))
			ms = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--sizes"))
			sizes_arg = argv[i + 1];
		else if (!strcmp(a, "--paths"))
			paths = argv[i + 1];
		else if (!strcmp(a, "--gss") || !strcmp(a, "--mit"))
			gss_cmd = v;
		else
			print_usage();
		i++;
	}
	if (sizes_arg)
		nsizes = parse_list(sizes_arg, sizes, MAX_SIZES);
	if (!tx_handle || !rx_handle || (int)nsizes <= 0 || ms < 10 * ROUNDS)
		print_usage();
	if (paths) {
		for (p = 0; p < P_MAX; p++)
			want[p] = false;
		for (t = strtok(paths, ","); t; t = strtok(NULL, ",")) {
			for (p = 0; p < P_MAX && strcmp(t, path_names[p]); p++)
				;
			if (p == P_MAX)
				print_usage();
			want[p] = true;
		}
	}

	/* the anchor says the cipher and the sizes of a record */
	snprintf(cmd, sizeof(cmd), "anchor %llu 64 10", tx_handle);
	err = kernel_cmd(cmd, &probe, &ai);
	if (err) {
		fprintf(stderr, "sspi-bench: the sspi_bench module (%s): %s\n",
			DEBUGFS_RUN, strerror(-err));
		return 1;
	}
	paths_given = paths;
	krb5 = !strcmp(ai.package, "Kerberos");
	ntlm = !strcmp(ai.package, "NTLM");
	if (krb5) {
		op_names[0] = "wrap";
		op_names[1] = "unwrap";
	} else if (ntlm) {
		gss_label = "ntlmssp";
		gss_row = "ntlmssp";
	}
	if (krb5 || ntlm) {
		krb5_room = ai.token;
		if (!krb5_room || krb5_room > TOKEN_ROOM) {
			fprintf(stderr, "sspi-bench: security_trailer %u?\n", krb5_room);
			return 1;
		}
		if (!sizes_arg) {
			sizes[0] = 1024;
			sizes[1] = 65536;
			nsizes = 2;
		}
		/* netlink is not measured for Kerberos and NTLM */
		if (!paths_given)
			want[P_NETLINK] = false;
		hlen = TOKEN_ROOM;
		tlen = ROOM;
	} else {
		hlen = ai.header;
		tlen = ai.trailer;
		if (!hlen || !tlen || hlen > ROOM || tlen > ROOM) {
			fprintf(stderr, "sspi-bench: header %u, trailer %u?\n", hlen, tlen);
			return 1;
		}
		for (s = 0; s < nsizes; s++) {
			if (sizes[s] > TLS_MAX_SIZE) {
				fprintf(stderr, "sspi-bench: a TLS record holds at most %u bytes\n",
					TLS_MAX_SIZE);
				return 2;
			}
		}
	}
	rec = calloc(1, hlen + MAX_SIZE + tlen);
	samples = calloc(MAX_SAMPLES, sizeof(*samples));
	if (!rec || !samples)
		return 1;
	if (want[P_IOCTL])
		why[P_IOCTL] = ioc_open();
	if (want[P_NETLINK])
		why[P_NETLINK] = krb5 ? "not measured for Kerberos" :
				 ntlm ? "not measured for NTLM" : nl_open();
	if ((krb5 || ntlm) && gss_cmd) {
		/* a broken pipe is an error returned, not a signal */
		signal(SIGPIPE, SIG_IGN);
		gss_why = gss_start(gss_cmd);
		if (gss_why) {
			fprintf(stderr, "sspi-bench: %s (%s): %s\n", gss_label, gss_cmd,
				gss_why);
			gss_stop();
			failed = 1;
		}
	}
	if (krb5)
		printf("# Kerberos %s, skcipher %s, %s, token %u; MIT %s;"
		       " %u ms per measurement in %u rounds\n",
		       ai.cipher, ai.driver, ai.mac, krb5_room,
		       gss_in ? "gss-bench" : gss_why ? "FAILED" : "not measured",
		       ms, ROUNDS);
	else if (ntlm)
		printf("# NTLM %s, %s, %s, token %u; ntlmssp %s%s;"
		       " %u ms per measurement in %u rounds\n",
		       ai.cipher, ai.driver, ai.mac, krb5_room,
		       gss_in ? "gss-bench " : gss_why ? "FAILED" : "not measured",
		       gss_in ? gss_ready : "", ms, ROUNDS);
	else
		printf("# TLS %s %s, driver %s; %u ms per measurement in %u rounds\n",
		       ai.protocol == SSPI_TLS_VERSION_1_3 ? "1.3" : "1.2", ai.cipher,
		       ai.driver, ms, ROUNDS);

	for (s = 0; s < nsizes; s++) {
		for (p = 0; p < P_MAX; p++) {
			if (!want[p])
				continue;
			if (why[p]) {
				print_skip(path_names[p], sizes[s], ai.cipher, why[p]);
				continue;
			}
			err = measure(p, sizes[s], ms, &rd);
			if (err) {
				printf("%-8s %-7s %6u %-18s FAILED (%s)\n",
				       path_names[p], "-", sizes[s], ai.cipher,
				       strerror(-err));
				failed = 1;
				/* the two contexts may be out of step now */
				goto out;
			}
			if (krb5 || ntlm) {
				print_krb5("raw", op_names[0], sizes[s], ai.cipher,
					   rd.raw[0], NULL, NULL);
				print_krb5("raw", op_names[1], sizes[s], ai.cipher,
					   rd.raw[1], NULL, NULL);
				if (gss_in) {
					print_krb5(gss_row, op_names[0], sizes[s], ai.cipher,
						   rd.gss[0], NULL, rd.raw[0]);
					print_krb5(gss_row, op_names[1], sizes[s], ai.cipher,
						   rd.gss[1], NULL, rd.raw[1]);
				}
				print_krb5(path_names[p], op_names[0], sizes[s], ai.cipher,
					   rd.path[0], gss_in ? rd.gss[0] : NULL, rd.raw[0]);
				print_krb5(path_names[p], op_names[1], sizes[s], ai.cipher,
					   rd.path[1], gss_in ? rd.gss[1] : NULL, rd.raw[1]);
				fflush(stdout);
				continue;
			}
			print_op("raw", "seal", sizes[s], ai.cipher, rd.raw[0], NULL);
			print_op("raw", "unseal", sizes[s], ai.cipher, rd.raw[1], NULL);
			print_op(path_names[p], "seal", sizes[s], ai.cipher,
				 rd.path[0], rd.raw[0]);
			print_op(path_names[p], "unseal", sizes[s], ai.cipher,
				 rd.path[1], rd.raw[1]);
			fflush(stdout);
		}
	}
out:
	gss_stop();
	if (nl_sk)
		nl_socket_free(nl_sk);
	if (dev_fd >= 0)
		close(dev_fd);
	free(rec);
	free(samples);
	return failed;
}
