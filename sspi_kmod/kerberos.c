// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the Kerberos package -- RFC 4121 Wrap and MIC tokens over the
 * AES enctypes (RFC 3962, RFC 8009), with keys from a GSSAPI context
 * established elsewhere (Documentation/kerberos.rst).
 *
 * EncryptMessage takes [TOKEN, DATA..., PADDING] and seals the DATA in
 * place; TOKEN receives the header, the rotated trailer and the
 * confounder, so that TOKEN | DATA... | PADDING is one Wrap token as
 * Windows writes it.  DATA buffers flagged READONLY_WITH_CHECKSUM are
 * signed, not encrypted (GSSAPI's SIGN_ONLY); READONLY ones are left out.
 * DecryptMessage takes the same [TOKEN, DATA...] or [STREAM, DATA]: the
 * whole token in STREAM, any rotation, and DATA pointed at the plaintext
 * inside it.  MakeSignature and VerifySignature take [DATA..., TOKEN].
 */

#include <crypto/algapi.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "buffer.h"
#include "context.h"
#include "kerberos.h"
#include "krb5_crypto.h"
#include "krb5_rc4.h"
#include "krb5_token.h"
#include "package.h"

/* Windows' cbMaxToken for Kerberos */
#define KRB5_MAX_TOKEN		48000
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

struct sspi_krb5 {
	struct sspi_krb5_rc4 *rc4;	/* rc4-hmac: its own tokens, all else unused */
	const struct sspi_krb5_enctype *et;
	u32 flags;
	unsigned int seq_detect;
	struct sspi_krb5_dir tx;
	struct sspi_krb5_dir rx;
};

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

static struct sspi_krb5 *sspi_krb5(struct sspi_context *ctx)
{
	return (struct sspi_krb5 *)ctx->priv;
}

static bool sspi_krb5_initiator(const struct sspi_krb5 *k)
{
	return k->flags & SSPI_KRB5_F_INITIATOR;
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

static bool sspi_krb5_dce(const struct sspi_krb5 *k)
{
	return k->flags & SSPI_KRB5_F_DCE_STYLE;
}

/* DATA buffers: encrypted (no flags), signed only, or left out. */
static bool sspi_krb5_is_data(const struct sspi_buffer *b)
{
	return b->type == SSPI_SECBUFFER_DATA;
}

static bool sspi_krb5_is_sign_only(const struct sspi_buffer *b)
{
	return sspi_buf_type(b) == SSPI_SECBUFFER_DATA &&
	       (b->type & SSPI_SECBUFFER_READONLY_WITH_CHECKSUM);
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

/* Bytes of the encrypted DATA buffers; -EINVAL past what a token holds. */
static int sspi_krb5_data_len(struct sspi_message *msg, u32 *len)
{
	u64 n = 0;
	unsigned int i;

	for (i = 0; i < msg->count; i++)
		if (sspi_krb5_is_data(&msg->buffers[i]))
			n += msg->buffers[i].len;
	if (n > U32_MAX / 2)
		return -EINVAL;
	*len = n;
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
		sg = kvmalloc_array(sgb.n, sizeof(*sg), GFP_KERNEL);
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

/* Unseal: the MAC, the decryption and the header copy, or nothing. */
static int sspi_krb5_unseal(struct sspi_krb5_dir *d, const struct sspi_krb5_body *body,
			    struct sspi_message *msg, u32 dlen, u16 ec)
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
	if (!err) {
		err = sspi_krb5_body_read(body, SSPI_KRB5_CONF_LEN + dlen + ec,
					  SSPI_KRB5_HDR_LEN, d->copy);
		if (!err && !sspi_krb5_hdr_copy_ok(d->hdr, d->copy))
			err = -EBADMSG;
	}
	/* RFC 8009 decrypts only what is authentic: nothing to wipe before */
	if (err && q.s.decrypted)
		sspi_krb5_wipe(d, body, msg, dlen, ec);
	return err;
}

static int sspi_krb5_encrypt(struct sspi_context *ctx, u32 qop,
			     struct sspi_message *msg, u32 seqno)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);
	struct sspi_krb5_dir *d = &k->tx;
	unsigned int mac_len;
	struct sspi_krb5_body body = {};
	struct sspi_krb5_wrap_geom g;
	struct sspi_buffer *tok, *pad;
	struct sspi_krb5_hdr h;
	unsigned int i;
	u32 dlen;
	int err;

	if (seqno)
		return -EINVAL;
	if (k->rc4)
		return sspi_krb5_rc4_encrypt(k->rc4, ctx, qop, msg);
	mac_len = k->et->mac_len;
	if (qop && qop != SSPI_SECQOP_WRAP_NO_ENCRYPT)
		return -ENOPROTOOPT;
	tok = sspi_msg_find(msg, SSPI_SECBUFFER_TOKEN, 0);
	if (!tok || (tok->type & SSPI_SECBUFFER_ATTRMASK))
		return -EINVAL;
	err = sspi_krb5_data_len(msg, &dlen);
	if (err)
		return err;
	sspi_krb5_wrap_geom(&g, !qop, sspi_krb5_dce(k), mac_len);
	if (tok->len < g.token)
		return -ENOBUFS;
	if (ctx->tx.seq == U64_MAX)
		return -EKEYEXPIRED;

	h = (struct sspi_krb5_hdr){
		.tok_id = SSPI_KRB5_TOK_WRAP,
		.flags = sspi_krb5_tok_flags(k, true) |
			 (g.sealed ? SSPI_KRB5_FLAG_SEALED : 0),
		.ec = g.sealed ? g.ec : 0,	/* checksum and copy: RRC 0 */
		.seq = ctx->tx.seq,
	};
	sspi_krb5_hdr_put(&h, d->hdr);

	sspi_krb5_body_add(&body, tok, SSPI_KRB5_HDR_LEN, g.token - SSPI_KRB5_HDR_LEN);
	for (i = 0; i < msg->count; i++)
		if (sspi_krb5_is_data(&msg->buffers[i]))
			sspi_krb5_body_add(&body, &msg->buffers[i], 0,
					   msg->buffers[i].len);
	body.rotate = g.rotate;

	if (g.sealed) {
		get_random_bytes(d->scratch, SSPI_KRB5_CONF_LEN);
		err = sspi_krb5_body_write(&body, 0, SSPI_KRB5_CONF_LEN, d->scratch);
		memset(d->scratch, 0xff, g.ec);
		if (!err)
			err = sspi_krb5_body_write(&body, SSPI_KRB5_CONF_LEN + dlen,
						   g.ec, d->scratch);
		if (!err)
			err = sspi_krb5_body_write(&body, SSPI_KRB5_CONF_LEN + dlen + g.ec,
						   SSPI_KRB5_HDR_LEN, d->hdr);
		if (!err)
			err = sspi_krb5_seal(d, &body, msg, dlen, g.ec);
	} else {
		err = sspi_krb5_mac_data(d, SSPI_KRB5_KC_SEAL, msg, d->hdr);
		if (!err)
			err = sspi_krb5_body_write(&body, dlen, mac_len,
						   d->keys.digest);
	}
	if (err)
		return err;

	h.ec = g.ec;
	h.rrc = g.rrc;
	sspi_krb5_hdr_put(&h, d->hdr);
	err = sspi_buf_copy_to(tok, 0, d->hdr, SSPI_KRB5_HDR_LEN);
	if (err)
		return err;
	tok->len = g.token;
	pad = sspi_msg_find(msg, SSPI_SECBUFFER_PADDING, 0);
	if (pad)
		pad->len = 0;
	ctx->tx.seq++;
	return 0;
}

/*
 * Where a received Wrap token lies: in STREAM, or in TOKEN followed by the
 * DATA buffers, which must then be exactly the token's data -- TOKEN the
 * header, the rotated trailer and the confounder, as a sender writing
 * [TOKEN, DATA...] makes it.  From STREAM the first DATA buffer, empty, is
 * pointed at the plaintext inside it (*@out; @saved keeps what it was, for
 * the caller to put back if the token turns out bad).
 */
static int sspi_krb5_rx_body(struct sspi_message *msg, struct sspi_buffer *tok,
			     bool stream, const struct sspi_krb5_wrap_geom *g,
			     struct sspi_krb5_body *body, u32 *dlen,
			     struct sspi_buffer **out, struct sspi_buffer *saved)
{
	u32 head = g->trailer + (g->sealed ? SSPI_KRB5_CONF_LEN : 0);
	u32 ds = g->sealed ? SSPI_KRB5_CONF_LEN : 0, ps;
	struct sspi_buffer *dst = NULL;
	u64 total = tok->len - SSPI_KRB5_HDR_LEN;
	unsigned int i;

	for (i = 0; i < msg->count; i++) {
		struct sspi_buffer *b = &msg->buffers[i];

		if (!sspi_krb5_is_data(b))
			continue;
		if (!stream) {
			total += b->len;
			continue;
		}
		/* one empty DATA to point at the plaintext; nothing signed apart */
		if (dst || b->len)
			return -EINVAL;
		dst = b;
	}
	if (stream && !dst)
		return -EINVAL;
	for (i = 0; stream && i < msg->count; i++)
		if (sspi_krb5_is_sign_only(&msg->buffers[i]))
			return -EINVAL;
	if (total < head || total > U32_MAX / 2 || g->rotate > total)
		return -EINVAL;
	if (!stream && tok->len - SSPI_KRB5_HDR_LEN != head)
		return -EINVAL;

	sspi_krb5_body_add(body, tok, SSPI_KRB5_HDR_LEN, tok->len - SSPI_KRB5_HDR_LEN);
	for (i = 0; !stream && i < msg->count; i++)
		if (sspi_krb5_is_data(&msg->buffers[i]))
			sspi_krb5_body_add(body, &msg->buffers[i], 0,
					   msg->buffers[i].len);
	*dlen = body->len - head;
	body->rotate = g->rotate;
	ps = ((u64)ds + g->rotate) % body->len;
	if (!stream)
		return !*dlen || ps == head ? 0 : -EINVAL;
	/* a rotation that splits the plaintext is refused */
	if ((u64)ps + *dlen > body->len)
		return -EINVAL;
	*saved = *dst;
	*out = dst;
	sspi_buf_slice(dst, tok, SSPI_KRB5_HDR_LEN + ps, *dlen);
	return 0;
}

static int sspi_krb5_seq_check(struct sspi_context *ctx, u64 seq)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);

	return sspi_seq_verdict_errno(sspi_seqwin_check(&ctx->rx.win, seq),
				      k->seq_detect);
}

