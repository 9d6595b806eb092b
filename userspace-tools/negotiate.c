// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: the Negotiate package's ("Negotiate") import -- the mechanism
 * SPNEGO selected and that mechanism's own import, with the options of
 * its own command (krb5.c, ntlm.c), put into a struct
 * sspi_negotiate_import.
 *
 *   sspictl ctx import negotiate --mech ntlm|kerberos OPTIONS
 *
 * A Negotiate context's every operation is the negotiated package's:
 * seal.c runs that package's seal and unseal (ctx show names it).
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "sspictl.h"

static const char import_usage[] =
	"Usage: sspictl [-j] ctx import negotiate --mech ntlm|kerberos OPTIONS\n"
	"  --mech            the mechanism SPNEGO selected: ntlm (NTLM) or\n"
	"                    kerberos (Kerberos; also krb5)\n"
	"  OPTIONS           that mechanism's import options, as\n"
	"                    \"sspictl ctx import ntlm --help\" and\n"
	"                    \"sspictl ctx import kerberos --help\" list them,\n"
	"                    --print-keys among them\n"
	"Prints the new context's handle.  The context is package Negotiate;\n"
	"ctx show names the negotiated package.\n";

/* --mech VALUE or --mech=VALUE out of @argv: the rest stays, in order */
static int take_mech(int *argc, char **argv, const char **mech)
{
	int i, j = 0;

	*mech = NULL;
	for (i = 0; i < *argc; i++) {
		const char *arg = argv[i], *v = NULL;

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			fputs(import_usage, stdout);
			return -1;
		}
		if (!strcmp(arg, "--mech")) {
			if (i + 1 >= *argc)
				return usage_error(import_usage,
						   "--mech needs a value");
			v = argv[++i];
		} else if (!strncmp(arg, "--mech=", 7)) {
			v = arg + 7;
		} else {
			argv[j++] = argv[i];
			continue;
		}
		if (*mech)
			return usage_error(import_usage, "--mech given twice");
		*mech = v;
	}
	*argc = j;
	return 0;
}

static void print_import(u32 mech, const void *imp,
			 const struct sspi_ctx_limit *limit)
{
	if (opt_json) {
		json_open('{');
		json_key("mech");
		json_str(sspi_negotiate_mech_name(mech));
		json_key("import");
	} else {
		printf("mech %s\n", sspi_negotiate_mech_name(mech));
	}
	if (mech == SSPI_NEGOTIATE_MECH_NTLM)
		ntlm_print_import(imp, limit);
	else
		krb5_print_import(imp, limit);
	if (opt_json)
		json_close('}');
}

static int negotiate_import(int argc, char **argv)
{
	union {
		struct sspi_krb5_import krb5;
		struct sspi_ntlm_import ntlm;
	} imp;
	struct sspi_negotiate_import *n;
	struct sspi_ctx_limit limit;
	const char *mech_arg;
	size_t len, total;
	bool print_keys;
	u64 handle;
	u32 mech;
	int ret;

	ret = take_mech(&argc, argv, &mech_arg);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (!mech_arg)
		return usage_error(import_usage,
				   "--mech is required (ntlm or kerberos)");
	mech = sspi_negotiate_mech_by_name(mech_arg);
	if (!mech)
		return usage_error(import_usage,
				   "--mech: SEC_E_SECPKG_NOT_FOUND: no mechanism %s (ntlm or kerberos)",
				   mech_arg);
	if (mech == SSPI_NEGOTIATE_MECH_NTLM) {
		ret = ntlm_import_args(argc, argv, &imp.ntlm, &limit,
				       &print_keys);
		len = sizeof(imp.ntlm);
	} else {
		ret = krb5_import_args(argc, argv, &imp.krb5, &limit,
				       &print_keys);
		len = sizeof(imp.krb5);
	}
	if (ret)
		return ret < 0 ? 0 : ret;
	if (print_keys) {
		print_import(mech, &imp, &limit);
		OPENSSL_cleanse(&imp, sizeof(imp));
		return 0;
	}
	n = sspi_negotiate_wrap(mech, &imp, len, &total);
	OPENSSL_cleanse(&imp, sizeof(imp));
	if (!n)
		return lib_fail();
	ret = sspi_ctx_import(NEGOTIATE_PKG_NAME, n, total, &limit, &handle);
	sspi_negotiate_free(n, total);
	if (ret)
		return lib_fail();
	return print_handle(handle);
}

/* No seal or unseal of its own: seal.c runs the negotiated package's */
const struct sspictl_pkg negotiate_pkg = {
	.name = NEGOTIATE_PKG_NAME,
	.import = negotiate_import,
};
