// SPDX-License-Identifier: GPL-2.0
/*
 * sspi-bench: seal and unseal throughput of sspi_kmod through each of its
 * ways in, each as a ratio to anchors measured alongside it.
 *
 *   sspi-bench --tx HANDLE --rx HANDLE [--tx2 HANDLE --rx2 HANDLE]
 *		[--tx3 HANDLE --rx3 HANDLE] [--ms N] [--sizes A,B,...]
 *		[--threads 1,2] [--paths PATH,...] [--gss COMMAND]
 *		[--json FILE] [--window N]
 *
 * TX and RX are two contexts with mirrored keys (what TX seals, RX
 * unseals); TX2 and RX2, TX3 and RX3 two more such pairs, for two
 * threads.  Paths:
 *
 *   kapi	sspi_encrypt()/sspi_decrypt() in the kernel (the sspi_bench
 *		module, through /sys/kernel/debug/sspi_bench/run)
 *   kapi-async	sspi_submit() in the kernel (the module's "async"):
 *		sealing with N requests in flight (--window N,
 *		default 16, each with its own record), a sample being
 *		the time per record over N consecutive ends; unsealing one
 *		request at a time (it runs at submission).  Its ratios
 *		are to the anchors and to "kapi", measured taking turns
 *		with them: with a synchronous driver sspi_submit()
 *		returns at once and the ratio to kapi should be near 1
 *   ioctl	SSPI_IOC_ENCRYPT/SSPI_IOC_DECRYPT on /dev/sspi, flags 0
 *   ioctl-copy	the same with SSPI_IOC_F_COPY (every buffer copied)
 *   ioctl-zc	the same with SSPI_IOC_F_PIN (DATA in the caller's pages)
 *   ioctl-batch	SSPI_IOC_BATCH, 64 records a call (TLS only); its
 *		samples are a call's time over 64
 *   netlink	SSPI_CMD_ENCRYPT/SSPI_CMD_DECRYPT of the "sspi" generic
 *		netlink family
 *
 * A path the kernel refuses (the flags with EINVAL, the batch with
 * ENOTTY: tried once, sealing a record with RX, whose receiver is never
 * used) is printed as "skipped (why)".  Sizes: 64, 1024, 16384 and 65536
 * by default; a TLS record holds at most 16384 bytes, so TLS's 65536 is
 * printed as skipped.
 *
 * Anchors: "raw" is the sspi_bench module running the crypto API's AEAD
 * -- the driver TX seals with -- on the same record layout (always).  For
 * TLS also "evp", OpenSSL's EVP AEAD in this process on a record's worth
 * of memory (the same additional data, inner content type and tag), and
 * "ktls", the kernel's TLS (a TCP socket pair on loopback, TLS_TX on one
 * end, TLS_RX on the other, with the same cipher): sealing is a timed
 * send() of one record (its receipt untimed), unsealing a timed recv() of
 * one sent untimed.  An anchor that cannot be set up is left out, the
 * header line saying why.  Every measurement is taken in rounds, the
 * anchors' slices and the path's taking turns (round r starts with the (r
 * mod n)th of them), so that all see the same machine: under QEMU's TCG
 * on a shared host, speed drifts by more than the differences looked for.
 * Each operation gets about N milliseconds in all (default 1000), for the
 * path and for each anchor.  Operations are timed one by one; a slice's
 * figure is its median operation, a measurement's the median of its
 * rounds' (so that the host preempting the guest now and then does not
 * count), and the range of the rounds' ratios is printed with each ratio.
 *
 * Sealing is timed in a loop.  Unsealing consumes its record, so each one
 * is sealed with TX untimed and unsealed with RX timed; timed sealing
 * uses RX's sending direction, whose receiver is never used.  Thus RX's
 * receiving direction stays in step with TX's sending one whatever the
 * paths and sizes measured, as long as nothing fails.
 *
 * Threads (--threads 1,2, the default): with 2, the kapi path runs on two
 * kthreads bound to CPUs 0 and 1 (the module's "kapi2"), in three modes:
 * "pairs" (THR 2p), one thread on TX and RX, the other on TX2 and RX2;
 * "duplex" (2d), one pair (TX3 and RX3) both ways, one thread sealing
 * with TX3 and unsealing with RX3 while the other seals with RX3 and
 * unseals with TX3 (each unseals what it sealed itself); "pipe" (2i), one
 * thread sealing with TX while the other unseals with RX each record as
 * it comes, in step, through a ring of 8.  In pairs and duplex the MB/s
 * is the two threads' together; in pipe, sealing is the one thread's and
 * unsealing the other's.  The anchors are raw (on one thread) and
 * "x1thr", kapi on one thread, taking turns with it: the ratio to x1thr
 * is the scaling.  The other paths are measured on one thread only.
 *
 * Output: a line per path, operation, size and threads:
 *
 *   PATH OP SIZE THR CIPHER  MB/s  RATIOx ANCHOR (LOW-HIGH) ...
 *
 * THR is 1, 2p, 2d or 2i; before the path's lines, the
 * anchors' own (raw, evp, ktls, mit or ntlmssp), with their ratio to raw.
 * With --json FILE, every line also goes to FILE (appended), as a JSON
 * object on a line of its own: package, cipher, path, mode, op, size,
 * threads, ms, rounds, mbps, "ratios" {ANCHOR: RATIO}, "ranges" {ANCHOR:
 * [LOW, HIGH]}, "anchor" (an anchor's own line, with "alongside" the
 * path it was measured with); a skipped line has "mbps": null and
 * "skipped": why.  Exit status 1 when a measurement failed.
 *
 * Kerberos: when TX and RX are Kerberos contexts (an initiator and its
 * acceptor), the operations are "wrap" and "unwrap" of RFC 4121 Wrap
 * tokens (at most 65536 bytes), on the paths kapi ([TOKEN, DATA] in
 * place, the DATA in pages) and ioctl, ioctl-copy, ioctl-zc
 * (EncryptMessage [TOKEN, DATA, PADDING], DecryptMessage [STREAM, DATA]
 * of the whole token); netlink is not measured.  The anchor is the
 * enctype's skcipher and HMAC (see the sspi_bench module).  With --gss
 * COMMAND (or --mit COMMAND), a shell command that starts gss-bench (MIT
 * krb5's gss_wrap and gss_unwrap on a context of the same enctype), MIT is
 * a second anchor, its slices taking turns with the other two in every
 * round.
 *
 * NTLM: when TX and RX are NTLM contexts (an initiator and its acceptor),
 * the operations are "seal" and "unseal" of messages with their 16-byte
 * signatures (at most 65536 bytes), on the same paths as Kerberos
 * ([TOKEN, DATA], no PADDING).  The anchor is RC4 and HMAC-MD5 (see the
 * sspi_bench module); with --gss COMMAND starting "gss-bench --mech
 * ntlm", gss-ntlmssp's gss_wrap and gss_unwrap are the second one,
 * "ntlmssp".
 *
 * A ratio above 1 is faster than the anchor.  Nothing is asserted about
 * speed.
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
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <linux/sspi.h>
#include <linux/tls.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
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
#define BATCH		64	/* messages per SSPI_IOC_BATCH */
#define MAX_THREADS	2

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

