// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the TLS-record package ("Schannel"): TLS 1.2 (RFC 5288 AES-GCM,
 * RFC 7905 ChaCha20-Poly1305) and TLS 1.3 (RFC 8446) records with keys
 * from a handshake done elsewhere.
 *
 * EncryptMessage takes [STREAM_HEADER, DATA, STREAM_TRAILER, EMPTY] -- one
 * of each, unflagged, in any order -- and seals DATA in place into one
 * record.  DecryptMessage takes [DATA, EMPTY,
 * EMPTY, EMPTY] holding received bytes and turns it into STREAM_HEADER,
 * DATA (the plaintext, in place), STREAM_TRAILER and, when bytes follow
 * the record, EXTRA; a partial record gives SEC_E_INCOMPLETE_MESSAGE with
 * a MISSING buffer saying how many bytes are still needed.
 */

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "async.h"
#include "buffer.h"
#include "compat.h"
#include "context.h"
#include "tls_aead.h"
#include "package.h"
#include "tls_record.h"

#define TLS_HEADER_LEN		5
#define TLS_TAG_LEN		16
#define TLS_NONCE_LEN		12
#define TLS_SALT_LEN		4
#define TLS_EXPLICIT_LEN	8
#define TLS_AAD12_LEN		13
#define TLS_MAX_PLAINTEXT	16384
#define TLS_LEGACY_VERSION	0x0303

#define TLS_CT_ALERT		21
#define TLS_CT_HANDSHAKE	22
#define TLS_CT_APPDATA		23

#define TLS_ALERT_CLOSE_NOTIFY	0

/* AAD, up to two pieces of text (data, trailer) and the tag's room */
#define TLS_SG_MAX		(2 + 2 * 16)

/* The longest text a received record holds: TLS 1.2's expansion */
#define TLS_MAX_RX_TEXT		(TLS_MAX_PLAINTEXT + 2048)
#define TLS_BOUNCE_PAGES	DIV_ROUND_UP(TLS_MAX_RX_TEXT, PAGE_SIZE)

struct sspi_tls_dir {
	struct sspi_aead aead;
	u8 iv[TLS_NONCE_LEN];
	u64 seq;
	u64 refused;
	u64 explicit_nonce;
	u8 aad[TLS_AAD12_LEN];
	struct scatterlist sg[TLS_SG_MAX];
};

struct sspi_tls {
	u16 version;
	u16 cipher;
	unsigned int keylen;
	bool explicit_nonce;
	struct sspi_tls_dir tx;
	struct sspi_tls_dir rx;
};

static struct sspi_tls *sspi_tls(struct sspi_context *ctx)
{
	return (struct sspi_tls *)ctx->priv;
}

static bool sspi_tls13(const struct sspi_tls *t)
{
	return t->version == SSPI_TLS_VERSION_1_3;
}

static unsigned int sspi_tls_header_len(const struct sspi_tls *t)
{
	return TLS_HEADER_LEN + (t->explicit_nonce ? TLS_EXPLICIT_LEN : 0);
}

/* The trailer: TLS 1.3's inner content type, then the tag. */
static unsigned int sspi_tls_trailer_len(const struct sspi_tls *t)
{
	return (sspi_tls13(t) ? 1 : 0) + TLS_TAG_LEN;
}

/*
 * Where one record's crypto keeps its nonce, its TLS 1.2 additional data
 * and its scatterlist: a direction's own (synchronous calls, under its
 * lock), or a request's (a record in flight, sspi_submit()).
 */
struct sspi_tls_work {
	u8 *iv;
	u8 *aad;
	struct scatterlist *sg;
};

/* The nonce of record number @seq of @d, into @w->iv. */
static void sspi_tls_nonce(const struct sspi_tls *t, const struct sspi_tls_dir *d,
			   u64 seq, const u8 *explicit_nonce,
			   const struct sspi_tls_work *w)
{
	if (t->explicit_nonce) {
		memcpy(w->iv, d->iv, TLS_SALT_LEN);
		memcpy(w->iv + TLS_SALT_LEN, explicit_nonce, TLS_EXPLICIT_LEN);
		return;
	}
	/* the sequence number, big-endian, XORed into the last 8 bytes */
	memcpy(w->iv, d->iv, TLS_SALT_LEN);
	put_unaligned_be64(get_unaligned_be64(d->iv + TLS_SALT_LEN) ^ seq,
			   w->iv + TLS_SALT_LEN);
}

/* TLS 1.2's additional data: seq_num, type, version, plaintext length. */
static void sspi_tls12_aad(u64 seq, u8 type, unsigned int len, u8 *aad)
{
	put_unaligned_be64(seq, aad);
	aad[8] = type;
	put_unaligned_be16(TLS_LEGACY_VERSION, aad + 9);
	put_unaligned_be16(len, aad + 11);
}

/* The direction's own work areas, for a synchronous call. */
static struct sspi_tls_work sspi_tls_dir_work(struct sspi_tls_dir *d)
{
	return (struct sspi_tls_work){ .iv = d->aead.iv, .aad = d->aad, .sg = d->sg };
}

/* A direction's nonce material and first sequence number. */
static void sspi_tls_set_dir(struct sspi_tls_dir *d, const struct sspi_tls_keys *k)
{
	memcpy(d->iv, k->iv, TLS_NONCE_LEN);
	d->seq = get_unaligned_be64(k->rec_seq);
	d->explicit_nonce = get_unaligned_be64(k->iv + TLS_SALT_LEN);
}

