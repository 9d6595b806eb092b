// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_fuzz: seeded, reproducible mutation of genuine sealed messages and
 * signatures, through sspi_kmod's kernel API, for "make fuzz" and the
 * short pass of "make check" (tests/vm/fuzz_tokens.py).
 *
 * Interface: /sys/kernel/debug/sspi_fuzz/run.  Write one command, which
 * runs to completion, then read its result:
 *
 *   tokens TX RX COUNT SEED [MAXSIZE [QOP]]
 *
 * TX and RX are handles (in the initial network namespace) of two contexts
 * with mirrored keys: what TX seals, RX unseals.  Each of COUNT rounds
 * draws, from a PRNG seeded with SEED, a plaintext of 0 to MAXSIZE bytes
 * (default 2048, at most 65536) and seals it with TX -- or, for a package
 * that signs, one round in four signs it -- then mutates a copy of the
 * genuine message one way (struct fuzz_mut) and hands the copy to RX:
 *
 *  - refused (a failing status): RX must then take the genuine message and
 *    give back the plaintext, since a refused message changes no state;
 *    if it does not, the round is "lost" and the run stops there, the
 *    pair being out of step;
 *  - accepted with the plaintext unchanged ("benign": bytes no checksum
 *    covers, such as NTLMv1's RandomPad, or a TLS record followed by bytes
 *    DecryptMessage hands back as EXTRA): the genuine message is then a
 *    replay and is not offered;
 *  - accepted with other content: "forged" -- unless the alteration made
 *    the previous genuine message again (a whole splice), which a context
 *    without replay detection takes: "replayed", and the genuine message
 *    must then open too.
 *
 * Messages to unseal are given, at random, as linear memory or as a
 * scatterlist of up to four pieces, and Kerberos and NTLM tokens as
 * [STREAM, DATA] or split as the sender split them.  QOP (default 0) is
 * EncryptMessage's fQOP: SSPI_SECQOP_WRAP_NO_ENCRYPT for sign-only
 * contexts and integrity-only Wrap tokens.
 *
 * A second command stresses the kernel API from several threads at once:
 *
 *   stress TX RX MS THREADS
 *
 * starts THREADS kernel threads (at most 16) that for MS milliseconds each
 * look TX and RX up anew, seal 0 to 1024 bytes with TX and unseal the
 * message with RX (each, every other message, through sspi_submit(),
 * waiting for it to end), and drop the references: on one pair the threads race
 * each other for sequence numbers, and userspace may delete, re-key or
 * re-import the contexts meanwhile (tests/vm/stress.py).  Its result is
 * "stress ops=N ok=N refused=N gone=N" (gone: a handle no longer found)
 * and a "status NAME N" line per status that refused.
 *
 * The result of "tokens" is a line
 *
 *   rounds=N sealed=N signed=N refused=N benign=N replayed=N forged=N lost=N
 *
 * then "mut NAME refused=N benign=N forged=N" per mutation, "status NAME
 * N" per refusing status, and a "forged ...", "lost ..." or "benign ..."
 * line for each of the first few such rounds (the first three benign
 * ones): round, mutation, sizes, the range of bytes it changed.  The write fails
 * only for a bad command, an unknown handle or a genuine message TX cannot
 * seal; forged and lost rounds are for the reader to judge.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>
#include <sspi_kmod/sspi.h>

#define FUZZ_MAX_SIZE		65536
#define FUZZ_DEF_SIZE		2048
#define FUZZ_ROOM		256	/* framing around the text, and growth */
#define FUZZ_GROW		32	/* most bytes an extension appends */
#define FUZZ_PIECES		4	/* most scatterlist entries of a message */
#define FUZZ_CMD_LEN		128
#define FUZZ_RESULT_LEN		4096
#define FUZZ_REPORTS		8	/* rounds told in full */
#define FUZZ_BENIGN_REPORTS	3	/* of them at most, benign ones */
#define FUZZ_STATUSES		16

