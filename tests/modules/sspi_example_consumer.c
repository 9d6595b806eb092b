// SPDX-License-Identifier: GPL-2.0
/*
 * An example in-kernel consumer of sspi_kmod, and the test that the kernel
 * API serves one the way a network filesystem client would use it.
 *
 * Userspace imports two contexts whose keys mirror each other (what one
 * seals, the other unseals) and passes their handles as the module
 * parameters tx_handle and rx_handle.  At load time the module:
 *
 *  1. looks both contexts up in init_net and asks the sealing one its
 *     stream sizes (QueryContextAttributes(STREAM_SIZES): cbHeader,
 *     cbTrailer, cbMaximumMessage), which size every buffer below;
 *  2. fills a payload held in pages (the first one used from an offset, as
 *     page cache data of a file range often are) with a known pattern;
 *  3. seals it in records of at most cbMaximumMessage (16 KiB) bytes with
 *     the tx context: the DATA buffer of each EncryptMessage is a range of
 *     the payload's scatterlist, sealed in place; STREAM_HEADER and
 *     STREAM_TRAILER are small kmalloc'd buffers;
 *  4. "sends" the records back to back into a second set of pages (the
 *     receive side's stream) and unseals them with the rx context, SSPI's
 *     stream loop: DATA = what has arrived, then carry on with EXTRA;
 *     first it offers all of the first record but one byte, which must
 *     give SEC_E_INCOMPLETE_MESSAGE and a MISSING buffer of 1;
 *  5. compares every plaintext byte with the pattern;
 *  6. seals one more record, flips a bit of its ciphertext in a linear
 *     copy and checks that unsealing it fails with SEC_E_MESSAGE_ALTERED
 *     and leaves the text zeroed, then that the untouched record still
 *     unseals (a forgery does not move the receive sequence).
 *
 * With async=1, step 3 submits every record at once through sspi_submit()
 * (the asynchronous kernel API), each with a request allocated for the
 * context, its own header and trailer, and waits once for all of them;
 * they must end in the order they were submitted.  It reports how many
 * were in flight at most and how many ended through the callback (none
 * with a synchronous driver: sspi_submit() then returns each result).
 * Step 4 then submits every record of the stream at once the same way,
 * each request over its own range of the stream's pages, with a forged
 * record (a copy of the middle one, one bit flipped) submitted among
 * them: the records after it are opened ahead on numbers one too high,
 * and must be opened again.  Every genuine record must open with its
 * plaintext, in order, and the forged one be refused; step 6 then shows
 * that the forged record gave its sequence number back.
 *
 * A Kerberos pair (an initiator and an acceptor sharing a key) goes the
 * way of an SMB3 or DCE/RPC client instead: messages of up to 64 KiB of
 * the pages sealed in place as [TOKEN, DATA] and unsealed the same way, a
 * DCE/RPC-like message with a READONLY_WITH_CHECKSUM header (a changed
 * header bit must give SEC_E_MESSAGE_ALTERED and leave no plaintext), and
 * a MIC over the pages (a changed byte must not verify).
 *
 * Each step is reported with pr_info(), and success with "PASS".  Any
 * mismatch fails the load with a message starting "FAIL:" and a negative
 * errno (the API's own error where the API failed, -EINVAL for a handle
 * naming no context, -EIO for wrong data), so a test needs no more than
 * insmod's exit status and the kernel log.  A run uses up sequence
 * numbers of both contexts (and a failed one leaves them out of step):
 * import a fresh pair for each load.  The module keeps nothing once
 * loaded; it stays loaded until removed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <sspi_kmod/sspi.h>

/* every cipher of the package has a 16-byte tag, last in the record */
#define EXC_TAG_LEN		16
/* where the payload and the received stream start in their first pages */
#define EXC_PAYLOAD_OFFSET	1000
#define EXC_STREAM_OFFSET	3000
#define EXC_TAMPER_LEN		1000

static ulong tx_handle;
module_param(tx_handle, ulong, 0444);
MODULE_PARM_DESC(tx_handle, "handle of the context that seals");

static ulong rx_handle;
module_param(rx_handle, ulong, 0444);
MODULE_PARM_DESC(rx_handle, "handle of the context that unseals (keys mirrored)");

static uint size = 40000;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "payload bytes to seal and unseal (1..1048576, default 40000)");

static bool async_mode;
module_param_named(async, async_mode, bool, 0444);
MODULE_PARM_DESC(async, "seal and open the TLS records through sspi_submit(), all of them in flight at once");

/**
 * struct exc_pages - bytes held in pages, described by a scatterlist
 * @pages: the pages
 * @npages: how many
 * @sg: one entry per page; the first starts at @offset in its page
 * @offset: where the bytes start in the first page
 * @len: how many bytes the scatterlist describes
 */
struct exc_pages {
	struct page **pages;
	unsigned int npages;
	struct scatterlist *sg;
	u32 offset;
	u32 len;
};

static void exc_pages_free(struct exc_pages *p)
{
	unsigned int i;

	if (p->pages)
		for (i = 0; i < p->npages; i++)
			if (p->pages[i])
				__free_page(p->pages[i]);
	kfree(p->pages);
	kfree(p->sg);
	memset(p, 0, sizeof(*p));
}

