// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_bench: how fast sspi_kmod seals and unseals TLS records, Kerberos
 * Wrap tokens and NTLM sealed messages, measured against the crypto
 * transforms underneath (the anchor), for "make bench".
 *
 * Both sides work on the same memory in the same form: a record in place,
 * its header and trailer in small kmalloc'd buffers and its text in pages
 * (from offset 0, as page cache data), with a preallocated request waited
 * for with crypto_wait_req().  The anchor is given what the TLS-record
 * package gives the crypto API: the additional data (TLS 1.3's 5-byte
 * header, TLS 1.2's 13-byte AAD), the text (and TLS 1.3's inner content
 * type) and the 16-byte tag, on the very driver the context's sealing
 * direction uses.  The difference is the package's own work: checks,
 * locks, nonce and header, assembling the scatterlist, parsing the record.
 *
 * A Kerberos context (package "Kerberos") is sealed as [TOKEN, DATA]: the
 * TOKEN kmalloc'd, security_trailer bytes, the DATA in the same pages,
 * encrypted in place; it is unsealed as the same [TOKEN, DATA].  Its
 * anchor is what a Wrap token costs at the least: the enctype's
 * "cts(cbc(aes))" skcipher (the driver the context seals with) and its
 * HMAC ("hmac(sha1)", "hmac(sha256)" or "hmac(sha384)", an ahash) over the
 * bytes a token encrypts -- a 16-byte confounder, the data and the 16-byte
 * header copy, in the same scatterlist form -- encrypting then MACing to
 * seal, MACing then decrypting to unseal.
 *
 * An NTLM context (package "NTLM") is sealed and unsealed as a Kerberos
 * one is: [TOKEN, DATA], the TOKEN its 16-byte signature.  Its anchor is
 * what sealing with extended session security costs at the least
 * (MS-NLMP 3.4.4.2): HMAC-MD5 ("hmac(md5)", a shash keyed once) over the
 * 4-byte sequence number and the data, RC4 (lib/crypto arc4, one keystream
 * for all messages) over the data in place, then over the checksum's 8
 * bytes; to unseal, RC4 over the data, the HMAC, RC4 over the checksum and
 * comparing it (crypto_memneq).  The data is reached page by page
 * (kmap_local_page()), as the package must: arc4 wants linear memory.
 *
 * Absolute numbers depend on the machine (under QEMU's TCG they mean
 * little); the ratio of the two, measured in the same run, is the point.
 *
 * Interface: /sys/kernel/debug/sspi_bench/run.  Write one command, which
 * runs to completion (one measurement per operation, each about MS
 * milliseconds), then read its result:
 *
 *   anchor HANDLE SIZE MS	the raw AEAD (Kerberos: skcipher and HMAC;
 *				NTLM: arc4 and HMAC-MD5), with the cipher
 *				and driver of context HANDLE's sealing
 *				direction
 *   kapi TX RX SIZE MS		sspi_encrypt() and sspi_decrypt() on two
 *				contexts with mirrored keys (what TX seals,
 *				RX unseals)
 *   kapi2 MODE TX RX TX2 RX2 SIZE MS
 *				the same on two kthreads at once, bound to
 *				CPUs 0 and 1: MODE "pairs", one on TX and RX,
 *				the other on TX2 and RX2; MODE "duplex", one
 *				pair both ways (TX2 and RX2 0): one thread
 *				seals with TX and unseals with RX, the other
 *				seals with RX and unseals with TX; MODE
 *				"pipe", one pair (TX2 and RX2 0): one thread
 *				seals with TX, the other unseals with RX each
 *				record as it comes
 *   async TX RX SIZE MS [WINDOW]
 *				sealing with RX through sspi_submit(),
 *				WINDOW requests in flight (default 16, at
 *				most 256), each with its own request, header,
 *				trailer (Kerberos, NTLM: TOKEN) and pages,
 *				each reused as it ends; unsealing TX's
 *				records with RX through sspi_submit(), one at
 *				a time
 *
 * The result is three lines:
 *
 *   path=PATH cipher=NAME protocol=0xVVVV driver=DRIVER header=H trailer=T
 *	package=PKG token=K mac=MAC	(one line)
 *   seal size=SIZE ops=N ns=T median=M
 *   unseal size=SIZE ops=N ns=T median=M
 *
 * K is security_trailer, MAC the Kerberos or NTLM anchor's HMAC driver
 * ("-" for TLS; an NTLM anchor's DRIVER is "lib-arc4").  SIZE is at most
 * 16384 for TLS, 65536 for Kerberos and NTLM.  N operations
 * were timed, one by one; they took T ns in all, the median one M ns.
 * Unsealing consumes its input, so each record is sealed untimed and then
 * unsealed timed.  The kapi path seals its timed records with RX's sending
 * direction, whose receiver (TX's) it never uses, and its records to
 * unseal with TX, which RX's receiving direction follows step by step: so
 * one pair of fresh contexts serves any number of commands.
 *
 * kapi2 "pairs" seals on both threads at once, waits for both, then
 * unseals on both at once.  In "duplex" mode, each thread seals a record
 * and unseals it, in turn, timing both: all four directions of the pair
 * are used, each by one thread, and they stay in step -- but a pair used
 * by "kapi" (whose timed sealing leaves RX's sending direction ahead of
 * TX's receiving one) cannot be used by "duplex" afterwards: give duplex
 * a pair of its own.  The threads do not hand records to each other: one
 * thread unseals what it sealed itself.  The result is the aggregate: ops
 * the sum of the two threads', ns the longer, and the median the time per
 * operation of both together (1 / (1/M0 + 1/M1)).  In "pipe" mode one
 * thread seals with TX for MS milliseconds into a ring of 8 records while
 * the other unseals each with RX as it comes (in step, as a receiver
 * would); the sealing result is the first thread's, the unsealing one the
 * second's, each timed without the waits for a free or a full slot.  It
 * keeps TX's sending and RX's receiving directions in step, as "kapi"
 * does, so it may share "kapi"'s pair.
 *
 * "async" (path "kapi-async") uses its pair as "kapi" does, so it may
 * share it too.  Sealed records end in the order they were submitted, and
 * when the window is full the next record waits for the oldest to end.
 * Each sealing sample is the time per record over WINDOW consecutive ends
 * (the first group's from the start), the rate at which the window
 * delivers sealed records whether or not a driver ends them in bursts,
 * so that its median is comparable with kapi's time per operation.
 * With a synchronous driver (and for every operation but Schannel's seal)
 * sspi_submit() returns the result itself and the window never holds
 * more than the record being submitted: the path then measures what the
 * interface costs over sspi_encrypt().
 * Unsealing runs synchronously at submission: each is timed from its
 * sspi_submit() to its end (its callback, should one come), as kapi's.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/aead.h>
#include <crypto/algapi.h>
#include <crypto/arc4.h>
#include <crypto/hash.h>
#include <crypto/md5.h>
#include <crypto/skcipher.h>
#include <linux/crypto.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/init.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/math64.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/spinlock.h>
#include <net/net_namespace.h>
#include <sspi_kmod/sspi.h>

#define BENCH_MAX_SIZE		65536
#define BENCH_TLS_MAX_SIZE	16384
#define BENCH_PAGES		DIV_ROUND_UP(BENCH_MAX_SIZE, PAGE_SIZE)
#define BENCH_ROOM		32	/* header, trailer or AAD */
#define BENCH_TAG_LEN		16
#define BENCH_TOKEN_ROOM	128	/* a Kerberos TOKEN, or a digest */
#define BENCH_KRB5_EDGE		16	/* confounder, header copy */
#define BENCH_NTLM_KEY_LEN	16	/* sealing and signing keys */
#define BENCH_NTLM_CKSUM_LEN	8	/* the signature's checksum */
#define BENCH_MIN_MS		10
#define BENCH_MAX_MS		60000
#define BENCH_CMD_LEN		128
#define BENCH_RESULT_LEN	512
#define BENCH_MAX_SAMPLES	(256 * 1024)
#define BENCH_THREADS		2	/* "kapi2": two kthreads */
#define BENCH_PIPE_SLOTS	8	/* "kapi2 pipe": records in flight */
#define BENCH_WINDOW		16	/* "async": requests in flight */
#define BENCH_MAX_WINDOW	256
#define BENCH_SEAL		0x1	/* the phases of a measurement */
#define BENCH_UNSEAL		0x2

/**
 * struct bench_rec - one record's memory
 * @pages: the text
 * @hdr: STREAM_HEADER (kapi) or the additional data (anchor)
 * @trl: STREAM_TRAILER (kapi) or inner type and tag (anchor)
 * @iv: the anchor's nonce
 * @tok: a Kerberos TOKEN (kapi) or the HMAC's digest (anchor)
 * @sg: @hdr, the text's pages, @trl: the whole record
 * @data: the text's pages alone (a Kerberos DATA buffer)
 * @samples: the operations' times, %BENCH_MAX_SAMPLES of them
 * @samples2: as many more, for a second operation timed in the same loop
 */
struct bench_rec {
	struct page *pages[BENCH_PAGES];
	u8 *hdr;
	u8 *trl;
	u8 *iv;
	u8 *tok;
	struct scatterlist sg[BENCH_PAGES + 2];
	struct scatterlist data[BENCH_PAGES];
	u32 *samples;
	u32 *samples2;
};

/**
 * struct bench_op - one measurement, every operation timed on its own
 * @ops: operations timed
 * @ns: their total time
 * @median: the median operation's time: a measure that a few operations
 *	slowed down by the host (preempted, under TCG) do not move
 * @budget: stop once @ns reaches it
 * @end: or once the clock does (twice the budget: there is untimed work)
 * @samples: where the operations' times go
 */
struct bench_op {
	u64 ops;
	u64 ns;
	u64 median;
	u64 budget;
	u64 end;
	u32 *samples;
};

static DEFINE_MUTEX(bench_lock);
/* one per thread: [0] for the anchors and the single-threaded paths */
static struct bench_rec bench_recs[BENCH_THREADS];
static char bench_result[BENCH_RESULT_LEN];
static struct dentry *bench_dir;

/*
 * Describe a record of @hlen + @size + @tlen bytes in @r->sg.
 * Return: the entry holding the text's first byte.
 */
static struct scatterlist *bench_layout(struct bench_rec *r, u32 hlen, u32 size,
					u32 tlen)
{
	unsigned int i, n = DIV_ROUND_UP(size, PAGE_SIZE);
	u32 left = size;

	sg_init_table(r->sg, n + 2);
	sg_set_buf(&r->sg[0], r->hdr, hlen);
	for (i = 0; i < n; i++) {
		sg_set_page(&r->sg[1 + i], r->pages[i], min_t(u32, left, PAGE_SIZE), 0);
		left -= min_t(u32, left, PAGE_SIZE);
	}
	sg_set_buf(&r->sg[n + 1], r->trl, tlen);
	return &r->sg[1];
}

/* Describe @size bytes of text in @r->data. */
static struct scatterlist *bench_data(struct bench_rec *r, u32 size)
{
	unsigned int i, n = DIV_ROUND_UP(size, PAGE_SIZE);
	u32 left = size;

	sg_init_table(r->data, n);
	for (i = 0; i < n; i++) {
		sg_set_page(&r->data[i], r->pages[i], min_t(u32, left, PAGE_SIZE), 0);
		left -= min_t(u32, left, PAGE_SIZE);
	}
	return r->data;
}

static void bench_op_start(struct bench_op *o, u32 ms, struct bench_rec *r)
{
	*o = (struct bench_op){
		.budget = (u64)ms * NSEC_PER_MSEC,
		.samples = r->samples,
	};
	o->end = ktime_get_ns() + 2 * o->budget;
}

/*
 * Count an operation that ran from @t0 to @t1.  Return: whether to go on
 * (not if the budget is spent or the writer was killed).  Yields the CPU.
 */
static bool bench_op_add(struct bench_op *o, u64 t0, u64 t1)
{
	o->samples[o->ops++] = min_t(u64, t1 - t0, U32_MAX);
	o->ns += t1 - t0;
	cond_resched();
	return o->ns < o->budget && t1 < o->end && o->ops < BENCH_MAX_SAMPLES &&
	       !fatal_signal_pending(current);
}

static int bench_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static void bench_op_end(struct bench_op *o)
{
	sort(o->samples, o->ops, sizeof(*o->samples), bench_cmp_u32, NULL);
	o->median = o->ops ? o->samples[o->ops / 2] : 0;
}

static int bench_aead(struct aead_request *req, struct crypto_wait *wait,
		      struct scatterlist *sg, u32 assoclen, u32 cryptlen, u8 *iv,
		      bool encrypt)
{
	aead_request_set_ad(req, assoclen);
	aead_request_set_crypt(req, sg, sg, cryptlen, iv);
	return crypto_wait_req(encrypt ? crypto_aead_encrypt(req) :
			       crypto_aead_decrypt(req), wait);
}

/**
 * bench_anchor() - the raw AEAD on a record's worth of memory
 * @info: the context whose cipher and driver to use
 * @size: bytes of text
 * @ms: milliseconds per operation
 * @seal: the encryption's result
 * @unseal: the decryption's result
 * @driver: set to the driver measured (%SSPI_NAME_LEN bytes)
 *
 * Return: 0 or a negative errno.
 */
static int bench_anchor(const struct sspi_context_info *info, u32 size, u32 ms,
			struct bench_op *seal, struct bench_op *unseal,
			char *driver)
{
	bool tls13 = info->protocol == SSPI_TLS_VERSION_1_3;
	u32 assoclen = tls13 ? 5 : 13, inner = tls13 ? 1 : 0;
	struct bench_rec *r = &bench_recs[0];
	unsigned int keylen = 32;
	const char *alg = "rfc7539(chacha20,poly1305)";
	struct crypto_aead *tfm;
	struct aead_request *req = NULL;
	struct crypto_wait wait;
	u64 t0, t1;
	u8 key[32];
	int err;

	if (!strcmp(info->cipher, "aes-128-gcm") || !strcmp(info->cipher, "aes-256-gcm")) {
		alg = "gcm(aes)";
		keylen = info->cipher[4] == '1' ? 16 : 32;
	} else if (strcmp(info->cipher, "chacha20-poly1305")) {
		return -ENOPKG;
	}
	/* the very driver the context uses; its algorithm if that is gone */
	tfm = crypto_alloc_aead(info->tx_driver, 0, 0);
	if (IS_ERR(tfm))
		tfm = crypto_alloc_aead(alg, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	strscpy(driver, crypto_tfm_alg_driver_name(crypto_aead_tfm(tfm)), SSPI_NAME_LEN);
	get_random_bytes(key, sizeof(key));
	err = crypto_aead_setkey(tfm, key, keylen);
	memzero_explicit(key, sizeof(key));
	if (!err)
		err = crypto_aead_setauthsize(tfm, BENCH_TAG_LEN);
	if (!err && crypto_aead_ivsize(tfm) > BENCH_ROOM)
		err = -EINVAL;
	if (err)
		goto out;
	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!req) {
		err = -ENOMEM;
		goto out;
	}
	crypto_init_wait(&wait);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG | CRYPTO_TFM_REQ_MAY_SLEEP,
				  crypto_req_done, &wait);
	get_random_bytes(r->iv, crypto_aead_ivsize(tfm));
	get_random_bytes(r->hdr, assoclen);
	bench_layout(r, assoclen, size, inner + BENCH_TAG_LEN);

	bench_op_start(seal, ms, r);
	do {
		t0 = ktime_get_ns();
		err = bench_aead(req, &wait, r->sg, assoclen, size + inner, r->iv, true);
		t1 = ktime_get_ns();
		if (err)
			goto out;
	} while (bench_op_add(seal, t0, t1));
	bench_op_end(seal);

	bench_op_start(unseal, ms, r);
	do {
		err = bench_aead(req, &wait, r->sg, assoclen, size + inner, r->iv, true);
		if (err)
			goto out;
		t0 = ktime_get_ns();
		err = bench_aead(req, &wait, r->sg, assoclen,
				 size + inner + BENCH_TAG_LEN, r->iv, false);
		t1 = ktime_get_ns();
		if (err)
			goto out;
	} while (bench_op_add(unseal, t0, t1));
	bench_op_end(unseal);
	err = fatal_signal_pending(current) ? -EINTR : 0;
out:
	aead_request_free(req);
	crypto_free_aead(tfm);
	return err;
}

/* EncryptMessage of @r's record, its text @size bytes. */
static int bench_seal(struct bench_rec *r, struct sspi_context *ctx, u32 hlen,
		      u32 size, u32 tlen, struct scatterlist *text)
{
	struct sspi_buffer b[4] = {
		{ .type = SSPI_SECBUFFER_STREAM_HEADER, .len = hlen, .data = r->hdr },
		{ .type = SSPI_SECBUFFER_DATA, .len = size, .sg = text },
		{ .type = SSPI_SECBUFFER_STREAM_TRAILER, .len = tlen, .data = r->trl },
		{ .type = SSPI_SECBUFFER_EMPTY },
	};
	struct sspi_message msg = { .count = ARRAY_SIZE(b), .buffers = b };
	int err = sspi_encrypt(ctx, 0, &msg, 0);

	if (!err && (b[0].len != hlen || b[2].len != tlen))
		err = -EPROTO;
	return err;
}

/* DecryptMessage of @r's whole record. */
static int bench_unseal(struct bench_rec *r, struct sspi_context *ctx,
			u32 reclen, u32 size)
{
	struct sspi_buffer b[4] = {
		{ .type = SSPI_SECBUFFER_DATA, .len = reclen, .sg = r->sg },
		{ .type = SSPI_SECBUFFER_EMPTY },
		{ .type = SSPI_SECBUFFER_EMPTY },
		{ .type = SSPI_SECBUFFER_EMPTY },
	};
	struct sspi_message msg = { .count = ARRAY_SIZE(b), .buffers = b };
	int err = sspi_decrypt(ctx, &msg, 0, NULL);

	if (!err && (b[1].type != SSPI_SECBUFFER_DATA || b[1].len != size))
		err = -EPROTO;
	return err > 0 ? -EPROTO : err;
}

/**
 * bench_kapi() - sspi_encrypt() and sspi_decrypt() on a record's memory
 * @r: the memory, with its samples
 * @tx: seals the records to unseal
 * @rx: seals the timed records, unseals @tx's
 * @info: what sspi_query() says of @rx
 * @size: bytes of text
 * @ms: milliseconds per operation
 * @phases: %BENCH_SEAL, %BENCH_UNSEAL or both
 * @seal: the encryption's result
 * @unseal: the decryption's result
 *
 * Return: 0 or a negative errno.
 */
static int bench_kapi(struct bench_rec *r, struct sspi_context *tx,
		      struct sspi_context *rx,
		      const struct sspi_context_info *info, u32 size, u32 ms,
		      unsigned int phases, struct bench_op *seal,
		      struct bench_op *unseal)
{
	u32 hlen = info->sizes.stream_header, tlen = info->sizes.stream_trailer;
	struct scatterlist *text;
	u64 t0, t1;
	int err;

	if (!hlen || !tlen || hlen > BENCH_ROOM || tlen > BENCH_ROOM)
		return -EPROTO;
	text = bench_layout(r, hlen, size, tlen);

	if (phases & BENCH_SEAL) {
		bench_op_start(seal, ms, r);
		do {
			t0 = ktime_get_ns();
			err = bench_seal(r, rx, hlen, size, tlen, text);
			t1 = ktime_get_ns();
			if (err)
				return err;
		} while (bench_op_add(seal, t0, t1));
		bench_op_end(seal);
	}

	if (phases & BENCH_UNSEAL) {
		bench_op_start(unseal, ms, r);
		do {
			err = bench_seal(r, tx, hlen, size, tlen, text);
			if (err)
				return err;
			t0 = ktime_get_ns();
			err = bench_unseal(r, rx, hlen + size + tlen, size);
			t1 = ktime_get_ns();
			if (err)
				return err;
		} while (bench_op_add(unseal, t0, t1));
		bench_op_end(unseal);
	}
	return fatal_signal_pending(current) ? -EINTR : 0;
}

static bool bench_is_krb5(const struct sspi_context_info *info)
{
	return info->package && !strcmp(info->package, "Kerberos");
}

/* The Kerberos anchor's one operation: encrypt and MAC, or MAC and decrypt. */
static int bench_krb5_raw(struct skcipher_request *ereq,
			  struct ahash_request *hreq, struct crypto_wait *wait,
			  u32 len, bool encrypt)
{
	struct bench_rec *r = &bench_recs[0];
	int err;

	memset(r->iv, 0, BENCH_ROOM);
	skcipher_request_set_crypt(ereq, r->sg, r->sg, len, r->iv);
	ahash_request_set_crypt(hreq, r->sg, r->tok, len);
	if (encrypt) {
		err = crypto_wait_req(crypto_skcipher_encrypt(ereq), wait);
		if (!err)
			err = crypto_wait_req(crypto_ahash_digest(hreq), wait);
	} else {
		err = crypto_wait_req(crypto_ahash_digest(hreq), wait);
		if (!err)
			err = crypto_wait_req(crypto_skcipher_decrypt(ereq), wait);
	}
	return err;
}

/**
 * bench_krb5_anchor() - a Kerberos enctype's skcipher and HMAC on a
 *	token's worth of memory
 * @info: the context whose enctype and driver to use
 * @size: bytes of text
 * @ms: milliseconds per operation
 * @seal: the encryption's result
 * @unseal: the decryption's result
 * @driver: set to the skcipher's driver (%SSPI_NAME_LEN bytes)
 * @mac: set to the HMAC's driver (%SSPI_NAME_LEN bytes)
 *
 * Return: 0 or a negative errno.
 */
static int bench_krb5_anchor(const struct sspi_context_info *info, u32 size,
			     u32 ms, struct bench_op *seal,
			     struct bench_op *unseal, char *driver, char *mac)
{
	const char *hmac = strstr(info->cipher, "sha384") ? "hmac(sha384)" :
			   strstr(info->cipher, "sha256") ? "hmac(sha256)" :
			   "hmac(sha1)";
	unsigned int keylen = strstr(info->cipher, "aes128") ? 16 : 32;
	u32 len = BENCH_KRB5_EDGE + size + BENCH_KRB5_EDGE;
	struct bench_rec *r = &bench_recs[0];
	struct skcipher_request *ereq = NULL;
	struct ahash_request *hreq = NULL;
	struct crypto_skcipher *enc;
	struct crypto_ahash *ah;
	struct crypto_wait wait;
	u64 t0, t1;
	u8 key[32];
	int err;

	/* the very driver the context uses; its algorithm if that is gone */
	enc = crypto_alloc_skcipher(info->tx_driver, 0, 0);
	if (IS_ERR(enc))
		enc = crypto_alloc_skcipher("cts(cbc(aes))", 0, 0);
	if (IS_ERR(enc))
		return PTR_ERR(enc);
	ah = crypto_alloc_ahash(hmac, 0, 0);
	if (IS_ERR(ah)) {
		err = PTR_ERR(ah);
		ah = NULL;
		goto out;
	}
	strscpy(driver, crypto_skcipher_driver_name(enc), SSPI_NAME_LEN);
	strscpy(mac, crypto_ahash_driver_name(ah), SSPI_NAME_LEN);
	get_random_bytes(key, sizeof(key));
	err = crypto_skcipher_setkey(enc, key, keylen);
	if (!err)
		err = crypto_ahash_setkey(ah, key, keylen);
	memzero_explicit(key, sizeof(key));
	if (!err && (crypto_skcipher_ivsize(enc) > BENCH_ROOM ||
		     crypto_ahash_digestsize(ah) > BENCH_TOKEN_ROOM))
		err = -EINVAL;
	if (err)
		goto out;
	ereq = skcipher_request_alloc(enc, GFP_KERNEL);
	hreq = ahash_request_alloc(ah, GFP_KERNEL);
	if (!ereq || !hreq) {
		err = -ENOMEM;
		goto out;
	}
	crypto_init_wait(&wait);
	skcipher_request_set_callback(ereq, CRYPTO_TFM_REQ_MAY_BACKLOG |
				      CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	ahash_request_set_callback(hreq, CRYPTO_TFM_REQ_MAY_BACKLOG |
				   CRYPTO_TFM_REQ_MAY_SLEEP,
				   crypto_req_done, &wait);
	get_random_bytes(r->hdr, BENCH_KRB5_EDGE);
	get_random_bytes(r->trl, BENCH_KRB5_EDGE);
	bench_layout(r, BENCH_KRB5_EDGE, size, BENCH_KRB5_EDGE);

	bench_op_start(seal, ms, r);
	do {
		t0 = ktime_get_ns();
		err = bench_krb5_raw(ereq, hreq, &wait, len, true);
		t1 = ktime_get_ns();
		if (err)
			goto out;
	} while (bench_op_add(seal, t0, t1));
	bench_op_end(seal);

	/* nothing to check: decrypting what is there costs the same */
	bench_op_start(unseal, ms, r);
	do {
		t0 = ktime_get_ns();
		err = bench_krb5_raw(ereq, hreq, &wait, len, false);
		t1 = ktime_get_ns();
		if (err)
			goto out;
	} while (bench_op_add(unseal, t0, t1));
	bench_op_end(unseal);
	err = fatal_signal_pending(current) ? -EINTR : 0;
out:
	if (ereq)
		skcipher_request_free(ereq);
	if (hreq)
		ahash_request_free(hreq);
	if (ah)
		crypto_free_ahash(ah);
	crypto_free_skcipher(enc);
	return err;
}

static bool bench_is_ntlm(const struct sspi_context_info *info)
{
	return info->package && !strcmp(info->package, "NTLM");
}

/**
 * struct bench_ntlm - the NTLM anchor's state, keyed once
 * @rc4: the sealing keystream, running on from message to message
 * @hmac: HMAC-MD5 keyed with the signing key
 * @seq: the sequence number of the next message
 * @cksum: the HMAC's output
 * @sig: the checksum a message came with (unsealing)
 * @mismatches: comparisons of @cksum and @sig that failed (all)
 */
struct bench_ntlm {
	struct arc4_ctx rc4;
	struct crypto_shash *hmac;
	u32 seq;
	u8 cksum[MD5_DIGEST_SIZE];
	u8 sig[BENCH_NTLM_CKSUM_LEN];
	unsigned long mismatches;
};

/* RC4 over, or HMAC update with, @size bytes of bench_rec's pages. */
static int bench_ntlm_pages(struct bench_ntlm *n, struct shash_desc *desc,
			    u32 size)
{
	unsigned int i;
	u32 len;
	u8 *p;
	int err = 0;

	for (i = 0; size && !err; i++, size -= len) {
		len = min_t(u32, size, PAGE_SIZE);
		p = kmap_local_page(bench_recs[0].pages[i]);
		if (desc)
			err = crypto_shash_update(desc, p, len);
		else
			arc4_crypt(&n->rc4, p, p, len);
		kunmap_local(p);
	}
	return err;
}

/*
 * The NTLM anchor's one operation, MS-NLMP 3.4.4.2 with extended session
 * security and key exchange: seal (HMAC of the plaintext, then RC4 of the
 * data and of the checksum) or unseal (RC4 of the data, the HMAC of what
 * comes out, RC4 of the checksum, the comparison).
 */
static int bench_ntlm_raw(struct bench_ntlm *n, u32 size, bool encrypt)
{
	SHASH_DESC_ON_STACK(desc, n->hmac);
	__le32 seq = cpu_to_le32(n->seq++);
	int err;

	desc->tfm = n->hmac;
	if (!encrypt)
		bench_ntlm_pages(n, NULL, size);
	err = crypto_shash_init(desc);
	if (!err)
		err = crypto_shash_update(desc, (const u8 *)&seq, sizeof(seq));
	if (!err)
		err = bench_ntlm_pages(n, desc, size);
	if (!err)
		err = crypto_shash_final(desc, n->cksum);
	shash_desc_zero(desc);
	if (err)
		return err;
	if (encrypt)
		bench_ntlm_pages(n, NULL, size);
	arc4_crypt(&n->rc4, n->cksum, n->cksum, BENCH_NTLM_CKSUM_LEN);
	/* no sealed message came in: the comparison fails, at the same cost */
	if (!encrypt)
		n->mismatches += crypto_memneq(n->cksum, n->sig, BENCH_NTLM_CKSUM_LEN);
	return 0;
}

/**
 * bench_ntlm_anchor() - RC4 and HMAC-MD5 on a sealed message's worth of
 *	memory
 * @size: bytes of text
 * @ms: milliseconds per operation
 * @seal: the sealing's result
 * @unseal: the unsealing's result
 * @driver: set to "lib-arc4" (%SSPI_NAME_LEN bytes)
 * @mac: set to the HMAC's driver (%SSPI_NAME_LEN bytes)
 *
 * Return: 0 or a negative errno.
 */
static int bench_ntlm_anchor(u32 size, u32 ms, struct bench_op *seal,
			     struct bench_op *unseal, char *driver, char *mac)
{
	struct bench_ntlm *n;
	u8 key[2 * BENCH_NTLM_KEY_LEN];
	struct bench_rec *r = &bench_recs[0];
	u64 t0, t1;
	int err;

	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	n->hmac = crypto_alloc_shash("hmac(md5)", 0, 0);
	if (IS_ERR(n->hmac)) {
		err = PTR_ERR(n->hmac);
		kfree(n);
		return err;
	}
	strscpy(driver, "lib-arc4", SSPI_NAME_LEN);
	strscpy(mac, crypto_shash_driver_name(n->hmac), SSPI_NAME_LEN);
	get_random_bytes(key, sizeof(key));
	err = arc4_setkey(&n->rc4, key, BENCH_NTLM_KEY_LEN);
	if (!err)
		err = crypto_shash_setkey(n->hmac, key + BENCH_NTLM_KEY_LEN,
					  BENCH_NTLM_KEY_LEN);
	memzero_explicit(key, sizeof(key));
	if (err)
		goto out;

	bench_op_start(seal, ms, r);
	do {
		t0 = ktime_get_ns();
		err = bench_ntlm_raw(n, size, true);
		t1 = ktime_get_ns();
		if (err)
			goto out;
	} while (bench_op_add(seal, t0, t1));
	bench_op_end(seal);

	bench_op_start(unseal, ms, r);
	do {
		t0 = ktime_get_ns();
		err = bench_ntlm_raw(n, size, false);
		t1 = ktime_get_ns();
		if (err)
			goto out;
	} while (bench_op_add(unseal, t0, t1));
	bench_op_end(unseal);
	err = fatal_signal_pending(current) ? -EINTR : 0;
out:
	crypto_free_shash(n->hmac);
	kfree_sensitive(n);
	return err;
}

/* EncryptMessage [TOKEN, DATA]; @toklen: in, the room, out, the token's. */
static int bench_token_seal(struct bench_rec *r, struct sspi_context *ctx,
			    u32 *toklen, u32 size, struct scatterlist *data)
{
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_TOKEN, .len = *toklen, .data = r->tok },
		{ .type = SSPI_SECBUFFER_DATA, .len = size, .sg = data },
	};
	struct sspi_message msg = { .count = ARRAY_SIZE(b), .buffers = b };
	int err = sspi_encrypt(ctx, 0, &msg, 0);

	if (!err && (!b[0].len || b[0].len > *toklen || b[1].len != size))
		err = -EPROTO;
	*toklen = b[0].len;
	return err;
}

/* DecryptMessage [TOKEN, DATA] as sealed. */
static int bench_token_unseal(struct bench_rec *r, struct sspi_context *ctx,
			      u32 toklen, u32 size, struct scatterlist *data)
{
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_TOKEN, .len = toklen, .data = r->tok },
		{ .type = SSPI_SECBUFFER_DATA, .len = size, .sg = data },
	};
	struct sspi_message msg = { .count = ARRAY_SIZE(b), .buffers = b };
	int err = sspi_decrypt(ctx, &msg, 0, NULL);

	if (!err && (b[1].type != SSPI_SECBUFFER_DATA || b[1].len != size))
		err = -EPROTO;
	return err > 0 ? -EPROTO : err;
}

/**
 * bench_token_kapi() - sspi_encrypt() and sspi_decrypt() of Wrap tokens
 *	(Kerberos) or of sealed messages and their signatures (NTLM)
 * @r: the memory, with its samples
 * @tx: seals the tokens to unseal
 * @rx: seals the timed tokens, unseals @tx's
 * @info: what sspi_query() says of @rx
 * @size: bytes of text
 * @ms: milliseconds per operation
 * @phases: %BENCH_SEAL, %BENCH_UNSEAL or both
 * @seal: the encryption's result
 * @unseal: the decryption's result
 *
 * Return: 0 or a negative errno.
 */
static int bench_token_kapi(struct bench_rec *r, struct sspi_context *tx,
			    struct sspi_context *rx,
			    const struct sspi_context_info *info, u32 size,
			    u32 ms, unsigned int phases, struct bench_op *seal,
			    struct bench_op *unseal)
{
	u32 room = info->sizes.security_trailer, toklen;
	struct scatterlist *data = bench_data(r, size);
	u64 t0, t1;
	int err;

	if (!room || room > BENCH_TOKEN_ROOM)
		return -EPROTO;

	if (phases & BENCH_SEAL) {
		bench_op_start(seal, ms, r);
		do {
			toklen = room;
			t0 = ktime_get_ns();
			err = bench_token_seal(r, rx, &toklen, size, data);
			t1 = ktime_get_ns();
			if (err)
				return err;
		} while (bench_op_add(seal, t0, t1));
		bench_op_end(seal);
	}

	if (phases & BENCH_UNSEAL) {
		bench_op_start(unseal, ms, r);
		do {
			toklen = room;
			err = bench_token_seal(r, tx, &toklen, size, data);
			if (err)
				return err;
			t0 = ktime_get_ns();
			err = bench_token_unseal(r, rx, toklen, size, data);
			t1 = ktime_get_ns();
			if (err)
				return err;
		} while (bench_op_add(unseal, t0, t1));
		bench_op_end(unseal);
	}
	return fatal_signal_pending(current) ? -EINTR : 0;
}

static struct sspi_context *bench_lookup(u64 handle, struct sspi_context_info *info)
{
	struct sspi_context *ctx = sspi_context_lookup(&init_net, handle);

	if (ctx && sspi_query(ctx, info)) {
		sspi_context_put(ctx);
		ctx = NULL;
	}
	if (!ctx)
		pr_err("no usable context %#llx in init_net\n", handle);
	return ctx;
}

/**
 * bench_duplex() - one direction of a pair, sealing and unsealing in turn
 * @r: the memory, with its samples
 * @tx: seals each record, timed
 * @rx: unseals it, timed
 * @info: what sspi_query() says of @rx
 * @token: a Kerberos or NTLM pair: [TOKEN, DATA] rather than a record
 * @size: bytes of text
 * @ms: milliseconds per operation
 * @seal: the encryption's result
 * @unseal: the decryption's result
 *
 * @tx's sending direction and @rx's receiving one stay in step, whatever
 * another thread does with the other two at the same time.
 *
 * Return: 0 or a negative errno.
 */
static int bench_duplex(struct bench_rec *r, struct sspi_context *tx,
			struct sspi_context *rx,
			const struct sspi_context_info *info, bool token,
			u32 size, u32 ms, struct bench_op *seal,
			struct bench_op *unseal)
{
	u32 hlen = info->sizes.stream_header, tlen = info->sizes.stream_trailer;
	u32 room = info->sizes.security_trailer, toklen = 0;
	struct scatterlist *text;
	u64 t0, t1, t2;
	bool more;
	int err;

	if (token) {
		if (!room || room > BENCH_TOKEN_ROOM)
			return -EPROTO;
		text = bench_data(r, size);
	} else {
		if (!hlen || !tlen || hlen > BENCH_ROOM || tlen > BENCH_ROOM)
			return -EPROTO;
		text = bench_layout(r, hlen, size, tlen);
	}
	bench_op_start(seal, ms, r);
	bench_op_start(unseal, ms, r);
	unseal->samples = r->samples2;
	do {
		t0 = ktime_get_ns();
		if (token) {
			toklen = room;
			err = bench_token_seal(r, tx, &toklen, size, text);
		} else {
			err = bench_seal(r, tx, hlen, size, tlen, text);
		}
		t1 = ktime_get_ns();
		if (err)
			return err;
		if (token)
			err = bench_token_unseal(r, rx, toklen, size, text);
		else
			err = bench_unseal(r, rx, hlen + size + tlen, size);
		t2 = ktime_get_ns();
		if (err)
			return err;
		more = bench_op_add(seal, t0, t1);
		more = bench_op_add(unseal, t1, t2) && more;
	} while (more);
	bench_op_end(seal);
	bench_op_end(unseal);
	return 0;
}

/**
 * struct bench_pipe - records handed from a sealing thread to an
 *	unsealing one, in order
 * @slot: the records' memory (no samples)
 * @toklen: a Kerberos or NTLM slot's token length
 * @head: records sealed (written by the sealer)
 * @tail: records unsealed (written by the unsealer)
 * @done: the sealer has stopped: @head is final
 * @failed: one of the two failed: the other stops
 */
struct bench_pipe {
	struct bench_rec slot[BENCH_PIPE_SLOTS];
	u32 toklen[BENCH_PIPE_SLOTS];
	unsigned long head;
	unsigned long tail;
	bool done;
	bool failed;
};

/**
 * struct bench_thread - one of the kthreads of a two-thread measurement
 * @r: its memory
 * @tx: seals the records to unseal
 * @rx: seals the timed records, unseals @tx's
 * @info: what sspi_query() says of @rx
 * @size: bytes of text
 * @ms: milliseconds per operation
 * @phases: %BENCH_SEAL or %BENCH_UNSEAL; both: bench_duplex(), with @tx
 *	sealing and @rx unsealing
 * @token: a Kerberos or NTLM pair (bench_token_kapi())
 * @seal: the encryption's result
 * @unseal: the decryption's result
 * @pipe: "kapi2 pipe": the records this thread seals into (@tx) or
 *	unseals from (@rx), by @unsealer
 * @unsealer: the unsealing end of @pipe
 * @err: 0 or a negative errno
 * @done: completed as the thread exits
 */
struct bench_thread {
	struct bench_rec *r;
	struct sspi_context *tx;
	struct sspi_context *rx;
	const struct sspi_context_info *info;
	u32 size;
	u32 ms;
	unsigned int phases;
	bool token;
	struct bench_op seal;
	struct bench_op unseal;
	struct bench_pipe *pipe;
	bool unsealer;
	int err;
	struct completion done;
};

/* The sealing end of a pipe: seal with @t->tx for @t->ms, into free slots. */
static int bench_pipe_seal(struct bench_thread *t)
{
	const struct sspi_context_info *info = t->info;
	u32 hlen = info->sizes.stream_header, tlen = info->sizes.stream_trailer;
	u32 room = info->sizes.security_trailer, toklen;
	struct bench_pipe *p = t->pipe;
	unsigned long head = 0;
	struct bench_rec *r;
	bool more = true;
	u64 t0, t1;
	int err = 0;

	bench_op_start(&t->seal, t->ms, t->r);
	while (more && !READ_ONCE(p->failed)) {
		/* pairs with the unsealer's release of @tail: the slot is free */
		if (head - smp_load_acquire(&p->tail) >= BENCH_PIPE_SLOTS) {
			cond_resched();
			continue;
		}
		r = &p->slot[head % BENCH_PIPE_SLOTS];
		toklen = room;
		t0 = ktime_get_ns();
		if (t->token)
			err = bench_token_seal(r, t->tx, &toklen, t->size, r->data);
		else
			err = bench_seal(r, t->tx, hlen, t->size, tlen, &r->sg[1]);
		t1 = ktime_get_ns();
		if (err)
			break;
		p->toklen[head % BENCH_PIPE_SLOTS] = toklen;
		/* the record and its length before @head says it is there */
		smp_store_release(&p->head, ++head);
		more = bench_op_add(&t->seal, t0, t1);
	}
	if (err)
		WRITE_ONCE(p->failed, true);
	bench_op_end(&t->seal);
	/* the last @head before @done */
	smp_store_release(&p->done, true);
	return err;
}

/* The unsealing end: unseal with @t->rx every record sealed, in order. */
static int bench_pipe_unseal(struct bench_thread *t)
{
	const struct sspi_context_info *info = t->info;
	u32 hlen = info->sizes.stream_header, tlen = info->sizes.stream_trailer;
	struct bench_pipe *p = t->pipe;
	unsigned long tail = 0;
	struct bench_rec *r;
	u64 t0, t1;
	int err = 0;

	bench_op_start(&t->unseal, t->ms, t->r);
	for (;;) {
		/* pairs with the sealer's release of @head: the record is there */
		if (tail == smp_load_acquire(&p->head)) {
			if (READ_ONCE(p->failed))
				break;
			/* @done is set after the last @head */
			if (smp_load_acquire(&p->done) && tail == READ_ONCE(p->head))
				break;
			cond_resched();
			continue;
		}
		r = &p->slot[tail % BENCH_PIPE_SLOTS];
		t0 = ktime_get_ns();
		if (t->token)
			err = bench_token_unseal(r, t->rx, p->toklen[tail % BENCH_PIPE_SLOTS],
						 t->size, r->data);
		else
			err = bench_unseal(r, t->rx, hlen + t->size + tlen, t->size);
		t1 = ktime_get_ns();
		if (err) {
			WRITE_ONCE(p->failed, true);
			break;
		}
		/* done with the slot before the sealer may reuse it */
		smp_store_release(&p->tail, ++tail);
		/* every record is unsealed; the first ones are counted */
		if (t->unseal.ops < BENCH_MAX_SAMPLES)
			bench_op_add(&t->unseal, t0, t1);
	}
	bench_op_end(&t->unseal);
	return err;
}

static int bench_thread_fn(void *arg)
{
	struct bench_thread *t = arg;

	if (t->pipe)
		t->err = t->unsealer ? bench_pipe_unseal(t) : bench_pipe_seal(t);
	else if (t->phases == (BENCH_SEAL | BENCH_UNSEAL))
		t->err = bench_duplex(t->r, t->tx, t->rx, t->info, t->token,
				      t->size, t->ms, &t->seal, &t->unseal);
	else if (t->token)
		t->err = bench_token_kapi(t->r, t->tx, t->rx, t->info, t->size,
					  t->ms, t->phases, &t->seal, &t->unseal);
	else
		t->err = bench_kapi(t->r, t->tx, t->rx, t->info, t->size, t->ms,
				    t->phases, &t->seal, &t->unseal);
	kthread_complete_and_exit(&t->done, 0);
}

/* Two operations at once: the aggregate rate as one operation's time. */
static void bench_op_sum(struct bench_op *sum, const struct bench_op *a,
			 const struct bench_op *b)
{
	*sum = (struct bench_op){
		.ops = a->ops + b->ops,
		.ns = max(a->ns, b->ns),
	};
	if (a->median && b->median)
		sum->median = div64_u64(a->median * b->median,
					a->median + b->median);
}

/**
 * bench_threads() - sealing and unsealing on two kthreads at once
 * @t: the two threads' work, with their contexts set
 * @duplex: each thread seals and unseals in turn (bench_duplex())
 * @seal: the aggregate encryption (its median: the time per operation
 *	of both threads together)
 * @unseal: the aggregate decryption
 *
 * Thread i runs on CPU i when that is online.  Unless @duplex, the two
 * threads seal at the same time, and once both are done they unseal at
 * the same time, so that no direction of a context is used by the two at
 * once.
 *
 * Return: 0 or a negative errno.
 */
static int bench_threads(struct bench_thread *t, bool duplex,
			 struct bench_op *seal, struct bench_op *unseal)
{
	static const unsigned int phases[] = { BENCH_SEAL, BENCH_UNSEAL };
	static const unsigned int both[] = { BENCH_SEAL | BENCH_UNSEAL };
	const unsigned int *ph = duplex ? both : phases;
	unsigned int np = duplex ? ARRAY_SIZE(both) : ARRAY_SIZE(phases);
	struct task_struct *task;
	unsigned int p, i, n;
	int err = 0;

	for (p = 0; p < np && !err; p++) {
		for (n = 0; n < BENCH_THREADS; n++) {
			t[n].phases = ph[p];
			t[n].err = 0;
			init_completion(&t[n].done);
			task = kthread_create(bench_thread_fn, &t[n], "sspi_bench/%u", n);
			if (IS_ERR(task)) {
				err = PTR_ERR(task);
				break;
			}
			if (cpu_online(n))
				kthread_bind(task, n);
			wake_up_process(task);
		}
		for (i = 0; i < n; i++) {
			wait_for_completion(&t[i].done);
			if (!err)
				err = t[i].err;
		}
	}
	if (err)
		return err;
	if (t[0].pipe) {
		/* one thread sealed, the other unsealed */
		*seal = t[0].seal;
		*unseal = t[1].unseal;
		return 0;
	}
	bench_op_sum(seal, &t[0].seal, &t[1].seal);
	bench_op_sum(unseal, &t[0].unseal, &t[1].unseal);
	return 0;
}

static void bench_rec_free(struct bench_rec *r)
{
	unsigned int i;

	for (i = 0; i < BENCH_PAGES; i++)
		if (r->pages[i])
			__free_page(r->pages[i]);
	kfree(r->hdr);
	kfree(r->trl);
	kfree(r->iv);
	kfree(r->tok);
	kvfree(r->samples);
	kvfree(r->samples2);
	memset(r, 0, sizeof(*r));
}

/* The pipe's slots for records of @size bytes, laid out for @info. */
static struct bench_pipe *bench_pipe_alloc(const struct sspi_context_info *info,
					   bool token, u32 size)
{
	u32 hlen = info->sizes.stream_header, tlen = info->sizes.stream_trailer;
	u32 room = info->sizes.security_trailer;
	unsigned int i, j, n = DIV_ROUND_UP(size, PAGE_SIZE);
	struct bench_pipe *p;
	struct bench_rec *r;

	if (token ? !room || room > BENCH_TOKEN_ROOM :
	    !hlen || !tlen || hlen > BENCH_ROOM || tlen > BENCH_ROOM)
		return ERR_PTR(-EPROTO);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < BENCH_PIPE_SLOTS; i++) {
		r = &p->slot[i];
		for (j = 0; j < n; j++) {
			r->pages[j] = alloc_page(GFP_KERNEL);
			if (!r->pages[j])
				goto nomem;
			memset(page_address(r->pages[j]), 0x5a, PAGE_SIZE);
		}
		r->hdr = kzalloc(BENCH_ROOM, GFP_KERNEL);
		r->trl = kzalloc(BENCH_ROOM, GFP_KERNEL);
		r->tok = kzalloc(BENCH_TOKEN_ROOM, GFP_KERNEL);
		if (!r->hdr || !r->trl || !r->tok)
			goto nomem;
		if (token)
			bench_data(r, size);
		else
			bench_layout(r, hlen, size, tlen);
	}
	return p;

nomem:
	for (i = 0; i < BENCH_PIPE_SLOTS; i++)
		bench_rec_free(&p->slot[i]);
	kfree(p);
	return ERR_PTR(-ENOMEM);
}