/**
 * enum fuzz_mut - how a genuine message is altered
 * @FUZZ_FLIP: one to four bits flipped
 * @FUZZ_BYTE: one byte set to another value
 * @FUZZ_TRUNC: cut short, to any shorter length
 * @FUZZ_EXTEND: one to %FUZZ_GROW random bytes appended
 * @FUZZ_SPLICE: a range replaced by the same range of the previous
 *	genuine message (or random bytes, in the first round)
 * @FUZZ_FIELD: a 16-bit field within the first 24 bytes (a length, a
 *	sequence number, an algorithm) moved by a small or a random amount
 * @FUZZ_ZERO: a range zeroed
 * @FUZZ_DELETE: one byte taken out, the rest moved up
 * @FUZZ_NR_MUT: the number of mutations
 */
enum fuzz_mut {
	FUZZ_FLIP,
	FUZZ_BYTE,
	FUZZ_TRUNC,
	FUZZ_EXTEND,
	FUZZ_SPLICE,
	FUZZ_FIELD,
	FUZZ_ZERO,
	FUZZ_DELETE,
	FUZZ_NR_MUT
};

static const char *const fuzz_mut_name[FUZZ_NR_MUT] = {
	[FUZZ_FLIP] = "flip", [FUZZ_BYTE] = "byte", [FUZZ_TRUNC] = "truncate",
	[FUZZ_EXTEND] = "extend", [FUZZ_SPLICE] = "splice",
	[FUZZ_FIELD] = "field", [FUZZ_ZERO] = "zero", [FUZZ_DELETE] = "delete",
};

/**
 * struct fuzz_msg - one sealed message or signature, as bytes on the wire
 * @buf: the bytes (kmalloc'd: a scatterlist may point into them)
 * @len: how many
 * @head: a Wrap token's TOKEN, or a signature's text length
 * @tail: a Wrap token's PADDING, or the signature's length
 */
struct fuzz_msg {
	u8 *buf;
	u32 len;
	u32 head;
	u32 tail;
};

/**
 * struct fuzz_run - one command's state
 * @tx: the sealing context
 * @rx: the unsealing context
 * @rnd: the PRNG, seeded from the command
 * @sizes: @tx's sizes
 * @stream: whether the package frames records (TLS: header and trailer)
 * @sign: whether the package signs (max_signature)
 * @padding: whether EncryptMessage takes a PADDING buffer (Kerberos)
 * @qop: EncryptMessage's fQOP
 * @max_size: the largest plaintext
 * @plain: this round's plaintext
 * @out: what RX handed back
 * @wire: the genuine message
 * @prev: the previous round's genuine message, for splicing
 * @mut: the altered copy
 * @sg: the scatterlist a message to unseal may be given as
 * @n: counters, see the result line
 * @per_mut: refused, benign and forged rounds per mutation
 * @status: refusing statuses seen, and how often
 * @nstatus: entries used in @status
 * @reports: what the forged and lost rounds were
 * @nreports: how many rounds @reports tells of
 * @first: the first byte this round's alteration changed
 * @last: one past the last one (both within the shorter length)
 */
struct fuzz_run {
	struct sspi_context *tx;
	struct sspi_context *rx;
	struct rnd_state rnd;
	struct sspi_sizes sizes;
	bool stream;
	bool sign;
	bool padding;
	u32 qop;
	u32 max_size;
	u8 *plain;
	u8 *out;
	struct fuzz_msg wire;
	struct fuzz_msg prev;
	struct fuzz_msg mut;
	struct scatterlist sg[FUZZ_PIECES];
	struct {
		u64 rounds, sealed, signed_, refused, benign, replayed, forged;
		u64 lost;
	} n;
	u64 per_mut[FUZZ_NR_MUT][3];
	struct {
		u32 status;
		u64 count;
	} status[FUZZ_STATUSES];
	unsigned int nstatus;
	char reports[FUZZ_REPORTS][96];
	unsigned int nreports;
	u32 first;
	u32 last;
};

static DEFINE_MUTEX(fuzz_lock);
static char fuzz_result[FUZZ_RESULT_LEN];
static struct dentry *fuzz_dir;

static u32 fuzz_below(struct fuzz_run *r, u32 n)
{
	return n ? prandom_u32_state(&r->rnd) % n : 0;
}

/* A plaintext length: mostly short, sometimes up to the largest. */
static u32 fuzz_size(struct fuzz_run *r)
{
	switch (fuzz_below(r, 8)) {
	case 0:
		return 0;
	case 6:
		return 1 + fuzz_below(r, min(r->max_size, 1024U));
	case 7:
		return 1 + fuzz_below(r, r->max_size);
	default:
		return 1 + fuzz_below(r, min(r->max_size, 64U));
	}
}

