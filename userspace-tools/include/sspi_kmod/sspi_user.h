/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_user.h: the SSPI message functions under Windows' own names and
 * types, for programs ported from Windows or written against SSPI, over
 * sspi_kmod (libsspi; pkg-config --cflags --libs libsspi).
 *
 * What Windows' sspi.h declares for the message path is here with the
 * same names, structure layouts and values: SECURITY_STATUS and the
 * SEC_E_/SEC_I_ codes, SecBuffer and SecBufferDesc, CtxtHandle,
 * EncryptMessage, DecryptMessage, MakeSignature, VerifySignature,
 * QueryContextAttributes (SECPKG_ATTR_SIZES, _STREAM_SIZES, _KEY_INFO,
 * _PACKAGE_INFO and _NEGOTIATION_INFO), FreeContextBuffer and DeleteSecurityContext.  The
 * strings are ANSI (the ...A functions); there is no UNICODE variant.
 *
 * Windows makes contexts with InitializeSecurityContext and
 * AcceptSecurityContext; sspi_kmod imports established ones instead, so
 * SspiKmodImportContext() and its typed forms, which Windows lacks, take
 * the import structures of <linux/sspi.h> (struct sspi_tls_import,
 * struct sspi_krb5_import, struct sspi_ntlm_import, and for Negotiate a
 * mechanism's import with its header), and SspiKmodAttachContext() a
 * context some other program imported (sspictl, sspi-gss).
 *
 * Messages go through /dev/sspi, on the caller's buffers in place as
 * Windows does (DecryptMessage points DATA and EXTRA into the input);
 * contexts are imported, queried and deleted over generic netlink.  The
 * library is not thread-safe.  SspiKmodLastError() says in words why the
 * last call failed.
 */
#ifndef _SSPI_KMOD_SSPI_USER_H
#define _SSPI_KMOD_SSPI_USER_H

#include <stdint.h>
#include <linux/sspi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Windows' base types, as wide as Windows has them */
typedef int32_t LONG;
typedef uint32_t ULONG, *PULONG;
typedef uint16_t USHORT;
typedef void *PVOID;
typedef uintptr_t ULONG_PTR;
typedef char SEC_CHAR;
typedef LONG SECURITY_STATUS;

#define SEC_ENTRY
#define SEC_FAR

/* SECURITY_STATUS (winerror.h) */
#define SEC_E_OK			((SECURITY_STATUS)SSPI_SEC_E_OK)
#define SEC_E_INSUFFICIENT_MEMORY	((SECURITY_STATUS)SSPI_SEC_E_INSUFFICIENT_MEMORY)
#define SEC_E_INVALID_HANDLE		((SECURITY_STATUS)SSPI_SEC_E_INVALID_HANDLE)
#define SEC_E_UNSUPPORTED_FUNCTION	((SECURITY_STATUS)SSPI_SEC_E_UNSUPPORTED_FUNCTION)
#define SEC_E_INTERNAL_ERROR		((SECURITY_STATUS)SSPI_SEC_E_INTERNAL_ERROR)
#define SEC_E_SECPKG_NOT_FOUND		((SECURITY_STATUS)SSPI_SEC_E_SECPKG_NOT_FOUND)
#define SEC_E_INVALID_TOKEN		((SECURITY_STATUS)SSPI_SEC_E_INVALID_TOKEN)
#define SEC_E_QOP_NOT_SUPPORTED		((SECURITY_STATUS)SSPI_SEC_E_QOP_NOT_SUPPORTED)
#define SEC_E_MESSAGE_ALTERED		((SECURITY_STATUS)SSPI_SEC_E_MESSAGE_ALTERED)
#define SEC_E_OUT_OF_SEQUENCE		((SECURITY_STATUS)SSPI_SEC_E_OUT_OF_SEQUENCE)
#define SEC_E_CONTEXT_EXPIRED		((SECURITY_STATUS)SSPI_SEC_E_CONTEXT_EXPIRED)
#define SEC_E_INCOMPLETE_MESSAGE	((SECURITY_STATUS)SSPI_SEC_E_INCOMPLETE_MESSAGE)
#define SEC_E_BUFFER_TOO_SMALL		((SECURITY_STATUS)SSPI_SEC_E_BUFFER_TOO_SMALL)
#define SEC_E_DECRYPT_FAILURE		((SECURITY_STATUS)SSPI_SEC_E_DECRYPT_FAILURE)
#define SEC_E_CRYPTO_SYSTEM_INVALID	((SECURITY_STATUS)SSPI_SEC_E_CRYPTO_SYSTEM_INVALID)
#define SEC_I_CONTINUE_NEEDED		((SECURITY_STATUS)SSPI_SEC_I_CONTINUE_NEEDED)
#define SEC_I_CONTEXT_EXPIRED		((SECURITY_STATUS)SSPI_SEC_I_CONTEXT_EXPIRED)
#define SEC_I_RENEGOTIATE		((SECURITY_STATUS)SSPI_SEC_I_RENEGOTIATE)

#define SEC_SUCCESS(Status)		((Status) >= 0)

/* Handles */
typedef struct _SecHandle {
	ULONG_PTR dwLower;
	ULONG_PTR dwUpper;
} SecHandle, *PSecHandle;

typedef SecHandle CtxtHandle, *PCtxtHandle;

#define SecInvalidateHandle(x) do {					\
	PSecHandle __h = (PSecHandle)(x);					\
	__h->dwLower = __h->dwUpper = (ULONG_PTR)(intptr_t)-1;			\
} while (0)
#define SecIsValidHandle(x) \
	((((PSecHandle)(x))->dwLower != ((ULONG_PTR)((intptr_t)-1))) && \
	 (((PSecHandle)(x))->dwUpper != ((ULONG_PTR)((intptr_t)-1))))