static void bench_pipe_free(struct bench_pipe *p)
{
	unsigned int i;

	for (i = 0; i < BENCH_PIPE_SLOTS; i++)
		bench_rec_free(&p->slot[i]);
	kfree(p);
}

/**
 * struct bench_slot - one request of "async"'s window, with its record
 * @r: the record's memory (its own pages, header and trailer)
 * @b: its buffers: STREAM_HEADER, DATA, STREAM_TRAILER, EMPTY (a
 *	Kerberos or NTLM context: TOKEN, DATA)
 * @msg: @b
 * @req: the request, reused for each record the slot seals
 * @a: the window
 */
struct bench_slot {
	struct bench_rec r;
	struct sspi_buffer b[4];
	struct sspi_message msg;
	struct sspi_request *req;
	struct bench_async *a;
};

/**
 * struct bench_async - "async": records sealed through sspi_submit()
 * @slot: @window requests, each with its record
 * @window: requests in flight at most
 * @hlen: STREAM_HEADER bytes
 * @tlen: STREAM_TRAILER bytes
 * @token: a Kerberos or NTLM context: [TOKEN, DATA] rather than a record
 * @room: its TOKEN's room, security_trailer bytes
 * @size: bytes of text of each record
 * @sealing: the requests ending seal (their header and trailer checked)
 * @lock: serialises the ends' updates of @o, @ended, @last and @err (the
 *	submitter reads them with READ_ONCE())
 * @ended: requests ended (returned at once or called back)
 * @last: when the latest one ended
 * @group: requests ended since @gstart
 * @gstart: when the group of @window ends being timed began
 * @nsamples: groups timed, in @o's samples
 * @err: the first failure
 * @o: the measurement the ends are counted in
 * @wq: where the submitter waits for a request to end
 */