/* @len bytes in fresh pages, starting at @offset in the first one. */
static int exc_pages_alloc(struct exc_pages *p, u32 offset, u32 len)
{
	u32 left = len, off = offset, take;
	unsigned int i;

	p->offset = offset;
	p->len = len;
	p->npages = DIV_ROUND_UP(offset + len, PAGE_SIZE);
	p->pages = kcalloc(p->npages, sizeof(*p->pages), GFP_KERNEL);
	p->sg = kmalloc_array(p->npages, sizeof(*p->sg), GFP_KERNEL);
	if (!p->pages || !p->sg)
		goto nomem;
	sg_init_table(p->sg, p->npages);
	for (i = 0; i < p->npages; i++) {
		p->pages[i] = alloc_page(GFP_KERNEL);
		if (!p->pages[i])
			goto nomem;
		take = min_t(u32, PAGE_SIZE - off, left);
		sg_set_page(&p->sg[i], p->pages[i], take, off);
		left -= take;
		off = 0;
	}
	return 0;

nomem:
	exc_pages_free(p);
	return -ENOMEM;
}

static void exc_copy_to(struct exc_pages *p, u32 pos, const void *src, u32 len)
{
	sg_pcopy_from_buffer(p->sg, p->npages, src, len, pos);
}

static void exc_copy_from(struct exc_pages *p, u32 pos, void *dst, u32 len)
{
	sg_pcopy_to_buffer(p->sg, p->npages, dst, len, pos);
}

/* The payload's byte at position @pos. */
static u8 exc_pattern(u32 pos)
{
	return (u8)((pos ^ (pos >> 8) ^ (pos >> 16)) * 131 + 7);
}

static void exc_fill(u8 *buf, u32 pos, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		buf[i] = exc_pattern(pos + i);
}

/* The first byte of @buf that differs from the pattern at @pos, or -1. */
static long exc_mismatch(const u8 *buf, u32 pos, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (buf[i] != exc_pattern(pos + i))
			return i;
	return -1;
}

/*
 * Whether sealed bytes still read as the plaintext.  Only asked of 16
 * bytes or more: fewer match it by chance often enough to fail a run (one
 * byte in 256), while 16 matching means the bytes were not encrypted.
 */
static bool exc_still_plaintext(const u8 *buf, u32 pos, u32 len)
{
	return len >= 16 && exc_mismatch(buf, pos, len) < 0;
}

static const char *exc_status(int err)
{
	return sspi_status_name(sspi_status_from_errno(err));
}

/**
 * struct exc_state - everything the run holds
 * @tx: the sealing context
 * @rx: the unsealing context
 * @info: what sspi_query() says of @tx (QueryContextAttributes)
 * @max_record: cbMaximumMessage, the most plaintext one record holds
 * @hdr_room: cbHeader, the STREAM_HEADER a record needs
 * @trl_room: cbTrailer, the STREAM_TRAILER a record needs
 * @payload: the data sent, in pages
 * @stream: the records as received, back to back, in pages
 * @hdr: STREAM_HEADER of the record being sealed
 * @trl: STREAM_TRAILER of the record being sealed
 * @scratch: a record's worth of linear memory
 * @nrec: records sent
 * @rec_len: the length of each record (only the first is needed)
 * @hdr_len: STREAM_HEADER bytes of a record
 * @trl_len: STREAM_TRAILER bytes of a record
 */
struct exc_state {
	struct sspi_context *tx;
	struct sspi_context *rx;
	struct sspi_context_info info;
	u32 max_record;
	u32 hdr_room;
	u32 trl_room;
	struct exc_pages payload;
	struct exc_pages stream;
	u8 *hdr;
	u8 *trl;
	u8 *scratch;
	unsigned int nrec;
	u32 rec_len;
	u32 hdr_len;
	u32 trl_len;
};

/*
 * EncryptMessage on [STREAM_HEADER, DATA, STREAM_TRAILER, EMPTY], DATA
 * being bytes [@pos, @pos + @len) of @p, sealed where they lie.
 */
static int exc_seal(struct exc_state *s, struct exc_pages *p, u32 pos, u32 len)
{
	struct sspi_buffer b[4] = {
		{ .type = SSPI_SECBUFFER_STREAM_HEADER, .len = s->hdr_room,
		  .data = s->hdr },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .sg = p->sg, .offset = pos },
		{ .type = SSPI_SECBUFFER_STREAM_TRAILER, .len = s->trl_room,
		  .data = s->trl },
		{ .type = SSPI_SECBUFFER_EMPTY },
	};
	struct sspi_message msg = { .count = ARRAY_SIZE(b), .buffers = b };
	int err;

	err = sspi_encrypt(s->tx, 0, &msg, 0);
	if (err) {
		pr_err("FAIL: EncryptMessage of %u bytes at %u: %s (%d)\n",
		       len, pos, exc_status(err), err);
		return err < 0 ? err : -EIO;
	}
	/* a TLS record's header and trailer are exactly what STREAM_SIZES says */
	if (b[1].len != len || b[0].len != s->hdr_room || b[2].len != s->trl_room) {
		pr_err("FAIL: EncryptMessage gave header %u, data %u (of %u), trailer %u; STREAM_SIZES said %u, %u\n",
		       b[0].len, b[1].len, len, b[2].len, s->hdr_room, s->trl_room);
		return -EIO;
	}
	s->hdr_len = b[0].len;
	s->trl_len = b[2].len;
	return 0;
}

/**
 * struct exc_async - the records of an asynchronous send (async=1)
 * @rec: one per record
 * @n: how many
 * @next: the record whose end is due next
 * @pending: records not ended, plus one for the sender
 * @inflight: records submitted and not ended
 * @max_inflight: the most there were at once
 * @callbacks: ends that came through the callback (the others were
 *	returned by sspi_submit())
 * @out_of_order: a record ended before one submitted earlier
 * @all: every record ended
 */
