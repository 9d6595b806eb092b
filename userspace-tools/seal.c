// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: the data path.
 *
 *   sspictl seal HANDLE [--qop N]	stdin, cut at cbMaximumMessage, sealed
 *					into records on stdout
 *   sspictl unseal HANDLE		records on stdin, their text on stdout
 *
 * for a "Schannel" context (tls_seal.c); a "Kerberos" or "NTLM" one seals
 * all of stdin into one token and unseals one (token.c): the context's
 * package (pkgs.c) says which, a "Negotiate" context's negotiated one.
 *
 * Through netlink, or /dev/sspi with the global --ioctl.  A failed
 * SECURITY_STATUS is printed, its name alone, on stderr and exits 1; a
 * SEC_I_ one likewise but exits 0, after what came before it.
 */
#include <string.h>

#include "sspictl.h"

static const char seal_usage[] =
	"Usage: sspictl [-j] [--ioctl] seal HANDLE [--qop N]\n"
	"  TLS records (Schannel): seal stdin into records on stdout, cut at\n"
	"  the context's cbMaximumMessage; --qop 0x40000000\n"
	"  (SECQOP_WRAP_OOB_DATA) seals a 2-byte alert (level, description)\n"
	"  instead of application data.\n"
	"  Kerberos: seal all of stdin into one RFC 4121 wrap token on stdout\n"
	"  (-j: {\"token\": HEX, ...}); --qop 0x80000001 (SECQOP_WRAP_NO_ENCRYPT)\n"
	"  protects its integrity only.\n"
	"  NTLM: the 16-byte signature, then the sealed text (gss_wrap's layout);\n"
	"  --qop 0x80000001 on a sign-only context: the signature, then the text.\n"
	"  Negotiate: as the negotiated package.\n"
	"  A failure prints the status's name on stderr and exits 1.\n";

static const char unseal_usage[] =
	"Usage: sspictl [-j] [-v] [--ioctl] unseal HANDLE\n"
	"  TLS records (Schannel): unseal the records on stdin, their text on\n"
	"  stdout.  An alert other than close_notify prints\n"
	"  \"alert LEVEL DESCRIPTION\" on stderr; close_notify\n"
	"  (SEC_I_CONTEXT_EXPIRED) and a handshake message (SEC_I_RENEGOTIATE)\n"
	"  print the status's name and end with exit 0.\n"
	"  Kerberos, NTLM (the signature, then the sealed text), Negotiate:\n"
	"  unseal the one token on stdin, its text on stdout\n"
	"  (-j: {\"qop\": N, \"data\": HEX}); -v says on stderr when it was\n"
	"  not encrypted (SECQOP_WRAP_NO_ENCRYPT).\n"
	"  A failure (SEC_E_MESSAGE_ALTERED, SEC_E_INCOMPLETE_MESSAGE at the\n"
	"  end of the input, ...) prints its name and exits 1.\n";

/* HANDLE, and --qop when @qop, -v / --verbose when @verbose */
static int handle_arg(int argc, char **argv, const char *usage,
		      const char **qop, bool *verbose, u64 *handle)
{
	struct opt opts[3];
	size_t n_opts = 0;

	if (qop)
		opts[n_opts++] = (struct opt)OPT("--qop", qop);
	if (verbose) {
		opts[n_opts++] = (struct opt)FLAG("-v", verbose);
		opts[n_opts++] = (struct opt)FLAG("--verbose", verbose);
	}
	return handle_args(argc, argv, usage, opts, n_opts, handle);
}

/*
 * The package whose seal and unseal the context's are: the negotiated
 * one of a Negotiate context, sspictl's for the others, the fallback's
 * when the context could not be asked about (@ret); NULL after saying why
 */
static const struct sspictl_pkg *ctx_pkg(int ret, const struct sspi_ctx_info *ci,
					 u64 handle)
{
	const struct sspictl_pkg *pkg;

	if (ret)
		return pkg_fallback();
	pkg = pkg_by_name(ci->negotiated[0] ? ci->negotiated : ci->package);
	if (!pkg)
		return pkg_fallback();
	if (!pkg->seal || !pkg->unseal) {
		err_msg("context 0x%016llx: package %s names no negotiated package",
			handle, ci->package);
		return NULL;
	}
	return pkg;
}

int cmd_seal(int argc, char **argv)
{
	const struct sspictl_pkg *pkg;
	const char *qop_arg = NULL;
	struct sspi_ctx_info ci;
	u32 qop = 0;
	u64 handle;
	int ret;

	ret = handle_arg(argc, argv, seal_usage, &qop_arg, NULL, &handle);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (qop_arg && parse_u32(qop_arg, &qop))
		return usage_error(seal_usage, "--qop: not a number: %s", qop_arg);
	/* /dev/sspi says what is wrong with the handle: be quiet here */
	err_quiet = opt_ioctl;
	ret = ctx_query(handle, &ci);
	err_quiet = false;
	pkg = ctx_pkg(ret, &ci, handle);
	if (!pkg)
		return EXIT_FAIL;
	return pkg->seal(handle, qop, ret ? NULL : &ci);
}

int cmd_unseal(int argc, char **argv)
{
	const struct sspictl_pkg *pkg;
	struct sspi_ctx_info ci;
	u64 handle;
	int ret;

	ret = handle_arg(argc, argv, unseal_usage, NULL, &opt_verbose, &handle);
	if (ret)
		return ret < 0 ? 0 : ret;
	/*
	 * The context's package unseals; when the context cannot be asked
	 * about, the records go to DecryptMessage, which says what is wrong
	 * with the handle
	 */
	err_quiet = true;
	ret = ctx_query(handle, &ci);
	err_quiet = false;
	pkg = ctx_pkg(ret, &ci, handle);
	if (!pkg)
		return EXIT_FAIL;
	return pkg->unseal(handle);
}