struct bench_async {
	struct bench_slot *slot;
	unsigned int window;
	u32 hlen;
	u32 tlen;
	bool token;
	u32 room;
	u32 size;
	bool sealing;
	spinlock_t lock;	/* see @lock */
	u64 ended;
	u64 last;
	unsigned int group;
	u64 gstart;
	u64 nsamples;
	int err;
	struct bench_op *o;
	wait_queue_head_t wq;
};

/*
 * A sealing request ended: count it, time each group of a window's worth
 * of ends (the rate at which the window delivers records, per record:
 * an asynchronous driver may end them in bursts), and let the submitter
 * reuse it (@wake: from a callback; else the submitter, not waiting).
 * Context: softirq or process context.
 */
static void bench_async_end(struct bench_slot *s, int err, bool wake)
{
	struct bench_async *a = s->a;
	struct bench_op *o = a->o;
	unsigned long flags;
	u64 now = ktime_get_ns();

	if (!err && a->sealing && (a->token ?
	    !s->b[0].len || s->b[0].len > a->room || s->b[1].len != a->size :
	    s->b[0].len != a->hlen || s->b[2].len != a->tlen))
		err = -EPROTO;
	spin_lock_irqsave(&a->lock, flags);
	if (err && !a->err)
		WRITE_ONCE(a->err, err);
	o->ops++;
	WRITE_ONCE(o->ns, o->ns + now - a->last);
	if (++a->group == a->window) {
		o->samples[a->nsamples++] = min_t(u64, div_u64(now - a->gstart, a->window),
						  U32_MAX);
		a->gstart = now;
		a->group = 0;
	}
	WRITE_ONCE(a->last, now);
	WRITE_ONCE(a->ended, a->ended + 1);
	spin_unlock_irqrestore(&a->lock, flags);
	if (wake)
		wake_up(&a->wq);
}

