// SPDX-License-Identifier: GPL-2.0
/*
 * libsspi: the Windows-named API of <sspi_kmod/sspi_user.h> over the
 * library's own calls.  A CtxtHandle holds the kernel's 64-bit handle,
 * its low half in dwLower and its high half in dwUpper.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include <sspi_kmod/sspi_user.h>

_Static_assert(sizeof(SECURITY_STATUS) == 4, "SECURITY_STATUS is a LONG");
_Static_assert(sizeof(ULONG) == 4, "ULONG is 32 bits, as on Windows");

/* What Windows says of each package sspi_kmod has */
static const struct {
	const char *name;
	USHORT rpcid;
	ULONG flags;
} pkg_ids[] = {
	{ "Schannel", RPC_C_AUTHN_GSS_SCHANNEL,
	  SECPKG_FLAG_CONNECTION | SECPKG_FLAG_STREAM },
	{ "Kerberos", RPC_C_AUTHN_GSS_KERBEROS, SECPKG_FLAG_CONNECTION },
	{ "NTLM", RPC_C_AUTHN_WINNT,
	  SECPKG_FLAG_TOKEN_ONLY | SECPKG_FLAG_CONNECTION },
	{ "Negotiate", RPC_C_AUTHN_GSS_NEGOTIATE, SECPKG_FLAG_CONNECTION },
};

static void handle_put(PCtxtHandle h, __u64 handle)
{
	h->dwLower = (ULONG_PTR)(handle & 0xffffffffu);
	h->dwUpper = (ULONG_PTR)(handle >> 32);
}

static int handle_get(PCtxtHandle h, __u64 *handle)
{
	if (!h || !SecIsValidHandle(h)) {
		sspi_set_error("not a context handle");
		sspi_set_error_status(SSPI_SEC_E_INVALID_HANDLE);
		return -1;
	}
	*handle = (__u64)(h->dwUpper & 0xffffffffu) << 32 |
		  (h->dwLower & 0xffffffffu);
	return 0;
}

/* The status of the library call that just failed */
static SECURITY_STATUS failed(void)
{
	return (SECURITY_STATUS)sspi_error_status();
}

/*
 * One message operation on the caller's buffers, through /dev/sspi: the
 * kernel works on them in place and says where each buffer now is.
 */
static SECURITY_STATUS message(__u8 cmd, PCtxtHandle phContext, ULONG *qop,
			       PSecBufferDesc pMessage, ULONG seqno)
{
	struct sspi_msg m;
	unsigned int i;

	memset(&m, 0, sizeof(m));
	if (handle_get(phContext, &m.handle))
		return SEC_E_INVALID_HANDLE;
	if (!pMessage || pMessage->ulVersion != SECBUFFER_VERSION ||
	    (pMessage->cBuffers && !pMessage->pBuffers)) {
		sspi_set_error("not a SecBufferDesc of version %u",
			       SECBUFFER_VERSION);
		return SEC_E_INVALID_TOKEN;
	}
	if (pMessage->cBuffers > SSPI_MAX_BUFS) {
		sspi_set_error("%u buffers: at most %u", pMessage->cBuffers,
			       SSPI_MAX_BUFS);
		return SEC_E_INVALID_TOKEN;
	}
	m.qop = qop ? *qop : 0;
	m.seqno = seqno;
	m.count = pMessage->cBuffers;
	for (i = 0; i < m.count; i++) {
		m.buf[i].type = pMessage->pBuffers[i].BufferType;
		m.buf[i].len = pMessage->pBuffers[i].cbBuffer;
		m.buf[i].data = pMessage->pBuffers[i].pvBuffer;
	}
	if (sspi_message(cmd, &m, SSPI_TRANSPORT_IOCTL))
		return failed();
	/* the buffers as the kernel left them, when it says they mean something */
	for (i = 0; i < m.count && i < pMessage->cBuffers; i++) {
		pMessage->pBuffers[i].BufferType = m.buf[i].type;
		pMessage->pBuffers[i].cbBuffer = m.buf[i].len;
		pMessage->pBuffers[i].pvBuffer = m.buf[i].data;
	}
	if (qop && (cmd == SSPI_CMD_DECRYPT || cmd == SSPI_CMD_VERIFY))
		*qop = m.qop;
	if (sspi_status_failed(m.status))
		sspi_set_error("%s", sspi_status_name(m.status));
	return (SECURITY_STATUS)m.status;
}

SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP,
					 PSecBufferDesc pMessage,
					 ULONG MessageSeqNo)
{
	return message(SSPI_CMD_ENCRYPT, phContext, &fQOP, pMessage,
		       MessageSeqNo);
}

