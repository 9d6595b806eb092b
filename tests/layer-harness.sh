# SPDX-License-Identifier: GPL-2.0
# tests/run layer "harness": the VM runner does what scripts/vm-run says.
# Sourced.

VMRUN="$SSPI_TOP/scripts/vm-run"

# Each kernel boots, loads and unloads sspi_kmod with a clean log.
for kind in test debug distro; do
	t_expect_status "harness/boot-$kind" 0 "$VMRUN" --kernel "$kind" -- true
done

# The command's status, stdout, stderr and directory come back.
harness_stdio() {
	local d out err want
	mkdir -p "$SSPI_CACHE/tmp"
	d=$(mktemp -d "$SSPI_CACHE/tmp/vm-run-test.XXXXXX") || return 1
	want=$(cd "$d" && pwd -P)
	(cd "$d" && "$VMRUN" -- sh -c \
		'echo "to stdout"; echo "to stderr" >&2; pwd -P >where; exit 7') \
		>"$d.out" 2>"$d.err"
	local rc=$?
	out=$(cat "$d.out") err=$(grep -v '^\[' "$d.err")
	local where
	where=$(cat "$d/where" 2>/dev/null)
	rm -rf "$d" "$d.out" "$d.err"
	echo "status $rc stdout '$out' stderr '$err' where '$where' (want $want)"
	[ $rc = 7 ] && [ "$out" = "to stdout" ] && [ "$err" = "to stderr" ] &&
		[ "$where" = "$want" ]
}
t_cmd harness/status-stdio-cwd harness_stdio

# A calling directory under /tmp (which the guest covers with its own
# tmpfs) is still the command's, writable, with the repository in view.
harness_tmp_cwd() {
	local d rc
	d=$(mktemp -d /tmp/sspi-vm-cwd.XXXXXX) || return 1
	(cd "$d" && "$VMRUN" -- sh -c \
		"pwd -P >where && test -x '$SSPI_TOP/tests/vm/run-all'")
	rc=$?
	echo "status $rc, where: $(cat "$d/where" 2>/dev/null) (want $d)"
	[ $rc = 0 ] && [ "$(cat "$d/where" 2>/dev/null)" = "$d" ]
	rc=$?
	rm -rf "$d"
	return $rc
}
t_cmd harness/cwd-under-tmp harness_tmp_cwd

# A kernel warning fails a run whose command succeeded.
harness_planted_warning() {
	local obj rc
	obj=$("$SSPI_TOP/scripts/build-module" test SSPI_TEST_MODULES=m) || return 1
	"$VMRUN" -- insmod "$obj/tests/modules/sspi_test_plant_warn.ko" 2>"$obj/plant.err"
	rc=$?
	cat "$obj/plant.err"
	echo "vm-run exited $rc"
	[ $rc = 100 ] && grep -q 'WARNING:.*sspi_test_plant_warn' "$obj/plant.err"
}
t_cmd harness/planted-warning-fails harness_planted_warning

# "make install" puts the module where modules_install does, sspictl in
# sbin and libsspi (the .so, its headers, libsspi.pc) under PREFIX (staged
# under a temporary root; the test kernel stands for KDIR).
harness_install() {
	local root kdir rel
	root=$(mktemp -d) || return 1
	kdir=$("$SSPI_TOP/scripts/kernel" kdir test)
	rel=$("$SSPI_TOP/scripts/kernel" release test)
	make -C "$SSPI_TOP" install KDIR="$kdir" INSTALL_MOD_PATH="$root" \
		DESTDIR="$root" PREFIX=/usr &&
	find "$root" -type f | sed "s|^$root||" | sort &&
	[ -f "$root/lib/modules/$rel/updates/sspi_kmod.ko" ] &&
	[ -x "$root/usr/sbin/sspictl" ] &&
	[ -f "$root/usr/lib/libsspi.so.0.1.0" ] && [ -L "$root/usr/lib/libsspi.so" ] &&
	[ -f "$root/usr/include/sspi_kmod/sspi_user.h" ] &&
	grep -qx 'libdir=/usr/lib' "$root/usr/lib/pkgconfig/libsspi.pc" &&
	modinfo -F license "$root/lib/modules/$rel/updates/sspi_kmod.ko" | grep -qx GPL
	local rc=$?
	make -C "$SSPI_TOP" clean KDIR="$kdir" >/dev/null
	rm -rf "$root"
	return $rc
}
t_cmd harness/make-install harness_install

# dkms.conf works: Debian's dkms builds the module against the distro
# kernel's packaged headers (in a private dkms tree), and that very .ko
# loads and unloads cleanly in the distro kernel, after the modules it
# depends on (libarc4), as modprobe would load them.
harness_dkms() {
	local t k ks opts ko rc
	"$SSPI_TOP/scripts/kernel" prepare distro || return 1
	k=$("$SSPI_TOP/scripts/kernel" release distro)
	ks=$("$SSPI_TOP/scripts/kernel" kdir distro)
	mkdir -p "$SSPI_CACHE/tmp"
	t=$(mktemp -d "$SSPI_CACHE/tmp/dkms.XXXXXX") || return 1
	mkdir -p "$t/src/sspi_kmod-0.1.0" "$t/dkms" "$t/install"
	git -C "$SSPI_TOP" ls-files -co --exclude-standard | grep -v '^\.' |
		(cd "$SSPI_TOP" && tar -cf - -T -) | tar -xf - -C "$t/src/sspi_kmod-0.1.0"
	opts=(--dkmstree "$t/dkms" --sourcetree "$t/src" --installtree "$t/install")
	dkms add -m sspi_kmod -v 0.1.0 "${opts[@]}" &&
	dkms build -m sspi_kmod -v 0.1.0 -k "$k" --kernelsourcedir "$ks" "${opts[@]}" &&
	ko=$(find "$t/dkms" -name sspi_kmod.ko | head -n 1) && [ -n "$ko" ] &&
	modinfo -F vermagic "$ko" | grep -q "^$k " &&
	"$VMRUN" --kernel distro --no-module -- sh -c "
		for d in \$(modinfo -F depends '$ko' | tr , ' '); do
			/run/modprobe \$d || exit 1
		done
		insmod '$ko' && rmmod sspi_kmod"
	rc=$?
	rm -rf "$t"
	return $rc
}
t_cmd harness/dkms-build-load-distro harness_dkms