static void bench_async_done(struct sspi_request *req, int err)
{
	bench_async_end(req->data, err, true);
}

/*
 * Whether @n requests have ended, or (@any) one failed.  Read without the
 * lock (as bench_async_more() does), so as not to slow the loop down with
 * what kapi's does not pay: wait_event() orders it with wake_up().
 */
static bool bench_async_ended(struct bench_async *a, u64 n, bool any)
{
	return READ_ONCE(a->ended) >= n || (any && READ_ONCE(a->err));
}

/*
 * Whether to submit another: the budget, the clock (as of the latest end),
 * the samples, a signal.
 */
static bool bench_async_more(struct bench_async *a, u64 submitted)
{
	struct bench_op *o = a->o;

	return !READ_ONCE(a->err) && READ_ONCE(o->ns) < o->budget &&
	       submitted < BENCH_MAX_SAMPLES && READ_ONCE(a->last) < o->end &&
	       !fatal_signal_pending(current);
}

/* Seal slot @s's record through sspi_submit() with @ctx's sending direction. */
static void bench_async_seal(struct bench_async *a, struct bench_slot *s,
			     u32 size)
{
	int err;

	if (a->token) {
		s->b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN,
						.len = a->room, .data = s->r.tok };
		s->b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = size,
						.sg = s->r.data };
		s->msg = (struct sspi_message){ .count = 2, .buffers = s->b };
	} else {
		s->b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_STREAM_HEADER,
						.len = a->hlen, .data = s->r.hdr };
		s->b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = size,
						.sg = &s->r.sg[1] };
		s->b[2] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_STREAM_TRAILER,
						.len = a->tlen, .data = s->r.trl };
		s->b[3] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_EMPTY };
		s->msg = (struct sspi_message){ .count = ARRAY_SIZE(s->b), .buffers = s->b };
	}
	s->req->op = SSPI_OP_ENCRYPT;
	s->req->msg = &s->msg;
	s->req->qop = 0;
	s->req->seqno = 0;
	s->req->done = bench_async_done;
	s->req->data = s;
	err = sspi_submit(s->req);
	if (err != -EINPROGRESS)
		bench_async_end(s, err, false);
}