/* EncryptMessage of @len bytes of r->plain into r->wire. */
static int fuzz_seal(struct fuzz_run *r, u32 len)
{
	struct sspi_sizes *s = &r->sizes;
	u32 pre = r->stream ? s->stream_header : s->security_trailer;
	u32 post = r->stream ? s->stream_trailer :
		   r->padding ? max(s->block_size, 1U) : 0;
	u8 *p = r->wire.buf;
	struct sspi_buffer b[3] = {
		{ .type = r->stream ? SSPI_SECBUFFER_STREAM_HEADER :
				      SSPI_SECBUFFER_TOKEN,
		  .len = pre, .data = p },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = p + pre },
		{ .type = r->stream ? SSPI_SECBUFFER_STREAM_TRAILER :
				      SSPI_SECBUFFER_PADDING,
		  .len = post, .data = p + pre + len },
	};
	struct sspi_message msg = {
		.count = r->stream || r->padding ? 3 : 2, .buffers = b
	};
	int err;

	if (pre + len + post > r->max_size + FUZZ_ROOM)
		return -EMSGSIZE;
	memcpy(p + pre, r->plain, len);
	err = sspi_encrypt(r->tx, r->qop, &msg, 0);
	if (err)
		return err < 0 ? err : -EPROTO;
	if (b[0].len > pre || b[1].len != len || b[2].len > post)
		return -EPROTO;
	/* the bytes on the wire: the buffers as returned, back to back */
	memmove(p + b[0].len, p + pre, len);
	memmove(p + b[0].len + len, p + pre + len, b[2].len);
	r->wire.len = b[0].len + len + b[2].len;
	r->wire.head = b[0].len;
	r->wire.tail = b[2].len;
	return 0;
}

/* MakeSignature over @len bytes of r->plain: r->wire is text, signature. */
static int fuzz_sign(struct fuzz_run *r, u32 len)
{
	u8 *p = r->wire.buf;
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = p },
		{ .type = SSPI_SECBUFFER_TOKEN, .len = r->sizes.max_signature,
		  .data = p + len },
	};
	struct sspi_message msg = { .count = ARRAY_SIZE(b), .buffers = b };
	int err;

	memcpy(p, r->plain, len);
	err = sspi_make_signature(r->tx, 0, &msg, 0);
	if (err)
		return err < 0 ? err : -EPROTO;
	if (b[1].len > r->sizes.max_signature)
		return -EPROTO;
	r->wire.len = len + b[1].len;
	r->wire.head = len;
	r->wire.tail = b[1].len;
	return 0;
}

/* Alter r->mut (a copy of r->wire) one way; returns how. */
static enum fuzz_mut fuzz_mutate(struct fuzz_run *r)
{
	enum fuzz_mut m = fuzz_below(r, FUZZ_NR_MUT);
	u8 *p = r->mut.buf;
	u32 len = r->mut.len;
	u32 off = fuzz_below(r, len), n, i;
	u16 v;

	switch (m) {
	case FUZZ_FLIP:
		for (i = 0, n = 1 + fuzz_below(r, 4); i < n; i++)
			p[fuzz_below(r, len)] ^= 1 << fuzz_below(r, 8);
		break;
	case FUZZ_BYTE:
		p[off] ^= 1 + fuzz_below(r, 255);
		break;
	case FUZZ_TRUNC:
		r->mut.len = off;
		break;
	case FUZZ_EXTEND:
		n = 1 + fuzz_below(r, FUZZ_GROW);
		prandom_bytes_state(&r->rnd, p + len, n);
		r->mut.len += n;
		break;
	case FUZZ_SPLICE:
		n = 1 + fuzz_below(r, min(len - off, 64U));
		if (r->prev.len >= off + n)
			memcpy(p + off, r->prev.buf + off, n);
		else
			prandom_bytes_state(&r->rnd, p + off, n);
		break;
	case FUZZ_FIELD:
		if (len < 2) {
			p[0] ^= 1 + fuzz_below(r, 255);
			break;
		}
		off = fuzz_below(r, min(len, 24U) - 1);
		v = p[off] << 8 | p[off + 1];
		switch (fuzz_below(r, 4)) {
		case 0:
			v += fuzz_below(r, 2) ? 1 : -1;
			break;
		case 1:
			v += fuzz_below(r, 2) ? 16 : -16;
			break;
		case 2:
			v ^= 0x8000;
			break;
		default:
			v = prandom_u32_state(&r->rnd);
			break;
		}
		p[off] = v >> 8;
		p[off + 1] = v;
		break;
	case FUZZ_ZERO:
		n = 1 + fuzz_below(r, min(len - off, 64U));
		memset(p + off, 0, n);
		break;
	case FUZZ_DELETE:
		memmove(p + off, p + off + 1, len - off - 1);
		r->mut.len--;
		break;
	default:
		break;
	}
	/* an alteration that changed nothing is a flip */
	if (r->mut.len == r->wire.len && !memcmp(p, r->wire.buf, len)) {
		m = FUZZ_FLIP;
		p[fuzz_below(r, len)] ^= 1 << fuzz_below(r, 8);
	}
	return m;
}