/* Buffers */
typedef struct _SecBuffer {
	ULONG cbBuffer;
	ULONG BufferType;
	PVOID pvBuffer;
} SecBuffer, *PSecBuffer;

typedef struct _SecBufferDesc {
	ULONG ulVersion;
	ULONG cBuffers;
	PSecBuffer pBuffers;
} SecBufferDesc, *PSecBufferDesc;

#define SECBUFFER_VERSION			0

#define SECBUFFER_EMPTY				SSPI_SECBUFFER_EMPTY
#define SECBUFFER_DATA				SSPI_SECBUFFER_DATA
#define SECBUFFER_TOKEN				SSPI_SECBUFFER_TOKEN
#define SECBUFFER_PKG_PARAMS			SSPI_SECBUFFER_PKG_PARAMS
#define SECBUFFER_MISSING			SSPI_SECBUFFER_MISSING
#define SECBUFFER_EXTRA				SSPI_SECBUFFER_EXTRA
#define SECBUFFER_STREAM_TRAILER		SSPI_SECBUFFER_STREAM_TRAILER
#define SECBUFFER_STREAM_HEADER			SSPI_SECBUFFER_STREAM_HEADER
#define SECBUFFER_PADDING			SSPI_SECBUFFER_PADDING
#define SECBUFFER_STREAM			SSPI_SECBUFFER_STREAM
#define SECBUFFER_MECHLIST			SSPI_SECBUFFER_MECHLIST
#define SECBUFFER_CHANNEL_BINDINGS		SSPI_SECBUFFER_CHANNEL_BINDINGS
#define SECBUFFER_ALERT				SSPI_SECBUFFER_ALERT

#define SECBUFFER_ATTRMASK			SSPI_SECBUFFER_ATTRMASK
#define SECBUFFER_READONLY			SSPI_SECBUFFER_READONLY
#define SECBUFFER_READONLY_WITH_CHECKSUM	SSPI_SECBUFFER_READONLY_WITH_CHECKSUM

/* Quality of protection */
#define SECQOP_WRAP_NO_ENCRYPT			SSPI_SECQOP_WRAP_NO_ENCRYPT
#define SECQOP_WRAP_OOB_DATA			SSPI_SECQOP_WRAP_OOB_DATA
#define KERB_WRAP_NO_ENCRYPT			SSPI_SECQOP_WRAP_NO_ENCRYPT

/* Context attributes */
#define SECPKG_ATTR_SIZES			0
#define SECPKG_ATTR_STREAM_SIZES		4
#define SECPKG_ATTR_KEY_INFO			5
#define SECPKG_ATTR_PACKAGE_INFO		10
#define SECPKG_ATTR_NEGOTIATION_INFO		12

typedef struct _SecPkgContext_Sizes {
	ULONG cbMaxToken;
	ULONG cbMaxSignature;
	ULONG cbBlockSize;
	ULONG cbSecurityTrailer;
} SecPkgContext_Sizes, *PSecPkgContext_Sizes;