/*
 * Seal for @ms milliseconds with @window requests in flight; requests end
 * in the order they were submitted, so the next slot is always the one
 * that ended first.
 */
static int bench_async_seals(struct bench_async *a, u32 size, u32 ms,
			     struct bench_op *seal)
{
	u64 n;

	bench_op_start(seal, ms, &bench_recs[0]);
	a->o = seal;
	a->size = size;
	a->sealing = true;
	a->ended = 0;
	a->err = 0;
	a->group = 0;
	a->nsamples = 0;
	a->last = ktime_get_ns();
	a->gstart = a->last;
	for (n = 0; bench_async_more(a, n); n++) {
		if (n >= a->window)
			wait_event(a->wq, bench_async_ended(a, n - a->window + 1, true));
		if (READ_ONCE(a->err))
			break;
		bench_async_seal(a, &a->slot[n % a->window], size);
		cond_resched();
	}
	/* every request in flight ends, failed or not */
	wait_event(a->wq, bench_async_ended(a, n, false));
	/* fewer ends than a window: one sample of them all */
	if (!a->nsamples && a->group)
		seal->samples[a->nsamples++] = min_t(u64, div_u64(a->last - a->gstart,
								  a->group), U32_MAX);
	sort(seal->samples, a->nsamples, sizeof(*seal->samples), bench_cmp_u32, NULL);
	seal->median = a->nsamples ? seal->samples[a->nsamples / 2] : 0;
	return a->err;
}