static int sspi_krb5_decrypt(struct sspi_context *ctx, struct sspi_message *msg,
			     u32 seqno, u32 *qop)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);
	struct sspi_krb5_dir *d = &k->rx;
	unsigned int mac_len;
	struct sspi_krb5_body body = {};
	struct sspi_krb5_wrap_geom g;
	struct sspi_buffer *tok, *out = NULL, saved;
	struct sspi_krb5_hdr h;
	bool stream = true;
	u32 dlen;
	int err;

	if (seqno)
		return -EINVAL;
	if (k->rc4)
		return sspi_krb5_rc4_decrypt(k->rc4, ctx, msg, qop);
	mac_len = k->et->mac_len;
	tok = sspi_msg_find(msg, SSPI_SECBUFFER_STREAM, 0);
	if (!tok) {
		stream = false;
		tok = sspi_msg_find(msg, SSPI_SECBUFFER_TOKEN, 0);
	}
	if (!tok)
		return -EINVAL;
	err = sspi_buf_copy_from(tok, 0, d->hdr, SSPI_KRB5_HDR_LEN);
	if (err)
		return err;
	err = sspi_krb5_hdr_get(d->hdr, SSPI_KRB5_TOK_WRAP,
				sspi_krb5_tok_flags(k, false), &h);
	if (!err)
		err = sspi_krb5_wrap_geom_rx(&g, &h, sspi_krb5_dce(k), mac_len);
	if (!err)
		err = sspi_krb5_rx_body(msg, tok, stream, &g, &body, &dlen, &out, &saved);
	if (!err)
		err = sspi_krb5_seq_check(ctx, h.seq);
	if (err)
		goto fail;

	if (g.sealed) {
		err = sspi_krb5_unseal(d, &body, msg, dlen, g.ec);
	} else {
		err = sspi_krb5_body_read(&body, dlen, mac_len, d->mac);
		/* the checksum covers the header with EC and RRC zero */
		memcpy(d->copy, d->hdr, SSPI_KRB5_HDR_LEN);
		memset(d->copy + 4, 0, 4);
		if (!err)
			err = sspi_krb5_mac_data(d, SSPI_KRB5_KC_SEAL, msg, d->copy);
		if (!err && !sspi_krb5_mac_ok(&d->keys, d->mac))
			err = -EBADMSG;
	}
	if (err)
		goto fail;
	sspi_seqwin_commit(&ctx->rx.win, h.seq);
	*qop = g.sealed ? 0 : SSPI_SECQOP_WRAP_NO_ENCRYPT;
	return 0;