typedef struct _SecPkgContext_StreamSizes {
	ULONG cbHeader;
	ULONG cbTrailer;
	ULONG cbMaximumMessage;
	ULONG cBuffers;
	ULONG cbBlockSize;
} SecPkgContext_StreamSizes, *PSecPkgContext_StreamSizes;

/*
 * SecPkgContext_KeyInfo: KeySize is the session key's effective length in
 * bits; the algorithms are ALG_IDs (wincrypt.h's CALG_*) or, for
 * Kerberos, the enctype and checksum type numbers; 0 where Windows has
 * none.  Free both strings with FreeContextBuffer.
 */
typedef struct _SecPkgContext_KeyInfoA {
	SEC_CHAR *sSignatureAlgorithmName;
	SEC_CHAR *sEncryptAlgorithmName;
	ULONG KeySize;
	ULONG SignatureAlgorithm;
	ULONG EncryptAlgorithm;
} SecPkgContext_KeyInfoA, *PSecPkgContext_KeyInfoA;

/* The ALG_IDs SECPKG_ATTR_KEY_INFO reports (wincrypt.h) */
#ifndef CALG_RC4
#define CALG_RC4				0x00006801
#endif
#ifndef CALG_AES_128
#define CALG_AES_128				0x0000660e
#endif
#ifndef CALG_AES_256
#define CALG_AES_256				0x00006610
#endif
/* Kerberos checksum types as Windows numbers them (ntsecapi.h) */
#ifndef KERB_CHECKSUM_HMAC_MD5
#define KERB_CHECKSUM_HMAC_MD5			((ULONG)-138)
#endif
#ifndef KERB_CHECKSUM_REAL_CRC32
#define KERB_CHECKSUM_REAL_CRC32		((ULONG)-132)
#endif

/* SecPkgInfo.fCapabilities */
#define SECPKG_FLAG_INTEGRITY			0x00000001
#define SECPKG_FLAG_PRIVACY			0x00000002
#define SECPKG_FLAG_TOKEN_ONLY			0x00000004
#define SECPKG_FLAG_DATAGRAM			0x00000008
#define SECPKG_FLAG_CONNECTION			0x00000010
#define SECPKG_FLAG_STREAM			0x00000400

/* SecPkgInfo.wRPCID */
#define RPC_C_AUTHN_GSS_NEGOTIATE		9
#define RPC_C_AUTHN_WINNT			10
#define RPC_C_AUTHN_GSS_SCHANNEL		14
#define RPC_C_AUTHN_GSS_KERBEROS		16
#define SECPKG_ID_NONE				0xFFFF

typedef struct _SecPkgInfoA {
	ULONG fCapabilities;
	USHORT wVersion;
	USHORT wRPCID;
	ULONG cbMaxToken;
	SEC_CHAR *Name;
	SEC_CHAR *Comment;
} SecPkgInfoA, *PSecPkgInfoA;

typedef struct _SecPkgContext_PackageInfoA {
	PSecPkgInfoA PackageInfo;
} SecPkgContext_PackageInfoA, *PSecPkgContext_PackageInfoA;

/* SecPkgContext_NegotiationInfo.NegotiationState */
#define SECPKG_NEGOTIATION_COMPLETE		0
#define SECPKG_NEGOTIATION_OPTIMISTIC		1
#define SECPKG_NEGOTIATION_IN_PROGRESS		2
#define SECPKG_NEGOTIATION_DIRECT		3
#define SECPKG_NEGOTIATION_TRY_MULTICRED	4

typedef struct _SecPkgContext_NegotiationInfoA {
	PSecPkgInfoA PackageInfo;
	ULONG NegotiationState;
} SecPkgContext_NegotiationInfoA, *PSecPkgContext_NegotiationInfoA;

typedef SecPkgInfoA SecPkgInfo, *PSecPkgInfo;
typedef SecPkgContext_PackageInfoA SecPkgContext_PackageInfo, *PSecPkgContext_PackageInfo;
typedef SecPkgContext_KeyInfoA SecPkgContext_KeyInfo, *PSecPkgContext_KeyInfo;
typedef SecPkgContext_NegotiationInfoA SecPkgContext_NegotiationInfo,
	*PSecPkgContext_NegotiationInfo;