static int sspi_tls_init_dir(struct sspi_tls *t, struct sspi_tls_dir *d,
			     const struct sspi_tls_keys *k, const char *alg)
{
	sspi_tls_set_dir(d, k);
	return sspi_aead_init(&d->aead, alg, k->key, t->keylen, TLS_TAG_LEN);
}

static int sspi_tls_init(struct sspi_context *ctx, const void *data, size_t len)
{
	const struct sspi_tls_import *imp = data;
	struct sspi_tls *t = sspi_tls(ctx);
	unsigned int keylen;
	const char *alg;
	int err;

	if (len != sizeof(*imp) || imp->reserved)
		return -EINVAL;
	if (imp->version != SSPI_TLS_VERSION_1_2 &&
	    imp->version != SSPI_TLS_VERSION_1_3)
		return -EINVAL;
	switch (imp->cipher) {
	case SSPI_TLS_CIPHER_AES_GCM_128:
		alg = "gcm(aes)";
		keylen = 16;
		break;
	case SSPI_TLS_CIPHER_AES_GCM_256:
		alg = "gcm(aes)";
		keylen = 32;
		break;
	case SSPI_TLS_CIPHER_CHACHA20_POLY1305:
		alg = "rfc7539(chacha20,poly1305)";
		keylen = 32;
		break;
	default:
		return -ENOPKG;
	}
	t->version = imp->version;
	t->cipher = imp->cipher;
	t->keylen = keylen;
	t->explicit_nonce = imp->version == SSPI_TLS_VERSION_1_2 &&
			    imp->cipher != SSPI_TLS_CIPHER_CHACHA20_POLY1305;

	err = sspi_tls_init_dir(t, &t->tx, &imp->tx, alg);
	if (!err)
		err = sspi_tls_init_dir(t, &t->rx, &imp->rx, alg);
	if (err) {
		sspi_aead_destroy(&t->tx.aead);
		sspi_aead_destroy(&t->rx.aead);
		memzero_explicit(t, sizeof(*t));
	}
	return err;
}

static void sspi_tls_destroy(struct sspi_context *ctx)
{
	struct sspi_tls *t = sspi_tls(ctx);

	sspi_aead_destroy(&t->tx.aead);
	sspi_aead_destroy(&t->rx.aead);
	memzero_explicit(t, sizeof(*t));
}

/*
 * The record's additional data, first in @sgb: TLS 1.3 authenticates the
 * record header as sent (in @hdr), TLS 1.2 a pseudo-header of sequence
 * number, content type, version and plaintext length (tls_make_aad()).
 */
static int sspi_tls_make_aad(const struct sspi_tls *t, u64 seq,
			     struct sspi_sgbuild *sgb,
			     const struct sspi_buffer *hdr, u8 type, u32 textlen,
			     const struct sspi_tls_work *w)
{
	if (sspi_tls13(t))
		return sspi_sgb_add_buf(sgb, hdr, 0, TLS_HEADER_LEN);
	sspi_tls12_aad(seq, type, textlen, w->aad);
	return sspi_sgb_add_mem(sgb, w->aad, TLS_AAD12_LEN);
}