/* DecryptMessage, VerifySignature: the message's QOP in *@pfQOP */
static SECURITY_STATUS message_qop_out(__u8 cmd, PCtxtHandle phContext,
				       PSecBufferDesc pMessage, ULONG seqno,
				       PULONG pfQOP)
{
	ULONG qop = 0;
	SECURITY_STATUS st;

	st = message(cmd, phContext, &qop, pMessage, seqno);
	if (pfQOP && SEC_SUCCESS(st))
		*pfQOP = qop;
	return st;
}

SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext,
					 PSecBufferDesc pMessage,
					 ULONG MessageSeqNo, PULONG pfQOP)
{
	return message_qop_out(SSPI_CMD_DECRYPT, phContext, pMessage,
			       MessageSeqNo, pfQOP);
}

SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ULONG fQOP,
					PSecBufferDesc pMessage,
					ULONG MessageSeqNo)
{
	return message(SSPI_CMD_SIGN, phContext, &fQOP, pMessage,
		       MessageSeqNo);
}

SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext,
					  PSecBufferDesc pMessage,
					  ULONG MessageSeqNo, PULONG pfQOP)
{
	return message_qop_out(SSPI_CMD_VERIFY, phContext, pMessage,
			       MessageSeqNo, pfQOP);
}

/*
 * A SecPkgInfoA of package @name and its strings in one allocation, for
 * FreeContextBuffer
 */
static SECURITY_STATUS package_info(const struct sspi_ctx_info *ci,
				    const char *name, PSecPkgInfoA *out)
{
	struct sspi_pkg_info pkg;
	size_t nlen, clen, i;
	PSecPkgInfoA pi;

	if (sspi_pkg_get(name, &pkg))
		return failed();
	nlen = strlen(pkg.name) + 1;
	clen = strlen(pkg.comment) + 1;
	pi = calloc(1, sizeof(*pi) + nlen + clen);
	if (!pi) {
		sspi_set_error("out of memory");
		return SEC_E_INSUFFICIENT_MEMORY;
	}
	pi->Name = (SEC_CHAR *)(pi + 1);
	pi->Comment = pi->Name + nlen;
	memcpy(pi->Name, pkg.name, nlen);
	memcpy(pi->Comment, pkg.comment, clen);
	pi->wVersion = 1;
	pi->wRPCID = SECPKG_ID_NONE;
	pi->cbMaxToken = ci->sizes[SSPI_SIZES_MAX_TOKEN];
	if (pkg.caps & SSPI_PKG_CAP_ENCRYPT)
		pi->fCapabilities |= SECPKG_FLAG_PRIVACY;
	if (pkg.caps & (SSPI_PKG_CAP_ENCRYPT | SSPI_PKG_CAP_SIGN))
		pi->fCapabilities |= SECPKG_FLAG_INTEGRITY;
	for (i = 0; i < ARRAY_SIZE(pkg_ids); i++) {
		if (strcmp(pkg_ids[i].name, pkg.name))
			continue;
		pi->wRPCID = pkg_ids[i].rpcid;
		pi->fCapabilities |= pkg_ids[i].flags;
	}
	*out = pi;
	return SEC_E_OK;
}

/* Kerberos: the checksum type of each enctype's tokens (RFC 3961, 8009) */
static const struct {
	__u32 etype;
	ULONG cksum;
	const char *name;
} krb5_cksums[] = {
	{ SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA1_96, 15, "hmac-sha1-96-aes128" },
	{ SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96, 16, "hmac-sha1-96-aes256" },
	{ SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA256_128, 19,
	  "hmac-sha256-128-aes128" },
	{ SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA384_192, 20,
	  "hmac-sha384-192-aes256" },
	{ SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC, KERB_CHECKSUM_HMAC_MD5, "HMAC-MD5" },
};

/*
 * SECPKG_ATTR_KEY_INFO: KeySize from the kernel; the algorithms from the
 * package that runs the context and its cipher.  NTLM as Windows' msv1_0
 * reports it (RC4 "RSADSI RC4"; HMAC-MD5 with extended session security,
 * else "RSADSI RC4-CRC32"), Kerberos by enctype and checksum type, TLS by
 * CALG_AES_* (ChaCha20-Poly1305 has no ALG_ID: 0) with no signature
 * algorithm (the handshake's certificate is not known here).
 */