struct exc_async {
	struct exc_rec *rec;
	unsigned int n;
	unsigned int next;
	atomic_t pending;
	atomic_t inflight;
	int max_inflight;
	atomic_t callbacks;
	bool out_of_order;
	struct completion all;
};

/**
 * struct exc_rec - one record in flight
 * @a: the send it belongs to
 * @req: its request (sspi_request_alloc())
 * @b: its buffers: header, a range of the payload, trailer, empty
 * @msg: the message of @b
 * @hdr: its STREAM_HEADER
 * @trl: its STREAM_TRAILER
 * @copy: opening: the forged record's bytes
 * @index: its place in the stream
 * @err: how it ended
 */
struct exc_rec {
	struct exc_async *a;
	struct sspi_request *req;
	struct sspi_buffer b[4];
	struct sspi_message msg;
	u8 *hdr;
	u8 *trl;
	u8 *copy;
	unsigned int index;
	int err;
};

/* One record ended: the core ends a direction's requests one at a time. */
static void exc_rec_ended(struct exc_rec *r, int err)
{
	struct exc_async *a = r->a;

	r->err = err;
	if (r->index != READ_ONCE(a->next))
		WRITE_ONCE(a->out_of_order, true);
	WRITE_ONCE(a->next, r->index + 1);
	atomic_dec(&a->inflight);
	if (atomic_dec_and_test(&a->pending))
		complete(&a->all);
}

static void exc_async_done(struct sspi_request *req, int err)
{
	struct exc_rec *r = req->data;

	atomic_inc(&r->a->callbacks);
	exc_rec_ended(r, err);
}

static void exc_async_free(struct exc_async *a)
{
	unsigned int i;

	for (i = 0; i < a->n; i++) {
		sspi_request_free(a->rec[i].req);
		kfree(a->rec[i].hdr);
		kfree(a->rec[i].trl);
		kfree(a->rec[i].copy);
	}
	kfree(a->rec);
	memset(a, 0, sizeof(*a));
}

/* Submit record @r of @a with sspi_submit(); ended now or by callback. */
static void exc_async_submit(struct exc_async *a, struct exc_rec *r)
{
	int err;

	r->a = a;
	r->msg = (struct sspi_message){ .count = ARRAY_SIZE(r->b), .buffers = r->b };
	r->req->msg = &r->msg;
	r->req->qop = 0;
	r->req->seqno = 0;
	r->req->done = exc_async_done;
	r->req->data = r;
	a->max_inflight = max(a->max_inflight, atomic_inc_return(&a->inflight));
	err = sspi_submit(r->req);
	if (err != -EINPROGRESS)
		exc_rec_ended(r, err);
}

/* Wait for every record of @a; whether they ended in order. */
static bool exc_async_wait(struct exc_async *a)
{
	if (!atomic_dec_and_test(&a->pending))
		wait_for_completion(&a->all);
	if (a->out_of_order)
		pr_err("FAIL: sspi_submit(): records ended out of order\n");
	return !a->out_of_order;
}

/* @a->n requests of @ctx, all to end before the sender's wait. */
static int exc_async_alloc(struct exc_async *a, struct sspi_context *ctx)
{
	unsigned int i;

	a->rec = kcalloc(a->n, sizeof(*a->rec), GFP_KERNEL);
	if (!a->rec)
		return -ENOMEM;
	for (i = 0; i < a->n; i++) {
		a->rec[i].index = i;
		a->rec[i].req = sspi_request_alloc(ctx, GFP_KERNEL);
		if (!a->rec[i].req)
			return -ENOMEM;
	}
	atomic_set(&a->pending, a->n + 1);
	init_completion(&a->all);
	return 0;
}

/*
 * Step 3 with async=1: every record submitted at once with sspi_submit(),
 * each with its own request, header and trailer, then one wait for all;
 * they must end in the order they were submitted, every one sealed.
 */
static int exc_seal_all(struct exc_state *s, struct exc_async *a)
{
	unsigned int i;
	u32 pos;
	int err;

	a->n = DIV_ROUND_UP(size, s->max_record);
	err = exc_async_alloc(a, s->tx);
	if (err)
		return err;
	for (i = 0; i < a->n; i++) {
		struct exc_rec *r = &a->rec[i];

		r->hdr = kmalloc(s->hdr_room, GFP_KERNEL);
		r->trl = kmalloc(s->trl_room, GFP_KERNEL);
		if (!r->hdr || !r->trl)
			return -ENOMEM;
	}
	for (i = 0, pos = 0; i < a->n; i++, pos += s->max_record) {
		struct exc_rec *r = &a->rec[i];
		u32 len = min_t(u32, size - pos, s->max_record);

		r->b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_STREAM_HEADER,
						 .len = s->hdr_room, .data = r->hdr };
		r->b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = len,
						 .sg = s->payload.sg, .offset = pos };
		r->b[2] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_STREAM_TRAILER,
						 .len = s->trl_room, .data = r->trl };
		r->b[3] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_EMPTY };
		r->req->op = SSPI_OP_ENCRYPT;
		exc_async_submit(a, r);
	}
	if (!exc_async_wait(a))
		return -EIO;
	for (i = 0; i < a->n; i++) {
		if (a->rec[i].err) {
			pr_err("FAIL: sspi_submit() of record %u: %s (%d)\n", i,
			       exc_status(a->rec[i].err), a->rec[i].err);
			return a->rec[i].err < 0 ? a->rec[i].err : -EIO;
		}
	}
	pr_info("sspi_submit(): %u records, at most %d in flight, %d ended by callback, in order\n",
		a->n, a->max_inflight, atomic_read(&a->callbacks));
	return 0;
}

