// SPDX-License-Identifier: GPL-2.0
/*
 * libsspi: names of the "sspi" family's commands and attributes, for
 * messages, from the tables scripts/netlink-gen generates from
 * Documentation/netlink/specs/sspi.yaml (nl_names.h).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "nl_names.h"

const char *sspi_nl_attr_name(int type)
{
	static char buf[16];

	if (type > 0 && (size_t)type < ARRAY_SIZE(sspi_attr_names) &&
	    sspi_attr_names[type])
		return sspi_attr_names[type];
	snprintf(buf, sizeof(buf), "%d", type);
	return buf;
}

/*
 * By name: attributes newer than the header a program was built with
 * (a reply's CTX_NEGOTIATED) are found where the spec put them
 */
int sspi_nl_attr_by_name(const char *name)
{
	size_t i;

	for (i = 1; i < ARRAY_SIZE(sspi_attr_names); i++)
		if (sspi_attr_names[i] && !strcmp(sspi_attr_names[i], name))
			return i;
	return 0;
}

const char *sspi_nl_cmd_name(int cmd)
{
	if (cmd > 0 && (size_t)cmd < ARRAY_SIZE(sspi_cmd_names) &&
	    sspi_cmd_names[cmd])
		return sspi_cmd_names[cmd];
	return "request";
}