/*
 * Describe @len bytes at @p as buffer @b: linear memory, or, at random, a
 * scatterlist of up to FUZZ_PIECES entries over the same bytes.
 */
static void fuzz_place(struct fuzz_run *r, struct sspi_buffer *b, u8 *p,
		       u32 len)
{
	unsigned int pieces = 1 + fuzz_below(r, FUZZ_PIECES), i;
	u32 left = len;

	b->len = len;
	b->data = p;
	if (len < 2 || fuzz_below(r, 2))
		return;
	pieces = min(pieces, len);
	sg_init_table(r->sg, pieces);
	for (i = 0; i < pieces; i++) {
		u32 n = i + 1 < pieces ? 1 + fuzz_below(r, left - (pieces - i - 1)) :
			left;

		sg_set_buf(&r->sg[i], p, n);
		p += n;
		left -= n;
	}
	b->data = NULL;
	b->sg = r->sg;
	b->offset = 0;
}

/* The bytes of a returned buffer, into r->out; their number. */
static u32 fuzz_read(struct fuzz_run *r, const struct sspi_buffer *b)
{
	u32 len = min(b->len, r->max_size + FUZZ_ROOM);

	if (b->sg)
		return sg_pcopy_to_buffer(b->sg, sg_nents(b->sg), r->out, len,
					  b->offset);
	memcpy(r->out, b->data, len);
	return len;
}

/*
 * Hand @m to RX: DecryptMessage (or VerifySignature when @sign).  Returns
 * the call's result, and on success the text in r->out and its length in
 * *@outlen.
 */
static int fuzz_open(struct fuzz_run *r, struct fuzz_msg *m, bool sign,
		     u32 *outlen)
{
	struct sspi_buffer b[4] = { };
	struct sspi_message msg = { .buffers = b };
	u32 head = m->head, tail = m->tail;
	unsigned int i;
	int err;

	if (sign) {
		/* the signature is the last bytes; what is left is the text */
		tail = min(tail, m->len);
		b[0].type = SSPI_SECBUFFER_DATA;
		fuzz_place(r, &b[0], m->buf, m->len - tail);
		b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN,
					     .len = tail,
					     .data = m->buf + m->len - tail };
		msg.count = 2;
		err = sspi_verify_signature(r->rx, &msg, 0, NULL);
		if (err >= 0)
			*outlen = fuzz_read(r, &b[0]);
		return err;
	}
	if (r->stream) {
		/* a TLS record: [DATA, EMPTY, EMPTY, EMPTY] */
		b[0].type = SSPI_SECBUFFER_DATA;
		fuzz_place(r, &b[0], m->buf, m->len);
		msg.count = 4;
	} else if (m->len < head + tail || fuzz_below(r, 2)) {
		/* [STREAM, DATA]: the package finds the text */
		b[0].type = SSPI_SECBUFFER_STREAM;
		fuzz_place(r, &b[0], m->buf, m->len);
		b[1].type = SSPI_SECBUFFER_DATA;
		msg.count = 2;
	} else {
		/* [TOKEN, DATA, PADDING] as the sender split them */
		b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN,
					     .len = head, .data = m->buf };
		b[1].type = SSPI_SECBUFFER_DATA;
		fuzz_place(r, &b[1], m->buf + head, m->len - head - tail);
		b[2] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_PADDING,
					     .len = tail,
					     .data = m->buf + m->len - tail };
		msg.count = tail ? 3 : 2;
	}
	err = sspi_decrypt(r->rx, &msg, 0, NULL);
	if (err < 0)
		return err;
	*outlen = 0;
	for (i = 0; i < msg.count; i++) {
		if ((b[i].type & ~SSPI_SECBUFFER_ATTRMASK) == SSPI_SECBUFFER_DATA) {
			*outlen = fuzz_read(r, &b[i]);
			break;
		}
	}
	return err;
}