/* Steps 2 and 3: fill the payload and seal it, record by record. */
static int exc_send(struct exc_state *s)
{
	struct exc_async a = {};
	u32 pos, len, wire = 0;
	int err;

	for (pos = 0; pos < size; pos += s->max_record) {
		len = min_t(u32, size - pos, s->max_record);
		exc_fill(s->scratch, pos, len);
		exc_copy_to(&s->payload, pos, s->scratch, len);
	}
	if (async_mode) {
		err = exc_seal_all(s, &a);
		if (err)
			goto out;
	}
	for (pos = 0; pos < size; pos += len) {
		len = min_t(u32, size - pos, s->max_record);
		if (async_mode) {
			struct exc_rec *r = &a.rec[s->nrec];

			if (r->b[1].len != len || r->b[0].len != s->hdr_room ||
			    r->b[2].len != s->trl_room) {
				pr_err("FAIL: sspi_submit() gave header %u, data %u (of %u), trailer %u\n",
				       r->b[0].len, r->b[1].len, len, r->b[2].len);
				err = -EIO;
				goto out;
			}
			s->hdr_len = r->b[0].len;
			s->trl_len = r->b[2].len;
			memcpy(s->hdr, r->hdr, s->hdr_len);
			memcpy(s->trl, r->trl, s->trl_len);
		} else {
			err = exc_seal(s, &s->payload, pos, len);
			if (err)
				return err;
		}
		if (!s->nrec)
			s->rec_len = s->hdr_len + len + s->trl_len;
		/* onto the wire: header, the sealed text, trailer */
		exc_copy_to(&s->stream, wire, s->hdr, s->hdr_len);
		wire += s->hdr_len;
		exc_copy_from(&s->payload, pos, s->scratch, len);
		if (exc_still_plaintext(s->scratch, pos, len)) {
			pr_err("FAIL: record %u still holds its plaintext\n", s->nrec);
			err = -EIO;
			goto out;
		}
		exc_copy_to(&s->stream, wire, s->scratch, len);
		wire += len;
		exc_copy_to(&s->stream, wire, s->trl, s->trl_len);
		wire += s->trl_len;
		s->nrec++;
	}
	s->stream.len = wire;
	pr_info("sealed %u bytes as %u record(s) (header %u, trailer %u) in place in %u pages (scatterlist from offset %u)\n",
		size, s->nrec, s->hdr_len, s->trl_len, s->payload.npages,
		EXC_PAYLOAD_OFFSET);
	err = 0;
out:
	exc_async_free(&a);
	return err;
}

static void exc_rx_msg(struct sspi_buffer *b, struct scatterlist *sg,
		       void *data, u32 offset, u32 len)
{
	memset(b, 0, 4 * sizeof(*b));
	b[0].type = SSPI_SECBUFFER_DATA;
	b[0].len = len;
	b[0].sg = sg;
	b[0].data = data;
	b[0].offset = offset;
	/* b[1..3]: SSPI_SECBUFFER_EMPTY, zeroed above */
}

/* Step 4's first part: a record one byte short is incomplete. */
static int exc_incomplete(struct exc_state *s)
{
	struct sspi_buffer b[4];
	struct sspi_message msg = { .count = ARRAY_SIZE(b), .buffers = b };
	int err;

	exc_rx_msg(b, s->stream.sg, NULL, 0, s->rec_len - 1);
	err = sspi_decrypt(s->rx, &msg, 0, NULL);
	if (err != -ENODATA || b[1].type != SSPI_SECBUFFER_MISSING || b[1].len != 1) {
		pr_err("FAIL: a record one byte short: %s (%d), buffer 1 type %u len %u; expected SEC_E_INCOMPLETE_MESSAGE, MISSING 1\n",
		       exc_status(err), err, b[1].type, b[1].len);
		return err < 0 && err != -ENODATA ? err : -EIO;
	}
	pr_info("a record one byte short: SEC_E_INCOMPLETE_MESSAGE, MISSING %u\n", b[1].len);
	return 0;
}

/*
 * Steps 4 and 5 with async=1: every record submitted at once, each over
 * its range of the stream, a forged copy of the middle one submitted
 * just before it; in order, the forged one refused, every other open
 * with its plaintext.
 */
