// SPDX-License-Identifier: GPL-2.0
/*
 * libsspi: the Kerberos enctypes the "Kerberos" package takes, by number
 * and by MIT's names.
 */
#include <strings.h>

#include "internal.h"

static const struct sspi_krb5_enctype enctypes[] = {
	{ "aes128-cts-hmac-sha1-96", SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA1_96, 16 },
	{ "aes256-cts-hmac-sha1-96", SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96, 32 },
	{ "aes128-cts-hmac-sha256-128", SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA256_128, 16 },
	{ "aes256-cts-hmac-sha384-192", SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA384_192, 32 },
	{ "arcfour-hmac", SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC, 16 },
};

/* MIT's other names for the same enctypes */
static const struct {
	const char *alias;
	__u32 etype;
} aliases[] = {
	{ "aes128-cts", SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA1_96 },
	{ "aes128-sha1", SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA1_96 },
	{ "aes256-cts", SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96 },
	{ "aes256-sha1", SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96 },
	{ "aes128-sha2", SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA256_128 },
	{ "aes256-sha2", SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA384_192 },
	{ "rc4-hmac", SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC },
	{ "arcfour-hmac-md5", SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC },
};

const struct sspi_krb5_enctype *sspi_krb5_enctype_by_number(__u32 etype)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(enctypes); i++)
		if (enctypes[i].etype == etype)
			return &enctypes[i];
	return NULL;
}

const struct sspi_krb5_enctype *sspi_krb5_enctype_by_name(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(enctypes); i++)
		if (!strcasecmp(s, enctypes[i].name))
			return &enctypes[i];
	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcasecmp(s, aliases[i].alias))
			return sspi_krb5_enctype_by_number(aliases[i].etype);
	return NULL;
}