static void fuzz_count_status(struct fuzz_run *r, int err)
{
	u32 status = sspi_status_from_errno(err);
	unsigned int i;

	for (i = 0; i < r->nstatus; i++) {
		if (r->status[i].status == status) {
			r->status[i].count++;
			return;
		}
	}
	if (r->nstatus < FUZZ_STATUSES) {
		r->status[r->nstatus].status = status;
		r->status[r->nstatus++].count = 1;
	}
}

static void fuzz_report(struct fuzz_run *r, const char *what, enum fuzz_mut m,
			u32 len, int err)
{
	if (r->nreports >= FUZZ_REPORTS)
		return;
	snprintf(r->reports[r->nreports++], sizeof(r->reports[0]),
		 "%s round=%llu mut=%s size=%u wire=%u altered=%u bytes=%u-%u status=%s",
		 what, r->n.rounds, fuzz_mut_name[m], len, r->wire.len,
		 r->mut.len, r->first, r->last,
		 sspi_status_name(sspi_status_from_errno(err)));
}

/* One round; -EIO when the pair fell out of step. */
static int fuzz_round(struct fuzz_run *r)
{
	bool sign = r->sign && !fuzz_below(r, 4);
	u32 len = fuzz_size(r), outlen = 0, n;
	enum fuzz_mut m;
	bool replay;
	int err;

	prandom_bytes_state(&r->rnd, r->plain, len);
	err = sign ? fuzz_sign(r, len) : fuzz_seal(r, len);
	if (err) {
		pr_err("round %llu: %s of %u bytes: %s\n", r->n.rounds,
		       sign ? "MakeSignature" : "EncryptMessage", len,
		       sspi_status_name(sspi_status_from_errno(err)));
		return err;
	}
	r->n.rounds++;
	if (sign)
		r->n.signed_++;
	else
		r->n.sealed++;

	r->mut.len = r->wire.len;
	r->mut.head = r->wire.head;
	r->mut.tail = r->wire.tail;
	memcpy(r->mut.buf, r->wire.buf, r->wire.len);
	m = fuzz_mutate(r);
	/* a splice of the whole previous message is a replay of it */
	replay = r->mut.len == r->prev.len &&
		 !memcmp(r->mut.buf, r->prev.buf, r->prev.len);
	/* the bytes it changed, as far as both lengths go, for a report */
	n = min(r->wire.len, r->mut.len);
	for (r->first = 0; r->first < n; r->first++)
		if (r->mut.buf[r->first] != r->wire.buf[r->first])
			break;
	for (r->last = n; r->last > r->first; r->last--)
		if (r->mut.buf[r->last - 1] != r->wire.buf[r->last - 1])
			break;
	err = fuzz_open(r, &r->mut, sign, &outlen);
	if (err >= 0 && replay) {
		/* taken by a context that does not detect replays */
		r->n.replayed++;
	} else if (err >= 0) {
		if (outlen == len && !memcmp(r->out, r->plain, len)) {
			r->n.benign++;
			r->per_mut[m][1]++;
			if (r->n.benign <= FUZZ_BENIGN_REPORTS)
				fuzz_report(r, "benign", m, len, err);
		} else {
			r->n.forged++;
			r->per_mut[m][2]++;
			fuzz_report(r, "forged", m, len, err);
		}
	}
	if (err < 0 || replay) {
		if (err < 0) {
			r->n.refused++;
			r->per_mut[m][0]++;
			fuzz_count_status(r, err);
		}
		/* the refusal (or the replay) changed nothing: the genuine opens */
		err = fuzz_open(r, &r->wire, sign, &outlen);
		if (err < 0 || outlen != len || memcmp(r->out, r->plain, len)) {
			r->n.lost++;
			fuzz_report(r, "lost", m, len, err < 0 ? err : -EBADMSG);
			return -EIO;
		}
	}
	swap(r->wire, r->prev);
	return 0;
}