/*
 * Unseal records sealed with @tx through sspi_submit() with @rx, one at a
 * time (each is sealed just before): with a synchronous driver it ends at
 * submission; with an asynchronous one its callback is waited for.
 */
static int bench_async_unseals(struct bench_async *a, struct sspi_context *tx,
			       struct sspi_context *rx, u32 size, u32 ms,
			       struct bench_op *unseal)
{
	struct bench_slot *s = &a->slot[0];
	u32 reclen = a->hlen + size + a->tlen;
	struct sspi_request *req;
	struct bench_op dummy;
	u32 toklen;
	u64 t0, t1;
	int err;

	req = sspi_request_alloc(rx, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	bench_op_start(unseal, ms, &bench_recs[0]);
	/* the callback's count, should there be one; its samples unused */
	bench_op_start(&dummy, ms, &bench_recs[1]);
	a->o = &dummy;
	a->sealing = false;
	a->group = 0;
	a->nsamples = 0;
	do {
		toklen = a->room;
		err = a->token ? bench_token_seal(&s->r, tx, &toklen, size, s->r.data) :
		      bench_seal(&s->r, tx, a->hlen, size, a->tlen, &s->r.sg[1]);
		if (err)
			break;
		if (a->token) {
			s->b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN,
							.len = toklen, .data = s->r.tok };
			s->b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA,
							.len = size, .sg = s->r.data };
			s->msg = (struct sspi_message){ .count = 2, .buffers = s->b };
		} else {
			s->b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA,
							.len = reclen, .sg = s->r.sg };
			s->b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_EMPTY };
			s->b[2] = s->b[1];
			s->b[3] = s->b[1];
			s->msg = (struct sspi_message){ .count = ARRAY_SIZE(s->b),
							.buffers = s->b };
		}
		req->op = SSPI_OP_DECRYPT;
		req->msg = &s->msg;
		req->seqno = 0;
		req->done = bench_async_done;
		req->data = s;
		a->ended = 0;
		a->err = 0;
		t0 = ktime_get_ns();
		err = sspi_submit(req);
		if (err == -EINPROGRESS) {
			wait_event(a->wq, bench_async_ended(a, 1, false));
			err = a->err;
		}
		t1 = ktime_get_ns();
		if (!err && (s->b[1].type != SSPI_SECBUFFER_DATA || s->b[1].len != size))
			err = -EPROTO;
		if (err)
			break;
	} while (bench_op_add(unseal, t0, t1));
	sspi_request_free(req);
	if (err)
		return err > 0 ? -EPROTO : err;
	bench_op_end(unseal);
	return 0;
}

