#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sspi_kmod is loaded by the runner, carries its metadata, and taints the
# kernel with nothing but "out-of-tree module" (O) and, on a kernel that
# signs its modules (Debian's), "unsigned module" (E).

set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)

[ -d /sys/module/sspi_kmod ] || { echo "sspi_kmod is not loaded"; exit 1; }
want=$(sed -n 's/^#define SSPI_KMOD_VERSION "\(.*\)"/\1/p' "$top/sspi_kmod/main.c")
have=$(cat /sys/module/sspi_kmod/version)
[ "$have" = "$want" ] || { echo "version $have, expected $want"; exit 1; }

# bit 12 (4096) is TAINT_OOT_MODULE, bit 13 (8192) TAINT_UNSIGNED_MODULE;
# anything else is a problem
tainted=$(cat /proc/sys/kernel/tainted)
[ $((tainted & ~(4096 | 8192))) = 0 ] || { echo "kernel tainted: $tainted"; exit 1; }
case $(cat /sys/module/sspi_kmod/taint) in
O|OE) ;;
*) echo "module taint: $(cat /sys/module/sspi_kmod/taint)"; exit 1 ;;
esac
echo "sspi_kmod $have loaded, taint $tainted"