static void fuzz_result_write(struct fuzz_run *r)
{
	size_t len = sizeof(fuzz_result), at;
	unsigned int i;

	at = scnprintf(fuzz_result, len,
		       "rounds=%llu sealed=%llu signed=%llu refused=%llu benign=%llu replayed=%llu forged=%llu lost=%llu\n",
		       r->n.rounds, r->n.sealed, r->n.signed_, r->n.refused,
		       r->n.benign, r->n.replayed, r->n.forged, r->n.lost);
	for (i = 0; i < FUZZ_NR_MUT; i++)
		at += scnprintf(fuzz_result + at, len - at,
				"mut %s refused=%llu benign=%llu forged=%llu\n",
				fuzz_mut_name[i], r->per_mut[i][0],
				r->per_mut[i][1], r->per_mut[i][2]);
	for (i = 0; i < r->nstatus; i++)
		at += scnprintf(fuzz_result + at, len - at, "status %s %llu\n",
				sspi_status_name(r->status[i].status),
				r->status[i].count);
	for (i = 0; i < r->nreports; i++)
		at += scnprintf(fuzz_result + at, len - at, "%s\n",
				r->reports[i]);
}

static void fuzz_free(struct fuzz_run *r)
{
	if (r->tx)
		sspi_context_put(r->tx);
	if (r->rx)
		sspi_context_put(r->rx);
	kfree_sensitive(r->plain);
	kfree_sensitive(r->out);
	kfree_sensitive(r->wire.buf);
	kfree_sensitive(r->prev.buf);
	kfree_sensitive(r->mut.buf);
	kfree(r);
}

/* "tokens TX RX COUNT SEED [MAXSIZE [QOP]]" */
static int fuzz_tokens(const char *args)
{
	struct sspi_context_info info;
	u64 tx, rx, count, seed, i;
	u32 max_size = FUZZ_DEF_SIZE, qop = 0;
	struct fuzz_run *r;
	size_t room;
	int err;

	if (sscanf(args, "%llx %llx %llu %llu %u %x", &tx, &rx, &count, &seed,
		   &max_size, &qop) < 4 || max_size > FUZZ_MAX_SIZE)
		return -EINVAL;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->tx = sspi_context_lookup(&init_net, tx);
	r->rx = sspi_context_lookup(&init_net, rx);
	err = -ENOENT;
	if (!r->tx || !r->rx)
		goto out;
	err = sspi_query(r->tx, &info);
	if (err)
		goto out;
	r->sizes = info.sizes;
	r->stream = info.sizes.stream_header || info.sizes.stream_trailer;
	r->sign = info.sizes.max_signature && r->sizes.max_signature < FUZZ_ROOM;
	r->padding = !strcmp(info.negotiated ?: info.package, "Kerberos");
	r->qop = qop;
	r->max_size = max_size;
	room = max_size + FUZZ_ROOM + FUZZ_GROW;
	r->plain = kmalloc(room, GFP_KERNEL);
	r->out = kmalloc(room, GFP_KERNEL);
	r->wire.buf = kmalloc(room, GFP_KERNEL);
	r->prev.buf = kmalloc(room, GFP_KERNEL);
	r->mut.buf = kmalloc(room, GFP_KERNEL);
	err = -ENOMEM;
	if (!r->plain || !r->out || !r->wire.buf || !r->prev.buf || !r->mut.buf)
		goto out;
	prandom_seed_state(&r->rnd, seed);
	err = 0;
	for (i = 0; i < count && !err; i++) {
		err = fuzz_round(r);
		if (fatal_signal_pending(current))
			err = -EINTR;
		cond_resched();
	}
	fuzz_result_write(r);
	/* the pair falling out of step is a finding, for the reader */
	if (err == -EIO)
		err = 0;
out:
	fuzz_free(r);
	return err;
}

#define STRESS_MAX_THREADS	16
#define STRESS_MAX_SIZE		1024
#define STRESS_ROOM		(STRESS_MAX_SIZE + FUZZ_ROOM)

/**
 * struct stress_run - one "stress" command's shared state
 * @tx: the sealing context's handle
 * @rx: the unsealing context's handle
 * @until: when the threads stop (jiffies)
 * @lock: guards the counters below
 * @ops: seal-and-unseal attempts
 * @ok: attempts both halves of which succeeded
 * @refused: attempts refused with a status (@status)
 * @gone: attempts that found a handle gone
 * @status: refusing statuses and their counts
 * @nstatus: entries used in @status
 * @running: threads still running
 * @done: completed when the last thread ends
 */