static void bench_async_free(struct bench_async *a)
{
	unsigned int i;

	for (i = 0; i < a->window; i++) {
		sspi_request_free(a->slot[i].req);
		bench_rec_free(&a->slot[i].r);
	}
	kfree(a->slot);
	kfree(a);
}

/* @window slots for records of @size bytes, with requests on @ctx. */
static struct bench_async *bench_async_alloc(const struct sspi_context_info *info,
					     bool token, struct sspi_context *ctx,
					     unsigned int window, u32 size)
{
	unsigned int i, j, n = DIV_ROUND_UP(size, PAGE_SIZE);
	struct bench_async *a;
	struct bench_rec *r;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return NULL;
	spin_lock_init(&a->lock);
	init_waitqueue_head(&a->wq);
	a->hlen = info->sizes.stream_header;
	a->tlen = info->sizes.stream_trailer;
	a->token = token;
	a->room = info->sizes.security_trailer;
	a->slot = kcalloc(window, sizeof(*a->slot), GFP_KERNEL);
	if (!a->slot) {
		kfree(a);
		return NULL;
	}
	a->window = window;
	for (i = 0; i < window; i++) {
		r = &a->slot[i].r;
		a->slot[i].a = a;
		a->slot[i].req = sspi_request_alloc(ctx, GFP_KERNEL);
		for (j = 0; j < n; j++) {
			r->pages[j] = alloc_page(GFP_KERNEL);
			if (!r->pages[j])
				goto nomem;
			memset(page_address(r->pages[j]), 0x5a, PAGE_SIZE);
		}
		r->hdr = kzalloc(BENCH_ROOM, GFP_KERNEL);
		r->trl = kzalloc(BENCH_ROOM, GFP_KERNEL);
		r->tok = kzalloc(BENCH_TOKEN_ROOM, GFP_KERNEL);
		if (!a->slot[i].req || !r->hdr || !r->trl || !r->tok)
			goto nomem;
		if (token)
			bench_data(r, size);
		else
			bench_layout(r, a->hlen, size, a->tlen);
	}
	return a;

nomem:
	bench_async_free(a);
	return NULL;
}

/**
 * bench_kapi_async() - sealing through sspi_submit() with a window of
 *	requests in flight, unsealing through it one at a time
 * @tx: seals the records to unseal
 * @rx: seals the timed records, unseals @tx's
 * @info: what sspi_query() says of @rx
 * @window: requests in flight at most, each with its own record
 * @size: bytes of text
 * @ms: milliseconds per operation
 * @seal: the encryption's result: @ops records, their median time per
 *	record over each group of @window consecutive ends
 * @unseal: the decryption's result, each timed from its submission to
 *	its end
 *
 * Return: 0 or a negative errno.
 */
static int bench_kapi_async(struct sspi_context *tx, struct sspi_context *rx,
			    const struct sspi_context_info *info,
			    unsigned int window, u32 size, u32 ms,
			    struct bench_op *seal, struct bench_op *unseal)
{
	u32 hlen = info->sizes.stream_header, tlen = info->sizes.stream_trailer;
	u32 room = info->sizes.security_trailer;
	bool token = bench_is_krb5(info) || bench_is_ntlm(info);
	struct bench_async *a;
	int err;

	if (token ? !room || room > BENCH_TOKEN_ROOM :
	    !hlen || !tlen || hlen > BENCH_ROOM || tlen > BENCH_ROOM)
		return -EPROTO;
	a = bench_async_alloc(info, token, rx, window, size);
	if (!a)
		return -ENOMEM;
	err = bench_async_seals(a, size, ms, seal);
	if (!err)
		err = bench_async_unseals(a, tx, rx, size, ms, unseal);
	bench_async_free(a);
	if (err)
		return err > 0 ? -EPROTO : err;
	return fatal_signal_pending(current) ? -EINTR : 0;
}

/* What a command looks at: big for the stack of a debug kernel. */
struct bench_cmd {
	struct sspi_context_info info;
	char driver[SSPI_NAME_LEN];
	char mac[SSPI_NAME_LEN];
	char mode[8];
	char path[16];
	struct bench_thread t[BENCH_THREADS];
};