fail:
	/* DATA pointed at nothing that was not authenticated */
	if (out)
		*out = saved;
	return err;
}

static int sspi_krb5_sign(struct sspi_context *ctx, u32 qop,
			  struct sspi_message *msg, u32 seqno)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);
	struct sspi_krb5_dir *d = &k->tx;
	unsigned int mac_len;
	struct sspi_buffer *tok;
	struct sspi_krb5_hdr h;
	int err;

	if (seqno)
		return -EINVAL;
	if (k->rc4)
		return sspi_krb5_rc4_sign(k->rc4, ctx, qop, msg);
	mac_len = k->et->mac_len;
	if (qop)
		return -ENOPROTOOPT;
	tok = sspi_msg_find(msg, SSPI_SECBUFFER_TOKEN, 0);
	if (!tok || (tok->type & SSPI_SECBUFFER_ATTRMASK))
		return -EINVAL;
	if (tok->len < SSPI_KRB5_HDR_LEN + mac_len)
		return -ENOBUFS;
	if (ctx->tx.seq == U64_MAX)
		return -EKEYEXPIRED;
	h = (struct sspi_krb5_hdr){
		.tok_id = SSPI_KRB5_TOK_MIC,
		.flags = sspi_krb5_tok_flags(k, true),
		.seq = ctx->tx.seq,
	};
	sspi_krb5_hdr_put(&h, d->hdr);
	err = sspi_krb5_mac_data(d, SSPI_KRB5_KC_SIGN, msg, d->hdr);
	if (!err)
		err = sspi_buf_copy_to(tok, 0, d->hdr, SSPI_KRB5_HDR_LEN);
	if (!err)
		err = sspi_buf_copy_to(tok, SSPI_KRB5_HDR_LEN, d->keys.digest, mac_len);
	if (err)
		return err;
	tok->len = SSPI_KRB5_HDR_LEN + mac_len;
	ctx->tx.seq++;
	return 0;
}

