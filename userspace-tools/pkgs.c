// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: the packages it knows, each with what it does differently
 * (struct sspictl_pkg).  A new package is a file of its functions and an
 * entry here.
 */
#include <string.h>
#include <strings.h>

#include "sspictl.h"

static const struct sspictl_pkg * const pkgs[] = {
	&tls_pkg,
	&krb5_pkg,
	&ntlm_pkg,
	&negotiate_pkg,
};

/* By the kernel's name for it, as CTX_GET reports it */
const struct sspictl_pkg *pkg_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pkgs); i++)
		if (!strcmp(pkgs[i]->name, name))
			return pkgs[i];
	return NULL;
}

/* By the command line's name: the kernel's in any case, or an alias */
const struct sspictl_pkg *pkg_by_alias(const char *alias)
{
	const char * const *a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pkgs); i++) {
		if (!strcasecmp(pkgs[i]->name, alias))
			return pkgs[i];
		for (a = pkgs[i]->aliases; a && *a; a++)
			if (!strcmp(*a, alias))
				return pkgs[i];
	}
	return NULL;
}

const struct sspictl_pkg *pkg_fallback(void)
{
	return &tls_pkg;
}

const struct sspictl_pkg *pkg_update_keys(void)
{
	return &tls_pkg;
}
