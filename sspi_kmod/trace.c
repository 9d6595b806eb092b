// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the trace events' definitions (sspi_trace.h).
 */

#define CREATE_TRACE_POINTS
#include "sspi_trace.h"