/* The message functions */
SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP,
					 PSecBufferDesc pMessage,
					 ULONG MessageSeqNo);
SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext,
					 PSecBufferDesc pMessage,
					 ULONG MessageSeqNo, PULONG pfQOP);
SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ULONG fQOP,
					PSecBufferDesc pMessage,
					ULONG MessageSeqNo);
SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext,
					  PSecBufferDesc pMessage,
					  ULONG MessageSeqNo, PULONG pfQOP);

/*
 * SECPKG_ATTR_SIZES, _STREAM_SIZES (SEC_E_UNSUPPORTED_FUNCTION for a
 * package without streams), _KEY_INFO (KeySize, the algorithms: see
 * SecPkgContext_KeyInfoA; free both names with FreeContextBuffer),
 * _PACKAGE_INFO (the package the context was
 * imported as: "Negotiate" for a Negotiate context) and
 * _NEGOTIATION_INFO (a Negotiate context's negotiated package, "Kerberos"
 * or "NTLM", and SECPKG_NEGOTIATION_COMPLETE; SEC_E_UNSUPPORTED_FUNCTION
 * for any other context); free PackageInfo with FreeContextBuffer.
 * Anything else SEC_E_UNSUPPORTED_FUNCTION.
 */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext,
						  ULONG ulAttribute,
						  void *pBuffer);
#define QueryContextAttributes QueryContextAttributesA

SECURITY_STATUS SEC_ENTRY FreeContextBuffer(PVOID pvContextBuffer);
SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext);

/*
 * What Windows lacks: contexts made elsewhere, imported into the kernel.
 * @pszPackage: "Schannel" (@pImport a struct sspi_tls_import),
 * "Kerberos" (a struct sspi_krb5_import), "NTLM" (a struct
 * sspi_ntlm_import) or "Negotiate" (a struct sspi_negotiate_import and
 * the mechanism's import after it); @ulLifetime: seconds the context may
 * be used, 0 for no limit.  *@phContext is the new context.  A package
 * the kernel does not have is SEC_E_SECPKG_NOT_FOUND.
 */
SECURITY_STATUS SEC_ENTRY SspiKmodImportContext(const SEC_CHAR *pszPackage,
						const void *pImport,
						ULONG cbImport,
						ULONG ulLifetime,
						PCtxtHandle phContext);
SECURITY_STATUS SEC_ENTRY
SspiKmodImportTlsContext(const struct sspi_tls_import *pImport,
			 ULONG ulLifetime, PCtxtHandle phContext);
/* @ullEndTime: the Kerberos context's endtime (seconds since the epoch) */
SECURITY_STATUS SEC_ENTRY
SspiKmodImportKerberosContext(const struct sspi_krb5_import *pImport,
			      unsigned long long ullEndTime,
			      PCtxtHandle phContext);
/* An NTLM context: its session key, NegotiateFlags, role, sequences */
SECURITY_STATUS SEC_ENTRY
SspiKmodImportNtlmContext(const struct sspi_ntlm_import *pImport,
			  ULONG ulLifetime, PCtxtHandle phContext);
/*
 * A Negotiate context: @ulMech (SSPI_NEGOTIATE_MECH_KERBEROS or _NTLM)
 * is what SPNEGO chose, @pImport that mechanism's import (a struct
 * sspi_krb5_import or struct sspi_ntlm_import, @cbImport its size); the
 * header is added here.  Every operation is the mechanism's; the context
 * reports package "Negotiate" (SECPKG_ATTR_PACKAGE_INFO) and the
 * negotiated one (SECPKG_ATTR_NEGOTIATION_INFO).
 */
SECURITY_STATUS SEC_ENTRY
SspiKmodImportNegotiateContext(ULONG ulMech, const void *pImport,
			       ULONG cbImport, ULONG ulLifetime,
			       PCtxtHandle phContext);
/* A context imported by another program, by the handle it printed */
SECURITY_STATUS SEC_ENTRY SspiKmodAttachContext(unsigned long long ullHandle,
						PCtxtHandle phContext);
/* The kernel's handle of a context */
unsigned long long SEC_ENTRY SspiKmodContextHandle(PCtxtHandle phContext);
/* Why the last call that failed did, in words */
const char *SEC_ENTRY SspiKmodLastError(void);

#ifdef __cplusplus
}
#endif

#endif /* _SSPI_KMOD_SSPI_USER_H */
