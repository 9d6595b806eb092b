// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the "Negotiate" package (Documentation/negotiate.rst).
 *
 * SPNEGO picks a mechanism in userspace; what is imported here is the
 * outcome: which mechanism was chosen and that mechanism's own import
 * structure (struct sspi_negotiate_import).  Negotiate runs nothing
 * itself: it selects the registered package of the mechanism, the core
 * gives the context to that package (its state, its operations) and
 * remembers that it was imported as "Negotiate", which is what a query
 * reports, together with the package negotiated.  A message therefore
 * costs exactly what it costs the selected package.
 */

#include <linux/errno.h>
#include <linux/stddef.h>
#include <sspi_kmod/sspi.h>

#include "negotiate.h"
#include "package.h"

/* The registered package of an SSPI_NEGOTIATE_MECH_* value */
static const char *sspi_negotiate_mech_package(u32 mech)
{
	switch (mech) {
	case SSPI_NEGOTIATE_MECH_KERBEROS:
		return "Kerberos";
	case SSPI_NEGOTIATE_MECH_NTLM:
		return "NTLM";
	default:
		return NULL;
	}
}

/*
 * The header must be whole, and its len must be exactly the bytes that
 * follow it: a structure with anything missing or left over is refused
 * before the selected package sees it.
 */
static int sspi_negotiate_select(const void *data, size_t len,
				 const struct sspi_package **inner,
				 const void **inner_data, size_t *inner_len)
{
	const struct sspi_negotiate_import *imp = data;
	const struct sspi_package *pkg;
	const char *name;

	if (len < sizeof(*imp) || imp->len != len - sizeof(*imp))
		return -EINVAL;
	name = sspi_negotiate_mech_package(imp->mech);
	if (!name)
		return -EINVAL;
	pkg = sspi_package_find(name);
	if (!pkg)
		return -EPROTONOSUPPORT;	/* SEC_E_SECPKG_NOT_FOUND */
	*inner = pkg;
	*inner_data = imp->import;
	*inner_len = imp->len;
	return 0;
}

static const struct sspi_package_ops sspi_negotiate_ops = {
	.select = sspi_negotiate_select,
};

static struct sspi_package sspi_negotiate_package = {
	.name = "Negotiate",
	.comment = "SPNEGO's choice of Kerberos or NTLM; the chosen package runs the context",
	/* what Kerberos and NTLM both offer */
	.caps = SSPI_PKG_CAP_ENCRYPT | SSPI_PKG_CAP_DECRYPT |
		SSPI_PKG_CAP_SIGN | SSPI_PKG_CAP_VERIFY,
	.ops = &sspi_negotiate_ops,
};

/**
 * sspi_negotiate_register() - register the Negotiate package
 *
 * Register it after the packages it selects; it looks them up by name
 * at each import, so a mechanism whose package is missing fails that
 * import only (SEC_E_SECPKG_NOT_FOUND).
 *
 * Return: 0 or the error of sspi_package_register().
 */
int sspi_negotiate_register(void)
{
	return sspi_package_register(&sspi_negotiate_package);
}

/**
 * sspi_negotiate_unregister() - unregister it; the contexts imported
 *	through it go first, whichever package runs them
 */
void sspi_negotiate_unregister(void)
{
	sspi_package_unregister(&sspi_negotiate_package);
}
