# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced by a test that checks mostly userspace (sspictl's parsing,
# derivations, output): it runs under the distro kernel only, and exits 77
# (run-all's SKIP) under the debug kernel, where it would take minutes
# and reach no kernel code the other tests do not.  SSPI_VM_ALL=1 (set on
# the host, passed by vm-run) runs it under every kernel.
if [ "${SSPI_VM_KERNEL:-}" = debug ] && [ -z "${SSPI_VM_ALL:-}" ]; then
	echo "sspictl's own checks run under the distro kernel (SSPI_VM_ALL=1: here too)"
	exit 77
fi