static int sspi_krb5_verify(struct sspi_context *ctx, struct sspi_message *msg,
			    u32 seqno, u32 *qop)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);
	struct sspi_krb5_dir *d = &k->rx;
	unsigned int mac_len;
	struct sspi_buffer *tok;
	struct sspi_krb5_hdr h;
	int err;

	if (seqno)
		return -EINVAL;
	if (k->rc4)
		return sspi_krb5_rc4_verify(k->rc4, ctx, msg, qop);
	mac_len = k->et->mac_len;
	tok = sspi_msg_find(msg, SSPI_SECBUFFER_TOKEN, 0);
	if (!tok || tok->len != SSPI_KRB5_HDR_LEN + mac_len)
		return -EINVAL;
	err = sspi_buf_copy_from(tok, 0, d->hdr, SSPI_KRB5_HDR_LEN);
	if (!err)
		err = sspi_buf_copy_from(tok, SSPI_KRB5_HDR_LEN, d->mac, mac_len);
	if (!err)
		err = sspi_krb5_hdr_get(d->hdr, SSPI_KRB5_TOK_MIC,
					sspi_krb5_tok_flags(k, false), &h);
	if (!err)
		err = sspi_krb5_seq_check(ctx, h.seq);
	if (!err)
		err = sspi_krb5_mac_data(d, SSPI_KRB5_KC_SIGN, msg, d->hdr);
	if (!err && !sspi_krb5_mac_ok(&d->keys, d->mac))
		err = -EBADMSG;
	if (err)
		return err;
	sspi_seqwin_commit(&ctx->rx.win, h.seq);
	*qop = 0;
	return 0;
}

