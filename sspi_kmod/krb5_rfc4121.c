// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: RFC 4121 Wrap and MIC tokens over the AES enctypes (RFC 3962,
 * RFC 8009), the Kerberos package's mechanism for all but rc4-hmac.
 *
 * A Wrap token is its 16-byte header, then (sealed) a confounder, the
 * data, EC bytes of filler and an encrypted copy of the header, then the
 * checksum -- the part after the header rotated right by RRC (and, in DCE
 * style as Windows writes it, by EC too).  Sent, TOKEN holds the header,
 * the rotated trailer and the confounder, so that TOKEN | DATA... is the
 * token; received, the token lies in STREAM or in TOKEN and the DATA
 * buffers as a sender writing [TOKEN, DATA...] makes it.  Which bytes are
 * encrypted and checksummed is built as a scatterlist over the buffers;
 * the enctype's profile says in which order (krb5_crypto.h).
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "buffer.h"
#include "context.h"
#include "krb5_crypto.h"
#include "krb5_mech.h"
#include "krb5_token.h"

/*
 * The part of a Wrap token after its header, as it lies in the buffers
 * (physical), and the rotation that maps the unrotated token (logical)
 * onto it: logical byte j is physical byte (j + rotate) mod len.
 */
struct sspi_krb5_body {
	struct {
		struct sspi_buffer *b;
		u32 off;
		u32 len;
	} seg[SSPI_MAX_BUFFERS];
	unsigned int n;
	u32 len;
	u32 rotate;
};

enum sspi_krb5_io { KRB5_IO_SG, KRB5_IO_READ, KRB5_IO_WRITE };

struct sspi_krb5_iov {
	enum sspi_krb5_io op;
	struct sspi_sgbuild *sgb;
	u8 *p;
};

/*
 * Entries of one operation's scatterlist -- header parts and page
 * entries: this many in the direction's state, up to KRB5_SG_LIMIT in an
 * array allocated when a message needs it and kept for the next ones.
 */
#define KRB5_SG_INLINE		72
#define KRB5_SG_LIMIT		16384

struct sspi_krb5_dir {
	struct sspi_krb5_keys keys;
	u8 hdr[SSPI_KRB5_HDR_LEN];
	u8 copy[SSPI_KRB5_HDR_LEN];
	u8 scratch[SSPI_KRB5_CONF_LEN];
	u8 mac[SSPI_KRB5_MAX_MAC];
	struct scatterlist *sgv;	/* sg, or a larger array */
	unsigned int sg_max;
	struct scatterlist sg[KRB5_SG_INLINE];
	/* the message under way */
	struct sspi_krb5_body body;
	struct sspi_krb5_wrap_geom g;
	struct sspi_krb5_hdr h;
	u32 dlen;
};

/* What one of an operation's scatterlists covers. */
enum sspi_krb5_sg_kind {
	KRB5_SG_SEALED = SSPI_KRB5_PART_ENC,
	KRB5_SG_SEALED_MAC = SSPI_KRB5_PART_MAC,
	KRB5_SG_SEALED_IV_MAC = SSPI_KRB5_PART_IV_MAC,
	KRB5_SG_SIGNED,		/* the signed DATA, then a header */
};

struct sspi_krb5_sg_req {
	int kind;
	const struct sspi_krb5_body *body;
	struct sspi_message *msg;
	u32 dlen;
	u16 ec;
	u8 *tail;
};

/**
 * struct sspi_krb5_rfc4121 - an RFC 4121 context's state
 * @et: the enctype
 * @tx: what sending and signing use, under the send lock
 * @rx: what receiving and verifying use, under the receive lock
 */
struct sspi_krb5_rfc4121 {
	const struct sspi_krb5_enctype *et;
	struct sspi_krb5_dir tx;
	struct sspi_krb5_dir rx;
};

static struct sspi_krb5_rfc4121 *rfc4121(const struct sspi_krb5 *k)
{
	return k->priv;
}

/* The flags of the tokens this side sends (@sent) or receives. */
static u8 sspi_krb5_tok_flags(const struct sspi_krb5 *k, bool sent)
{
	u8 f = 0;

	if (sspi_krb5_initiator(k) != sent)
		f |= SSPI_KRB5_FLAG_SENT_BY_ACCEPTOR;
	if (k->flags & SSPI_KRB5_F_ACCEPTOR_SUBKEY)
		f |= SSPI_KRB5_FLAG_ACCEPTOR_SUBKEY;
	return f;
}