struct stress_run {
	u64 tx;
	u64 rx;
	unsigned long until;
	spinlock_t lock;	/* the counters */
	u64 ops, ok, refused, gone;
	struct {
		u32 status;
		u64 count;
	} status[FUZZ_STATUSES];
	unsigned int nstatus;
	atomic_t running;
	struct completion done;
};

static void stress_count(struct stress_run *s, int err)
{
	u32 status = sspi_status_from_errno(err);
	unsigned int i;

	spin_lock(&s->lock);
	s->ops++;
	if (err == -ENOENT) {
		s->gone++;
	} else if (err < 0) {
		s->refused++;
		for (i = 0; i < s->nstatus && s->status[i].status != status; i++)
			;
		if (i < s->nstatus) {
			s->status[i].count++;
		} else if (i < FUZZ_STATUSES) {
			s->status[i].status = status;
			s->status[i].count = 1;
			s->nstatus++;
		}
	} else {
		s->ok++;
	}
	spin_unlock(&s->lock);
}

static void stress_ended(struct sspi_request *req, int err)
{
	req->err = err;
	complete(req->data);
}

/*
 * Seal or unseal through sspi_submit(), and wait for the request to end:
 * beside other threads' synchronous calls and sspi_submit() on the same
 * direction.
 */
static int stress_submit(struct sspi_context *ctx, enum sspi_op op,
			 struct sspi_message *msg)
{
	DECLARE_COMPLETION_ONSTACK(ended);
	struct sspi_request *req = sspi_request_alloc(ctx, GFP_KERNEL);
	int err;

	if (!req)
		return -ENOMEM;
	req->op = op;
	req->msg = msg;
	req->done = stress_ended;
	req->data = &ended;
	err = sspi_submit(req);
	if (err == -EINPROGRESS) {
		wait_for_completion(&ended);
		err = req->err;
	}
	sspi_request_free(req);
	return err;
}

/*
 * One attempt: look both up, seal @len random bytes in @rec and unseal
 * them (through sspi_submit() when @seal_async, @unseal_async).
 */
static int stress_once(struct stress_run *s, struct rnd_state *rnd, u8 *rec,
		       u32 len, bool seal_async, bool unseal_async)
{
	struct sspi_context *tx = sspi_context_lookup(&init_net, s->tx);
	struct sspi_context *rx = sspi_context_lookup(&init_net, s->rx);
	struct sspi_context_info info;
	struct sspi_buffer b[4] = { };
	struct sspi_message msg = { .buffers = b };
	bool stream, padding;
	u32 hlen, tlen;
	int err = -ENOENT;

	if (!tx || !rx)
		goto out;
	err = sspi_query(tx, &info);
	if (err)
		goto out;
	/* TLS: header, text, trailer; the others: token, text (, padding) */
	stream = info.sizes.stream_header;
	padding = !strcmp(info.negotiated ?: info.package, "Kerberos");
	hlen = stream ? info.sizes.stream_header : info.sizes.security_trailer;
	tlen = stream ? info.sizes.stream_trailer : padding;
	if (hlen + tlen > FUZZ_ROOM) {
		err = -EMSGSIZE;
		goto out;
	}
	prandom_bytes_state(rnd, rec + hlen, len);
	b[0] = (struct sspi_buffer){ .type = stream ?
		SSPI_SECBUFFER_STREAM_HEADER : SSPI_SECBUFFER_TOKEN,
		.len = hlen, .data = rec };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = len,
				     .data = rec + hlen };
	b[2] = (struct sspi_buffer){ .type = stream ?
		SSPI_SECBUFFER_STREAM_TRAILER : SSPI_SECBUFFER_PADDING,
		.len = tlen, .data = rec + hlen + len };
	msg.count = stream || padding ? 3 : 2;
	err = seal_async ? stress_submit(tx, SSPI_OP_ENCRYPT, &msg) :
			   sspi_encrypt(tx, 0, &msg, 0);
	if (err < 0)
		goto out;
	/* the record or token, back to back, unsealed as one STREAM */
	memmove(rec + b[0].len, b[1].data, len);
	memmove(rec + b[0].len + len, b[2].data, b[2].len);
	len += b[0].len + b[2].len;
	memset(b, 0, sizeof(b));
	if (stream) {
		b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA,
					     .len = len, .data = rec };
		msg.count = 4;
	} else {
		b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_STREAM,
					     .len = len, .data = rec };
		b[1].type = SSPI_SECBUFFER_DATA;
		msg.count = 2;
	}
	err = unseal_async ? stress_submit(rx, SSPI_OP_DECRYPT, &msg) :
			     sspi_decrypt(rx, &msg, 0, NULL);