static int exc_open_all(struct exc_state *s)
{
	u32 full = s->hdr_len + s->max_record + s->trl_len, pos = 0, len, plain = 0;
	unsigned int i, f = s->nrec / 2;
	struct exc_async a = {};
	struct exc_rec *r;
	long bad;
	int err;

	a.n = s->nrec + 1;
	err = exc_async_alloc(&a, s->rx);
	if (err)
		goto out;
	/* all records but the last are full: the forged one copies record f */
	len = min_t(u32, size - f * s->max_record, s->max_record) + s->hdr_len + s->trl_len;
	r = &a.rec[f];
	r->copy = kmalloc(len, GFP_KERNEL);
	err = -ENOMEM;
	if (!r->copy)
		goto out;
	exc_copy_from(&s->stream, f * full, r->copy, len);
	r->copy[s->hdr_len + (len - s->hdr_len - s->trl_len) / 2] ^= 0x01;
	exc_rx_msg(r->b, NULL, r->copy, 0, len);

	for (i = 0; i < a.n; i++) {
		r = &a.rec[i];
		if (i != f) {
			len = min_t(u32, size - plain, s->max_record);
			exc_rx_msg(r->b, s->stream.sg, NULL, pos, s->hdr_len + len + s->trl_len);
			pos += s->hdr_len + len + s->trl_len;
			plain += len;
		}
		r->req->op = SSPI_OP_DECRYPT;
		exc_async_submit(&a, r);
	}
	err = -EIO;
	if (!exc_async_wait(&a))
		goto out;
	for (i = 0, pos = 0, plain = 0; i < a.n; i++) {
		r = &a.rec[i];
		if (i == f) {
			len = r->b[0].len - EXC_TAG_LEN;
			if (r->err == -EBADMSG && !memchr_inv(r->copy + s->hdr_len, 0,
							      len - s->hdr_len))
				continue;
			pr_err("FAIL: the forged record (submitted %u of %u): %s (%d), expected SEC_E_MESSAGE_ALTERED and its text zeroed\n",
			       i, a.n, exc_status(r->err), r->err);
			err = r->err < 0 ? r->err : -EIO;
			goto out;
		}
		len = min_t(u32, size - plain, s->max_record);
		if (r->err || r->b[1].type != SSPI_SECBUFFER_DATA || r->b[1].sg != s->stream.sg ||
		    r->b[1].offset != pos + s->hdr_len || r->b[1].len != len) {
			pr_err("FAIL: sspi_submit() opening record %u: %s (%d), DATA type %u at %u len %u (expected at %u len %u)\n",
			       i, exc_status(r->err), r->err, r->b[1].type, r->b[1].offset,
			       r->b[1].len, pos + s->hdr_len, len);
			err = r->err < 0 ? r->err : -EIO;
			goto out;
		}
		exc_copy_from(&s->stream, r->b[1].offset, s->scratch, len);
		bad = exc_mismatch(s->scratch, plain, len);
		if (bad >= 0) {
			pr_err("FAIL: sspi_submit() opening record %u: plaintext byte %u is %#x, expected %#x\n",
			       i, plain + (u32)bad, s->scratch[bad], exc_pattern(plain + bad));
			goto out;
		}
		pos += s->hdr_len + len + s->trl_len;
		plain += len;
	}
	pr_info("sspi_submit() opening: %u records and a forged one, at most %d in flight, %d ended by callback, in order, the forged one refused\n",
		s->nrec, a.max_inflight, atomic_read(&a.callbacks));
	err = 0;
out:
	if (err == -ENOMEM)
		pr_err("FAIL: out of memory\n");
	exc_async_free(&a);
	return err;
}

/* Steps 4 and 5: unseal the stream record by record, compare. */
static int exc_receive(struct exc_state *s)
{
	struct sspi_buffer b[4];
	struct sspi_message msg = { .count = ARRAY_SIZE(b), .buffers = b };
	u32 pos = 0, plain = 0, len;
	unsigned int n = 0;
	u32 qop;
	long bad;
	int err;

	err = exc_incomplete(s);
	if (err)
		return err;
	if (async_mode)
		return exc_open_all(s);
	while (pos < s->stream.len) {
		len = min_t(u32, size - plain, s->max_record);
		exc_rx_msg(b, s->stream.sg, NULL, pos, s->stream.len - pos);
		qop = 0xdeadbeef;
		err = sspi_decrypt(s->rx, &msg, 0, &qop);
		if (err) {
			pr_err("FAIL: DecryptMessage of record %u (at %u of the stream): %s (%d)\n",
			       n, pos, exc_status(err), err);
			return err < 0 ? err : -EIO;
		}
		if (qop || b[0].type != SSPI_SECBUFFER_STREAM_HEADER ||
		    b[1].type != SSPI_SECBUFFER_DATA || b[1].sg != s->stream.sg ||
		    b[1].offset != pos + s->hdr_len || b[1].len != len ||
		    b[2].type != SSPI_SECBUFFER_STREAM_TRAILER) {
			pr_err("FAIL: record %u: qop %#x, buffers %u/%u/%u, DATA at %u len %u (expected at %u len %u, in the stream's scatterlist)\n",
			       n, qop, b[0].type, b[1].type, b[2].type, b[1].offset,
			       b[1].len, pos + s->hdr_len, len);
			return -EIO;
		}
		exc_copy_from(&s->stream, b[1].offset, s->scratch, len);
		bad = exc_mismatch(s->scratch, plain, len);
		if (bad >= 0) {
			pr_err("FAIL: record %u: plaintext byte %u is %#x, expected %#x\n",
			       n, plain + (u32)bad, s->scratch[bad],
			       exc_pattern(plain + bad));
			return -EIO;
		}
		plain += len;
		n++;
		if (b[3].type == SSPI_SECBUFFER_EXTRA) {
			if (b[3].sg != s->stream.sg ||
			    b[3].offset + b[3].len != s->stream.len) {
				pr_err("FAIL: record %u: EXTRA at %u len %u does not end the stream (%u)\n",
				       n - 1, b[3].offset, b[3].len, s->stream.len);
				return -EIO;
			}
			pos = b[3].offset;
		} else if (b[3].type == SSPI_SECBUFFER_EMPTY) {
			pos = s->stream.len;
		} else {
			pr_err("FAIL: record %u: buffer 3 has type %u\n", n - 1, b[3].type);
			return -EIO;
		}
	}
	if (n != s->nrec || plain != size) {
		pr_err("FAIL: unsealed %u records, %u bytes; sent %u, %u\n",
		       n, plain, s->nrec, size);
		return -EIO;
	}
	pr_info("unsealed %u record(s) from a %u-page scatterlist (stream from offset %u, EXTRA chained): %u bytes of plaintext match\n",
		n, s->stream.npages, EXC_STREAM_OFFSET, plain);
	return 0;
}

