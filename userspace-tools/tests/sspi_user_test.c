// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_user_test: SSPI code as it is written on Windows, run against
 * sspi_kmod through the installed libsspi (<sspi_kmod/sspi_user.h>,
 * pkg-config libsspi).
 *
 * Each package gets a pair of mirrored contexts, imported in the kernel
 * with the same fresh keys (a TLS client and server; a Kerberos initiator
 * and acceptor), and messages go from one to the other and back:
 *
 *   Schannel: QueryContextAttributes(SECPKG_ATTR_STREAM_SIZES), then
 *	EncryptMessage on [STREAM_HEADER, DATA, STREAM_TRAILER, EMPTY] over
 *	one buffer, and DecryptMessage on [DATA, EMPTY, EMPTY, EMPTY] of
 *	what arrived: two records at once (EXTRA), a record cut short
 *	(SEC_E_INCOMPLETE_MESSAGE, MISSING), an altered one.
 *   Kerberos: QueryContextAttributes(SECPKG_ATTR_SIZES), then
 *	EncryptMessage on [TOKEN, DATA, PADDING], DecryptMessage on
 *	[TOKEN, DATA] and on [STREAM, DATA], sealed and integrity-only
 *	(pfQOP), replays refused; MakeSignature and VerifySignature on
 *	[DATA, TOKEN].
 *
 *   NTLM: QueryContextAttributes(SECPKG_ATTR_SIZES), then EncryptMessage
 *	on [TOKEN, DATA] and on [TOKEN, DATA|READONLY_WITH_CHECKSUM, DATA,
 *	DATA] (several DATA buffers one message, the read-only one signed,
 *	not sealed), DecryptMessage on the same layouts and on [STREAM, DATA],
 *	altered messages and replays refused with the context still usable;
 *	MakeSignature and VerifySignature on [DATA, TOKEN].
 *   Negotiate: contexts of either mechanism against plain contexts of
 *	that package; SECPKG_ATTR_PACKAGE_INFO says Negotiate,
 *	SECPKG_ATTR_NEGOTIATION_INFO the negotiated package.
 *
 * and all: SECPKG_ATTR_KEY_INFO (the key's bits and the algorithms, as
 * Windows reports them), SECPKG_ATTR_PACKAGE_INFO, DeleteSecurityContext, a deleted
 * handle refused; an unknown package SEC_E_SECPKG_NOT_FOUND.  Prints
 * "ok"/"not ok" per check and exits 1 if any failed.  --no-kernel checks
 * only what needs no module (the layouts, an invalid handle, imports
 * refused before the kernel), for a host without sspi_kmod.
 *
 * "seal HANDLE" and "unseal HANDLE" are a Windows TLS application's data
 * path on a context another program imported (SspiKmodAttachContext):
 * stdin sealed into records on stdout, or records on stdin unsealed to
 * stdout, with sspictl's conventions (a SEC_I_ status's name on stderr
 * and exit 0, a failure's and exit 1), so that openssl_peer.py can put
 * it between OpenSSL's client and server (tests/vm/sspi_user_test.sh).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/random.h>

#include <sspi_kmod/sspi_user.h>
#include <sspi_kmod/libsspi.h>

static int failures, checks;

#define CHECK(cond, ...) check(!!(cond), __VA_ARGS__)

__attribute__((format(printf, 2, 3)))
static int check(int ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (!ok)
		failures++;
	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return ok;
}

static const char *st_name(SECURITY_STATUS st)
{
	static char buf[32];

	switch (st) {
	case SEC_E_OK: return "SEC_E_OK";
	case SEC_E_INVALID_HANDLE: return "SEC_E_INVALID_HANDLE";
	case SEC_E_INVALID_TOKEN: return "SEC_E_INVALID_TOKEN";
	case SEC_E_MESSAGE_ALTERED: return "SEC_E_MESSAGE_ALTERED";
	case SEC_E_OUT_OF_SEQUENCE: return "SEC_E_OUT_OF_SEQUENCE";
	case SEC_E_INCOMPLETE_MESSAGE: return "SEC_E_INCOMPLETE_MESSAGE";
	case SEC_E_DECRYPT_FAILURE: return "SEC_E_DECRYPT_FAILURE";
	case SEC_E_UNSUPPORTED_FUNCTION: return "SEC_E_UNSUPPORTED_FUNCTION";
	case SEC_E_BUFFER_TOO_SMALL: return "SEC_E_BUFFER_TOO_SMALL";
	case SEC_E_INTERNAL_ERROR: return "SEC_E_INTERNAL_ERROR";
	case SEC_E_SECPKG_NOT_FOUND: return "SEC_E_SECPKG_NOT_FOUND";
	case SEC_E_CRYPTO_SYSTEM_INVALID: return "SEC_E_CRYPTO_SYSTEM_INVALID";
	case SEC_I_CONTEXT_EXPIRED: return "SEC_I_CONTEXT_EXPIRED";
	case SEC_I_RENEGOTIATE: return "SEC_I_RENEGOTIATE";
	}
	snprintf(buf, sizeof(buf), "0x%08X", (unsigned int)st);
	return buf;
}

/* @st is @want; says what SspiKmodLastError() said if not */
static int expect(SECURITY_STATUS st, SECURITY_STATUS want, const char *what)
{
	char got[32];

	snprintf(got, sizeof(got), "%s", st_name(st));
	return CHECK(st == want, "%s: %s (expected %s)%s%s", what, got,
		     st_name(want), st == want ? "" : ": ",
		     st == want ? "" : SspiKmodLastError());
}

#define EXPECT(st, want, what) expect((st), (want), (what))

static void random_bytes(void *p, size_t len)
{
	if (getrandom(p, len, 0) != (ssize_t)len) {
		perror("getrandom");
		exit(2);
	}
}

/* One SecBuffer, as its three members are listed */
static SecBuffer sec_buffer(ULONG len, ULONG type, void *p)
{
	SecBuffer b = { .cbBuffer = len, .BufferType = type, .pvBuffer = p };

	return b;
}

