// SPDX-License-Identifier: GPL-2.0
/*
 * libsspi: what the "NTLM" and "Negotiate" packages import -- the names
 * of the NegotiateFlags bits that choose NTLM's session security, the
 * flags an AUTHENTICATE message carries, and a mechanism's import wrapped
 * in the Negotiate package's header.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static const struct sspi_ntlm_flag ntlm_flags[] = {
	{ "sign", SSPI_NTLMSSP_NEGOTIATE_SIGN },
	{ "seal", SSPI_NTLMSSP_NEGOTIATE_SEAL },
	{ "datagram", SSPI_NTLMSSP_NEGOTIATE_DATAGRAM },
	{ "lm-key", SSPI_NTLMSSP_NEGOTIATE_LM_KEY },
	{ "always-sign", SSPI_NTLMSSP_NEGOTIATE_ALWAYS_SIGN },
	{ "extended-session-security",
	  SSPI_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY },
	{ "128", SSPI_NTLMSSP_NEGOTIATE_128 },
	{ "key-exch", SSPI_NTLMSSP_NEGOTIATE_KEY_EXCH },
	{ "56", SSPI_NTLMSSP_NEGOTIATE_56 },
};

const struct sspi_ntlm_flag *sspi_ntlm_flag_table(size_t *n)
{
	*n = ARRAY_SIZE(ntlm_flags);
	return ntlm_flags;
}

/* MS-NLMP 2.2.1.3: "NTLMSSP\0", MessageType 3, NegotiateFlags at 60 */
#define NTLM_AUTH_FLAGS_OFFSET	60

int sspi_ntlm_auth_flags(const void *msg, size_t len, __u32 *flags)
{
	static const char sig[8] = "NTLMSSP";
	const __u8 *p = msg;

	if (!msg || len < NTLM_AUTH_FLAGS_OFFSET + 4)
		return sspi_set_error("AUTHENTICATE message: %zu bytes, at least %u needed",
				      len, NTLM_AUTH_FLAGS_OFFSET + 4);
	if (memcmp(p, sig, sizeof(sig)))
		return sspi_set_error("AUTHENTICATE message: no NTLMSSP signature");
	if (p[8] != 3 || p[9] || p[10] || p[11])
		return sspi_set_error("AUTHENTICATE message: MessageType %u, not 3",
				      p[8] | p[9] << 8 | p[10] << 16 |
				      (__u32)p[11] << 24);
	p += NTLM_AUTH_FLAGS_OFFSET;
	*flags = p[0] | p[1] << 8 | p[2] << 16 | (__u32)p[3] << 24;
	return 0;
}

static const struct {
	__u32 mech;
	const char *name;	/* the kernel's package */
	const char *alias;	/* the command line's */
	size_t import_len;
} mechs[] = {
	{ SSPI_NEGOTIATE_MECH_KERBEROS, "Kerberos", "kerberos",
	  sizeof(struct sspi_krb5_import) },
	{ SSPI_NEGOTIATE_MECH_NTLM, "NTLM", "ntlm",
	  sizeof(struct sspi_ntlm_import) },
};

const char *sspi_negotiate_mech_name(__u32 mech)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mechs); i++)
		if (mechs[i].mech == mech)
			return mechs[i].name;
	return NULL;
}

__u32 sspi_negotiate_mech_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mechs); i++)
		if (!strcasecmp(mechs[i].name, name) ||
		    !strcasecmp(mechs[i].alias, name))
			return mechs[i].mech;
	if (!strcasecmp(name, "krb5"))
		return SSPI_NEGOTIATE_MECH_KERBEROS;
	return 0;
}

struct sspi_negotiate_import *sspi_negotiate_wrap(__u32 mech,
						  const void *import,
						  size_t len, size_t *total)
{
	struct sspi_negotiate_import *n;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mechs); i++)
		if (mechs[i].mech == mech)
			break;
	if (i == ARRAY_SIZE(mechs)) {
		sspi_set_error("SEC_E_SECPKG_NOT_FOUND: Negotiate has no mechanism %u%s",
			       mech, " (1 Kerberos, 2 NTLM)");
		sspi_set_error_status(SSPI_SEC_E_SECPKG_NOT_FOUND);
		return NULL;
	}
	if (!import || len != mechs[i].import_len) {
		sspi_set_error("SEC_E_INVALID_TOKEN: Negotiate: a %s import is %zu bytes, not %zu",
			       mechs[i].name, mechs[i].import_len, len);
		sspi_set_error_status(SSPI_SEC_E_INVALID_TOKEN);
		return NULL;
	}
	n = malloc(sizeof(*n) + len);
	if (!n) {
		sspi_set_error("out of memory");
		return NULL;
	}
	n->mech = mech;
	n->len = len;
	memcpy(n->import, import, len);
	*total = sizeof(*n) + len;
	return n;
}

void sspi_negotiate_free(struct sspi_negotiate_import *n, size_t total)
{
	if (!n)
		return;
	/* it holds the mechanism's keys */
	explicit_bzero(n, total);
	free(n);
}