/* Step 6: a forged record is refused, leaves no text, moves nothing. */
static int exc_tamper(struct exc_state *s)
{
	u32 len = EXC_TAMPER_LEN, reclen, i;
	struct exc_pages p = { };
	struct sspi_buffer b[4];
	struct sspi_message msg = { .count = ARRAY_SIZE(b), .buffers = b };
	u8 *rec = NULL, *copy = NULL;
	int err;

	/* the text straddles a page boundary */
	err = exc_pages_alloc(&p, PAGE_SIZE - len / 2, len);
	if (err)
		goto out;
	exc_fill(s->scratch, 0, len);
	exc_copy_to(&p, 0, s->scratch, len);
	err = exc_seal(s, &p, 0, len);
	if (err)
		goto out;
	reclen = s->hdr_len + len + s->trl_len;
	rec = kmalloc(reclen, GFP_KERNEL);
	copy = kmalloc(reclen, GFP_KERNEL);
	err = -ENOMEM;
	if (!rec || !copy)
		goto out;
	memcpy(rec, s->hdr, s->hdr_len);
	exc_copy_from(&p, 0, rec + s->hdr_len, len);
	memcpy(rec + s->hdr_len + len, s->trl, s->trl_len);
	memcpy(copy, rec, reclen);

	rec[s->hdr_len + len / 2] ^= 0x01;
	exc_rx_msg(b, NULL, rec, 0, reclen);
	err = sspi_decrypt(s->rx, &msg, 0, NULL);
	if (err != -EBADMSG) {
		pr_err("FAIL: a record with one bit flipped: %s (%d), expected SEC_E_MESSAGE_ALTERED\n",
		       exc_status(err), err);
		err = err < 0 ? err : -EIO;
		goto out;
	}
	/* the text (and TLS 1.3's inner type) lies before the tag */
	for (i = s->hdr_len; i < reclen - EXC_TAG_LEN; i++) {
		if (rec[i]) {
			pr_err("FAIL: after SEC_E_MESSAGE_ALTERED, record byte %u is %#x, not zeroed\n",
			       i, rec[i]);
			err = -EIO;
			goto out;
		}
	}
	pr_info("a record with one bit flipped: SEC_E_MESSAGE_ALTERED, its %u text bytes zeroed\n",
		reclen - EXC_TAG_LEN - s->hdr_len);

	exc_rx_msg(b, NULL, copy, 0, reclen);
	err = sspi_decrypt(s->rx, &msg, 0, NULL);
	if (err || b[1].len != len || exc_mismatch(b[1].data, 0, len) >= 0) {
		pr_err("FAIL: the untouched record after the forged one: %s (%d), %u bytes%s\n",
		       exc_status(err), err, b[1].len, err ? "" : ", wrong plaintext");
		err = err < 0 ? err : -EIO;
		goto out;
	}
	pr_info("the untouched record still unseals (linear buffer): the forgery did not move the receive sequence\n");
out:
	if (err == -ENOMEM)
		pr_err("FAIL: out of memory\n");
	kfree(rec);
	kfree(copy);
	exc_pages_free(&p);
	return err;
}

static int exc_run(struct exc_state *s)
{
	int err;

	err = exc_pages_alloc(&s->payload, EXC_PAYLOAD_OFFSET, size);
	if (!err)
		err = exc_pages_alloc(&s->stream, EXC_STREAM_OFFSET,
				      size + DIV_ROUND_UP(size, s->max_record) *
				      (s->hdr_room + s->trl_room));
	s->hdr = kmalloc(s->hdr_room, GFP_KERNEL);
	s->trl = kmalloc(s->trl_room, GFP_KERNEL);
	s->scratch = kmalloc(max(s->max_record, EXC_TAMPER_LEN), GFP_KERNEL);
	if (err || !s->hdr || !s->trl || !s->scratch) {
		pr_err("FAIL: out of memory\n");
		return -ENOMEM;
	}
	err = exc_send(s);
	if (!err)
		err = exc_receive(s);
	if (!err)
		err = exc_tamper(s);
	return err;
}

/*
 * Kerberos: what an SMB3-over-Kerberos or DCE/RPC client does.  The
 * payload is cut into messages of EXC_KRB5_MSG bytes; each is sealed in
 * place as [TOKEN, DATA] -- TOKEN kmalloc'd at SIZES' cbSecurityTrailer,
 * DATA a range of the payload's pages -- and unsealed the same way by the
 * other context, as a receiver that kept the token apart from the data.
 */
#define EXC_KRB5_MSG		SZ_64K
#define EXC_KRB5_HDR_LEN	24	/* a DCE/RPC-like header, signed only */

static int exc_krb5_call(struct exc_state *s, bool seal, struct sspi_buffer *b,
			 unsigned int n, u32 qop, const char *what)
{
	struct sspi_message msg = { .count = n, .buffers = b };
	int err;

	err = seal ? sspi_encrypt(s->tx, qop, &msg, 0) : sspi_decrypt(s->rx, &msg, 0, &qop);
	if (err)
		pr_err("FAIL: %s: %s (%d)\n", what, exc_status(err), err);
	return err < 0 ? err : err ? -EIO : 0;
}

