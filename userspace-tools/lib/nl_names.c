// SPDX-License-Identifier: GPL-2.0
/*
 * libsspi: names of the "sspi" family's commands and attributes, for
 * messages, from the tables scripts/netlink-gen generates from
 * Documentation/netlink/specs/sspi.yaml (nl_names.h).
 */
#include <stdio.h>

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

const char *sspi_nl_cmd_name(int cmd)
{
	if (cmd > 0 && (size_t)cmd < ARRAY_SIZE(sspi_cmd_names) &&
	    sspi_cmd_names[cmd])
		return sspi_cmd_names[cmd];
	return "request";
}

