/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: declarations shared by the module's own files.
 */
#ifndef _SSPI_KMOD_INTERNAL_H
#define _SSPI_KMOD_INTERNAL_H

#define SSPI_KMOD_VERSION "0.1.0"

#endif /* _SSPI_KMOD_INTERNAL_H */