static void sspi_krb5_body_add(struct sspi_krb5_body *body,
			       struct sspi_buffer *b, u32 off, u32 len)
{
	if (!len)
		return;
	body->seg[body->n].b = b;
	body->seg[body->n].off = off;
	body->seg[body->n].len = len;
	body->n++;
	body->len += len;
}

static int sspi_krb5_piece(struct sspi_krb5_iov *io, struct sspi_buffer *b,
			   u32 off, u32 len)
{
	int err;

	switch (io->op) {
	case KRB5_IO_SG:
		return sspi_sgb_add_buf(io->sgb, b, off, len);
	case KRB5_IO_READ:
		err = sspi_buf_copy_from(b, off, io->p, len);
		break;
	default:
		err = sspi_buf_copy_to(b, off, io->p, len);
		break;
	}
	io->p += len;
	return err;
}

/* Do @io on the logical bytes [lo, lo + len) of @body. */
static int sspi_krb5_body_io(const struct sspi_krb5_body *body, u32 lo, u32 len,
			     struct sspi_krb5_iov *io)
{
	u32 p, run, pos, start, o, take;
	unsigned int i;
	int err;

	if (!len)
		return 0;
	if ((u64)lo + len > body->len)
		return -EINVAL;
	p = ((u64)lo + body->rotate) % body->len;
	while (len) {
		run = min(len, body->len - p);
		pos = p;
		for (i = 0, start = 0; i < body->n && pos < p + run;
		     start += body->seg[i].len, i++) {
			if (pos >= start + body->seg[i].len)
				continue;
			o = pos - start;
			take = min(p + run - pos, body->seg[i].len - o);
			err = sspi_krb5_piece(io, body->seg[i].b,
					      body->seg[i].off + o, take);
			if (err)
				return err;
			pos += take;
		}
		len -= run;
		p = 0;
	}
	return 0;
}

static int sspi_krb5_body_sg(const struct sspi_krb5_body *body, u32 lo, u32 len,
			     struct sspi_sgbuild *sgb)
{
	struct sspi_krb5_iov io = { .op = KRB5_IO_SG, .sgb = sgb };

	return sspi_krb5_body_io(body, lo, len, &io);
}

static int sspi_krb5_body_read(const struct sspi_krb5_body *body, u32 lo,
			       u32 len, void *dst)
{
	struct sspi_krb5_iov io = { .op = KRB5_IO_READ, .p = dst };

	return sspi_krb5_body_io(body, lo, len, &io);
}

static int sspi_krb5_body_write(const struct sspi_krb5_body *body, u32 lo,
				u32 len, const void *src)
{
	struct sspi_krb5_iov io = { .op = KRB5_IO_WRITE, .p = (u8 *)src };

	return sspi_krb5_body_io(body, lo, len, &io);
}

/* The DATA buffers in message order: the encrypted ones, and if
 * @sign_only the signed-only ones too.
 */
