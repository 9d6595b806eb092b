# SPDX-License-Identifier: GPL-2.0
# Common settings for the sspi_kmod scripts.  Sourced, never run.

SSPI_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SSPI_CACHE=${SSPI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sspi_kmod}
SSPI_JOBS=${SSPI_JOBS:-$(nproc)}

# Kernel versions the project builds and tests against.
SSPI_SRC_612=linux-source-6.12		# trixie: test, debug and KUnit kernels
SSPI_SRC_72=linux-source-7.2		# sid: compat build
SSPI_DISTRO_FLAVOUR=amd64		# bookworm 6.1 distro kernel

msg() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { msg "error: $*"; exit 1; }

# Serialise cache writers (two clones running make at once).
sspi_lock() {
	mkdir -p "$SSPI_CACHE"
	exec 9>"$SSPI_CACHE/.lock.$1"
	flock 9
}

# Copy the module's kbuild sources (no objects) to DEST.  Files are
# compared by content and copied with a fresh time, so whichever clone
# synced last, make rebuilds exactly what differs.  Returns 2 when files
# were removed from DEST: its objects may then refer to them.
sspi_sync_sources() {
	local out
	mkdir -p "$1"
	out=$(rsync -rl --checksum --delete --itemize-changes \
		--exclude='*.o' --exclude='*.ko' --exclude='*.cmd' \
		--exclude='*.mod*' --exclude='.*' --exclude='Module.symvers' \
		--exclude='modules.order' --include='Kbuild' --include='Kconfig' \
		--include='sspi_kmod/***' --include='include/***' --include='kunit/***' \
		--include='tests/' --include='tests/modules/***' --exclude='*' \
		"$SSPI_TOP/" "$1/") || return 1
	if grep -q '^\*deleting' <<<"$out"; then
		return 2
	fi
	return 0
}