/*
 * "kapi2 MODE TX RX TX2 RX2 SIZE MS": two threads: MODE "pairs", each as
 * "kapi" does on its pair, TX and RX, and TX2 and RX2; MODE "duplex", the
 * one pair TX and RX both ways (TX2 and RX2 are not used), one thread
 * sealing with TX and unsealing with RX, the other the other way round;
 * MODE "pipe", one thread sealing with TX while the other unseals with RX
 * what it sealed, in step, through a ring of BENCH_PIPE_SLOTS records.
 */
static int bench_kapi2(struct bench_cmd *c, struct sspi_context *tx,
		       struct sspi_context *rx, struct sspi_context *tx2,
		       struct sspi_context *rx2, u32 size, u32 ms,
		       struct bench_op *seal, struct bench_op *unseal)
{
	bool duplex = !strcmp(c->mode, "duplex"), pipe = !strcmp(c->mode, "pipe");
	bool token = bench_is_krb5(&c->info) || bench_is_ntlm(&c->info);
	struct bench_pipe *p = NULL;
	unsigned int i;
	int err;

	if (duplex || pipe) {
		tx2 = rx;
		rx2 = tx;
	} else if (strcmp(c->mode, "pairs") || !tx2 || !rx2) {
		return -EINVAL;
	}
	if (pipe) {
		p = bench_pipe_alloc(&c->info, token, size);
		if (IS_ERR(p))
			return PTR_ERR(p);
	}
	for (i = 0; i < BENCH_THREADS; i++) {
		c->t[i] = (struct bench_thread){
			.r = &bench_recs[i],
			/* pipe: TX seals on thread 0, RX unseals on thread 1 */
			.tx = i && !pipe ? tx2 : tx,
			.rx = i && !pipe ? rx2 : rx,
			.info = &c->info,
			.size = size,
			.ms = ms,
			.token = token,
			.pipe = p,
			.unsealer = i,
		};
	}
	err = bench_threads(c->t, duplex || pipe, seal, unseal);
	if (p)
		bench_pipe_free(p);
	return err;
}

static int bench_command(const char *cmd)
{
	struct sspi_context *tx = NULL, *rx = NULL, *tx2 = NULL, *rx2 = NULL;
	struct bench_op seal, unseal;
	struct bench_cmd *c;
	bool krb5, ntlm, two = false, async = false;
	u64 h1, h2, h3 = 0, h4 = 0;
	u32 size, ms, window = BENCH_WINDOW;
	int err;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	if (sscanf(cmd, "anchor %llu %u %u", &h1, &size, &ms) == 3) {
		strscpy(c->path, "anchor", sizeof(c->path));
		h2 = 0;
	} else if (sscanf(cmd, "kapi %llu %llu %u %u", &h1, &h2, &size, &ms) == 4) {
		strscpy(c->path, "kapi", sizeof(c->path));
	} else if (sscanf(cmd, "async %llu %llu %u %u %u", &h1, &h2, &size, &ms,
			  &window) >= 4 && h2) {
		strscpy(c->path, "kapi-async", sizeof(c->path));
		async = true;
	} else if (sscanf(cmd, "kapi2 %7s %llu %llu %llu %llu %u %u", c->mode,
			  &h1, &h2, &h3, &h4, &size, &ms) == 7 && h2) {
		snprintf(c->path, sizeof(c->path), "kapi2-%s", c->mode);
		two = true;
	} else {
		kfree(c);
		return -EINVAL;
	}
	if (!size || size > BENCH_MAX_SIZE || ms < BENCH_MIN_MS || ms > BENCH_MAX_MS ||
	    !window || window > BENCH_MAX_WINDOW) {
		kfree(c);
		return -EINVAL;
	}
	tx = bench_lookup(h1, &c->info);
	if (tx && h2)
		rx = bench_lookup(h2, &c->info);
	if (rx && h3)
		tx2 = bench_lookup(h3, &c->info);
	if ((!h3 || tx2) && h4)
		rx2 = bench_lookup(h4, &c->info);
	if (!tx || (h2 && !rx) || (h3 && !tx2) || (h4 && !rx2)) {
		err = -ENOENT;
		goto out;
	}
	krb5 = bench_is_krb5(&c->info);
	ntlm = bench_is_ntlm(&c->info);
	if (!krb5 && !ntlm && size > BENCH_TLS_MAX_SIZE) {
		err = -EINVAL;
		goto out;
	}
	strscpy(c->driver, c->info.tx_driver, sizeof(c->driver));
	strscpy(c->mac, "-", sizeof(c->mac));
	if (async)
		err = bench_kapi_async(tx, rx, &c->info, window, size, ms, &seal,
				       &unseal);
	else if (two)
		err = bench_kapi2(c, tx, rx, tx2, rx2, size, ms, &seal, &unseal);
	else if (rx && (krb5 || ntlm))
		err = bench_token_kapi(&bench_recs[0], tx, rx, &c->info, size, ms,
				       BENCH_SEAL | BENCH_UNSEAL, &seal, &unseal);
	else if (rx)
		err = bench_kapi(&bench_recs[0], tx, rx, &c->info, size, ms,
				 BENCH_SEAL | BENCH_UNSEAL, &seal, &unseal);
	else if (ntlm)
		err = bench_ntlm_anchor(size, ms, &seal, &unseal, c->driver, c->mac);
	else if (krb5)
		err = bench_krb5_anchor(&c->info, size, ms, &seal, &unseal,
					c->driver, c->mac);
	else
		err = bench_anchor(&c->info, size, ms, &seal, &unseal, c->driver);
	if (err) {
		pr_err("%s: %d\n", cmd, err);
		goto out;
	}
	scnprintf(bench_result, sizeof(bench_result),
		  "path=%s cipher=%s protocol=%#06x driver=%s header=%u trailer=%u package=%s token=%u mac=%s\n"
		  "seal size=%u ops=%llu ns=%llu median=%llu\n"
		  "unseal size=%u ops=%llu ns=%llu median=%llu\n",
		  c->path, c->info.cipher[0] ? c->info.cipher : "-", c->info.protocol,
		  c->driver[0] ? c->driver : "-",
		  c->info.sizes.stream_header, c->info.sizes.stream_trailer,
		  c->info.package ?: "-", c->info.sizes.security_trailer, c->mac,
		  size, seal.ops, seal.ns, seal.median,
		  size, unseal.ops, unseal.ns, unseal.median);
out:
	if (tx)
		sspi_context_put(tx);
	if (rx)
		sspi_context_put(rx);
	if (tx2)
		sspi_context_put(tx2);
	if (rx2)
		sspi_context_put(rx2);
	kfree(c);
	return err;
}

static ssize_t bench_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	char cmd[BENCH_CMD_LEN];
	int err;

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';

	mutex_lock(&bench_lock);
	bench_result[0] = '\0';
	err = bench_command(strim(cmd));
	mutex_unlock(&bench_lock);
	return err ? err : len;
}

static ssize_t bench_read(struct file *file, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&bench_lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, bench_result,
				      strlen(bench_result));
	mutex_unlock(&bench_lock);
	return ret;
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.write = bench_write,
	.read = bench_read,
	.llseek = default_llseek,
};

static void bench_free(void)
{
	unsigned int i;

	for (i = 0; i < BENCH_THREADS; i++)
		bench_rec_free(&bench_recs[i]);
}

static int bench_rec_alloc(struct bench_rec *r)
{
	unsigned int i;

	for (i = 0; i < BENCH_PAGES; i++) {
		r->pages[i] = alloc_page(GFP_KERNEL);
		if (!r->pages[i])
			return -ENOMEM;
		memset(page_address(r->pages[i]), 0x5a, PAGE_SIZE);
	}
	r->hdr = kzalloc(BENCH_ROOM, GFP_KERNEL);
	r->trl = kzalloc(BENCH_ROOM, GFP_KERNEL);
	r->iv = kzalloc(BENCH_ROOM, GFP_KERNEL);
	r->tok = kzalloc(BENCH_TOKEN_ROOM, GFP_KERNEL);
	r->samples = kvmalloc_array(BENCH_MAX_SAMPLES, sizeof(*r->samples),
				    GFP_KERNEL);
	r->samples2 = kvmalloc_array(BENCH_MAX_SAMPLES, sizeof(*r->samples2),
				     GFP_KERNEL);
	if (!r->hdr || !r->trl || !r->iv || !r->tok || !r->samples || !r->samples2)
		return -ENOMEM;
	return 0;
}

static int __init bench_init(void)
{
	unsigned int i;

	for (i = 0; i < BENCH_THREADS; i++)
		if (bench_rec_alloc(&bench_recs[i]))
			goto nomem;
	bench_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("run", 0600, bench_dir, NULL, &bench_fops);
	return 0;

nomem:
	bench_free();
	return -ENOMEM;
}

static void __exit bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
	bench_free();
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sspi_kmod benchmark: seal and unseal against the raw crypto");
SSPI_KMOD_IMPORT_NS();