static int sspi_krb5_add_data(struct sspi_sgbuild *sgb, struct sspi_message *msg,
			      bool sign_only)
{
	struct sspi_buffer *b;
	unsigned int i;
	int err;

	for (i = 0; i < msg->count; i++) {
		b = &msg->buffers[i];
		if (!sspi_krb5_is_data(b) && !(sign_only && sspi_krb5_is_sign_only(b)))
			continue;
		err = sspi_sgb_add_buf(sgb, b, 0, b->len);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Add to @sgb what @r asks for.  A sealed token's encrypted part is its
 * confounder, data, filler and header copy; its checksum covers, under
 * RFC 8009, the zero IV first, and the signed-only buffers in place
 * either way.  A signed message is its DATA and then a header.
 */
static int sspi_krb5_sg_build(struct sspi_sgbuild *sgb, struct sspi_krb5_dir *d,
			      const struct sspi_krb5_sg_req *r)
{
	bool mac = r->kind != KRB5_SG_SEALED;
	int err = 0;

	if (r->kind == KRB5_SG_SIGNED) {
		err = sspi_krb5_add_data(sgb, r->msg, true);
		return err ?: sspi_sgb_add_mem(sgb, r->tail, SSPI_KRB5_HDR_LEN);
	}
	if (r->kind == KRB5_SG_SEALED_IV_MAC)
		err = sspi_sgb_add_mem(sgb, d->keys.zero, SSPI_KRB5_BLOCK);
	if (!err)
		err = sspi_krb5_body_sg(r->body, 0, SSPI_KRB5_CONF_LEN, sgb);
	if (!err)
		err = sspi_krb5_add_data(sgb, r->msg, mac);
	if (!err)
		err = sspi_krb5_body_sg(r->body, SSPI_KRB5_CONF_LEN + r->dlen,
					r->ec + SSPI_KRB5_HDR_LEN, sgb);
	return err;
}

/*
 * The scatterlist @r asks for, in the direction's array, which grows to
 * what the message needs (up to KRB5_SG_LIMIT entries; past it -EINVAL).
 */
static struct scatterlist *sspi_krb5_sg(struct sspi_krb5_dir *d,
					const struct sspi_krb5_sg_req *r,
					unsigned int *bytes)
{
	struct scatterlist *sg;
	struct sspi_sgbuild sgb;
	int err;

	sspi_sgb_init(&sgb, d->sgv, d->sg_max);
	err = sspi_krb5_sg_build(&sgb, d, r);
	if (err == -E2BIG) {
		sspi_sgb_init(&sgb, NULL, 0);
		err = sspi_krb5_sg_build(&sgb, d, r);
		if (err)
			return ERR_PTR(err);
		if (sgb.n > KRB5_SG_LIMIT)
			return ERR_PTR(-EINVAL);
		sg = kvmalloc_array(sgb.n, sizeof(*sg), GFP_KERNEL_ACCOUNT);
		if (!sg)
			return ERR_PTR(-ENOMEM);
		if (d->sgv != d->sg)
			kvfree(d->sgv);
		d->sgv = sg;
		d->sg_max = sgb.n;
		sspi_sgb_init(&sgb, d->sgv, d->sg_max);
		err = sspi_krb5_sg_build(&sgb, d, r);
	}
	if (err)
		return ERR_PTR(err);
	*bytes = sgb.bytes;
	return sspi_sgb_finish(&sgb);
}

/* A sealed token being made or checked, for its enctype's profile. */
struct sspi_krb5_seal_req {
	struct sspi_krb5_sealed s;
	struct sspi_krb5_dir *d;
	struct sspi_krb5_sg_req r;
};

static struct scatterlist *sspi_krb5_sealed_sg(struct sspi_krb5_sealed *s,
					       enum sspi_krb5_part part,
					       unsigned int *bytes)
{
	struct sspi_krb5_seal_req *q = container_of(s, struct sspi_krb5_seal_req, s);

	q->r.kind = part;
	return sspi_krb5_sg(q->d, &q->r, bytes);
}

/* HMAC with @which over the signed DATA buffers, then @tail (16 bytes). */
static int sspi_krb5_mac_data(struct sspi_krb5_dir *d, enum sspi_krb5_mac_key which,
			      struct sspi_message *msg, u8 *tail)
{
	const struct sspi_krb5_sg_req r = {
		.kind = KRB5_SG_SIGNED, .msg = msg, .tail = tail,
	};
	struct scatterlist *sg;
	unsigned int bytes;

	sg = sspi_krb5_sg(d, &r, &bytes);
	if (IS_ERR(sg))
		return PTR_ERR(sg);
	return sspi_krb5_mac(&d->keys, which, sg, bytes);
}

/* Seal: as the enctype's profile says; the checksum goes last. */
static int sspi_krb5_seal(struct sspi_krb5_dir *d, const struct sspi_krb5_body *body,
			  struct sspi_message *msg, u32 dlen, u16 ec)
{
	const struct sspi_krb5_enctype *et = d->keys.et;
	struct sspi_krb5_seal_req q = {
		.s.sg = sspi_krb5_sealed_sg, .d = d,
		.r = { .body = body, .msg = msg, .dlen = dlen, .ec = ec },
	};
	int err;

	err = et->profile->encrypt(&d->keys, &q.s);
	if (err)
		return err;
	return sspi_krb5_body_write(body, SSPI_KRB5_CONF_LEN + dlen + ec +
				    SSPI_KRB5_HDR_LEN, et->mac_len, d->keys.digest);
}

/* Zero the decrypted part of a token that failed its checks. */
static void sspi_krb5_wipe(struct sspi_krb5_dir *d, const struct sspi_krb5_body *body,
			   struct sspi_message *msg, u32 dlen, u16 ec)
{
	struct sspi_krb5_seal_req q = {
		.d = d, .r = { .body = body, .msg = msg, .dlen = dlen, .ec = ec },
	};
	struct scatterlist *sg;
	unsigned int bytes;

	sg = sspi_krb5_sealed_sg(&q.s, SSPI_KRB5_PART_ENC, &bytes);
	if (!IS_ERR(sg))
		sg_zero_buffer(sg, sg_nents(sg), bytes, 0);
}

/*
 * Unseal: the checksum, the decryption and the header copy, or an error;
 * *@decrypted says whether bytes were decrypted, for the caller to wipe
 * (RFC 8009 decrypts only what is authentic).
 */
static int sspi_krb5_unseal(struct sspi_krb5_dir *d, const struct sspi_krb5_body *body,
			    struct sspi_message *msg, u32 dlen, u16 ec,
			    bool *decrypted)
{
	const struct sspi_krb5_enctype *et = d->keys.et;
	u32 ctlen = SSPI_KRB5_CONF_LEN + dlen + ec + SSPI_KRB5_HDR_LEN;
	struct sspi_krb5_seal_req q = {
		.s = { .sg = sspi_krb5_sealed_sg, .mac = d->mac }, .d = d,
		.r = { .body = body, .msg = msg, .dlen = dlen, .ec = ec },
	};
	int err;

	err = sspi_krb5_body_read(body, ctlen, et->mac_len, d->mac);
	if (!err)
		err = et->profile->decrypt(&d->keys, &q.s);
	*decrypted = q.s.decrypted;
	if (err)
		return err;
	err = sspi_krb5_body_read(body, SSPI_KRB5_CONF_LEN + dlen + ec,
				  SSPI_KRB5_HDR_LEN, d->copy);
	if (!err && !sspi_krb5_hdr_copy_ok(d->hdr, d->copy))
		err = -EBADMSG;
	return err;
}

/* The mechanism's operations: sending. */

static int rfc4121_wrap_space(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_krb5_rfc4121 *a = rfc4121(k);
	struct sspi_krb5_dir *d = &a->tx;

	sspi_krb5_wrap_geom(&d->g, m->sealed, sspi_krb5_dce(k), a->et->mac_len);
	return m->tok->len < d->g.token ? -ENOBUFS : 0;
}

/* The header as the checksum and the header copy have it: RRC 0. */
static void rfc4121_wrap_header(struct sspi_krb5 *k, struct sspi_krb5_dir *d,
				const struct sspi_krb5_msg *m)
{
	const struct sspi_krb5_wrap_geom *g = &d->g;

	d->h = (struct sspi_krb5_hdr){
		.tok_id = SSPI_KRB5_TOK_WRAP,
		.flags = sspi_krb5_tok_flags(k, true) |
			 (g->sealed ? SSPI_KRB5_FLAG_SEALED : 0),
		.ec = g->sealed ? g->ec : 0,	/* checksum and copy: RRC 0 */
		.seq = m->seq,
	};
	sspi_krb5_hdr_put(&d->h, d->hdr);
}

/* The part after the header: the rest of TOKEN, then the DATA, rotated. */
static void rfc4121_wrap_body(struct sspi_krb5_dir *d, const struct sspi_krb5_msg *m)
{
	struct sspi_message *msg = m->msg;
	unsigned int i;

	memset(&d->body, 0, sizeof(d->body));
	sspi_krb5_body_add(&d->body, m->tok, SSPI_KRB5_HDR_LEN,
			   d->g.token - SSPI_KRB5_HDR_LEN);
	for (i = 0; i < msg->count; i++)
		if (sspi_krb5_is_data(&msg->buffers[i]))
			sspi_krb5_body_add(&d->body, &msg->buffers[i], 0,
					   msg->buffers[i].len);
	d->body.rotate = d->g.rotate;
}

/* Sealed: the confounder, the filler and the header copy, then seal. */
static int rfc4121_wrap_sealed(struct sspi_krb5_dir *d, const struct sspi_krb5_msg *m)
{
	const struct sspi_krb5_body *body = &d->body;
	u32 dlen = m->dlen;
	u16 ec = d->g.ec;
	int err;

	get_random_bytes(d->scratch, SSPI_KRB5_CONF_LEN);
	err = sspi_krb5_body_write(body, 0, SSPI_KRB5_CONF_LEN, d->scratch);
	memset(d->scratch, 0xff, ec);
	if (!err)
		err = sspi_krb5_body_write(body, SSPI_KRB5_CONF_LEN + dlen, ec,
					   d->scratch);
	if (!err)
		err = sspi_krb5_body_write(body, SSPI_KRB5_CONF_LEN + dlen + ec,
					   SSPI_KRB5_HDR_LEN, d->hdr);
	if (!err)
		err = sspi_krb5_seal(d, body, m->msg, dlen, ec);
	return err;
}

/* Without confidentiality: the checksum after the data. */
static int rfc4121_wrap_signed(struct sspi_krb5_dir *d, const struct sspi_krb5_msg *m)
{
	int err;

	err = sspi_krb5_mac_data(d, SSPI_KRB5_KC_SEAL, m->msg, d->hdr);
	if (!err)
		err = sspi_krb5_body_write(&d->body, m->dlen, d->keys.et->mac_len,
					   d->keys.digest);
	return err;
}

/* The header as sent, with EC and RRC, into TOKEN; PADDING unused. */
static int rfc4121_wrap_finish(struct sspi_krb5_dir *d, const struct sspi_krb5_msg *m)
{
	struct sspi_buffer *pad;
	int err;

	d->h.ec = d->g.ec;
	d->h.rrc = d->g.rrc;
	sspi_krb5_hdr_put(&d->h, d->hdr);
	err = sspi_buf_copy_to(m->tok, 0, d->hdr, SSPI_KRB5_HDR_LEN);
	if (err)
		return err;
	m->tok->len = d->g.token;
	pad = sspi_msg_find(m->msg, SSPI_SECBUFFER_PADDING, 0);
	if (pad)
		pad->len = 0;
	return 0;
}

static int rfc4121_wrap(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_krb5_dir *d = &rfc4121(k)->tx;
	int err;

	rfc4121_wrap_header(k, d, m);
	rfc4121_wrap_body(d, m);
	if (d->g.sealed)
		err = rfc4121_wrap_sealed(d, m);
	else
		err = rfc4121_wrap_signed(d, m);
	return err ?: rfc4121_wrap_finish(d, m);
}

static int rfc4121_mic_space(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	return m->tok->len < SSPI_KRB5_HDR_LEN + rfc4121(k)->et->mac_len ?
	       -ENOBUFS : 0;
}

static int rfc4121_get_mic(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_krb5_dir *d = &rfc4121(k)->tx;
	unsigned int mac_len = d->keys.et->mac_len;
	int err;

	d->h = (struct sspi_krb5_hdr){
		.tok_id = SSPI_KRB5_TOK_MIC,
		.flags = sspi_krb5_tok_flags(k, true),
		.seq = m->seq,
	};
	sspi_krb5_hdr_put(&d->h, d->hdr);
	err = sspi_krb5_mac_data(d, SSPI_KRB5_KC_SIGN, m->msg, d->hdr);
	if (!err)
		err = sspi_buf_copy_to(m->tok, 0, d->hdr, SSPI_KRB5_HDR_LEN);
	if (!err)
		err = sspi_buf_copy_to(m->tok, SSPI_KRB5_HDR_LEN, d->keys.digest,
				       mac_len);
	if (err)
		return err;
	m->tok->len = SSPI_KRB5_HDR_LEN + mac_len;
	return 0;
}

/* The mechanism's operations: receiving. */

static int rfc4121_unwrap_header(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_krb5_rfc4121 *a = rfc4121(k);
	struct sspi_krb5_dir *d = &a->rx;
	int err;

	err = sspi_buf_copy_from(m->tok, 0, d->hdr, SSPI_KRB5_HDR_LEN);
	if (!err)
		err = sspi_krb5_hdr_get(d->hdr, SSPI_KRB5_TOK_WRAP,
					sspi_krb5_tok_flags(k, false), &d->h);
	if (!err)
		err = sspi_krb5_wrap_geom_rx(&d->g, &d->h, sspi_krb5_dce(k),
					     a->et->mac_len);
	if (!err)
		m->sealed = d->g.sealed;
	return err;
}

/*
 * Where a received Wrap token lies: in STREAM, or in TOKEN followed by the
 * DATA buffers, which must then be exactly the token's data -- TOKEN the
 * header, the rotated trailer and the confounder, as a sender writing
 * [TOKEN, DATA...] makes it.  From STREAM a rotation that splits the
 * plaintext is refused.
 */
static int rfc4121_unwrap_place(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_krb5_dir *d = &rfc4121(k)->rx;
	const struct sspi_krb5_wrap_geom *g = &d->g;
	u32 head = g->trailer + (g->sealed ? SSPI_KRB5_CONF_LEN : 0);
	u32 ds = g->sealed ? SSPI_KRB5_CONF_LEN : 0, ps;
	struct sspi_krb5_body *body = &d->body;
	struct sspi_message *msg = m->msg;
	struct sspi_buffer *tok = m->tok;
	u64 total = tok->len - SSPI_KRB5_HDR_LEN;
	unsigned int i;

	for (i = 0; !m->stream && i < msg->count; i++)
		if (sspi_krb5_is_data(&msg->buffers[i]))
			total += msg->buffers[i].len;
	if (total < head || total > U32_MAX / 2 || g->rotate > total)
		return -EINVAL;
	if (!m->stream && tok->len - SSPI_KRB5_HDR_LEN != head)
		return -EINVAL;

	memset(body, 0, sizeof(*body));
	sspi_krb5_body_add(body, tok, SSPI_KRB5_HDR_LEN, tok->len - SSPI_KRB5_HDR_LEN);
	for (i = 0; !m->stream && i < msg->count; i++)
		if (sspi_krb5_is_data(&msg->buffers[i]))
			sspi_krb5_body_add(body, &msg->buffers[i], 0,
					   msg->buffers[i].len);
	d->dlen = body->len - head;
	body->rotate = g->rotate;
	m->seq = d->h.seq;
	ps = ((u64)ds + g->rotate) % body->len;
	if (!m->stream)
		return !d->dlen || ps == head ? 0 : -EINVAL;
	if ((u64)ps + d->dlen > body->len)
		return -EINVAL;
	m->pt_off = SSPI_KRB5_HDR_LEN + ps;
	m->dlen = d->dlen;
	return 0;
}

static int rfc4121_unwrap(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_krb5_dir *d = &rfc4121(k)->rx;
	unsigned int mac_len = d->keys.et->mac_len;
	int err;

	if (d->g.sealed)
		return sspi_krb5_unseal(d, &d->body, m->msg, d->dlen, d->g.ec,
					&m->decrypted);
	err = sspi_krb5_body_read(&d->body, d->dlen, mac_len, d->mac);
	/* the checksum covers the header with EC and RRC zero */
	memcpy(d->copy, d->hdr, SSPI_KRB5_HDR_LEN);
	memset(d->copy + 4, 0, 4);
	if (!err)
		err = sspi_krb5_mac_data(d, SSPI_KRB5_KC_SEAL, m->msg, d->copy);
	if (!err && !sspi_krb5_mac_ok(&d->keys, d->mac))
		err = -EBADMSG;
	return err;
}

static void rfc4121_unwrap_wipe(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_krb5_dir *d = &rfc4121(k)->rx;

	sspi_krb5_wipe(d, &d->body, m->msg, d->dlen, d->g.ec);
}

static int rfc4121_verify_open(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_krb5_dir *d = &rfc4121(k)->rx;
	unsigned int mac_len = d->keys.et->mac_len;
	int err;

	if (m->tok->len != SSPI_KRB5_HDR_LEN + mac_len)
		return -EINVAL;
	err = sspi_buf_copy_from(m->tok, 0, d->hdr, SSPI_KRB5_HDR_LEN);
	if (!err)
		err = sspi_buf_copy_from(m->tok, SSPI_KRB5_HDR_LEN, d->mac, mac_len);
	if (!err)
		err = sspi_krb5_hdr_get(d->hdr, SSPI_KRB5_TOK_MIC,
					sspi_krb5_tok_flags(k, false), &d->h);
	if (!err)
		m->seq = d->h.seq;
	return err;
}

static int rfc4121_verify_mic(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_krb5_dir *d = &rfc4121(k)->rx;
	int err;

	err = sspi_krb5_mac_data(d, SSPI_KRB5_KC_SIGN, m->msg, d->hdr);
	if (!err && !sspi_krb5_mac_ok(&d->keys, d->mac))
		err = -EBADMSG;
	return err;
}

/* The mechanism's operations: the context. */

static bool rfc4121_handles(u32 enctype)
{
	return sspi_krb5_enctype_find(enctype);
}

static int rfc4121_init(struct sspi_krb5 *k, const struct sspi_krb5_import *imp)
{
	const struct sspi_krb5_enctype *et = sspi_krb5_enctype_find(imp->enctype);
	u32 tx_seal, tx_sign, rx_seal, rx_sign;
	struct sspi_krb5_rfc4121 *a;
	int err;

	if (imp->key_len != et->key_len)
		return -EINVAL;
	a = kzalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);
	if (!a)
		return -ENOMEM;
	a->et = et;
	if (sspi_krb5_initiator(k)) {
		tx_seal = SSPI_KRB5_USAGE_INITIATOR_SEAL;
		tx_sign = SSPI_KRB5_USAGE_INITIATOR_SIGN;
		rx_seal = SSPI_KRB5_USAGE_ACCEPTOR_SEAL;
		rx_sign = SSPI_KRB5_USAGE_ACCEPTOR_SIGN;
	} else {
		tx_seal = SSPI_KRB5_USAGE_ACCEPTOR_SEAL;
		tx_sign = SSPI_KRB5_USAGE_ACCEPTOR_SIGN;
		rx_seal = SSPI_KRB5_USAGE_INITIATOR_SEAL;
		rx_sign = SSPI_KRB5_USAGE_INITIATOR_SIGN;
	}
	a->tx.sgv = a->tx.sg;
	a->tx.sg_max = ARRAY_SIZE(a->tx.sg);
	a->rx.sgv = a->rx.sg;
	a->rx.sg_max = ARRAY_SIZE(a->rx.sg);
	err = sspi_krb5_keys_init(&a->tx.keys, et, imp->key, tx_seal, tx_sign);
	if (err)
		goto fail;
	err = sspi_krb5_keys_init(&a->rx.keys, et, imp->key, rx_seal, rx_sign);
	if (err) {
		sspi_krb5_keys_destroy(&a->tx.keys);
		goto fail;
	}
	k->priv = a;
	return 0;

fail:
	kfree_sensitive(a);
	return err;
}

static void rfc4121_destroy(struct sspi_krb5 *k)
{
	struct sspi_krb5_rfc4121 *a = rfc4121(k);

	sspi_krb5_keys_destroy(&a->tx.keys);
	sspi_krb5_keys_destroy(&a->rx.keys);
	if (a->tx.sgv != a->tx.sg)
		kvfree(a->tx.sgv);
	if (a->rx.sgv != a->rx.sg)
		kvfree(a->rx.sgv);
	kfree_sensitive(a);
}

static void rfc4121_sizes(struct sspi_krb5 *k, struct sspi_context_info *info)
{
	struct sspi_krb5_rfc4121 *a = rfc4121(k);
	struct sspi_sizes *sz = &info->sizes;
	struct sspi_krb5_wrap_geom g;

	sspi_krb5_wrap_geom(&g, true, sspi_krb5_dce(k), a->et->mac_len);
	sz->max_signature = SSPI_KRB5_HDR_LEN + a->et->mac_len;
	sz->security_trailer = g.token;
	info->key_bits = a->et->key_len * 8;
	strscpy(info->cipher, a->et->name, sizeof(info->cipher));
	strscpy(info->tx_driver, sspi_krb5_driver(&a->tx.keys),
		sizeof(info->tx_driver));
	strscpy(info->rx_driver, sspi_krb5_driver(&a->rx.keys),
		sizeof(info->rx_driver));
}

const struct sspi_krb5_mech sspi_krb5_rfc4121_mech = {
	.name = "RFC 4121",
	.handles = rfc4121_handles,
	.init = rfc4121_init,
	.destroy = rfc4121_destroy,
	.sizes = rfc4121_sizes,
	.wrap_space = rfc4121_wrap_space,
	.wrap = rfc4121_wrap,
	.unwrap_header = rfc4121_unwrap_header,
	.unwrap_place = rfc4121_unwrap_place,
	.unwrap = rfc4121_unwrap,
	.unwrap_wipe = rfc4121_unwrap_wipe,
	.mic_space = rfc4121_mic_space,
	.get_mic = rfc4121_get_mic,
	.verify_open = rfc4121_verify_open,
	.verify_mic = rfc4121_verify_mic,
};