static int sspi_krb5_init(struct sspi_context *ctx, const void *data, size_t len)
{
	const struct sspi_krb5_import *imp = data;
	struct sspi_krb5 *k = sspi_krb5(ctx);
	u32 tx_seal, tx_sign, rx_seal, rx_sign;
	int err;

	if (len != sizeof(*imp) || imp->reserved || (imp->flags & ~SSPI_KRB5_F_ALL))
		return -EINVAL;
	k->flags = imp->flags;
	if (imp->enctype == SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC) {
		err = sspi_krb5_rc4_init(&k->rc4, imp);
		if (err)
			return err;
		ctx->tx.seq = imp->send_seq;
		sspi_seqwin_init(&ctx->rx.win, imp->recv_seq);
		return 0;
	}
	k->et = sspi_krb5_enctype_find(imp->enctype);
	if (!k->et)
		return -ENOPKG;
	if (imp->key_len != k->et->key_len)
		return -EINVAL;
	if (imp->flags & SSPI_KRB5_F_REPLAY)
		k->seq_detect |= SSPI_SEQ_DETECT_REPLAY;
	if (imp->flags & SSPI_KRB5_F_SEQUENCE)
		k->seq_detect |= SSPI_SEQ_DETECT_SEQUENCE;

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
	k->tx.sgv = k->tx.sg;
	k->tx.sg_max = ARRAY_SIZE(k->tx.sg);
	k->rx.sgv = k->rx.sg;
	k->rx.sg_max = ARRAY_SIZE(k->rx.sg);
	err = sspi_krb5_keys_init(&k->tx.keys, k->et, imp->key, tx_seal, tx_sign);
	if (err)
		goto fail;
	err = sspi_krb5_keys_init(&k->rx.keys, k->et, imp->key, rx_seal, rx_sign);
	if (err) {
		sspi_krb5_keys_destroy(&k->tx.keys);
		goto fail;
	}
	ctx->tx.seq = imp->send_seq;
	sspi_seqwin_init(&ctx->rx.win, imp->recv_seq);
	return 0;

fail:
	memzero_explicit(k, sizeof(*k));
	return err;
}

static void sspi_krb5_destroy(struct sspi_context *ctx)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);

	if (k->rc4) {
		sspi_krb5_rc4_destroy(k->rc4);
		memzero_explicit(k, sizeof(*k));
		return;
	}
	sspi_krb5_keys_destroy(&k->tx.keys);
	sspi_krb5_keys_destroy(&k->rx.keys);
	if (k->tx.sgv != k->tx.sg)
		kvfree(k->tx.sgv);
	if (k->rx.sgv != k->rx.sg)
		kvfree(k->rx.sgv);
	memzero_explicit(k, sizeof(*k));
}

static void sspi_krb5_query(struct sspi_context *ctx,
			    struct sspi_context_info *info)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);
	struct sspi_sizes *sz = &info->sizes;
	struct sspi_krb5_wrap_geom g;

	info->tx_seq = ctx->tx.seq;
	info->rx_seq = ctx->rx.win.next;
	if (k->rc4) {
		sspi_krb5_rc4_query(k->rc4, info);
		return;
	}
	sspi_krb5_wrap_geom(&g, true, sspi_krb5_dce(k), k->et->mac_len);
	sz->max_token = KRB5_MAX_TOKEN;
	sz->max_signature = SSPI_KRB5_HDR_LEN + k->et->mac_len;
	sz->block_size = 1;
	sz->security_trailer = g.token;
	strscpy(info->cipher, k->et->name, sizeof(info->cipher));
	strscpy(info->tx_driver, sspi_krb5_driver(&k->tx.keys),
		sizeof(info->tx_driver));
	strscpy(info->rx_driver, sspi_krb5_driver(&k->rx.keys),
		sizeof(info->rx_driver));
}

static const struct sspi_package_ops sspi_krb5_ops = {
	.init = sspi_krb5_init,
	.destroy = sspi_krb5_destroy,
	.encrypt = sspi_krb5_encrypt,
	.decrypt = sspi_krb5_decrypt,
	.sign = sspi_krb5_sign,
	.verify = sspi_krb5_verify,
	.query = sspi_krb5_query,
};

static struct sspi_package sspi_krb5_package = {
	.name = "Kerberos",
	.comment = "RFC 4121 Wrap and MIC tokens (AES-CTS-HMAC-SHA1-96, AES-CTS-HMAC-SHA2)",
	.priv_size = sizeof(struct sspi_krb5),
	.ops = &sspi_krb5_ops,
};

/**
 * sspi_krb5_register() - register the Kerberos package
 *
 * Return: 0 or the error of sspi_package_register().
 */
int sspi_krb5_register(void)
{
	return sspi_package_register(&sspi_krb5_package);
}

/**
 * sspi_krb5_unregister() - unregister it; its contexts go first
 */
void sspi_krb5_unregister(void)
{
	sspi_package_unregister(&sspi_krb5_package);
}