out:
	if (tx)
		sspi_context_put(tx);
	if (rx)
		sspi_context_put(rx);
	return err;
}

static int stress_thread(void *arg)
{
	struct stress_run *s = arg;
	struct rnd_state rnd;
	u8 *rec = kmalloc(STRESS_ROOM, GFP_KERNEL);

	prandom_seed_state(&rnd, (uintptr_t)current);
	while (rec && time_before(jiffies, s->until) && !kthread_should_stop()) {
		u32 len = prandom_u32_state(&rnd) % (STRESS_MAX_SIZE + 1);

		/* every other seal, every other unseal through sspi_submit() */
		stress_count(s, stress_once(s, &rnd, rec, len, len & 1, len & 2));
		cond_resched();
	}
	kfree_sensitive(rec);
	if (atomic_dec_and_test(&s->running))
		complete(&s->done);
	return 0;
}

/* "stress TX RX MS THREADS" */
static int fuzz_stress(const char *args)
{
	struct stress_run *s;
	unsigned int ms, threads, i;
	size_t len = sizeof(fuzz_result), at;
	u64 tx, rx;

	if (sscanf(args, "%llx %llx %u %u", &tx, &rx, &ms, &threads) != 4 ||
	    !threads || threads > STRESS_MAX_THREADS || ms > 3600 * 1000)
		return -EINVAL;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->tx = tx;
	s->rx = rx;
	s->until = jiffies + msecs_to_jiffies(ms);
	spin_lock_init(&s->lock);
	init_completion(&s->done);
	atomic_set(&s->running, 1);
	for (i = 0; i < threads; i++) {
		struct task_struct *t;

		atomic_inc(&s->running);
		t = kthread_run(stress_thread, s, "sspi_stress/%u", i);
		if (IS_ERR(t))
			atomic_dec(&s->running);
	}
	if (!atomic_dec_and_test(&s->running))
		wait_for_completion(&s->done);
	at = scnprintf(fuzz_result, len, "stress ops=%llu ok=%llu refused=%llu gone=%llu\n",
		       s->ops, s->ok, s->refused, s->gone);
	for (i = 0; i < s->nstatus; i++)
		at += scnprintf(fuzz_result + at, len - at, "status %s %llu\n",
				sspi_status_name(s->status[i].status),
				s->status[i].count);
	kfree(s);
	return 0;
}

static ssize_t fuzz_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	char cmd[FUZZ_CMD_LEN];
	int err = -EINVAL;

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	mutex_lock(&fuzz_lock);
	fuzz_result[0] = '\0';
	if (str_has_prefix(cmd, "tokens "))
		err = fuzz_tokens(cmd + strlen("tokens "));
	else if (str_has_prefix(cmd, "stress "))
		err = fuzz_stress(cmd + strlen("stress "));
	mutex_unlock(&fuzz_lock);
	return err ?: len;
}

static ssize_t fuzz_read_result(struct file *file, char __user *ubuf,
				size_t len, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&fuzz_lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, fuzz_result,
				      strlen(fuzz_result));
	mutex_unlock(&fuzz_lock);
	return ret;
}

static const struct file_operations fuzz_fops = {
	.owner = THIS_MODULE,
	.write = fuzz_write,
	.read = fuzz_read_result,
	.llseek = default_llseek,
};

static int __init fuzz_init(void)
{
	fuzz_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("run", 0600, fuzz_dir, NULL, &fuzz_fops);
	return 0;
}

static void __exit fuzz_exit(void)
{
	debugfs_remove_recursive(fuzz_dir);
}

module_init(fuzz_init);
module_exit(fuzz_exit);

MODULE_DESCRIPTION("sspi_kmod test: mutation of genuine sealed messages");
MODULE_LICENSE("GPL");
SSPI_KMOD_IMPORT_NS();
