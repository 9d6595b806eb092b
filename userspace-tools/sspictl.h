/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspictl: shared declarations.
 */
#ifndef SSPICTL_H
#define SSPICTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

extern bool opt_json;

/* status.c: SSPI status codes and their names */
struct sspi_status_info {
	uint32_t status;
	const char *name;
};

const struct sspi_status_info *sspi_status_by_value(uint32_t status);
const struct sspi_status_info *sspi_status_by_name(const char *name);
const struct sspi_status_info *sspi_status_table(size_t *n);

/* json.c: minimal JSON writer for -j */
void json_string(FILE *f, const char *s);

#endif