static int kapi_slice(unsigned int size, unsigned int ms, struct meas *m)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "kapi %llu %llu %u %u",
		 tx_handle, rx_handle, size, ms);
	return kernel_cmd(cmd, m, NULL);
}

/* kapi-async: requests in flight at most (--window) */
static unsigned int async_window = 16;

static int kapi_async_slice(unsigned int size, unsigned int ms, struct meas *m)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "async %llu %llu %u %u %u",
		 tx_handle, rx_handle, size, ms, async_window);
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
			fprintf(stderr, "sspi-bench: gss-bench: %s", buf + n);
			return -EIO;
		}
		n += strlen(buf + n);
	}
	return parse_meas(buf, m);
}

/* ---- /dev/sspi ---- */

static int dev_fd = -1;
static __u8 *rec;
/* the messages' flags: 0, SSPI_IOC_F_COPY or SSPI_IOC_F_PIN */
static __u32 ioc_flags;
/* probing: an error is an answer, not worth a message */
static bool quiet;

static int ioc(unsigned long req, __u64 handle, struct sspi_ioc_buffer *b)
{
	struct sspi_ioc_message m = {
		.size = sizeof(m),
		.flags = ioc_flags,
		.handle = handle,
		.count = 4,
		.buffers = (uintptr_t)b,
	};

	if (ioctl(dev_fd, req, &m) < 0) {
		int err = -errno;

		if (!quiet)
			fprintf(stderr, "sspi-bench: %s: %s, status 0x%08x\n",
				req == SSPI_IOC_ENCRYPT ? "SSPI_IOC_ENCRYPT" :
				"SSPI_IOC_DECRYPT", strerror(-err), m.status);
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

/*
 * SSPI_IOC_BATCH: BATCH records, one after the other in brec, sealed or
 * unsealed in one call, as ioc_seal() and ioc_unseal() do one.
 */
static __u8 *brec;
static struct sspi_ioc_message bmsg[BATCH];
static struct sspi_ioc_buffer bbuf[BATCH][4];

static int ioc_batch(bool seal, __u64 handle, unsigned int size, unsigned int count)
{
	unsigned int i, stride = hlen + size + tlen;
	struct sspi_ioc_batch b = {
		.size = sizeof(b),
		.op = _IOC_NR(seal ? SSPI_IOC_ENCRYPT : SSPI_IOC_DECRYPT),
		.count = count,
		.messages = (uintptr_t)bmsg,
	};

	for (i = 0; i < count; i++) {
		__u8 *r = brec + (size_t)i * stride;
		struct sspi_ioc_buffer *bb = bbuf[i];

		memset(bb, 0, sizeof(bbuf[i]));
		if (seal) {
			bb[0] = (struct sspi_ioc_buffer){ SSPI_SECBUFFER_STREAM_HEADER, hlen,
							  (uintptr_t)r };
			bb[1] = (struct sspi_ioc_buffer){ SSPI_SECBUFFER_DATA, size,
							  (uintptr_t)(r + hlen) };
			bb[2] = (struct sspi_ioc_buffer){ SSPI_SECBUFFER_STREAM_TRAILER, tlen,
							  (uintptr_t)(r + hlen + size) };
		} else {
			bb[0] = (struct sspi_ioc_buffer){ SSPI_SECBUFFER_DATA, stride,
							  (uintptr_t)r };
		}
		bmsg[i] = (struct sspi_ioc_message){
			.size = sizeof(bmsg[i]),
			.handle = handle,
			.count = 4,
			.buffers = (uintptr_t)bb,
		};
	}
	if (ioctl(dev_fd, SSPI_IOC_BATCH, &b) < 0) {
		int err = -errno;

		if (!quiet)
			fprintf(stderr, "sspi-bench: SSPI_IOC_BATCH: %s, done %u failed %u\n",
				strerror(-err), b.done, b.failed);
		return err;
	}
	if (b.done != count || b.failed)
		return -EPROTO;
	for (i = 0; i < count; i++) {
		if (bmsg[i].status != SSPI_SEC_E_OK ||
		    (!seal && (bbuf[i][1].type != SSPI_SECBUFFER_DATA ||
			       bbuf[i][1].len != size)))
			return -EPROTO;
	}
	return 0;
}

static int ioc_batch_seal(__u64 handle, unsigned int size)
{
	return ioc_batch(true, handle, size, BATCH);
}

static int ioc_batch_unseal(__u64 handle, unsigned int size)
{
	return ioc_batch(false, handle, size, BATCH);
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

/* ---- OpenSSL EVP in userspace: the same record, sealed by libcrypto ---- */

/* EVP_CIPHER_CTX */
static struct evp_cipher_ctx_st *evp_enc, *evp_dec;
static __u8 evp_iv[12], evp_aad[13];
static unsigned int evp_aad_len, evp_inner;
static __u8 *evp_buf;

/* NULL once ready for @cipher, else why not */
static const char *evp_open(const char *cipher, bool tls13)
{
	const EVP_CIPHER *c = NULL;
	unsigned char key[32];

	if (!strcmp(cipher, "aes-128-gcm"))
		c = EVP_aes_128_gcm();
	else if (!strcmp(cipher, "aes-256-gcm"))
		c = EVP_aes_256_gcm();
	else if (!strcmp(cipher, "chacha20-poly1305"))
		c = EVP_chacha20_poly1305();
	if (!c)
		return "no such cipher in this OpenSSL";
	evp_enc = EVP_CIPHER_CTX_new();
	evp_dec = EVP_CIPHER_CTX_new();
	evp_buf = calloc(1, TLS_MAX_SIZE + 1 + 16);
	if (!evp_enc || !evp_dec || !evp_buf)
		return "out of memory";
	if (RAND_bytes(key, sizeof(key)) != 1 ||
	    RAND_bytes(evp_iv, sizeof(evp_iv)) != 1 ||
	    RAND_bytes(evp_aad, sizeof(evp_aad)) != 1 ||
	    !EVP_EncryptInit_ex(evp_enc, c, NULL, key, evp_iv) ||
	    !EVP_DecryptInit_ex(evp_dec, c, NULL, key, evp_iv))
		return "EVP_*Init_ex failed";
	OPENSSL_cleanse(key, sizeof(key));
	/* TLS 1.3: a 5-byte header, the inner content type; 1.2: 13 bytes */
	evp_aad_len = tls13 ? 5 : 13;
	evp_inner = tls13 ? 1 : 0;
	return NULL;
}

static void evp_close(void)
{
	EVP_CIPHER_CTX_free(evp_enc);
	EVP_CIPHER_CTX_free(evp_dec);
	free(evp_buf);
	evp_enc = NULL;
	evp_dec = NULL;
	evp_buf = NULL;
}

static int evp_seal(__u64 handle, unsigned int size)
{
	unsigned int n = size + evp_inner;
	int len;

	(void)handle;
	if (!EVP_EncryptInit_ex(evp_enc, NULL, NULL, NULL, evp_iv) ||
	    !EVP_EncryptUpdate(evp_enc, NULL, &len, evp_aad, evp_aad_len) ||
	    !EVP_EncryptUpdate(evp_enc, evp_buf, &len, evp_buf, n) ||
	    !EVP_EncryptFinal_ex(evp_enc, evp_buf + len, &len) ||
	    !EVP_CIPHER_CTX_ctrl(evp_enc, EVP_CTRL_AEAD_GET_TAG, 16, evp_buf + n))
		return -EIO;
	return 0;
}

static int evp_unseal(__u64 handle, unsigned int size)
{
	unsigned int n = size + evp_inner;
	int len;

	(void)handle;
	if (!EVP_DecryptInit_ex(evp_dec, NULL, NULL, NULL, evp_iv) ||
	    !EVP_DecryptUpdate(evp_dec, NULL, &len, evp_aad, evp_aad_len) ||
	    !EVP_DecryptUpdate(evp_dec, evp_buf, &len, evp_buf, n) ||
	    !EVP_CIPHER_CTX_ctrl(evp_dec, EVP_CTRL_AEAD_SET_TAG, 16, evp_buf + n) ||
	    EVP_DecryptFinal_ex(evp_dec, evp_buf + len, &len) != 1)
		return -EBADMSG;
	return 0;
}

/* ---- kTLS: a TCP socket pair on loopback, TLS_TX on one, TLS_RX on the other ---- */

static int ktls_tx = -1, ktls_rx = -1;
static __u8 *ktls_buf;

union ktls_info {
	struct tls_crypto_info info;
	struct tls12_crypto_info_aes_gcm_128 gcm128;
	struct tls12_crypto_info_aes_gcm_256 gcm256;
	struct tls12_crypto_info_chacha20_poly1305 chacha;
};

static void ktls_close(void)
{
	if (ktls_tx >= 0)
		close(ktls_tx);
	if (ktls_rx >= 0)
		close(ktls_rx);
	ktls_tx = -1;
	ktls_rx = -1;
	free(ktls_buf);
	ktls_buf = NULL;
}

/* NULL once the pair is up for @cipher, else why not */
static const char *ktls_open(const char *cipher, bool tls13)
{
	static char why[160];
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t salen = sizeof(sa);
	union ktls_info ci;
	const char *what;
	size_t cilen;
	int l = -1, one = 1;

	memset(&ci, 0, sizeof(ci));
	ci.info.version = tls13 ? TLS_1_3_VERSION : TLS_1_2_VERSION;
	if (!strcmp(cipher, "aes-128-gcm")) {
		ci.info.cipher_type = TLS_CIPHER_AES_GCM_128;
		cilen = sizeof(ci.gcm128);
		if (RAND_bytes(ci.gcm128.key, sizeof(ci.gcm128.key)) != 1 ||
		    RAND_bytes(ci.gcm128.iv, sizeof(ci.gcm128.iv)) != 1 ||
		    RAND_bytes(ci.gcm128.salt, sizeof(ci.gcm128.salt)) != 1)
			return "RAND_bytes failed";
	} else if (!strcmp(cipher, "aes-256-gcm")) {
		ci.info.cipher_type = TLS_CIPHER_AES_GCM_256;
		cilen = sizeof(ci.gcm256);
		if (RAND_bytes(ci.gcm256.key, sizeof(ci.gcm256.key)) != 1 ||
		    RAND_bytes(ci.gcm256.iv, sizeof(ci.gcm256.iv)) != 1 ||
		    RAND_bytes(ci.gcm256.salt, sizeof(ci.gcm256.salt)) != 1)
			return "RAND_bytes failed";
	} else if (!strcmp(cipher, "chacha20-poly1305")) {
		ci.info.cipher_type = TLS_CIPHER_CHACHA20_POLY1305;
		cilen = sizeof(ci.chacha);
		if (RAND_bytes(ci.chacha.key, sizeof(ci.chacha.key)) != 1 ||
		    RAND_bytes(ci.chacha.iv, sizeof(ci.chacha.iv)) != 1)
			return "RAND_bytes failed";
	} else {
		return "no such cipher in kTLS";
	}
	ktls_buf = calloc(1, TLS_MAX_SIZE);
	if (!ktls_buf)
		return "out of memory";
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	what = "socket";
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ktls_tx = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || ktls_tx < 0)
		goto fail;
	what = "listen on loopback";
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&sa, &salen))
		goto fail;
	what = "connect";
	if (connect(ktls_tx, (struct sockaddr *)&sa, sizeof(sa)))
		goto fail;
	ktls_rx = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (ktls_rx < 0)
		goto fail;
	close(l);
	l = -1;
	setsockopt(ktls_tx, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	what = "TCP_ULP \"tls\" (CONFIG_TLS?)";
	if (setsockopt(ktls_tx, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls")) ||
	    setsockopt(ktls_rx, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls")))
		goto fail;
	what = "TLS_TX";
	if (setsockopt(ktls_tx, SOL_TLS, TLS_TX, &ci, cilen))
		goto fail;
	what = "TLS_RX";
	if (setsockopt(ktls_rx, SOL_TLS, TLS_RX, &ci, cilen))
		goto fail;
	OPENSSL_cleanse(&ci, sizeof(ci));
	return NULL;
fail:
	snprintf(why, sizeof(why), "%s: %s", what, strerror(errno));
	OPENSSL_cleanse(&ci, sizeof(ci));
	if (l >= 0)
		close(l);
	ktls_close();
	return why;
}

/* one record of @size bytes sent: sealed by the kernel's TLS_TX */
static int ktls_send(__u64 handle, unsigned int size)
{
	ssize_t n;

	(void)handle;
	n = send(ktls_tx, ktls_buf, size, 0);
	if (n != (ssize_t)size)
		return n < 0 ? -errno : -EIO;
	return 0;
}

/* the record received: unsealed by the kernel's TLS_RX */
static int ktls_recv(__u64 handle, unsigned int size)
{
	unsigned int got = 0;
	ssize_t n;

	(void)handle;
	while (got < size) {
		n = recv(ktls_rx, ktls_buf, size - got, 0);
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		got += n;
	}
	return 0;
}

/* after a timed send, untimed: take the record off the receiver */
static int ktls_drain(unsigned int size)
{
	return ktls_recv(0, size);
}

/* ---- userspace paths: one slice ---- */

struct user_path {
	int (*seal)(__u64 handle, unsigned int size);
	int (*seal_for_unseal)(__u64 handle, unsigned int size);
	int (*unseal)(__u64 handle, unsigned int size);
	/* untimed, after each timed seal (kTLS: receive the record) */
	int (*after_seal)(unsigned int size);
	/* messages per call (SSPI_IOC_BATCH); 0 is 1 */
	unsigned int per_call;
};

static int nl_seal_timed(__u64 handle, unsigned int size)
{
	return nl_seal(handle, size, false);
}

static int nl_seal_record(__u64 handle, unsigned int size)
{
	return nl_seal(handle, size, true);
}

static const struct user_path ioc_path = {
	.seal = ioc_seal, .seal_for_unseal = ioc_seal, .unseal = ioc_unseal,
};

static const struct user_path nl_path = {
	.seal = nl_seal_timed, .seal_for_unseal = nl_seal_record, .unseal = nl_unseal,
};

static const struct user_path ioc_krb5_path = {
	.seal = ioc_wrap, .seal_for_unseal = ioc_wrap_token, .unseal = ioc_unwrap,
};

static const struct user_path ioc_batch_path = {
	.seal = ioc_batch_seal, .seal_for_unseal = ioc_batch_seal,
	.unseal = ioc_batch_unseal, .per_call = BATCH,
};

static const struct user_path evp_path = {
	.seal = evp_seal, .seal_for_unseal = evp_seal, .unseal = evp_unseal,
};

static const struct user_path ktls_path = {
	.seal = ktls_send, .seal_for_unseal = ktls_send, .unseal = ktls_recv,
	.after_seal = ktls_drain,
};

static __u32 *samples;

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Count a call from @t0 to @t1 of @n messages (its sample: the time per
 * message); whether to go on.
 */
static bool op_add(struct op *o, __u64 budget, __u64 end, __u64 t0, __u64 t1,
		   unsigned int n)
{
	__u64 per = (t1 - t0) / (n ? n : 1);

	samples[o->ops++] = per > UINT_MAX ? UINT_MAX : per;
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
		if (!err && p->after_seal)
			err = p->after_seal(size);
		if (err)
			return err;
	} while (op_add(&m->seal, budget, end, t0, t1, p->per_call));
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
	} while (op_add(&m->unseal, budget, end, t0, t1, p->per_call));
	op_end(&m->unseal);
	return 0;
}

/* ---- paths, anchors, rounds ---- */

enum path_id {
	P_KAPI, P_KAPI_ASYNC, P_IOCTL, P_IOCTL_COPY, P_IOCTL_ZC, P_IOCTL_BATCH,
	P_NETLINK, P_MAX
};

static const char *const path_names[P_MAX] = {
	"kapi", "kapi-async", "ioctl", "ioctl-copy", "ioctl-zc", "ioctl-batch",
	"netlink",
};

/*
 * The anchors: the raw crypto in the kernel (always), gss-bench (Kerberos,
 * NTLM), OpenSSL's EVP and kTLS (TLS), and, for two threads, the same path
 * on one thread.  Their names in a ratio, and in the path column (none:
 * not printed as a line of its own).  kapi-async also has kapi (on one
 * thread, as x1thr) for an anchor.
 */
enum anchor_id { A_RAW, A_GSS, A_EVP, A_KTLS, A_1THR, A_KAPI, A_MAX };

static const char *anchor_label[A_MAX] = {
	"raw", "MIT", "evp", "ktls", "x1thr", "kapi"
};

static const char *anchor_row[A_MAX] = { "raw", "mit", "evp", "ktls", NULL, NULL };

/* per round, the median operation's ns: [0] sealing, [1] unsealing */
struct rounds {
	__u64 path[2][ROUNDS];
	__u64 anc[A_MAX][2][ROUNDS];
};

/* a measurement: which path, on how many threads, in which mode */
struct what {
	enum path_id id;
	unsigned int threads;
	const char *mode;	/* 2 threads: "pairs" or "duplex"; else "" */
};

/*
 * two threads: "pairs" on TX, RX and TX2, RX2; "duplex" on TX3, RX3;
 * "pipe" on TX and RX (in step, as kapi keeps them)
 */
static __u64 tx2_handle, rx2_handle, tx3_handle, rx3_handle;

static int kapi2_slice(const char *mode, unsigned int size, unsigned int ms,
		       struct meas *m)
{
	char cmd[192];

	if (!strcmp(mode, "pairs"))
		snprintf(cmd, sizeof(cmd), "kapi2 pairs %llu %llu %llu %llu %u %u",
			 tx_handle, rx_handle, tx2_handle, rx2_handle, size, ms);
	else if (!strcmp(mode, "pipe"))
		snprintf(cmd, sizeof(cmd), "kapi2 pipe %llu %llu 0 0 %u %u",
			 tx_handle, rx_handle, size, ms);
	else
		snprintf(cmd, sizeof(cmd), "kapi2 duplex %llu %llu 0 0 %u %u",
			 tx3_handle, rx3_handle, size, ms);
	return kernel_cmd(cmd, m, NULL);
}

static int path_slice(const struct what *w, unsigned int size, unsigned int ms,
		      struct meas *m)
{
	bool token = krb5 || ntlm;

	int err;

	switch (w->id) {
	case P_KAPI:
		if (w->threads > 1)
			return kapi2_slice(w->mode, size, ms, m);
		return kapi_slice(size, ms, m);
	case P_KAPI_ASYNC:
		return kapi_async_slice(size, ms, m);
	case P_IOCTL:
	case P_IOCTL_COPY:
	case P_IOCTL_ZC:
		ioc_flags = w->id == P_IOCTL_COPY ? SSPI_IOC_F_COPY :
			    w->id == P_IOCTL_ZC ? SSPI_IOC_F_PIN : 0;
		err = user_slice(token ? &ioc_krb5_path : &ioc_path, size, ms, m);
		ioc_flags = 0;
		return err;
	case P_IOCTL_BATCH:
		return user_slice(&ioc_batch_path, size, ms, m);
	case P_NETLINK:
		return user_slice(&nl_path, size, ms, m);
	default:
		return -EOPNOTSUPP;
	}
}

static int anchor_slice(enum anchor_id a, unsigned int size, unsigned int ms,
			struct meas *m)
{
	static const struct what one = { P_KAPI, 1, "" };
	char cmd[128];

	switch (a) {
	case A_RAW:
		snprintf(cmd, sizeof(cmd), "anchor %llu %u %u", tx_handle, size, ms);
		return kernel_cmd(cmd, m, NULL);
	case A_GSS:
		return gss_slice(size, ms, m);
	case A_EVP:
		return user_slice(&evp_path, size, ms, m);
	case A_KTLS:
		return user_slice(&ktls_path, size, ms, m);
	default:
		return path_slice(&one, size, ms, m);
	}
}

/*
 * ROUNDS slices of the path and of each anchor on, taking turns: round r
 * starts with the (r mod n)th of [raw, the path, the other anchors].
 */
static int measure(const struct what *w, const bool *on, unsigned int size,
		   unsigned int ms, struct rounds *rd)
{
	int slot[A_MAX + 1], n = 0, r, k, a;
	unsigned int slice = ms / ROUNDS;
	struct meas m;
	int err;

	slot[n++] = A_RAW;
	slot[n++] = -1;
	for (a = A_RAW + 1; a < A_MAX; a++)
		if (on[a])
			slot[n++] = a;
	for (r = 0; r < ROUNDS; r++) {
		for (k = 0; k < n; k++) {
			a = slot[(r + k) % n];
			err = a < 0 ? path_slice(w, size, slice, &m) :
			      anchor_slice(a, size, slice, &m);
			if (err)
				return err;
			if (a < 0) {
				rd->path[0][r] = m.seal.median;
				rd->path[1][r] = m.unseal.median;
			} else {
				rd->anc[a][0][r] = m.seal.median;
				rd->anc[a][1][r] = m.unseal.median;
			}
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

/* ---- output: the table on stdout, the records in the --json file ---- */

static struct anchor_info ai;
static const char *package = "-";
static FILE *json;
static unsigned int ms_per = 1000;

/* the THR column: 1, 2p (pairs), 2d (duplex) or 2i (pipe, in step) */
static const char *thr_col(unsigned int threads, const char *mode)
{
	static char thr[16];

	snprintf(thr, sizeof(thr), "%u%s", threads, !strcmp(mode, "pairs") ? "p" :
		 !strcmp(mode, "duplex") ? "d" : !strcmp(mode, "pipe") ? "i" : "");
	return thr;
}

struct ratio {
	const char *name;
	const __u64 *ref;
};

static void json_head(const char *path, const char *mode, const char *op,
		      unsigned int size, unsigned int threads)
{
	fprintf(json, "{\"package\": \"%s\", \"cipher\": \"%s\", \"path\": \"%s\", ",
		package, ai.cipher, path);
	fprintf(json, "\"mode\": \"%s\", \"op\": \"%s\", \"size\": %u, \"threads\": %u, ",
		mode, op, size, threads);
	fprintf(json, "\"ms\": %u, \"rounds\": %u", ms_per, ROUNDS);
}

/*
 * One line: the path's MB/s (of @v, per round the median operation's ns),
 * then for each of @nr anchors, the ratio of the medians and the range of
 * the rounds' ratios.  @anchor: the line is an anchor's own.
 */
static void print_row(const char *path, const char *mode, const char *op,
		      unsigned int size, unsigned int threads, const __u64 *v,
		      const struct ratio *rt, unsigned int nr, const char *with)
{
	double ns = median(v), lo, hi, q, x[A_MAX];
	double rlo[A_MAX], rhi[A_MAX];
	unsigned int i, r;

	printf("%-11s %-7s %6u %-3s %-26s %9.1f MB/s", path, op, size,
	       thr_col(threads, mode), ai.cipher, ns ? size * 1000.0 / ns : 0);
	for (i = 0; i < nr; i++) {
		lo = 1e9;
		hi = 0;
		for (r = 0; r < ROUNDS; r++) {
			q = v[r] ? (double)rt[i].ref[r] / v[r] : 0;
			lo = q < lo ? q : lo;
			hi = q > hi ? q : hi;
		}
		x[i] = ns ? median(rt[i].ref) / ns : 0;
		rlo[i] = lo;
		rhi[i] = hi;
		printf("  %5.2fx %s (%.2f-%.2f)", x[i], rt[i].name, lo, hi);
	}
	printf("\n");
	if (!json)
		return;
	json_head(path, mode, op, size, threads);
	fprintf(json, ", \"mbps\": %.3f, \"ratios\": {", ns ? size * 1000.0 / ns : 0);
	for (i = 0; i < nr; i++)
		fprintf(json, "%s\"%s\": %.4f", i ? ", " : "", rt[i].name, x[i]);
	fprintf(json, "}, \"ranges\": {");
	for (i = 0; i < nr; i++)
		fprintf(json, "%s\"%s\": [%.4f, %.4f]", i ? ", " : "", rt[i].name,
			rlo[i], rhi[i]);
	fprintf(json, "}, \"anchor\": %s, \"alongside\": \"%s\"}\n",
		with ? "true" : "false", with ? with : "");
	fflush(json);
}

static void print_skip(const char *path, const char *mode, unsigned int size,
		       unsigned int threads, const char *why)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		printf("%-11s %-7s %6u %-3s %-26s skipped (%s)\n", path, op_names[i],
		       size, thr_col(threads, mode), ai.cipher, why);
		if (!json)
			continue;
		json_head(path, mode, op_names[i], size, threads);
		fprintf(json, ", \"mbps\": null, \"skipped\": \"%s\"}\n", why);
	}
	if (json)
		fflush(json);
}

/* The lines of one measurement: the anchors' own, then the path's. */
static void print_meas(const struct what *w, const bool *on, unsigned int size,
		       const struct rounds *rd)
{
	const char *pname = path_names[w->id];
	struct ratio rt[A_MAX];
	unsigned int op, nr;
	int a;

	for (op = 0; op < 2; op++) {
		for (a = 0; a < A_MAX; a++) {
			if (!on[a] || !anchor_row[a])
				continue;
			/* the anchors' own lines: ratios to raw */
			rt[0] = (struct ratio){ "raw", rd->anc[A_RAW][op] };
			print_row(anchor_row[a], "", op_names[op], size, 1,
				  rd->anc[a][op], rt, a == A_RAW ? 0 : 1, pname);
		}
	}
	for (op = 0; op < 2; op++) {
		nr = 0;
		/* the second anchor first (MIT, ntlmssp), as before */
		if (on[A_GSS])
			rt[nr++] = (struct ratio){ anchor_label[A_GSS], rd->anc[A_GSS][op] };
		rt[nr++] = (struct ratio){ "raw", rd->anc[A_RAW][op] };
		for (a = A_EVP; a < A_MAX; a++)
			if (on[a])
				rt[nr++] = (struct ratio){ anchor_label[a], rd->anc[a][op] };
		print_row(pname, w->mode, op_names[op], size, w->threads,
			  rd->path[op], rt, nr, NULL);
	}
	fflush(stdout);
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
		"Usage: sspi-bench --tx HANDLE --rx HANDLE [--tx2 HANDLE --rx2 HANDLE]\n"
		"                  [--tx3 HANDLE --rx3 HANDLE]\n"
		"                  [--ms N] [--sizes A,B,...] [--threads 1,2]\n"
		"                  [--paths kapi,kapi-async,ioctl,ioctl-copy,ioctl-zc,ioctl-batch,netlink]\n"
		"                  [--gss COMMAND] [--json FILE] [--window N]\n");
	exit(2);
}

/*
 * One path on @threads threads (2: in each mode), @size bytes, or the
 * lines saying why not (@skip).  Return: 0 or a measurement's errno.
 */
static int run_path(enum path_id p, unsigned int threads, unsigned int size,
		    const char *skip, const bool *on)
{
	static const char *const modes[] = { "pairs", "duplex", "pipe" };
	struct what w = { p, threads, "" };
	unsigned int mo, nmodes = threads > 1 ? 3 : 1;
	const char *why;
	struct rounds rd;
	int err;

	if (!skip && !krb5 && !ntlm && size > TLS_MAX_SIZE)
		skip = "a TLS record holds at most 16384 bytes";
	for (mo = 0; mo < nmodes; mo++) {
		why = skip;
		if (threads > 1) {
			w.mode = modes[mo];
			if (!why && mo == 0 && (!tx2_handle || !rx2_handle))
				why = "no second pair (--tx2, --rx2)";
			if (!why && mo == 1 && (!tx3_handle || !rx3_handle))
				why = "no third pair (--tx3, --rx3)";
		}
		if (why) {
			print_skip(path_names[p], w.mode, size, threads, why);
			continue;
		}
		err = measure(&w, on, size, ms_per, &rd);
		if (err) {
			printf("%-11s %-7s %6u %-3s %-26s FAILED (%s)\n",
			       path_names[p], "-", size, thr_col(threads, w.mode),
			       ai.cipher, strerror(-err));
			return err;
		}
		print_meas(&w, on, size, &rd);
	}
	return 0;
}

/* Whether /dev/sspi takes the path's way in: NULL, or why not. */
static const char *ioc_probe(enum path_id id)
{
	static char why[P_MAX][128];
	const char *what;
	int err;

	quiet = true;
	if (id == P_IOCTL_BATCH) {
		what = "SSPI_IOC_BATCH";
		/* a record sealed with RX's sending direction: nobody's */
		err = ioc_batch(true, rx_handle, 64, 1);
	} else {
		ioc_flags = id == P_IOCTL_COPY ? SSPI_IOC_F_COPY : SSPI_IOC_F_PIN;
		what = id == P_IOCTL_COPY ? "SSPI_IOC_F_COPY" : "SSPI_IOC_F_PIN";
		err = krb5 || ntlm ? ioc_wrap(rx_handle, 64) : ioc_seal(rx_handle, 64);
		ioc_flags = 0;
	}
	quiet = false;
	if (!err)
		return NULL;
	snprintf(why[id], sizeof(why[id]), "%s: %s", what, strerror(-err));
	return why[id];
}

int main(int argc, char **argv)
{
	unsigned int sizes[MAX_SIZES] = { 64, 1024, 16384, 65536 }, nsizes = 4;
	unsigned int threads[MAX_THREADS] = { 1, 2 }, nthreads = 2;
	char *sizes_arg = NULL, *threads_arg = NULL, *paths = NULL, *t, cmd[128];
	const char *gss_cmd = NULL, *gss_why = NULL, *json_path = NULL;
	const char *why[P_MAX] = { NULL }, *anchor_why[A_MAX] = { NULL };
	bool want[P_MAX], on[A_MAX], on2[A_MAX] = { false }, onk[A_MAX];
	unsigned int i, s, th;
	struct meas probe;
	int err, failed = 0, p, a;

	for (p = 0; p < P_MAX; p++)
		want[p] = true;
	for (i = 1; i < (unsigned int)argc; i++) {
		const char *a = argv[i], *v = i + 1 < (unsigned int)argc ? argv[i + 1] : NULL;

		if (!v)
			print_usage();
		if (!strcmp(a, "--tx"))
			tx_handle = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--rx"))
			rx_handle = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--tx2"))
			tx2_handle = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--rx2"))
			rx2_handle = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--tx3"))
			tx3_handle = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--rx3"))
			rx3_handle = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--ms"))
			ms_per = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--sizes"))
			sizes_arg = argv[i + 1];
		else if (!strcmp(a, "--threads"))
			threads_arg = argv[i + 1];
		else if (!strcmp(a, "--paths"))
			paths = argv[i + 1];
		else if (!strcmp(a, "--gss") || !strcmp(a, "--mit"))
			gss_cmd = v;
		else if (!strcmp(a, "--json"))
			json_path = v;
		else if (!strcmp(a, "--window"))
			async_window = strtoul(v, NULL, 0);
		else
			print_usage();
		i++;
	}
	if (sizes_arg)
		nsizes = parse_list(sizes_arg, sizes, MAX_SIZES);
	if (threads_arg) {
		nthreads = parse_list(threads_arg, threads, MAX_THREADS);
		for (i = 0; i < nthreads; i++)
			if (threads[i] > MAX_THREADS)
				print_usage();
	}
	if (!tx_handle || !rx_handle || (int)nsizes <= 0 || (int)nthreads <= 0 ||
	    ms_per < 10 * ROUNDS || !async_window || async_window > 256)
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
	if (json_path) {
		json = fopen(json_path, "a");
		if (!json) {
			fprintf(stderr, "sspi-bench: %s: %s\n", json_path, strerror(errno));
			return 1;
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
	package = ai.package;
	krb5 = !strcmp(ai.package, "Kerberos");
	ntlm = !strcmp(ai.package, "NTLM");
	if (krb5) {
		op_names[0] = "wrap";
		op_names[1] = "unwrap";
	} else if (ntlm) {
		anchor_label[A_GSS] = "ntlmssp";
		anchor_row[A_GSS] = "ntlmssp";
	}
	if (krb5 || ntlm) {
		krb5_room = ai.token;
		if (!krb5_room || krb5_room > TOKEN_ROOM) {
			fprintf(stderr, "sspi-bench: security_trailer %u?\n", krb5_room);
			return 1;
		}
		/* netlink is not measured for Kerberos and NTLM */
		if (!paths)
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
	}
	rec = calloc(1, hlen + MAX_SIZE + tlen);
	brec = calloc(BATCH, hlen + TLS_MAX_SIZE + tlen);
	samples = calloc(MAX_SAMPLES, sizeof(*samples));
	if (!rec || !brec || !samples)
		return 1;
	if (want[P_IOCTL] || want[P_IOCTL_COPY] || want[P_IOCTL_ZC] || want[P_IOCTL_BATCH])
		why[P_IOCTL] = ioc_open();
	why[P_IOCTL_COPY] = why[P_IOCTL];
	why[P_IOCTL_ZC] = why[P_IOCTL];
	why[P_IOCTL_BATCH] = why[P_IOCTL];
	if (krb5 || ntlm)
		why[P_IOCTL_BATCH] = "measured for TLS records only";
	for (p = P_IOCTL_COPY; p <= P_IOCTL_BATCH; p++)
		if (want[p] && !why[p])
			why[p] = ioc_probe(p);
	if (want[P_NETLINK])
		why[P_NETLINK] = krb5 ? "not measured for Kerberos" :
				 ntlm ? "not measured for NTLM" : nl_open();

	/* the anchors */
	for (a = 0; a < A_MAX; a++)
		on[a] = false;
	on[A_RAW] = true;
	if ((krb5 || ntlm) && gss_cmd) {
		/* a broken pipe is an error returned, not a signal */
		signal(SIGPIPE, SIG_IGN);
		gss_why = gss_start(gss_cmd);
		if (gss_why) {
			fprintf(stderr, "sspi-bench: %s (%s): %s\n", anchor_label[A_GSS],
				gss_cmd, gss_why);
			gss_stop();
			failed = 1;
		}
		on[A_GSS] = !gss_why;
	}
	if (!krb5 && !ntlm) {
		bool tls13 = ai.protocol == SSPI_TLS_VERSION_1_3;

		signal(SIGPIPE, SIG_IGN);
		anchor_why[A_EVP] = evp_open(ai.cipher, tls13);
		on[A_EVP] = !anchor_why[A_EVP];
		if (!on[A_EVP])
			evp_close();
		anchor_why[A_KTLS] = ktls_open(ai.cipher, tls13);
		on[A_KTLS] = !anchor_why[A_KTLS];
	}
	/* two threads: against raw and the path on one thread */
	on2[A_RAW] = true;
	on2[A_1THR] = true;
	/* kapi-async: against the anchors and kapi, all taking turns */
	memcpy(onk, on, sizeof(onk));
	onk[A_KAPI] = true;

	if (krb5)
		printf("# Kerberos %s, skcipher %s, %s, token %u; MIT %s;"
		       " %u ms per measurement in %u rounds\n",
		       ai.cipher, ai.driver, ai.mac, krb5_room,
		       on[A_GSS] ? "gss-bench" : gss_why ? "FAILED" : "not measured",
		       ms_per, ROUNDS);
	else if (ntlm)
		printf("# NTLM %s, %s, %s, token %u; ntlmssp %s%s;"
		       " %u ms per measurement in %u rounds\n",
		       ai.cipher, ai.driver, ai.mac, krb5_room,
		       on[A_GSS] ? "gss-bench " : gss_why ? "FAILED" : "not measured",
		       on[A_GSS] ? gss_ready : "", ms_per, ROUNDS);
	else
		printf("# TLS %s %s, driver %s; OpenSSL EVP %s; kTLS %s;"
		       " %u ms per measurement in %u rounds\n",
		       ai.protocol == SSPI_TLS_VERSION_1_3 ? "1.3" : "1.2", ai.cipher,
		       ai.driver, on[A_EVP] ? OPENSSL_VERSION_TEXT : anchor_why[A_EVP],
		       on[A_KTLS] ? "socket pair on loopback" : anchor_why[A_KTLS],
		       ms_per, ROUNDS);
	if (want[P_KAPI_ASYNC])
		printf("# kapi-async: sspi_submit(), %u seals in flight, unsealing one at a time;"
		       " its ratio to kapi taken in turns with it\n", async_window);
	printf("# %-9s %-7s %6s %-3s %-26s %9s       RATIOx ANCHOR (rounds LOW-HIGH)...\n",
	       "PATH", "OP", "SIZE", "THR", "CIPHER", "MB/s");

	for (s = 0; s < nsizes; s++) {
		for (th = 0; th < nthreads; th++) {
			for (p = 0; p < P_MAX; p++) {
				if (!want[p])
					continue;
				/* two threads: kapi only */
				if (threads[th] > 1 && p != P_KAPI)
					continue;
				err = run_path(p, threads[th], sizes[s], why[p],
					       threads[th] > 1 ? on2 :
					       p == P_KAPI_ASYNC ? onk : on);
				if (err) {
					failed = 1;
					/* the contexts may be out of step now */
					goto out;
				}
			}
		}
	}
out:
	gss_stop();
	evp_close();
	ktls_close();
	if (nl_sk)
		nl_socket_free(nl_sk);
	if (dev_fd >= 0)
		close(dev_fd);
	if (json)
		fclose(json);
	free(rec);
	free(brec);
	free(samples);
	return failed;
}