/* Step 3 and 4 for Kerberos: every message sealed, then every one opened. */
static int exc_krb5_messages(struct exc_state *s, u8 *tokens)
{
	u32 n = DIV_ROUND_UP(size, EXC_KRB5_MSG), i, pos, len;
	struct sspi_buffer b[2];
	u8 *tok;
	int err;

	for (i = 0; i < n; i++) {
		pos = i * EXC_KRB5_MSG;
		len = min_t(u32, EXC_KRB5_MSG, size - i * EXC_KRB5_MSG);
		tok = tokens + i * s->trl_room;
		b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN,
					     .len = s->trl_room, .data = tok };
		b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA,
					     .len = len, .sg = s->payload.sg, .offset = pos };
		err = exc_krb5_call(s, true, b, 2, 0, "EncryptMessage");
		if (err)
			return err;
		if (b[0].len != s->trl_room) {
			pr_err("FAIL: a sealed TOKEN of %u bytes, cbSecurityTrailer %u\n",
			       b[0].len, s->trl_room);
			return -EIO;
		}
	}
	exc_copy_from(&s->payload, 0, s->scratch, min_t(u32, size, 64));
	if (exc_still_plaintext(s->scratch, 0, min_t(u32, size, 64))) {
		pr_err("FAIL: the sealed payload still reads as plaintext\n");
		return -EIO;
	}
	pr_info("sealed %u bytes in %u Wrap tokens of up to %u bytes, in place in the pages; TOKEN %u bytes each\n",
		size, n, EXC_KRB5_MSG, s->trl_room);

	for (i = 0; i < n; i++) {
		pos = i * EXC_KRB5_MSG;
		len = min_t(u32, EXC_KRB5_MSG, size - i * EXC_KRB5_MSG);
		b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN,
					     .len = s->trl_room,
					     .data = tokens + i * s->trl_room };
		b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA,
					     .len = len, .sg = s->payload.sg, .offset = pos };
		err = exc_krb5_call(s, false, b, 2, 0, "DecryptMessage");
		if (err)
			return err;
	}
	for (pos = 0; pos < size; pos += len) {
		len = min_t(u32, EXC_KRB5_MSG, size - pos);
		exc_copy_from(&s->payload, pos, s->scratch, len);
		if (exc_mismatch(s->scratch, pos, len) >= 0) {
			pr_err("FAIL: plaintext differs at byte %ld\n",
			       pos + exc_mismatch(s->scratch, pos, len));
			return -EIO;
		}
	}
	pr_info("unsealed all %u bytes in place as [TOKEN, DATA]; every byte matches\n", size);
	return 0;
}

/*
 * Step 6 for Kerberos: a DCE/RPC-like message -- a header signed but not
 * encrypted, then page data -- sealed and unsealed; with @tamper a header
 * bit is changed in between, which must fail with SEC_E_MESSAGE_ALTERED
 * and leave no plaintext in the pages.  The receiver's sequence window
 * does not move on a failure, so a context with sequence detection takes
 * nothing after it: the tampered message comes last.
 */
static int exc_krb5_signed_header(struct exc_state *s, u8 *tok, bool tamper)
{
	u32 len = min_t(u32, size, EXC_TAMPER_LEN);
	u8 *hdr = s->scratch + EXC_TAMPER_LEN;
	struct sspi_buffer b[3];
	struct sspi_message msg = { .count = 3, .buffers = b };
	int err;

	memset(hdr, 0x5c, EXC_KRB5_HDR_LEN);
	exc_fill(s->scratch, 0, len);
	exc_copy_to(&s->payload, 0, s->scratch, len);
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA |
				     SSPI_SECBUFFER_READONLY_WITH_CHECKSUM,
				     .len = EXC_KRB5_HDR_LEN, .data = hdr };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN,
				     .len = s->trl_room, .data = tok };
	b[2] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA,
				     .len = len, .sg = s->payload.sg };
	err = exc_krb5_call(s, true, b, 3, 0, "EncryptMessage (signed header)");
	if (err)
		return err;
	if (!tamper) {
		err = exc_krb5_call(s, false, b, 3, 0, "DecryptMessage (signed header)");
		if (err)
			return err;
		exc_copy_from(&s->payload, 0, s->scratch, len);
		if (exc_mismatch(s->scratch, 0, len) >= 0) {
			pr_err("FAIL: the signed-header message did not come back\n");
			return -EIO;
		}
		pr_info("a signed-only header and page data sealed and unsealed (READONLY_WITH_CHECKSUM)\n");
		return 0;
	}
	hdr[3] ^= 0x10;
	err = sspi_decrypt(s->rx, &msg, 0, NULL);
	exc_copy_from(&s->payload, 0, s->scratch, len);
	if (err != -EBADMSG || exc_mismatch(s->scratch, 0, len) < 0) {
		pr_err("FAIL: a changed signed header gave %s (%d), plaintext %s\n",
		       exc_status(err), err,
		       exc_mismatch(s->scratch, 0, len) < 0 ? "left" : "gone");
		return -EIO;
	}
	pr_info("a changed signed-only header: %s, no plaintext left in the pages\n",
		exc_status(err));
	return 0;
}

/*
 * MakeSignature over the pages, VerifySignature on the other side; a
 * changed page byte must not verify, and the same MIC verifies once the
 * byte is back.
 */