static PSecBuffer find_buffer(PSecBufferDesc desc, ULONG type)
{
	ULONG i;

	for (i = 0; i < desc->cBuffers; i++)
		if ((desc->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == type)
			return &desc->pBuffers[i];
	return NULL;
}

static void package_info(PCtxtHandle ctx, const char *name, USHORT rpcid)
{
	SecPkgContext_PackageInfo info = { 0 };
	SECURITY_STATUS st;

	st = QueryContextAttributes(ctx, SECPKG_ATTR_PACKAGE_INFO, &info);
	EXPECT(st, SEC_E_OK, "QueryContextAttributes(PACKAGE_INFO)");
	if (st != SEC_E_OK)
		return;
	CHECK(!strcmp(info.PackageInfo->Name, name) &&
	      info.PackageInfo->wRPCID == rpcid &&
	      (info.PackageInfo->fCapabilities & SECPKG_FLAG_PRIVACY) &&
	      info.PackageInfo->Comment[0],
	      "PACKAGE_INFO: %s (rpcid %u, caps 0x%x, \"%s\")",
	      info.PackageInfo->Name, info.PackageInfo->wRPCID,
	      info.PackageInfo->fCapabilities, info.PackageInfo->Comment);
	FreeContextBuffer(info.PackageInfo);
}

/* SECPKG_ATTR_KEY_INFO: KeySize @bits, the algorithms and their names */
static void key_info(PCtxtHandle ctx, ULONG bits, ULONG sig,
		     const char *sig_name, ULONG enc, const char *enc_name)
{
	SecPkgContext_KeyInfo ki = { 0 };
	SECURITY_STATUS st;

	st = QueryContextAttributes(ctx, SECPKG_ATTR_KEY_INFO, &ki);
	EXPECT(st, SEC_E_OK, "QueryContextAttributes(KEY_INFO)");
	if (st != SEC_E_OK)
		return;
	CHECK(ki.KeySize == bits && ki.SignatureAlgorithm == sig &&
	      ki.EncryptAlgorithm == enc && ki.sSignatureAlgorithmName &&
	      ki.sEncryptAlgorithmName &&
	      !strcmp(ki.sSignatureAlgorithmName, sig_name) &&
	      !strcmp(ki.sEncryptAlgorithmName, enc_name),
	      "KEY_INFO: %u bits, signature 0x%x \"%s\", encryption 0x%x \"%s\"",
	      ki.KeySize, ki.SignatureAlgorithm,
	      ki.sSignatureAlgorithmName ? ki.sSignatureAlgorithmName : "(null)",
	      ki.EncryptAlgorithm,
	      ki.sEncryptAlgorithmName ? ki.sEncryptAlgorithmName : "(null)");
	FreeContextBuffer(ki.sSignatureAlgorithmName);
	FreeContextBuffer(ki.sEncryptAlgorithmName);
}

static void delete_pair(PCtxtHandle a, PCtxtHandle b)
{
	CtxtHandle gone = *a;
	SecBuffer buf[2];
	SecBufferDesc desc = { SECBUFFER_VERSION, 2, buf };
	char data[4] = "gone";
	SECURITY_STATUS st;

	EXPECT(DeleteSecurityContext(a), SEC_E_OK, "DeleteSecurityContext");
	EXPECT(DeleteSecurityContext(b), SEC_E_OK, "DeleteSecurityContext (peer)");
	CHECK(!SecIsValidHandle(a), "the deleted handle is invalidated");
	buf[0] = sec_buffer(sizeof(data), SECBUFFER_DATA, data);
	buf[1] = sec_buffer(0, SECBUFFER_TOKEN, NULL);
	st = MakeSignature(&gone, 0, &desc, 0);
	EXPECT(st, SEC_E_INVALID_HANDLE, "MakeSignature on a deleted context");
}

/* Schannel */

struct wire {
	unsigned char buf[4 * 16384 + 1024];
	size_t len;
};

/* Seal @text into one record appended to @w, as a Windows TLS client does */
static int tls_send(PCtxtHandle ctx, const SecPkgContext_StreamSizes *sz,
		    const char *text, struct wire *w)
{
	size_t n = strlen(text);
	unsigned char *msg = malloc(sz->cbHeader + n + sz->cbTrailer);
	SecBuffer buf[4];
	SecBufferDesc desc = { SECBUFFER_VERSION, 4, buf };
	SECURITY_STATUS st;
	size_t len;

	if (!msg)
		exit(2);
	memcpy(msg + sz->cbHeader, text, n);
	buf[0] = sec_buffer(sz->cbHeader, SECBUFFER_STREAM_HEADER, msg);
	buf[1] = sec_buffer(n, SECBUFFER_DATA, msg + sz->cbHeader);
	buf[2] = sec_buffer(sz->cbTrailer, SECBUFFER_STREAM_TRAILER,
			    msg + sz->cbHeader + n);
	buf[3] = sec_buffer(0, SECBUFFER_EMPTY, NULL);
	st = EncryptMessage(ctx, 0, &desc, 0);
	if (!EXPECT(st, SEC_E_OK, "EncryptMessage [STREAM_HEADER, DATA, STREAM_TRAILER, EMPTY]")) {
		free(msg);
		return -1;
	}
	len = buf[0].cbBuffer + buf[1].cbBuffer + buf[2].cbBuffer;
	CHECK(len > n && buf[0].cbBuffer == sz->cbHeader &&
	      buf[2].cbBuffer <= sz->cbTrailer && msg[0] == 0x17,
	      "a %zu-byte record (header %u, trailer %u) for %zu bytes",
	      len, buf[0].cbBuffer, buf[2].cbBuffer, n);
	memcpy(w->buf + w->len, msg, len);
	w->len += len;
	free(msg);
	return 0;
}

/*
 * Unseal the first record of @w into @out (NUL-ended) and take it off
 * @w, as a Windows TLS reader does: the status of DecryptMessage.
 */
static SECURITY_STATUS tls_recv(PCtxtHandle ctx, struct wire *w, char *out,
				size_t out_size, ULONG *missing)
{
	SecBuffer buf[4];
	SecBufferDesc desc = { SECBUFFER_VERSION, 4, buf };
	PSecBuffer data, extra, miss;
	SECURITY_STATUS st;

	buf[0] = sec_buffer(w->len, SECBUFFER_DATA, w->buf);
	buf[1] = sec_buffer(0, SECBUFFER_EMPTY, NULL);
	buf[2] = sec_buffer(0, SECBUFFER_EMPTY, NULL);
	buf[3] = sec_buffer(0, SECBUFFER_EMPTY, NULL);
	st = DecryptMessage(ctx, &desc, 0, NULL);
	if (st == SEC_E_INCOMPLETE_MESSAGE) {
		miss = find_buffer(&desc, SECBUFFER_MISSING);
		*missing = miss ? miss->cbBuffer : 0;
		return st;
	}
	if (st != SEC_E_OK)
		return st;
	data = find_buffer(&desc, SECBUFFER_DATA);
	extra = find_buffer(&desc, SECBUFFER_EXTRA);
	if (!data || data->cbBuffer >= out_size)
		return SEC_E_INTERNAL_ERROR;
	memcpy(out, data->pvBuffer, data->cbBuffer);
	out[data->cbBuffer] = 0;
	if (extra && extra->cbBuffer) {
		memmove(w->buf, w->buf + w->len - extra->cbBuffer,
			extra->cbBuffer);
		w->len = extra->cbBuffer;
	} else {
		w->len = 0;
	}
	return st;
}

static __u64 kernel_handle(const CtxtHandle *h)
{
	return (__u64)(h->dwUpper & 0xffffffffu) << 32 | (h->dwLower & 0xffffffffu);
}

#define BATCH_N 16

/*
 * libsspi's sspi_message_batch(): BATCH_N records sealed by @tx in one
 * call, opened by @rx in one call; then three more, the second altered:
 * the batch stops there, and the rest sent again opens.
 */
static void tls_batch(PCtxtHandle tx, PCtxtHandle rx, const SecPkgContext_StreamSizes *sz)
{
	static unsigned char rec[BATCH_N][5 + 8 + 4096 + 32];
	static struct sspi_msg m[BATCH_N];
	unsigned int i, done, n, ok = 1;
	size_t len[BATCH_N];

	memset(m, 0, sizeof(m));
	for (i = 0; i < BATCH_N; i++) {
		n = 1 + i * 255;
		memset(rec[i] + sz->cbHeader, 'a' + i, n);
		m[i].handle = kernel_handle(tx);
		sspi_msg_add(&m[i], SSPI_SECBUFFER_STREAM_HEADER, rec[i], sz->cbHeader);
		sspi_msg_add(&m[i], SSPI_SECBUFFER_DATA, rec[i] + sz->cbHeader, n);
		sspi_msg_add(&m[i], SSPI_SECBUFFER_STREAM_TRAILER, rec[i] + sz->cbHeader + n,
			     sz->cbTrailer);
		sspi_msg_add(&m[i], SSPI_SECBUFFER_EMPTY, NULL, 0);
	}
	if (!CHECK(!sspi_message_batch(SSPI_CMD_ENCRYPT, m, BATCH_N, 0, &done) &&
		   done == BATCH_N, "sspi_message_batch: %u records sealed in one call", done))
		return;
	for (i = 0; i < BATCH_N; i++) {
		ok &= m[i].status == SSPI_SEC_E_OK;
		len[i] = m[i].buf[0].len + m[i].buf[1].len + m[i].buf[2].len;
		memset(&m[i], 0, sizeof(m[i]));
		m[i].handle = kernel_handle(rx);
		sspi_msg_add(&m[i], SSPI_SECBUFFER_DATA, rec[i], len[i]);
		sspi_msg_add(&m[i], SSPI_SECBUFFER_EMPTY, NULL, 0);
		sspi_msg_add(&m[i], SSPI_SECBUFFER_EMPTY, NULL, 0);
		sspi_msg_add(&m[i], SSPI_SECBUFFER_EMPTY, NULL, 0);
	}
	/* the third record altered: the batch stops after it */
	rec[2][len[2] - 1] ^= 1;
	ok &= !sspi_message_batch(SSPI_CMD_DECRYPT, m, BATCH_N, 0, &done) && done == 3 &&
	      m[0].status == SSPI_SEC_E_OK && m[1].status == SSPI_SEC_E_OK &&
	      m[2].status == SSPI_SEC_E_MESSAGE_ALTERED;
	CHECK(ok, "sspi_message_batch: unsealing stops at the altered third record (done %u)",
	      done);
	rec[2][len[2] - 1] ^= 1;
	memset(&m[2], 0, sizeof(m[2]));
	m[2].handle = kernel_handle(rx);
	sspi_msg_add(&m[2], SSPI_SECBUFFER_DATA, rec[2], len[2]);
	for (i = 0; i < 3; i++)
		sspi_msg_add(&m[2], SSPI_SECBUFFER_EMPTY, NULL, 0);
	ok = !sspi_message_batch(SSPI_CMD_DECRYPT, m + 2, BATCH_N - 2, 0, &done) &&
	     done == BATCH_N - 2;
	for (i = 0; i < BATCH_N; i++) {
		struct sspi_buf *d = sspi_msg_find(&m[i], SSPI_SECBUFFER_DATA);

		ok &= m[i].status == SSPI_SEC_E_OK && d && d->len == 1 + i * 255 &&
		      d->data[0] == 'a' + i && d->data[d->len - 1] == 'a' + i;
	}
	CHECK(ok, "sspi_message_batch: the rest sent again, every record opened in place");
}

static void tls_pair(unsigned short version, unsigned short cipher,
		     const char *what)
{
	struct sspi_tls_import ci = { 0 }, si;
	SecPkgContext_StreamSizes sz;
	CtxtHandle client, server;
	static struct wire w;
	SECURITY_STATUS st;
	ULONG missing = 0;
	char text[256];
	size_t full;

	printf("# Schannel, %s\n", what);
	ci.version = version;
	ci.cipher = cipher;
	random_bytes(&ci.tx, sizeof(ci.tx));
	random_bytes(&ci.rx, sizeof(ci.rx));
	memset(ci.tx.rec_seq, 0, sizeof(ci.tx.rec_seq));
	memset(ci.rx.rec_seq, 0, sizeof(ci.rx.rec_seq));
	si = ci;
	si.tx = ci.rx;
	si.rx = ci.tx;
	st = SspiKmodImportTlsContext(&ci, 0, &client);
	if (!EXPECT(st, SEC_E_OK, "SspiKmodImportTlsContext (client)"))
		return;
	st = SspiKmodImportTlsContext(&si, 0, &server);
	if (!EXPECT(st, SEC_E_OK, "SspiKmodImportTlsContext (server)")) {
		DeleteSecurityContext(&client);
		return;
	}
	explicit_bzero(&ci, sizeof(ci));
	explicit_bzero(&si, sizeof(si));

	st = QueryContextAttributes(&client, SECPKG_ATTR_STREAM_SIZES, &sz);
	if (!EXPECT(st, SEC_E_OK, "QueryContextAttributes(STREAM_SIZES)"))
		goto out;
	CHECK(sz.cbHeader == 5 + (version == SSPI_TLS_VERSION_1_2 &&
				  cipher != SSPI_TLS_CIPHER_CHACHA20_POLY1305 ? 8 : 0) &&
	      sz.cbTrailer >= 16 && sz.cbMaximumMessage == 16384 &&
	      sz.cBuffers == 4,
	      "STREAM_SIZES: header %u, trailer %u, max message %u, %u buffers",
	      sz.cbHeader, sz.cbTrailer, sz.cbMaximumMessage, sz.cBuffers);
	package_info(&client, "Schannel", RPC_C_AUTHN_GSS_SCHANNEL);
	if (cipher == SSPI_TLS_CIPHER_AES_GCM_128)
		key_info(&server, 128, 0, "", CALG_AES_128, "aes-128-gcm");
	else if (cipher == SSPI_TLS_CIPHER_AES_GCM_256)
		key_info(&server, 256, 0, "", CALG_AES_256, "aes-256-gcm");
	else
		key_info(&server, 256, 0, "", 0, "chacha20-poly1305");

	/* two records arrive at once: the first leaves the second as EXTRA */
	w.len = 0;
	if (tls_send(&client, &sz, "hello, server", &w) ||
	    tls_send(&client, &sz, "and a second record", &w))
		goto out;
	st = tls_recv(&server, &w, text, sizeof(text), &missing);
	EXPECT(st, SEC_E_OK, "DecryptMessage [DATA, EMPTY, EMPTY, EMPTY]");
	CHECK(st == SEC_E_OK && !strcmp(text, "hello, server") && w.len,
	      "the first record's text, the second left as EXTRA (%zu bytes)",
	      w.len);
	/* the second, cut short by one byte, then whole */
	full = w.len;
	w.len = full - 1;
	st = tls_recv(&server, &w, text, sizeof(text), &missing);
	EXPECT(st, SEC_E_INCOMPLETE_MESSAGE, "DecryptMessage of a record cut short");
	CHECK(missing == 1, "MISSING says %u byte(s) more", missing);
	w.len = full;
	st = tls_recv(&server, &w, text, sizeof(text), &missing);
	EXPECT(st, SEC_E_OK, "DecryptMessage of the EXTRA bytes");
	CHECK(st == SEC_E_OK && !strcmp(text, "and a second record") &&
	      !w.len, "the second record's text, nothing left");

	tls_batch(&client, &server, &sz);

	/* the other way, and altered on the way */
	w.len = 0;
	if (tls_send(&server, &sz, "hello, client", &w))
		goto out;
	st = tls_recv(&client, &w, text, sizeof(text), &missing);
	EXPECT(st, SEC_E_OK, "DecryptMessage on the client");
	CHECK(st == SEC_E_OK && !strcmp(text, "hello, client"),
	      "the server's text");
	w.len = 0;
	if (tls_send(&server, &sz, "altered", &w))
		goto out;
	w.buf[w.len - 1] ^= 0x10;
	st = tls_recv(&client, &w, text, sizeof(text), &missing);
	CHECK(st == SEC_E_MESSAGE_ALTERED || st == SEC_E_DECRYPT_FAILURE,
	      "an altered record: %s", st_name(st));
out:
	delete_pair(&client, &server);
}

/* Kerberos */

struct token {
	unsigned char *p;
	size_t token_len, data_len, pad_len;
};

/* EncryptMessage on [TOKEN, DATA, PADDING], as a Windows Kerberos sender */
static SECURITY_STATUS krb5_wrap(PCtxtHandle ctx, const SecPkgContext_Sizes *sz,
				 ULONG qop, const char *text, struct token *t)
{
	size_t n = strlen(text);
	SecBuffer buf[3];
	SecBufferDesc desc = { SECBUFFER_VERSION, 3, buf };
	SECURITY_STATUS st;

	t->p = malloc(sz->cbSecurityTrailer + n + sz->cbBlockSize);
	if (!t->p)
		exit(2);
	memcpy(t->p + sz->cbSecurityTrailer, text, n);
	buf[0] = sec_buffer(sz->cbSecurityTrailer, SECBUFFER_TOKEN, t->p);
	buf[1] = sec_buffer(n, SECBUFFER_DATA, t->p + sz->cbSecurityTrailer);
	buf[2] = sec_buffer(sz->cbBlockSize, SECBUFFER_PADDING,
			    t->p + sz->cbSecurityTrailer + n);
	st = EncryptMessage(ctx, qop, &desc, 0);
	if (st != SEC_E_OK)
		return st;
	/* what goes on the wire: TOKEN, DATA and PADDING as they came back */
	memmove(t->p + buf[0].cbBuffer, buf[1].pvBuffer, buf[1].cbBuffer);
	memmove(t->p + buf[0].cbBuffer + buf[1].cbBuffer, buf[2].pvBuffer,
		buf[2].cbBuffer);
	t->token_len = buf[0].cbBuffer;
	t->data_len = buf[1].cbBuffer;
	t->pad_len = buf[2].cbBuffer;
	return st;
}

/* DecryptMessage on [TOKEN, DATA] (and PADDING if any); the text in @out */
static SECURITY_STATUS krb5_unwrap_token(PCtxtHandle ctx, struct token *t,
					 ULONG *qop, char *out)
{
	SecBuffer buf[3];
	SecBufferDesc desc = { SECBUFFER_VERSION, 2, buf };
	SECURITY_STATUS st;

	buf[0] = sec_buffer(t->token_len, SECBUFFER_TOKEN, t->p);
	buf[1] = sec_buffer(t->data_len, SECBUFFER_DATA, t->p + t->token_len);
	/* rc4-hmac's padding byte comes back in its own buffer */
	buf[2] = sec_buffer(t->pad_len, SECBUFFER_PADDING,
			    t->p + t->token_len + t->data_len);
	if (t->pad_len)
		desc.cBuffers = 3;
	st = DecryptMessage(ctx, &desc, 0, qop);
	if (st == SEC_E_OK) {
		memcpy(out, buf[1].pvBuffer, buf[1].cbBuffer);
		out[buf[1].cbBuffer] = 0;
	}
	return st;
}

/* DecryptMessage on [STREAM, DATA]: DATA points into the STREAM */
static SECURITY_STATUS krb5_unwrap_stream(PCtxtHandle ctx, struct token *t,
					  ULONG *qop, char *out)
{
	SecBuffer buf[2];
	SecBufferDesc desc = { SECBUFFER_VERSION, 2, buf };
	size_t len = t->token_len + t->data_len + t->pad_len;
	SECURITY_STATUS st;

	buf[0] = sec_buffer(len, SECBUFFER_STREAM, t->p);
	buf[1] = sec_buffer(0, SECBUFFER_DATA, NULL);
	st = DecryptMessage(ctx, &desc, 0, qop);
	if (st == SEC_E_OK) {
		if ((unsigned char *)buf[1].pvBuffer < t->p ||
		    (unsigned char *)buf[1].pvBuffer + buf[1].cbBuffer > t->p + len)
			return SEC_E_INTERNAL_ERROR;
		memcpy(out, buf[1].pvBuffer, buf[1].cbBuffer);
		out[buf[1].cbBuffer] = 0;
	}
	return st;
}

static void krb5_pair(unsigned int enctype, unsigned int key_len)
{
	struct sspi_krb5_import ii = { 0 }, ai;
	unsigned char copy[512], sig[128];
	CtxtHandle init, acc;
	SecPkgContext_Sizes sz;
	SecPkgContext_StreamSizes ssz;
	struct token t = { 0 };
	SecBuffer buf[2];
	SecBufferDesc desc = { SECBUFFER_VERSION, 2, buf };
	char text[512], msg[] = "a message for the acceptor";
	SECURITY_STATUS st;
	ULONG qop;
	size_t len;

	printf("# Kerberos, enctype %u\n", enctype);
	ii.enctype = enctype;
	ii.key_len = key_len;
	/* replays refused; gaps (the altered token below) let through */
	ii.flags = SSPI_KRB5_F_INITIATOR | SSPI_KRB5_F_REPLAY;
	random_bytes(ii.key, key_len);
	random_bytes(&ii.send_seq, sizeof(ii.send_seq));
	random_bytes(&ii.recv_seq, sizeof(ii.recv_seq));
	ii.send_seq &= 0xffffffu;
	ii.recv_seq &= 0xffffffu;
	ai = ii;
	ai.flags &= ~SSPI_KRB5_F_INITIATOR;
	ai.send_seq = ii.recv_seq;
	ai.recv_seq = ii.send_seq;
	st = SspiKmodImportKerberosContext(&ii, 0, &init);
	if (!EXPECT(st, SEC_E_OK, "SspiKmodImportKerberosContext (initiator)"))
		return;
	st = SspiKmodImportKerberosContext(&ai, 0, &acc);
	if (!EXPECT(st, SEC_E_OK, "SspiKmodImportKerberosContext (acceptor)")) {
		DeleteSecurityContext(&init);
		return;
	}
	explicit_bzero(&ii, sizeof(ii));
	explicit_bzero(&ai, sizeof(ai));

	st = QueryContextAttributes(&init, SECPKG_ATTR_SIZES, &sz);
	if (!EXPECT(st, SEC_E_OK, "QueryContextAttributes(SIZES)"))
		goto out;
	CHECK(sz.cbMaxToken == 48000 && sz.cbMaxSignature &&
	      sz.cbSecurityTrailer && sz.cbBlockSize,
	      "SIZES: max token %u, max signature %u, block %u, trailer %u",
	      sz.cbMaxToken, sz.cbMaxSignature, sz.cbBlockSize,
	      sz.cbSecurityTrailer);
	st = QueryContextAttributes(&init, SECPKG_ATTR_STREAM_SIZES, &ssz);
	EXPECT(st, SEC_E_UNSUPPORTED_FUNCTION, "QueryContextAttributes(STREAM_SIZES)");
	package_info(&init, "Kerberos", RPC_C_AUTHN_GSS_KERBEROS);
	switch (enctype) {
	case SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA1_96:
		key_info(&acc, 128, 15, "hmac-sha1-96-aes128", enctype,
			 "aes128-cts-hmac-sha1-96");
		break;
	case SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96:
		key_info(&acc, 256, 16, "hmac-sha1-96-aes256", enctype,
			 "aes256-cts-hmac-sha1-96");
		break;
	case SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA256_128:
		key_info(&acc, 128, 19, "hmac-sha256-128-aes128", enctype,
			 "aes128-cts-hmac-sha256-128");
		break;
	case SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA384_192:
		key_info(&acc, 256, 20, "hmac-sha384-192-aes256", enctype,
			 "aes256-cts-hmac-sha384-192");
		break;
	default:
		key_info(&acc, 128, (ULONG)-138, "HMAC-MD5", enctype,
			 "arcfour-hmac");
	}

	/* sealed, unsealed from TOKEN and DATA */
	st = krb5_wrap(&init, &sz, 0, msg, &t);
	EXPECT(st, SEC_E_OK, "EncryptMessage [TOKEN, DATA, PADDING]");
	if (st != SEC_E_OK)
		goto out;
	len = t.token_len + t.data_len + t.pad_len;
	memcpy(copy, t.p, len);
	qop = 1;
	st = krb5_unwrap_token(&acc, &t, &qop, text);
	EXPECT(st, SEC_E_OK, "DecryptMessage [TOKEN, DATA]");
	CHECK(st == SEC_E_OK && !strcmp(text, msg) && qop == 0,
	      "the text, sealed (pfQOP %u)", qop);
	/* the same token again is a replay */
	memcpy(t.p, copy, len);
	st = krb5_unwrap_stream(&acc, &t, &qop, text);
	CHECK(st == SEC_E_OUT_OF_SEQUENCE, "the token replayed: %s", st_name(st));
	free(t.p);

	/* integrity only, the other way, unsealed from a STREAM */
	st = krb5_wrap(&acc, &sz, KERB_WRAP_NO_ENCRYPT, "integrity only", &t);
	EXPECT(st, SEC_E_OK, "EncryptMessage(KERB_WRAP_NO_ENCRYPT)");
	if (st != SEC_E_OK)
		goto out;
	CHECK(!memcmp(t.p + t.token_len, "integrity only", 14),
	      "integrity only: the DATA stays as it was");
	st = krb5_unwrap_stream(&init, &t, &qop, text);
	EXPECT(st, SEC_E_OK, "DecryptMessage [STREAM, DATA]");
	CHECK(st == SEC_E_OK && !strcmp(text, "integrity only") &&
	      qop == KERB_WRAP_NO_ENCRYPT,
	      "the text, integrity only (pfQOP 0x%08x)", qop);
	free(t.p);

	/* altered */
	st = krb5_wrap(&init, &sz, 0, msg, &t);
	EXPECT(st, SEC_E_OK, "EncryptMessage, once more");
	if (st != SEC_E_OK)
		goto out;
	t.p[t.token_len + 1] ^= 0x10;
	st = krb5_unwrap_token(&acc, &t, &qop, text);
	EXPECT(st, SEC_E_MESSAGE_ALTERED, "DecryptMessage of an altered token");
	free(t.p);

	/* a signature each way */
	memset(sig, 0, sizeof(sig));
	buf[0] = sec_buffer(sizeof(msg) - 1, SECBUFFER_DATA, msg);
	buf[1] = sec_buffer(sz.cbMaxSignature, SECBUFFER_TOKEN, sig);
	st = MakeSignature(&acc, 0, &desc, 0);
	EXPECT(st, SEC_E_OK, "MakeSignature [DATA, TOKEN]");
	CHECK(buf[1].cbBuffer && buf[1].cbBuffer <= sz.cbMaxSignature,
	      "a %u-byte signature", buf[1].cbBuffer);
	st = VerifySignature(&init, &desc, 0, &qop);
	EXPECT(st, SEC_E_OK, "VerifySignature [DATA, TOKEN]");
	buf[0] = sec_buffer(sizeof(msg) - 1, SECBUFFER_DATA, msg);
	buf[1] = sec_buffer(sz.cbMaxSignature, SECBUFFER_TOKEN, sig);
	st = MakeSignature(&init, 0, &desc, 0);
	EXPECT(st, SEC_E_OK, "MakeSignature on the initiator");
	msg[0] ^= 1;
	st = VerifySignature(&acc, &desc, 0, &qop);
	msg[0] ^= 1;
	EXPECT(st, SEC_E_MESSAGE_ALTERED, "VerifySignature of altered data");
out:
	delete_pair(&init, &acc);
}

/* NTLM */

/* The NegotiateFlags Windows sends: 128-bit, KEY_EXCH, ESS, sign, seal */
#define NTLM_FLAGS_WIN	0xe2088235u
#define NTLM_SIG	16

/* NTLM's seal: EncryptMessage on [TOKEN, DATA] in place in @p */
static SECURITY_STATUS ntlm_wrap(PCtxtHandle ctx, unsigned char *p,
				 size_t n)
{
	SecBuffer buf[2];
	SecBufferDesc desc = { SECBUFFER_VERSION, 2, buf };
	SECURITY_STATUS st;

	buf[0] = sec_buffer(NTLM_SIG, SECBUFFER_TOKEN, p);
	buf[1] = sec_buffer(n, SECBUFFER_DATA, p + NTLM_SIG);
	st = EncryptMessage(ctx, 0, &desc, 0);
	if (st == SEC_E_OK &&
	    (buf[0].cbBuffer != NTLM_SIG || buf[0].pvBuffer != p ||
	     buf[1].cbBuffer != n || buf[1].pvBuffer != p + NTLM_SIG))
		return SEC_E_INTERNAL_ERROR;
	return st;
}

/* DecryptMessage on [TOKEN, DATA] in place */
static SECURITY_STATUS ntlm_unwrap(PCtxtHandle ctx, unsigned char *p,
				   size_t n)
{
	SecBuffer buf[2];
	SecBufferDesc desc = { SECBUFFER_VERSION, 2, buf };

	buf[0] = sec_buffer(NTLM_SIG, SECBUFFER_TOKEN, p);
	buf[1] = sec_buffer(n, SECBUFFER_DATA, p + NTLM_SIG);
	return DecryptMessage(ctx, &desc, 0, NULL);
}

static void no_negotiation_info(PCtxtHandle ctx)
{
	SecPkgContext_NegotiationInfo ni;

	EXPECT(QueryContextAttributes(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni),
	       SEC_E_UNSUPPORTED_FUNCTION,
	       "QueryContextAttributes(NEGOTIATION_INFO) outside Negotiate");
}

static void negotiation_info(PCtxtHandle ctx, const char *name, USHORT rpcid)
{
	SecPkgContext_NegotiationInfo ni = { 0 };
	SECURITY_STATUS st;

	st = QueryContextAttributes(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni);
	if (!EXPECT(st, SEC_E_OK, "QueryContextAttributes(NEGOTIATION_INFO)"))
		return;
	CHECK(!strcmp(ni.PackageInfo->Name, name) &&
	      ni.PackageInfo->wRPCID == rpcid &&
	      ni.NegotiationState == SECPKG_NEGOTIATION_COMPLETE,
	      "NEGOTIATION_INFO: %s (rpcid %u), state %u",
	      ni.PackageInfo->Name, ni.PackageInfo->wRPCID,
	      ni.NegotiationState);
	FreeContextBuffer(ni.PackageInfo);
}

/*
 * Messages between @init and @acc, an NTLM pair with extended session
 * security (either may be a Negotiate context that selected NTLM): each
 * side's first messages are consumed here
 */
static void ntlm_messages(PCtxtHandle init, PCtxtHandle acc)
{
	unsigned char m[NTLM_SIG + 64], copy[NTLM_SIG + 64], sig[NTLM_SIG];
	static const char text[] = "a message sealed by NTLM";
	const size_t n = sizeof(text) - 1;
	unsigned char hdr[8] = "RPC-HDR", stub[20] = "the sealed stub....", tr[4] = "TRL";
	unsigned char hdr0[8], stub0[20];
	SecBuffer buf[4];
	SecBufferDesc desc = { SECBUFFER_VERSION, 2, buf };
	SECURITY_STATUS st;
	ULONG qop;

	/* [TOKEN, DATA] both ways */
	memcpy(m + NTLM_SIG, text, n);
	st = ntlm_wrap(init, m, n);
	EXPECT(st, SEC_E_OK, "EncryptMessage [TOKEN(16), DATA]");
	CHECK(memcmp(m + NTLM_SIG, text, n), "the DATA is encrypted in place");
	memcpy(copy, m, NTLM_SIG + n);
	st = ntlm_unwrap(acc, m, n);
	EXPECT(st, SEC_E_OK, "DecryptMessage [TOKEN, DATA]");
	CHECK(st == SEC_E_OK && !memcmp(m + NTLM_SIG, text, n), "the text");
	/* replayed */
	memcpy(m, copy, NTLM_SIG + n);
	EXPECT(ntlm_unwrap(acc, m, n), SEC_E_OUT_OF_SEQUENCE, "DecryptMessage of a replay");

	/* the other way, altered, then genuine through a STREAM */
	memcpy(m + NTLM_SIG, text, n);
	EXPECT(ntlm_wrap(acc, m, n), SEC_E_OK, "EncryptMessage on the acceptor");
	memcpy(copy, m, NTLM_SIG + n);
	m[NTLM_SIG + 3] ^= 0x40;
	EXPECT(ntlm_unwrap(init, m, n), SEC_E_MESSAGE_ALTERED,
	       "DecryptMessage of an altered message");
	memcpy(m, copy, NTLM_SIG + n);
	m[5] ^= 1;
	EXPECT(ntlm_unwrap(init, m, n), SEC_E_MESSAGE_ALTERED,
	       "DecryptMessage of an altered signature");
	memcpy(m, copy, NTLM_SIG + n);
	buf[0] = sec_buffer(NTLM_SIG + n, SECBUFFER_STREAM, m);
	buf[1] = sec_buffer(0, SECBUFFER_DATA, NULL);
	st = DecryptMessage(init, &desc, 0, &qop);
	EXPECT(st, SEC_E_OK, "DecryptMessage [STREAM, DATA] after the altered ones");
	CHECK(st == SEC_E_OK && buf[1].cbBuffer == n &&
	      buf[1].pvBuffer == m + NTLM_SIG &&
	      !memcmp(buf[1].pvBuffer, text, n) && qop == 0,
	      "DATA points into the STREAM at the text (%u bytes, pfQOP %u)",
	      buf[1].cbBuffer, qop);

	/* DCE/RPC: header and trailer signed, the stub sealed, one message */
	memcpy(hdr0, hdr, sizeof(hdr));
	memcpy(stub0, stub, sizeof(stub));
	desc.cBuffers = 4;
	buf[0] = sec_buffer(sizeof(hdr), SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, hdr);
	buf[1] = sec_buffer(sizeof(stub), SECBUFFER_DATA, stub);
	buf[2] = sec_buffer(sizeof(tr), SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, tr);
	buf[3] = sec_buffer(NTLM_SIG, SECBUFFER_TOKEN, sig);
	st = EncryptMessage(init, 0, &desc, 0);
	EXPECT(st, SEC_E_OK, "EncryptMessage [DATA|READONLY_WITH_CHECKSUM, DATA, DATA|RO, TOKEN]");
	CHECK(!memcmp(hdr, hdr0, sizeof(hdr)) && memcmp(stub, stub0, sizeof(stub)),
	      "the read-only header stays as it was, the stub is sealed");
	hdr[0] ^= 1;
	st = DecryptMessage(acc, &desc, 0, &qop);
	EXPECT(st, SEC_E_MESSAGE_ALTERED, "DecryptMessage with the signed header altered");
	hdr[0] ^= 1;
	st = DecryptMessage(acc, &desc, 0, &qop);
	EXPECT(st, SEC_E_OK, "DecryptMessage of the PDU");
	CHECK(!memcmp(stub, stub0, sizeof(stub)) && !memcmp(hdr, hdr0, sizeof(hdr)),
	      "the stub unsealed in place");

	/* signatures, [DATA, TOKEN] */
	desc.cBuffers = 2;
	memcpy(m, text, n);
	buf[0] = sec_buffer(n, SECBUFFER_DATA, m);
	buf[1] = sec_buffer(sizeof(sig), SECBUFFER_TOKEN, sig);
	st = MakeSignature(acc, 0, &desc, 0);
	EXPECT(st, SEC_E_OK, "MakeSignature [DATA, TOKEN]");
	CHECK(buf[1].cbBuffer == NTLM_SIG && sig[0] == 1 && !sig[1] && !sig[2] && !sig[3],
	      "a 16-byte signature of version 1 (%u bytes)", buf[1].cbBuffer);
	m[0] ^= 1;
	EXPECT(VerifySignature(init, &desc, 0, &qop), SEC_E_MESSAGE_ALTERED,
	       "VerifySignature of altered data");
	m[0] ^= 1;
	EXPECT(VerifySignature(init, &desc, 0, &qop), SEC_E_OK,
	       "VerifySignature [DATA, TOKEN] after the altered one");
	EXPECT(VerifySignature(init, &desc, 0, &qop), SEC_E_OUT_OF_SEQUENCE,
	       "VerifySignature of a replay");
}

static void ntlm_import_pair(struct sspi_ntlm_import *ii,
			     struct sspi_ntlm_import *ai, __u32 flags)
{
	memset(ii, 0, sizeof(*ii));
	ii->negotiate_flags = flags;
	ii->flags = SSPI_NTLM_F_INITIATOR;
	random_bytes(ii->session_key, sizeof(ii->session_key));
	*ai = *ii;
	ai->flags = 0;
}

static void ntlm_pair(void)
{
	struct sspi_ntlm_import ii, ai;
	SecPkgContext_StreamSizes ssz;
	SecPkgContext_Sizes sz;
	CtxtHandle init, acc;
	SECURITY_STATUS st;

	printf("# NTLM, NegotiateFlags 0x%08x\n", NTLM_FLAGS_WIN);
	ntlm_import_pair(&ii, &ai, NTLM_FLAGS_WIN);
	st = SspiKmodImportNtlmContext(&ii, 0, &init);
	if (!EXPECT(st, SEC_E_OK, "SspiKmodImportNtlmContext (initiator)"))
		return;
	st = SspiKmodImportNtlmContext(&ai, 0, &acc);
	if (!EXPECT(st, SEC_E_OK, "SspiKmodImportNtlmContext (acceptor)")) {
		DeleteSecurityContext(&init);
		return;
	}
	explicit_bzero(&ii, sizeof(ii));
	explicit_bzero(&ai, sizeof(ai));

	st = QueryContextAttributes(&init, SECPKG_ATTR_SIZES, &sz);
	if (EXPECT(st, SEC_E_OK, "QueryContextAttributes(SIZES)"))
		CHECK(sz.cbMaxToken && sz.cbMaxSignature == 16 &&
		      sz.cbSecurityTrailer == 16 && sz.cbBlockSize == 0,
		      "SIZES: max token %u, max signature %u, block %u, trailer %u",
		      sz.cbMaxToken, sz.cbMaxSignature, sz.cbBlockSize,
		      sz.cbSecurityTrailer);
	st = QueryContextAttributes(&init, SECPKG_ATTR_STREAM_SIZES, &ssz);
	EXPECT(st, SEC_E_UNSUPPORTED_FUNCTION, "QueryContextAttributes(STREAM_SIZES)");
	package_info(&init, "NTLM", RPC_C_AUTHN_WINNT);
	key_info(&acc, 128, (ULONG)-138, "HMAC-MD5", 0x6801, "RSADSI RC4");
	no_negotiation_info(&acc);
	ntlm_messages(&init, &acc);
	delete_pair(&init, &acc);

	/* without NEGOTIATE_128 the flags weaken the key to 56 bits */
	ntlm_import_pair(&ii, &ai, NTLM_FLAGS_WIN & ~SSPI_NTLMSSP_NEGOTIATE_128);
	explicit_bzero(&ai, sizeof(ai));
	st = SspiKmodImportNtlmContext(&ii, 0, &init);
	explicit_bzero(&ii, sizeof(ii));
	if (!EXPECT(st, SEC_E_OK, "SspiKmodImportNtlmContext (56-bit)"))
		return;
	key_info(&init, 56, (ULONG)-138, "HMAC-MD5", 0x6801, "RSADSI RC4");
	EXPECT(DeleteSecurityContext(&init), SEC_E_OK,
	       "DeleteSecurityContext (56-bit)");
}

/* Negotiate */

static void negotiate_ntlm(void)
{
	struct sspi_ntlm_import ii, ai;
	CtxtHandle init, acc;
	SECURITY_STATUS st;

	printf("# Negotiate, NTLM: a Negotiate initiator, an NTLM acceptor\n");
	ntlm_import_pair(&ii, &ai, NTLM_FLAGS_WIN);
	st = SspiKmodImportNegotiateContext(SSPI_NEGOTIATE_MECH_NTLM, &ii,
					    sizeof(ii), 600, &init);
	if (!EXPECT(st, SEC_E_OK, "SspiKmodImportNegotiateContext (NTLM)"))
		return;
	st = SspiKmodImportNtlmContext(&ai, 0, &acc);
	if (!EXPECT(st, SEC_E_OK, "SspiKmodImportNtlmContext (acceptor)")) {
		DeleteSecurityContext(&init);
		return;
	}
	explicit_bzero(&ii, sizeof(ii));
	explicit_bzero(&ai, sizeof(ai));
	package_info(&init, "Negotiate", RPC_C_AUTHN_GSS_NEGOTIATE);
	negotiation_info(&init, "NTLM", RPC_C_AUTHN_WINNT);
	key_info(&init, 128, (ULONG)-138, "HMAC-MD5", 0x6801, "RSADSI RC4");
	ntlm_messages(&init, &acc);
	delete_pair(&init, &acc);
}

static void negotiate_kerberos(void)
{
	struct sspi_krb5_import ii = { 0 }, ai;
	unsigned char sig[64];
	char msg[] = "signed through Negotiate";
	SecBuffer buf[2];
	SecBufferDesc desc = { SECBUFFER_VERSION, 2, buf };
	SecPkgContext_Sizes sz;
	CtxtHandle init, acc;
	SECURITY_STATUS st;
	struct token t = { 0 };
	char text[128];
	ULONG qop;

	printf("# Negotiate, Kerberos: a Kerberos initiator, a Negotiate acceptor\n");
	ii.enctype = SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96;
	ii.key_len = 32;
	ii.flags = SSPI_KRB5_F_INITIATOR;
	random_bytes(ii.key, 32);
	ai = ii;
	ai.flags = SSPI_KRB5_F_REPLAY;
	st = SspiKmodImportKerberosContext(&ii, 0, &init);
	if (!EXPECT(st, SEC_E_OK, "SspiKmodImportKerberosContext (initiator)"))
		return;
	st = SspiKmodImportNegotiateContext(SSPI_NEGOTIATE_MECH_KERBEROS, &ai,
					    sizeof(ai), 0, &acc);
	if (!EXPECT(st, SEC_E_OK, "SspiKmodImportNegotiateContext (Kerberos)")) {
		DeleteSecurityContext(&init);
		return;
	}
	explicit_bzero(&ii, sizeof(ii));
	explicit_bzero(&ai, sizeof(ai));
	package_info(&acc, "Negotiate", RPC_C_AUTHN_GSS_NEGOTIATE);
	negotiation_info(&acc, "Kerberos", RPC_C_AUTHN_GSS_KERBEROS);
	key_info(&acc, 256, 16, "hmac-sha1-96-aes256",
		 SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96, "aes256-cts-hmac-sha1-96");
	no_negotiation_info(&init);
	st = QueryContextAttributes(&acc, SECPKG_ATTR_SIZES, &sz);
	if (!EXPECT(st, SEC_E_OK, "QueryContextAttributes(SIZES) of Negotiate"))
		goto out;
	CHECK(sz.cbMaxToken == 48000 && sz.cbSecurityTrailer,
	      "SIZES as Kerberos': max token %u, trailer %u", sz.cbMaxToken,
	      sz.cbSecurityTrailer);
	st = krb5_wrap(&init, &sz, 0, "sealed by Kerberos", &t);
	EXPECT(st, SEC_E_OK, "EncryptMessage on the Kerberos initiator");
	if (st != SEC_E_OK)
		goto out;
	st = krb5_unwrap_stream(&acc, &t, &qop, text);
	EXPECT(st, SEC_E_OK, "DecryptMessage on the Negotiate acceptor");
	CHECK(st == SEC_E_OK && !strcmp(text, "sealed by Kerberos"), "the text");
	free(t.p);
	buf[0] = sec_buffer(sizeof(msg) - 1, SECBUFFER_DATA, msg);
	buf[1] = sec_buffer(sz.cbMaxSignature, SECBUFFER_TOKEN, sig);
	EXPECT(MakeSignature(&acc, 0, &desc, 0), SEC_E_OK,
	       "MakeSignature on the Negotiate acceptor");
	EXPECT(VerifySignature(&init, &desc, 0, &qop), SEC_E_OK,
	       "VerifySignature on the Kerberos initiator");
out:
	delete_pair(&init, &acc);
}

/* Packages and mechanisms there are not; with @ntlm, bad NTLM imports */
static void unknown_packages(void)
{
	struct sspi_ntlm_import imp = { 0 };
	SECURITY_STATUS st;
	CtxtHandle h;

	printf("# unknown packages\n");
	imp.negotiate_flags = NTLM_FLAGS_WIN;
	EXPECT(SspiKmodImportContext("NTLMv2", &imp, sizeof(imp), 0, &h),
	       SEC_E_SECPKG_NOT_FOUND, "SspiKmodImportContext(\"NTLMv2\")");
	/* the kernel's checks of the import (a refusal without a status) */
	imp.negotiate_flags = 0x00088205;	/* neither SIGN nor SEAL */
	st = SspiKmodImportNtlmContext(&imp, 0, &h);
	CHECK(!SEC_SUCCESS(st), "SspiKmodImportNtlmContext without SIGN or SEAL: %s (%s)",
	      st_name(st), SspiKmodLastError());
}

/* What needs no module */
static void no_kernel(void)
{
	SecBuffer buf[1] = { { 0, SECBUFFER_TOKEN, NULL } };
	SecBufferDesc desc = { SECBUFFER_VERSION, 1, buf };
	SecPkgContext_Sizes sz;
	CtxtHandle h;

	printf("# layouts and handles\n");
	CHECK(sizeof(SECURITY_STATUS) == 4 && sizeof(ULONG) == 4 &&
	      SEC_E_INVALID_HANDLE < 0 && !SEC_SUCCESS(SEC_E_MESSAGE_ALTERED) &&
	      SEC_SUCCESS(SEC_I_CONTEXT_EXPIRED),
	      "SECURITY_STATUS is a 32-bit LONG, failures negative");
	CHECK(offsetof(SecBuffer, cbBuffer) == 0 &&
	      offsetof(SecBuffer, BufferType) == 4 &&
	      offsetof(SecBuffer, pvBuffer) == 8 &&
	      sizeof(SecBuffer) == 8 + sizeof(void *),
	      "SecBuffer: cbBuffer, BufferType, pvBuffer (%zu bytes)",
	      sizeof(SecBuffer));
	CHECK(offsetof(SecBufferDesc, cBuffers) == 4 &&
	      offsetof(SecBufferDesc, pBuffers) == 8,
	      "SecBufferDesc: ulVersion, cBuffers, pBuffers");
	CHECK(sizeof(CtxtHandle) == 2 * sizeof(void *) &&
	      sizeof(SecPkgContext_Sizes) == 16 &&
	      sizeof(SecPkgContext_StreamSizes) == 20 &&
	      offsetof(SecPkgInfoA, cbMaxToken) == 8 &&
	      offsetof(SecPkgInfoA, Name) == 16,
	      "CtxtHandle, SecPkgContext_Sizes, _StreamSizes, SecPkgInfoA");
	CHECK(SECBUFFER_STREAM_HEADER == 7 && SECBUFFER_STREAM_TRAILER == 6 &&
	      SECBUFFER_PADDING == 9 && SECBUFFER_STREAM == 10 &&
	      SECPKG_ATTR_STREAM_SIZES == 4 && SECPKG_ATTR_PACKAGE_INFO == 10 &&
	      SECPKG_ATTR_KEY_INFO == 5 && CALG_RC4 == 0x6801 &&
	      CALG_AES_128 == 0x660e && CALG_AES_256 == 0x6610 &&
	      KERB_CHECKSUM_HMAC_MD5 == 0xffffff76u &&
	      KERB_CHECKSUM_REAL_CRC32 == 0xffffff7cu &&
	      offsetof(SecPkgContext_KeyInfoA, KeySize) == 2 * sizeof(void *) &&
	      offsetof(SecPkgContext_KeyInfoA, EncryptAlgorithm) ==
	      2 * sizeof(void *) + 8 &&
	      KERB_WRAP_NO_ENCRYPT == 0x80000001u,
	      "Windows' values of the constants");
	SecInvalidateHandle(&h);
	EXPECT(EncryptMessage(&h, 0, &desc, 0), SEC_E_INVALID_HANDLE,
	       "EncryptMessage on an invalid handle");
	EXPECT(QueryContextAttributes(&h, SECPKG_ATTR_SIZES, &sz),
	       SEC_E_INVALID_HANDLE, "QueryContextAttributes on an invalid handle");
	EXPECT(DeleteSecurityContext(NULL), SEC_E_INVALID_HANDLE,
	       "DeleteSecurityContext(NULL)");
	CHECK(SECPKG_ATTR_NEGOTIATION_INFO == 12 &&
	      SEC_E_SECPKG_NOT_FOUND == (SECURITY_STATUS)0x80090305 &&
	      offsetof(SecPkgContext_NegotiationInfoA, NegotiationState) ==
	      sizeof(void *) &&
	      RPC_C_AUTHN_WINNT == 10 && RPC_C_AUTHN_GSS_NEGOTIATE == 9 &&
	      sizeof(struct sspi_ntlm_import) == 32 &&
	      sizeof(struct sspi_negotiate_import) == 8,
	      "%s", "SECPKG_ATTR_NEGOTIATION_INFO, its structure, the imports");
	/* refused before the kernel: no mechanism 7, a short NTLM import */
	EXPECT(SspiKmodImportNegotiateContext(7, &sz, sizeof(sz), 0, &h),
	       SEC_E_SECPKG_NOT_FOUND, "SspiKmodImportNegotiateContext(mech 7)");
	EXPECT(SspiKmodImportNegotiateContext(SSPI_NEGOTIATE_MECH_NTLM, &sz,
					      sizeof(sz), 0, &h),
	       SEC_E_INVALID_TOKEN,
	       "SspiKmodImportNegotiateContext(NTLM, 16 bytes)");
}

/* The data path of a Windows TLS application */

static int attach(const char *arg, PCtxtHandle ctx,
		  SecPkgContext_StreamSizes *sz)
{
	SECURITY_STATUS st;

	st = SspiKmodAttachContext(strtoull(arg, NULL, 0), ctx);
	if (st == SEC_E_OK)
		st = QueryContextAttributes(ctx, SECPKG_ATTR_STREAM_SIZES, sz);
	if (st != SEC_E_OK) {
		fprintf(stderr, "%s: %s\n", arg, SspiKmodLastError());
		return -1;
	}
	return 0;
}

static int app_seal(const char *arg)
{
	SecPkgContext_StreamSizes sz;
	SecBuffer buf[4];
	SecBufferDesc desc = { SECBUFFER_VERSION, 4, buf };
	SECURITY_STATUS st;
	CtxtHandle ctx;
	unsigned char *msg;
	size_t n;

	if (attach(arg, &ctx, &sz))
		return 1;
	msg = malloc(sz.cbHeader + sz.cbMaximumMessage + sz.cbTrailer);
	if (!msg)
		return 1;
	while ((n = fread(msg + sz.cbHeader, 1, sz.cbMaximumMessage, stdin))) {
		buf[0] = sec_buffer(sz.cbHeader, SECBUFFER_STREAM_HEADER, msg);
		buf[1] = sec_buffer(n, SECBUFFER_DATA, msg + sz.cbHeader);
		buf[2] = sec_buffer(sz.cbTrailer, SECBUFFER_STREAM_TRAILER,
				    msg + sz.cbHeader + n);
		buf[3] = sec_buffer(0, SECBUFFER_EMPTY, NULL);
		st = EncryptMessage(&ctx, 0, &desc, 0);
		if (st != SEC_E_OK) {
			fprintf(stderr, "%s\n", st_name(st));
			return 1;
		}
		fwrite(msg, 1, buf[0].cbBuffer + buf[1].cbBuffer +
		       buf[2].cbBuffer, stdout);
	}
	free(msg);
	return fflush(stdout) || ferror(stdout) || ferror(stdin);
}

static int app_unseal(const char *arg)
{
	size_t len = 0, size = 1 << 16;
	unsigned char *in = malloc(size);
	SecPkgContext_StreamSizes sz;
	SecBuffer buf[4];
	SecBufferDesc desc = { SECBUFFER_VERSION, 4, buf };
	PSecBuffer data, extra;
	SECURITY_STATUS st;
	CtxtHandle ctx;
	size_t n;

	if (!in || attach(arg, &ctx, &sz))
		return 1;
	while ((n = fread(in + len, 1, size - len, stdin))) {
		len += n;
		if (len == size) {
			size *= 2;
			in = realloc(in, size);
			if (!in)
				return 1;
		}
	}
	while (len) {
		buf[0] = sec_buffer(len, SECBUFFER_DATA, in);
		buf[1] = sec_buffer(0, SECBUFFER_EMPTY, NULL);
		buf[2] = sec_buffer(0, SECBUFFER_EMPTY, NULL);
		buf[3] = sec_buffer(0, SECBUFFER_EMPTY, NULL);
		st = DecryptMessage(&ctx, &desc, 0, NULL);
		if (st != SEC_E_OK) {
			/* close_notify, a handshake message: said, and done */
			fprintf(stderr, "%s\n", st_name(st));
			return !SEC_SUCCESS(st);
		}
		data = find_buffer(&desc, SECBUFFER_DATA);
		extra = find_buffer(&desc, SECBUFFER_EXTRA);
		if (data && data->cbBuffer)
			fwrite(data->pvBuffer, 1, data->cbBuffer, stdout);
		if (extra && extra->cbBuffer) {
			memmove(in, in + len - extra->cbBuffer, extra->cbBuffer);
			len = extra->cbBuffer;
		} else {
			len = 0;
		}
	}
	free(in);
	return fflush(stdout) || ferror(stdout);
}

static bool has_arg(int argc, char **argv, const char *arg)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], arg))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "seal"))
		return app_seal(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "unseal"))
		return app_unseal(argv[2]);
	no_kernel();
	if (!has_arg(argc, argv, "--no-kernel")) {
		tls_pair(SSPI_TLS_VERSION_1_3, SSPI_TLS_CIPHER_AES_GCM_128,
			 "TLS 1.3 AES-128-GCM");
		tls_pair(SSPI_TLS_VERSION_1_2, SSPI_TLS_CIPHER_AES_GCM_256,
			 "TLS 1.2 AES-256-GCM");
		tls_pair(SSPI_TLS_VERSION_1_3, SSPI_TLS_CIPHER_CHACHA20_POLY1305,
			 "TLS 1.3 ChaCha20-Poly1305");
		krb5_pair(SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA1_96, 16);
		krb5_pair(SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96, 32);
		krb5_pair(SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA256_128, 16);
		krb5_pair(SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA384_192, 32);
		krb5_pair(SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC, 16);
		ntlm_pair();
		negotiate_ntlm();
		negotiate_kerberos();
		unknown_packages();
	}
	printf("# %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