static SECURITY_STATUS key_info(const struct sspi_ctx_info *ci,
				PSecPkgContext_KeyInfoA k)
{
	const char *pkg = ci->negotiated[0] ? ci->negotiated : ci->package;
	const char *sig_name = "", *enc_name = ci->cipher;
	const struct sspi_krb5_enctype *et;
	ULONG sig = 0, enc = 0;
	size_t i;

	if (!strcmp(pkg, "NTLM")) {
		enc = CALG_RC4;
		enc_name = "RSADSI RC4";
		if (!strncmp(ci->cipher, "rc4-crc32", 9)) {
			sig = KERB_CHECKSUM_REAL_CRC32;
			sig_name = "RSADSI RC4-CRC32";
		} else {
			sig = KERB_CHECKSUM_HMAC_MD5;
			sig_name = "HMAC-MD5";
		}
	} else if (!strcmp(pkg, "Kerberos")) {
		et = sspi_krb5_enctype_by_name(ci->cipher);
		enc = et ? et->etype : 0;
		for (i = 0; et && i < ARRAY_SIZE(krb5_cksums); i++) {
			if (krb5_cksums[i].etype != et->etype)
				continue;
			sig = krb5_cksums[i].cksum;
			sig_name = krb5_cksums[i].name;
		}
	} else if (!strcmp(pkg, "Schannel")) {
		if (!strcmp(ci->cipher, "aes-128-gcm"))
			enc = CALG_AES_128;
		else if (!strcmp(ci->cipher, "aes-256-gcm"))
			enc = CALG_AES_256;
	}
	k->sSignatureAlgorithmName = strdup(sig_name);
	k->sEncryptAlgorithmName = strdup(enc_name);
	if (!k->sSignatureAlgorithmName || !k->sEncryptAlgorithmName) {
		free(k->sSignatureAlgorithmName);
		free(k->sEncryptAlgorithmName);
		k->sSignatureAlgorithmName = NULL;
		k->sEncryptAlgorithmName = NULL;
		sspi_set_error("out of memory");
		return SEC_E_INSUFFICIENT_MEMORY;
	}
	k->KeySize = ci->key_bits;
	k->SignatureAlgorithm = sig;
	k->EncryptAlgorithm = enc;
	return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext,
						  ULONG ulAttribute,
						  void *pBuffer)
{
	struct sspi_ctx_info ci;
	__u64 handle;

	if (handle_get(phContext, &handle))
		return SEC_E_INVALID_HANDLE;
	if (!pBuffer) {
		sspi_set_error("no buffer for the attribute");
		return SEC_E_INTERNAL_ERROR;
	}
	if (ulAttribute != SECPKG_ATTR_SIZES &&
	    ulAttribute != SECPKG_ATTR_STREAM_SIZES &&
	    ulAttribute != SECPKG_ATTR_KEY_INFO &&
	    ulAttribute != SECPKG_ATTR_PACKAGE_INFO &&
	    ulAttribute != SECPKG_ATTR_NEGOTIATION_INFO) {
		sspi_set_error("context attribute %u is not supported",
			       ulAttribute);
		return SEC_E_UNSUPPORTED_FUNCTION;
	}
	if (sspi_ctx_get(handle, &ci))
		return failed();
	if (ulAttribute == SECPKG_ATTR_SIZES) {
		PSecPkgContext_Sizes s = pBuffer;

		s->cbMaxToken = ci.sizes[SSPI_SIZES_MAX_TOKEN];
		s->cbMaxSignature = ci.sizes[SSPI_SIZES_MAX_SIGNATURE];
		s->cbBlockSize = ci.sizes[SSPI_SIZES_BLOCK_SIZE];
		s->cbSecurityTrailer = ci.sizes[SSPI_SIZES_SECURITY_TRAILER];
		return SEC_E_OK;
	}
	if (ulAttribute == SECPKG_ATTR_STREAM_SIZES) {
		PSecPkgContext_StreamSizes s = pBuffer;

		if (!ci.sizes[SSPI_SIZES_MAX_MESSAGE]) {
			sspi_set_error("package %s has no stream sizes",
				       ci.package);
			return SEC_E_UNSUPPORTED_FUNCTION;
		}
		s->cbHeader = ci.sizes[SSPI_SIZES_STREAM_HEADER];
		s->cbTrailer = ci.sizes[SSPI_SIZES_STREAM_TRAILER];
		s->cbMaximumMessage = ci.sizes[SSPI_SIZES_MAX_MESSAGE];
		s->cBuffers = ci.sizes[SSPI_SIZES_BUFFERS];
		s->cbBlockSize = ci.sizes[SSPI_SIZES_BLOCK_SIZE];
		return SEC_E_OK;
	}
	if (ulAttribute == SECPKG_ATTR_KEY_INFO)
		return key_info(&ci, pBuffer);
	if (ulAttribute == SECPKG_ATTR_NEGOTIATION_INFO) {
		PSecPkgContext_NegotiationInfoA n = pBuffer;
		SECURITY_STATUS st;

		if (!ci.negotiated[0]) {
			sspi_set_error("package %s negotiates nothing: %s",
				       ci.package,
				       "SECPKG_ATTR_NEGOTIATION_INFO is Negotiate's");
			return SEC_E_UNSUPPORTED_FUNCTION;
		}
		st = package_info(&ci, ci.negotiated, &n->PackageInfo);
		if (st == SEC_E_OK)
			n->NegotiationState = SECPKG_NEGOTIATION_COMPLETE;
		return st;
	}
	return package_info(&ci, ci.package,
			    &((PSecPkgContext_PackageInfoA)pBuffer)->PackageInfo);
}