static int exc_krb5_mic(struct exc_state *s, u8 *tok)
{
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_DATA, .len = size, .sg = s->payload.sg },
		{ .type = SSPI_SECBUFFER_TOKEN, .len = s->info.sizes.max_signature,
		  .data = tok },
	};
	struct sspi_message msg = { .count = 2, .buffers = b };
	u8 byte;
	int err;

	err = sspi_make_signature(s->tx, 0, &msg, 0);
	if (err) {
		pr_err("FAIL: MakeSignature: %s (%d)\n", exc_status(err), err);
		return err < 0 ? err : -EIO;
	}
	exc_copy_from(&s->payload, size - 1, &byte, 1);
	byte ^= 0x01;
	exc_copy_to(&s->payload, size - 1, &byte, 1);
	err = sspi_verify_signature(s->rx, &msg, 0, NULL);
	if (err != -EBADMSG) {
		pr_err("FAIL: a MIC over changed pages gave %s (%d)\n", exc_status(err), err);
		return -EIO;
	}
	byte ^= 0x01;
	exc_copy_to(&s->payload, size - 1, &byte, 1);
	err = sspi_verify_signature(s->rx, &msg, 0, NULL);
	if (err) {
		pr_err("FAIL: VerifySignature: %s (%d)\n", exc_status(err), err);
		return err < 0 ? err : -EIO;
	}
	pr_info("MIC of %u page bytes verified; with a changed byte: SEC_E_MESSAGE_ALTERED\n",
		size);
	return 0;
}

static int exc_krb5_run(struct exc_state *s)
{
	u32 pos, len;
	u8 *tokens;
	int err;

	err = exc_pages_alloc(&s->payload, EXC_PAYLOAD_OFFSET, size);
	s->scratch = kmalloc(EXC_KRB5_MSG + EXC_TAMPER_LEN, GFP_KERNEL);
	tokens = kcalloc(DIV_ROUND_UP(size, EXC_KRB5_MSG) + 1, s->trl_room, GFP_KERNEL);
	if (err || !s->scratch || !tokens) {
		kfree(tokens);
		pr_err("FAIL: out of memory\n");
		return -ENOMEM;
	}
	for (pos = 0; pos < size; pos += len) {
		len = min_t(u32, EXC_KRB5_MSG, size - pos);
		exc_fill(s->scratch, pos, len);
		exc_copy_to(&s->payload, pos, s->scratch, len);
	}
	err = exc_krb5_messages(s, tokens);
	if (!err)
		err = exc_krb5_signed_header(s, tokens, false);
	if (!err)
		err = exc_krb5_mic(s, tokens);
	if (!err)
		err = exc_krb5_signed_header(s, tokens, true);
	kfree(tokens);
	return err;
}

/* QueryContextAttributes(STREAM_SIZES), as a client sizes its buffers. */
static int exc_query(struct exc_state *s)
{
	struct sspi_sizes *sz = &s->info.sizes;
	int err = sspi_query(s->tx, &s->info);

	if (err) {
		pr_err("FAIL: sspi_query: %s (%d)\n", exc_status(err), err);
		return err;
	}
	if (!strcmp(s->info.package, "Kerberos")) {
		pr_info("package %s, enctype %s, sealing driver %s; SIZES security trailer %u, max signature %u, block %u\n",
			s->info.package, s->info.cipher, s->info.tx_driver,
			sz->security_trailer, sz->max_signature, sz->block_size);
		if (!sz->security_trailer || sz->security_trailer > 256 ||
		    !sz->max_signature || sz->max_signature > EXC_TAMPER_LEN) {
			pr_err("FAIL: not the sizes of a Kerberos context\n");
			return -EIO;
		}
		s->trl_room = sz->security_trailer;
		return 0;
	}
	pr_info("package %s, protocol %#06x, cipher %s, sealing driver %s; STREAM_SIZES header %u, trailer %u, max message %u\n",
		s->info.package, s->info.protocol, s->info.cipher,
		s->info.tx_driver, sz->stream_header, sz->stream_trailer,
		sz->max_message);
	if (!sz->stream_header || !sz->stream_trailer || !sz->max_message ||
	    sz->max_message > SZ_1M || sz->stream_trailer < EXC_TAG_LEN) {
		pr_err("FAIL: not the stream sizes of a TLS record\n");
		return -EIO;
	}
	s->max_record = sz->max_message;
	s->hdr_room = sz->stream_header;
	s->trl_room = sz->stream_trailer;
	return 0;
}

static int __init exc_init(void)
{
	struct exc_state *s;
	int err;

	if (!size || size > SZ_1M) {
		pr_err("FAIL: size %u is not in 1..%u\n", size, SZ_1M);
		return -EINVAL;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->tx = sspi_context_lookup(&init_net, tx_handle);
	s->rx = sspi_context_lookup(&init_net, rx_handle);
	if (!s->tx || !s->rx) {
		pr_err("FAIL: no context %#lx in init_net\n",
		       !s->tx ? tx_handle : rx_handle);
		/* -EINVAL: insmod reads -ENOENT as "Unknown symbol" */
		err = -EINVAL;
		goto out;
	}
	pr_info("contexts %#lx (seals) and %#lx (unseals) found\n", tx_handle, rx_handle);

	err = exc_query(s);
	if (!err)
		err = strcmp(s->info.package, "Kerberos") ? exc_run(s) : exc_krb5_run(s);
	if (!err)
		pr_info("PASS\n");
out:
	kfree(s->hdr);
	kfree(s->trl);
	kfree(s->scratch);
	exc_pages_free(&s->payload);
	exc_pages_free(&s->stream);
	if (s->tx)
		sspi_context_put(s->tx);
	if (s->rx)
		sspi_context_put(s->rx);
	kfree(s);
	return err;
}

static void __exit exc_exit(void)
{
}

module_init(exc_init);
module_exit(exc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sspi_kmod example consumer: seal and unseal page-backed data in the kernel");
SSPI_KMOD_IMPORT_NS();