/* The content type a quality of protection sends, or -errno. */
static int sspi_tls_tx_type(u32 qop, const struct sspi_buffer *data, u8 *type)
{
	switch (qop) {
	case 0:
		*type = TLS_CT_APPDATA;
		return 0;
	case SSPI_SECQOP_WRAP_OOB_DATA:
		/* an alert: level and description */
		if (data->len != 2)
			return -EINVAL;
		*type = TLS_CT_ALERT;
		return 0;
	case SSPI_SECQOP_TLS_HANDSHAKE:
		/*
		 * the helper's post-handshake messages (KeyUpdate,
		 * renegotiation) go out in this direction's sequence
		 */
		*type = TLS_CT_HANDSHAKE;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/*
 * EncryptMessage's buffers: one STREAM_HEADER, one DATA and one
 * STREAM_TRAILER, in any order, none flagged, and nothing else but EMPTY.
 * One record seals one DATA; a second DATA, or a read-only one (which a
 * transport does not copy back), would go out in the clear or not at all,
 * so such a message is refused before anything is written or consumed.
 */
static int sspi_tls_tx_layout(struct sspi_message *msg, struct sspi_buffer **hdr,
			      struct sspi_buffer **data, struct sspi_buffer **trl)
{
	struct sspi_buffer *b, **slot;
	unsigned int i;

	*hdr = NULL;
	*data = NULL;
	*trl = NULL;
	for (i = 0; i < msg->count; i++) {
		b = &msg->buffers[i];
		switch (b->type) {	/* with its flags: a flagged buffer is refused */
		case SSPI_SECBUFFER_EMPTY:
			continue;
		case SSPI_SECBUFFER_STREAM_HEADER:
			slot = hdr;
			break;
		case SSPI_SECBUFFER_DATA:
			slot = data;
			break;
		case SSPI_SECBUFFER_STREAM_TRAILER:
			slot = trl;
			break;
		default:
			return -EINVAL;
		}
		if (*slot)
			return -EINVAL;
		*slot = b;
	}
	return *hdr && *data && *trl ? 0 : -EINVAL;
}

/*
 * The record header (and TLS 1.2's explicit nonce) into @hdr, TLS 1.3's
 * inner content type into @trl, and the record's nonce (tls_fill_prepend()).
 * The ranges were checked: this cannot fail once the scatterlist is built.
 */
static int sspi_tls_fill_prepend(const struct sspi_tls *t, struct sspi_tls_dir *d,
				 struct sspi_buffer *hdr, struct sspi_buffer *trl,
				 u8 type, u32 textlen, const struct sspi_tls_work *w)
{
	unsigned int hlen = sspi_tls_header_len(t), tlen = sspi_tls_trailer_len(t);
	u8 head[TLS_HEADER_LEN + TLS_EXPLICIT_LEN];
	int err;

	head[0] = sspi_tls13(t) ? TLS_CT_APPDATA : type;
	put_unaligned_be16(TLS_LEGACY_VERSION, head + 1);
	put_unaligned_be16(hlen - TLS_HEADER_LEN + textlen + tlen, head + 3);
	if (t->explicit_nonce)
		put_unaligned_be64(d->explicit_nonce, head + TLS_HEADER_LEN);
	sspi_tls_nonce(t, d, d->seq, head + TLS_HEADER_LEN, w);

	err = sspi_buf_copy_to(hdr, 0, head, hlen);
	if (!err && sspi_tls13(t))
		err = sspi_buf_copy_to(trl, 0, &type, 1);
	return err;
}

/*
 * The scatterlist a record is sealed in: additional data, @data and the
 * trailer (TLS 1.3's inner type, then the tag), in place.  Built before
 * anything is written, so that memory the crypto API cannot be given
 * (vmalloc or stack, more pieces than TLS_SG_MAX) fails the call with
 * the caller's buffers as they were.  TLS 1.3's additional data is the
 * header as it will be written into @hdr.
 */
static int sspi_tls_encrypt_sg(const struct sspi_tls *t, struct sspi_tls_dir *d,
			       const struct sspi_buffer *hdr,
			       const struct sspi_buffer *data,
			       const struct sspi_buffer *trl, u8 type,
			       const struct sspi_tls_work *w,
			       struct scatterlist **sg, unsigned int *assoclen)
{
	unsigned int tlen = sspi_tls_trailer_len(t);
	struct sspi_sgbuild sgb;
	int err;

	sspi_sgb_init(&sgb, w->sg, TLS_SG_MAX);
	err = sspi_tls_make_aad(t, d->seq, &sgb, hdr, type, data->len, w);
	if (!err)
		err = sspi_sgb_add_buf(&sgb, data, 0, data->len);
	if (!err)
		err = sspi_sgb_add_buf(&sgb, trl, 0, tlen);
	if (err)
		return err == -E2BIG ? -EINVAL : err;
	*sg = sspi_sgb_finish(&sgb);
	*assoclen = sgb.bytes - data->len - tlen;
	return 0;
}

/*
 * A record to seal: every check first, the scatterlist included, in @w;
 * then the header, the inner type and the nonce.  After this only the
 * crypto is left (tls_push_record(): tls_fill_prepend(), then
 * tls_do_encryption()), on *@sg with *@assoclen bytes of additional data
 * and *@cryptlen of text.
 */
static int sspi_tls_encrypt_prepare(struct sspi_tls *t, u32 qop, struct sspi_message *msg,
				    u32 seqno, const struct sspi_tls_work *w,
				    struct sspi_buffer **hdr, struct sspi_buffer **trl,
				    struct scatterlist **sg, unsigned int *assoclen,
				    unsigned int *cryptlen)
{
	struct sspi_tls_dir *d = &t->tx;
	unsigned int hlen = sspi_tls_header_len(t), tlen = sspi_tls_trailer_len(t);
	struct sspi_buffer *data;
	u8 type;
	int err;

	/* Schannel takes no caller sequence numbers */
	if (seqno)
		return -EINVAL;
	err = sspi_tls_tx_layout(msg, hdr, &data, trl);
	if (err)
		return err;
	err = sspi_tls_tx_type(qop, data, &type);
	if (err)
		return err;
	if (data->len > TLS_MAX_PLAINTEXT)
		return -EINVAL;
	if ((*hdr)->len < hlen || (*trl)->len < tlen)
		return -ENOBUFS;
	if (d->seq == U64_MAX)
		return -EKEYEXPIRED;
	err = sspi_tls_encrypt_sg(t, d, *hdr, data, *trl, type, w, sg, assoclen);
	if (err)
		return err;
	*cryptlen = data->len + (sspi_tls13(t) ? 1 : 0);
	return sspi_tls_fill_prepend(t, d, *hdr, *trl, type, data->len, w);
}

/* A record sealed: its framing's lengths, the next sequence number. */
static void sspi_tls_encrypt_end(struct sspi_tls *t, struct sspi_buffer *hdr,
				 struct sspi_buffer *trl)
{
	hdr->len = sspi_tls_header_len(t);
	trl->len = sspi_tls_trailer_len(t);
}

static void sspi_tls_tx_next(struct sspi_tls_dir *d)
{
	d->seq++;
	d->explicit_nonce++;
}

static int sspi_tls_encrypt(struct sspi_context *ctx, u32 qop,
			    struct sspi_message *msg, u32 seqno)
{
	struct sspi_tls *t = sspi_tls(ctx);
	struct sspi_tls_dir *d = &t->tx;
	struct sspi_tls_work w = sspi_tls_dir_work(d);
	unsigned int assoclen, cryptlen;
	struct sspi_buffer *hdr, *trl;
	struct scatterlist *sg;
	int err;

	err = sspi_tls_encrypt_prepare(t, qop, msg, seqno, &w, &hdr, &trl, &sg,
				       &assoclen, &cryptlen);
	if (!err)
		err = sspi_aead_run(&d->aead, true, sg, sg, assoclen, cryptlen);
	if (err)
		return err;
	sspi_tls_encrypt_end(t, hdr, trl);
	sspi_tls_tx_next(d);
	return 0;
}

/**
 * struct sspi_tls_rec - one received record, as decryption learns it
 * @head: the record header and TLS 1.2's explicit nonce
 * @type: the outer content type, then the true one (TLS 1.3's inner type)
 * @reclen: the length the header gives (all after the 5-byte header)
 * @ctlen: the ciphertext and tag
 * @textlen: the plaintext, once decrypted (without TLS 1.3's type and padding)
 * @sg: the scatterlist decrypted: additional data, then ciphertext and tag;
 *	one flat array (a direction's or a request's), so it can be walked
 *	from either end
 * @nents: its entries
 * @aadlen: the additional data's bytes in @sg
 */
struct sspi_tls_rec {
	u8 head[TLS_HEADER_LEN + TLS_EXPLICIT_LEN];
	u8 type;
	u32 reclen;
	u32 ctlen;
	u32 textlen;
	struct scatterlist *sg;
	unsigned int nents;
	unsigned int aadlen;
};

/**
 * struct sspi_tls_areq - a record in flight (sspi_submit())
 * @t: the context's state
 * @req: the request it belongs to
 * @hdr: sealing: the record's STREAM_HEADER
 * @trl: sealing: its STREAM_TRAILER
 * @in: opening: the received bytes (the message's DATA as submitted)
 * @rec: opening: the record
 * @seq: opening: the sequence number its crypto runs on
 * @dst: opening: where its text is decrypted: @rec.sg (in place), or
 *	@bounce, while the records before it may still be refused
 * @bounce: room for the additional data, then pages for the text
 * @adst: the additional data's room in @bounce
 * @pages: the text's pages, allocated when first needed
 * @iv: its nonce
 * @aad: TLS 1.2's additional data
 * @sg: its scatterlist
 * @aead: the crypto request, followed by the transform's context
 */
struct sspi_tls_areq {
	struct sspi_tls *t;
	struct sspi_request *req;
	struct sspi_buffer *hdr;
	struct sspi_buffer *trl;
	struct sspi_buffer in;
	struct sspi_tls_rec rec;
	u64 seq;
	struct scatterlist *dst;
	struct scatterlist bounce[1 + TLS_BOUNCE_PAGES];
	u8 adst[TLS_AAD12_LEN];
	struct page *pages[TLS_BOUNCE_PAGES];
	u8 iv[SSPI_AEAD_MAX_IV];
	u8 aad[TLS_AAD12_LEN];
	struct scatterlist sg[TLS_SG_MAX];
	struct aead_request aead;	/* last */
};

static unsigned int sspi_tls_reqsize(struct sspi_context *ctx)
{
	struct sspi_tls *t = sspi_tls(ctx);

	return sizeof(struct sspi_tls_areq) +
	       max(crypto_aead_reqsize(t->tx.aead.tfm), crypto_aead_reqsize(t->rx.aead.tfm));
}

/* Whether @req has room for a crypto request of @d's transform. */
static bool sspi_tls_req_fits(const struct sspi_request *req, const struct sspi_tls_dir *d)
{
	return req->pkg_size >= sizeof(struct sspi_tls_areq) + crypto_aead_reqsize(d->aead.tfm);
}

static void sspi_tls_encrypt_ended(void *data, int err)
{
	struct sspi_tls_areq *a = data;

	/* a backlogged request went into the driver's queue: more to come */
	if (err == -EINPROGRESS)
		return;
	if (!err)
		sspi_tls_encrypt_end(a->t, a->hdr, a->trl);
	sspi_request_complete(a->req, err);
}

SSPI_CRYPTO_DONE(sspi_tls_encrypt_done, sspi_tls_encrypt_ended)

/*
 * EncryptMessage for sspi_submit(): as sspi_tls_encrypt(), but the crypto
 * on the request's own nonce, additional data, scatterlist and AEAD
 * request, ending in sspi_tls_encrypt_done() when the driver goes on with
 * it.  The record takes its sequence number now, so that the next one can
 * follow it into the driver at once.
 */
static int sspi_tls_encrypt_async(struct sspi_context *ctx, struct sspi_request *req)
{
	struct sspi_tls *t = sspi_tls(ctx);
	struct sspi_tls_dir *d = &t->tx;
	struct sspi_tls_areq *a = sspi_request_pkg(req);
	struct sspi_tls_work w = { .iv = a->iv, .aad = a->aad, .sg = a->sg };
	unsigned int assoclen, cryptlen;
	struct scatterlist *sg;
	int err;

	/* a key update may have brought a transform that needs more room */
	if (!sspi_tls_req_fits(req, d))
		return -EMSGSIZE;
	err = sspi_tls_encrypt_prepare(t, req->qop, req->msg, req->seqno, &w, &a->hdr,
				       &a->trl, &sg, &assoclen, &cryptlen);
	if (err)
		return err;
	a->t = t;
	a->req = req;
	aead_request_set_tfm(&a->aead, d->aead.tfm);
	aead_request_set_callback(&a->aead, CRYPTO_TFM_REQ_MAY_BACKLOG | CRYPTO_TFM_REQ_MAY_SLEEP,
				  sspi_tls_encrypt_done, a);
	aead_request_set_ad(&a->aead, assoclen);
	aead_request_set_crypt(&a->aead, sg, sg, cryptlen, a->iv);
	err = crypto_aead_encrypt(&a->aead);
	if (err == -EINPROGRESS || err == -EBUSY) {
		sspi_tls_tx_next(d);
		return -EINPROGRESS;
	}
	if (err)
		return err;
	sspi_tls_encrypt_end(t, a->hdr, a->trl);
	sspi_tls_tx_next(d);
	return 0;
}

/* [DATA, EMPTY, EMPTY, EMPTY]: received bytes, and room for the pieces. */
static bool sspi_tls_rx_layout_ok(const struct sspi_message *msg)
{
	const struct sspi_buffer *b = msg->buffers;
	int i;

	if (msg->count != 4 || sspi_buf_type(&b[0]) != SSPI_SECBUFFER_DATA)
		return false;
	for (i = 1; i < 4; i++)
		if (sspi_buf_type(&b[i]) != SSPI_SECBUFFER_EMPTY)
			return false;
	return true;
}

static int sspi_tls_missing(struct sspi_message *msg, u32 need)
{
	msg->buffers[1] = (struct sspi_buffer){
		.type = SSPI_SECBUFFER_MISSING,
		.len = need,
	};
	return -ENODATA;
}

/*
 * Read and check the record header at the start of @in (tls_rx_msg_size()).
 * Return: how many more bytes the whole record needs (0: it is all there),
 * or -errno for a header this side refuses.
 */
static int sspi_tls_rx_msg_size(const struct sspi_tls *t,
				const struct sspi_buffer *in,
				struct sspi_tls_rec *rec)
{
	unsigned int hlen = sspi_tls_header_len(t), tlen = sspi_tls_trailer_len(t);
	u32 max = TLS_MAX_PLAINTEXT + (sspi_tls13(t) ? 256 : 2048);
	u8 type;
	int err;

	if (in->len < TLS_HEADER_LEN)
		return TLS_HEADER_LEN - in->len;
	err = sspi_buf_copy_from(in, 0, rec->head, TLS_HEADER_LEN);
	if (err)
		return err;
	type = rec->head[0];
	rec->type = type;
	rec->reclen = get_unaligned_be16(rec->head + 3);
	if (get_unaligned_be16(rec->head + 1) != TLS_LEGACY_VERSION ||
	    rec->reclen > max || rec->reclen < hlen - TLS_HEADER_LEN + tlen)
		return -EINVAL;
	if (sspi_tls13(t) ? type != TLS_CT_APPDATA :
	    type != TLS_CT_APPDATA && type != TLS_CT_ALERT && type != TLS_CT_HANDSHAKE)
		return -EINVAL;
	if (in->len < TLS_HEADER_LEN + rec->reclen)
		return TLS_HEADER_LEN + rec->reclen - in->len;
	return 0;
}

/*
 * The crypto of a received record as number @seq of @d: its nonce, the
 * additional data and the ciphertext and tag, in place, in a scatterlist
 * (tls_decrypt_sg()); in @w.
 */
static int sspi_tls_rx_sg(const struct sspi_tls *t, const struct sspi_tls_dir *d,
			  const struct sspi_buffer *in, struct sspi_tls_rec *rec,
			  u64 seq, const struct sspi_tls_work *w)
{
	unsigned int hlen = sspi_tls_header_len(t);
	struct sspi_sgbuild sgb;
	int err;

	if (seq == U64_MAX)
		return -EKEYEXPIRED;
	if (t->explicit_nonce) {
		err = sspi_buf_copy_from(in, TLS_HEADER_LEN, rec->head + TLS_HEADER_LEN,
					 TLS_EXPLICIT_LEN);
		if (err)
			return err;
	}
	sspi_tls_nonce(t, d, seq, rec->head + TLS_HEADER_LEN, w);
	rec->ctlen = rec->reclen - (hlen - TLS_HEADER_LEN);	/* text and tag */

	sspi_sgb_init(&sgb, w->sg, TLS_SG_MAX);
	err = sspi_tls_make_aad(t, seq, &sgb, in, rec->type, rec->ctlen - TLS_TAG_LEN, w);
	if (!err)
		err = sspi_sgb_add_buf(&sgb, in, hlen, rec->ctlen);
	if (err)
		return err == -E2BIG ? -EINVAL : err;
	rec->sg = sspi_sgb_finish(&sgb);
	rec->nents = sgb.n;
	rec->aadlen = sgb.bytes - rec->ctlen;
	return 0;
}

/* Open the record in place; an authentic one takes the next number. */
static int sspi_tls_decrypt_sg(const struct sspi_tls *t, struct sspi_tls_dir *d,
			       const struct sspi_buffer *in,
			       struct sspi_tls_rec *rec)
{
	struct sspi_tls_work w = sspi_tls_dir_work(d);
	int err;

	err = sspi_tls_rx_sg(t, d, in, rec, d->seq, &w);
	if (!err)
		err = sspi_aead_run(&d->aead, false, rec->sg, rec->sg, rec->aadlen,
				    rec->ctlen);
	if (err)
		return err;
	d->seq++;
	return 0;
}

/*
 * TLS 1.3's TLSInnerPlaintext: the content type is the last non-zero byte,
 * zeros after it are padding (tls_sw.c's padding_length()).  The text was
 * decrypted in place through @rec->sg, a flat array of entries, so it is
 * scanned once from its end: entry by entry backwards, each in chunks
 * from its end -- linear in the padding and the entries, however many
 * pieces the caller's memory is in.  @rec->type is 0 when every byte is
 * zero.
 */
static void sspi_tls13_inner_type(struct sspi_tls_rec *rec)
{
	u32 text = rec->aadlen, pos = text + rec->textlen;
	u32 end = rec->aadlen + rec->ctlen;	/* the bytes @rec->sg describes */
	unsigned int i = rec->nents;
	struct scatterlist *sg;
	u8 chunk[32];
	u32 start, lo, n;

	rec->type = 0;
	rec->textlen = 0;
	while (i-- && pos > text) {
		sg = &rec->sg[i];
		start = end - sg->length;
		lo = max(start, text);
		while (pos > lo) {
			n = min_t(u32, pos - lo, sizeof(chunk));
			pos -= n;
			/* this entry alone: no walk from the list's head */
			sspi_sg_copy_from(sg, pos - start, chunk, n);
			while (n--) {
				if (chunk[n]) {
					rec->type = chunk[n];
					rec->textlen = pos + n - text;
					goto out;
				}
			}
		}
		end = start;
	}
out:
	memzero_explicit(chunk, sizeof(chunk));
}

/*
 * The decrypted record's true content type and plaintext length.  An
 * authentic record this side does not take (record_overflow, no or an
 * unknown content type, an alert not of two bytes) leaves no text behind.
 */
static int sspi_tls_rx_content(const struct sspi_tls *t, struct sspi_tls_rec *rec)
{
	unsigned int inner = sspi_tls13(t) ? 1 : 0;

	rec->textlen = rec->ctlen - TLS_TAG_LEN;
	/* record_overflow (TLS 1.3: TLSInnerPlaintext, with type and padding) */
	if (rec->textlen > TLS_MAX_PLAINTEXT + inner)
		goto refuse;
	if (sspi_tls13(t))
		sspi_tls13_inner_type(rec);
	if (rec->type == TLS_CT_APPDATA || rec->type == TLS_CT_HANDSHAKE ||
	    (rec->type == TLS_CT_ALERT && rec->textlen == 2))
		return 0;

refuse:
	sg_zero_buffer(rec->sg, sg_nents(rec->sg), rec->ctlen - TLS_TAG_LEN,
		       rec->aadlen);
	return -EINVAL;
}

/* Point @out at [off, off + len) of the received bytes @in. */
static void sspi_tls_slice(struct sspi_buffer *out, u32 type,
			   const struct sspi_buffer *in, u32 off, u32 len)
{
	out->type = type;
	sspi_buf_slice(out, in, off, len);
}

/* The record's pieces, and the bytes after it, as the message's buffers. */
static void sspi_tls_rx_slices(const struct sspi_tls *t, struct sspi_message *msg,
			       const struct sspi_buffer *in,
			       const struct sspi_tls_rec *rec)
{
	unsigned int hlen = sspi_tls_header_len(t);
	u32 end = TLS_HEADER_LEN + rec->reclen;
	struct sspi_buffer *b = msg->buffers;

	sspi_tls_slice(&b[0], SSPI_SECBUFFER_STREAM_HEADER, in, 0, hlen);
	sspi_tls_slice(&b[1], SSPI_SECBUFFER_DATA, in, hlen, rec->textlen);
	sspi_tls_slice(&b[2], SSPI_SECBUFFER_STREAM_TRAILER, in, hlen + rec->textlen,
		       end - hlen - rec->textlen);
	if (in->len > end)
		sspi_tls_slice(&b[3], SSPI_SECBUFFER_EXTRA, in, end, in->len - end);
}

/* What the caller learns of a record, by its content type. */
static int sspi_tls_rx_status(struct sspi_message *msg, u8 type, u32 *qop)
{
	u8 c;
	int err;

	switch (type) {
	case TLS_CT_ALERT:
		err = sspi_buf_copy_from(&msg->buffers[1], 1, &c, 1);
		if (err)
			return err;
		*qop = SSPI_SECQOP_WRAP_OOB_DATA;
		return c == TLS_ALERT_CLOSE_NOTIFY ? SSPI_I_CONTEXT_EXPIRED : 0;
	case TLS_CT_HANDSHAKE:
		/*
		 * TLS 1.3 KeyUpdate or NewSessionTicket, TLS 1.2
		 * HelloRequest or renegotiation messages, decrypted in DATA:
		 * the handshake code's business
		 */
		return SSPI_I_RENEGOTIATE;
	default:
		return 0;
	}
}

static int sspi_tls_decrypt(struct sspi_context *ctx, struct sspi_message *msg,
			    u32 seqno, u32 *qop)
{
	struct sspi_tls *t = sspi_tls(ctx);
	struct sspi_tls_rec rec;
	struct sspi_buffer in;
	int err;

	if (seqno || !sspi_tls_rx_layout_ok(msg))
		return -EINVAL;
	in = msg->buffers[0];
	/* after sspi_submit()'s records in flight, and what they gave back */
	t->rx.seq -= sspi_async_rewind_sync(&ctx->rx, &t->rx.refused);

	err = sspi_tls_rx_msg_size(t, &in, &rec);
	if (err > 0)
		return sspi_tls_missing(msg, err);
	if (err)
		return err;

	/*
	 * Every record is authenticated before its content type is acted
	 * on: a TLS 1.2 handshake record after the handshake is protected
	 * like any other, and one that is not authentic (a HelloRequest
	 * injected in the clear) must neither reach the handshake code nor
	 * move the sequence.
	 */
	err = sspi_tls_decrypt_sg(t, &t->rx, &in, &rec);
	if (!err)
		err = sspi_tls_rx_content(t, &rec);
	if (err)
		return err;

	sspi_tls_rx_slices(t, msg, &in, &rec);
	return sspi_tls_rx_status(msg, rec.type, qop);
}

/*
 * DecryptMessage for sspi_submit().  A record submitted while others are
 * in flight runs ahead of their outcome, on the number that follows
 * theirs.  One of them refused gives its number back, and this record's
 * crypto runs again on the number before (sspi_tls_decrypt_restart()):
 * so until then the caller's bytes must stay as they came, and the text
 * is decrypted into the request's own pages, copied in place once the
 * record ends (sspi_tls_decrypt_end()).  A record with nothing before it
 * in flight is decrypted in place, as sspi_tls_decrypt() does.
 */

static void sspi_tls_decrypt_ended(void *data, int err)
{
	struct sspi_tls_areq *a = data;

	/* a backlogged request went into the driver's queue: more to come */
	if (err == -EINPROGRESS)
		return;
	sspi_request_complete(a->req, err);
}

SSPI_CRYPTO_DONE(sspi_tls_decrypt_done, sspi_tls_decrypt_ended)

/* The request's pages for @len bytes of text, after the additional data. */
static int sspi_tls_bounce(struct sspi_tls_areq *a, u32 len)
{
	unsigned int i, n = DIV_ROUND_UP(len, PAGE_SIZE);

	sg_init_table(a->bounce, 1 + n);
	sg_set_buf(&a->bounce[0], a->adst, a->rec.aadlen);
	for (i = 0; i < n; i++, len -= PAGE_SIZE) {
		if (!a->pages[i]) {
			a->pages[i] = alloc_page(GFP_KERNEL);
			if (!a->pages[i])
				return -ENOMEM;
		}
		sg_set_page(&a->bounce[1 + i], a->pages[i], min_t(u32, len, PAGE_SIZE), 0);
	}
	a->dst = a->bounce;
	return 0;
}

/* The text decrypted into the pages: in place, or wiped (@keep false). */
static void sspi_tls_bounce_end(struct sspi_tls_areq *a, u32 len, bool keep)
{
	u32 off = a->rec.aadlen, n;
	unsigned int i;

	for (i = 0; len; i++, len -= n, off += n) {
		n = min_t(u32, len, PAGE_SIZE);
		if (keep)
			sspi_sg_copy_to(a->rec.sg, off, page_address(a->pages[i]), n);
		memzero_explicit(page_address(a->pages[i]), n);
	}
}

/*
 * Start (or start again) the crypto of @a's record, whose nonce and
 * additional data are those of number @a->seq.
 */
static int sspi_tls_decrypt_start(struct sspi_tls *t, struct sspi_tls_areq *a, u32 flags)
{
	struct sspi_tls_dir *d = &t->rx;
	int err;

	aead_request_set_tfm(&a->aead, d->aead.tfm);
	aead_request_set_callback(&a->aead, flags, sspi_tls_decrypt_done, a);
	aead_request_set_ad(&a->aead, a->rec.aadlen);
	aead_request_set_crypt(&a->aead, a->rec.sg, a->dst, a->rec.ctlen, a->iv);
	err = crypto_aead_decrypt(&a->aead);
	return err == -EBUSY ? -EINPROGRESS : err;
}

static int sspi_tls_decrypt_async(struct sspi_context *ctx, struct sspi_request *req,
				  int *crypto)
{
	struct sspi_tls *t = sspi_tls(ctx);
	struct sspi_tls_dir *d = &t->rx;
	struct sspi_tls_areq *a = sspi_request_pkg(req);
	struct sspi_tls_work w = { .iv = a->iv, .aad = a->aad, .sg = a->sg };
	struct sspi_message *msg = req->msg;
	int err;

	if (!sspi_tls_req_fits(req, d))
		return -EMSGSIZE;
	if (req->seqno || !sspi_tls_rx_layout_ok(msg))
		return -EINVAL;
	a->in = msg->buffers[0];
	err = sspi_tls_rx_msg_size(t, &a->in, &a->rec);
	if (err > 0)
		return sspi_tls_missing(msg, err);
	if (err)
		return err;

	d->seq -= sspi_request_rewind(req, &d->refused);
	err = sspi_tls_rx_sg(t, d, &a->in, &a->rec, d->seq, &w);
	if (err)
		return err;
	a->dst = a->rec.sg;
	if (sspi_request_behind(req)) {
		err = sspi_tls_bounce(a, a->rec.ctlen - TLS_TAG_LEN);
		if (err)
			return err;
	}
	a->t = t;
	a->req = req;
	a->seq = d->seq++;
	err = sspi_tls_decrypt_start(t, a, CRYPTO_TFM_REQ_MAY_BACKLOG |
				     CRYPTO_TFM_REQ_MAY_SLEEP);
	if (err == -EINPROGRESS)
		return err;
	*crypto = err;
	return 0;
}

static int sspi_tls_decrypt_restart(struct sspi_context *ctx, struct sspi_request *req,
				    u64 back)
{
	struct sspi_tls *t = sspi_tls(ctx);
	struct sspi_tls_areq *a = sspi_request_pkg(req);
	struct sspi_tls_work w = { .iv = a->iv, .aad = a->aad, .sg = a->sg };

	a->seq -= back;
	sspi_tls_nonce(t, &t->rx, a->seq, a->rec.head + TLS_HEADER_LEN, &w);
	if (!sspi_tls13(t))
		sspi_tls12_aad(a->seq, a->rec.type, a->rec.ctlen - TLS_TAG_LEN, a->aad);
	/* in a driver's completion, perhaps: no sleeping */
	return sspi_tls_decrypt_start(t, a, CRYPTO_TFM_REQ_MAY_BACKLOG);
}

static int sspi_tls_decrypt_end(struct sspi_context *ctx, struct sspi_request *req,
				int crypto)
{
	struct sspi_tls *t = sspi_tls(ctx);
	struct sspi_tls_areq *a = sspi_request_pkg(req);
	struct sspi_tls_rec *rec = &a->rec;
	u32 textlen = rec->ctlen - TLS_TAG_LEN, q = 0;
	int err = crypto;

	if (a->dst != rec->sg)
		sspi_tls_bounce_end(a, textlen, !err);
	/* a refused record's text is zeroed, as sspi_aead_run() does */
	if (err)
		sg_zero_buffer(rec->sg, rec->nents, textlen, rec->aadlen);
	else
		err = sspi_tls_rx_content(t, rec);
	if (err)
		return err;
	sspi_tls_rx_slices(t, req->msg, &a->in, rec);
	err = sspi_tls_rx_status(req->msg, rec->type, &q);
	if (err >= 0)
		req->qop = q;
	return err;
}

/* The pages a request decrypted into, wiped when it ended. */
static void sspi_tls_request_free(struct sspi_request *req)
{
	struct sspi_tls_areq *a = sspi_request_pkg(req);
	unsigned int i;

	for (i = 0; i < TLS_BOUNCE_PAGES; i++)
		if (a->pages[i])
			__free_page(a->pages[i]);
}

static const char *sspi_tls_cipher_name(u16 cipher)
{
	switch (cipher) {
	case SSPI_TLS_CIPHER_AES_GCM_128:
		return "aes-128-gcm";
	case SSPI_TLS_CIPHER_AES_GCM_256:
		return "aes-256-gcm";
	default:
		return "chacha20-poly1305";
	}
}

static void sspi_tls_query(struct sspi_context *ctx,
			   struct sspi_context_info *info)
{
	struct sspi_tls *t = sspi_tls(ctx);
	struct sspi_sizes *sz = &info->sizes;
	unsigned int hlen = sspi_tls_header_len(t), tlen = sspi_tls_trailer_len(t);

	sz->stream_header = hlen;
	sz->stream_trailer = tlen;
	sz->max_message = TLS_MAX_PLAINTEXT;
	sz->buffers = 4;
	sz->block_size = 1;
	sz->security_trailer = tlen;
	sz->max_token = hlen + TLS_MAX_PLAINTEXT + tlen;
	info->protocol = t->version;
	info->key_bits = t->keylen * 8;
	strscpy(info->cipher, sspi_tls_cipher_name(t->cipher), sizeof(info->cipher));
	strscpy(info->tx_driver, sspi_aead_driver(&t->tx.aead),
		sizeof(info->tx_driver));
	strscpy(info->rx_driver, sspi_aead_driver(&t->rx.aead),
		sizeof(info->rx_driver));
	info->tx_seq = t->tx.seq;
	/* the next record's, after those in flight and what they gave back */
	info->rx_seq = t->rx.seq - (sspi_async_refused(&ctx->rx) - t->rx.refused);
}

/*
 * New traffic keys for one direction (TLS 1.3 KeyUpdate; TLS 1.2 after a
 * renegotiation): same version and cipher, the record sequence number
 * where the keys say (0 after a KeyUpdate).
 */
static int sspi_tls_update_keys(struct sspi_context *ctx, enum sspi_dir dir,
				const void *keys, size_t len)
{
	struct sspi_tls *t = sspi_tls(ctx);
	struct sspi_tls_dir *d = dir == SSPI_TX ? &t->tx : &t->rx;
	const struct sspi_tls_keys *k = keys;
	int err;

	if (len != sizeof(*k))
		return -EINVAL;
	err = sspi_aead_rekey(&d->aead, k->key, t->keylen);
	if (err)
		return err;
	/* numbers given back before the update belong to the old sequence */
	sspi_async_rewind_sync(dir == SSPI_TX ? &ctx->tx : &ctx->rx, &d->refused);
	sspi_tls_set_dir(d, k);
	return 0;
}

static const struct sspi_package_ops sspi_tls_ops = {
	.init = sspi_tls_init,
	.destroy = sspi_tls_destroy,
	.encrypt = sspi_tls_encrypt,
	.decrypt = sspi_tls_decrypt,
	.reqsize = sspi_tls_reqsize,
	.encrypt_async = sspi_tls_encrypt_async,
	.decrypt_async = sspi_tls_decrypt_async,
	.decrypt_restart = sspi_tls_decrypt_restart,
	.decrypt_end = sspi_tls_decrypt_end,
	.request_free = sspi_tls_request_free,
	.query = sspi_tls_query,
	.update_keys = sspi_tls_update_keys,
};

static struct sspi_package sspi_tls_package = {
	.name = "Schannel",
	.comment = "TLS 1.2 and 1.3 records (AES-GCM, ChaCha20-Poly1305)",
	.priv_size = sizeof(struct sspi_tls),
	.ops = &sspi_tls_ops,
};

int sspi_tls_register(void)
{
	return sspi_package_register(&sspi_tls_package);
}

void sspi_tls_unregister(void)
{
	sspi_package_unregister(&sspi_tls_package);
}