SECURITY_STATUS SEC_ENTRY FreeContextBuffer(PVOID pvContextBuffer)
{
	free(pvContextBuffer);
	return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext)
{
	__u64 handle;

	if (handle_get(phContext, &handle))
		return SEC_E_INVALID_HANDLE;
	if (sspi_ctx_delete(handle))
		return failed();
	SecInvalidateHandle(phContext);
	return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY SspiKmodImportContext(const SEC_CHAR *pszPackage,
						const void *pImport,
						ULONG cbImport,
						ULONG ulLifetime,
						PCtxtHandle phContext)
{
	struct sspi_ctx_limit limit = {
		.has_lifetime = ulLifetime != 0,
		.lifetime = ulLifetime,
	};
	__u64 handle;

	if (!pszPackage || !pImport || !phContext) {
		sspi_set_error("no package, import or handle");
		return SEC_E_INTERNAL_ERROR;
	}
	if (sspi_ctx_import(pszPackage, pImport, cbImport, &limit, &handle))
		return failed();
	handle_put(phContext, handle);
	return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY
SspiKmodImportTlsContext(const struct sspi_tls_import *pImport,
			 ULONG ulLifetime, PCtxtHandle phContext)
{
	return SspiKmodImportContext("Schannel", pImport, sizeof(*pImport),
				     ulLifetime, phContext);
}

SECURITY_STATUS SEC_ENTRY
SspiKmodImportKerberosContext(const struct sspi_krb5_import *pImport,
			      unsigned long long ullEndTime,
			      PCtxtHandle phContext)
{
	struct sspi_ctx_limit limit = {
		.has_expiry = true,
		.expiry = ullEndTime,
	};
	__u64 handle;

	if (!pImport || !phContext) {
		sspi_set_error("no import or handle");
		return SEC_E_INTERNAL_ERROR;
	}
	if (sspi_ctx_import("Kerberos", pImport, sizeof(*pImport), &limit,
			    &handle))
		return failed();
	handle_put(phContext, handle);
	return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY
SspiKmodImportNtlmContext(const struct sspi_ntlm_import *pImport,
			  ULONG ulLifetime, PCtxtHandle phContext)
{
	return SspiKmodImportContext("NTLM", pImport, sizeof(*pImport),
				     ulLifetime, phContext);
}

SECURITY_STATUS SEC_ENTRY
SspiKmodImportNegotiateContext(ULONG ulMech, const void *pImport,
			       ULONG cbImport, ULONG ulLifetime,
			       PCtxtHandle phContext)
{
	struct sspi_negotiate_import *n;
	SECURITY_STATUS st;
	size_t total;

	if (!pImport || !phContext) {
		sspi_set_error("no import or handle");
		return SEC_E_INTERNAL_ERROR;
	}
	n = sspi_negotiate_wrap(ulMech, pImport, cbImport, &total);
	if (!n)
		return failed();
	st = SspiKmodImportContext("Negotiate", n, total, ulLifetime,
				   phContext);
	sspi_negotiate_free(n, total);
	return st;
}

SECURITY_STATUS SEC_ENTRY SspiKmodAttachContext(unsigned long long ullHandle,
						PCtxtHandle phContext)
{
	struct sspi_ctx_info ci;

	if (!phContext) {
		sspi_set_error("no handle");
		return SEC_E_INTERNAL_ERROR;
	}
	if (sspi_ctx_get(ullHandle, &ci))
		return failed();
	handle_put(phContext, ullHandle);
	return SEC_E_OK;
}

unsigned long long SEC_ENTRY SspiKmodContextHandle(PCtxtHandle phContext)
{
	__u64 handle;

	return handle_get(phContext, &handle) ? 0 : handle;
}

const char *SEC_ENTRY SspiKmodLastError(void)
{
	return sspi_error();
}
