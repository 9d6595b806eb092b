# SPDX-License-Identifier: GPL-2.0
# tests/run layer "vm": tests/vm/*_test.sh through the module's real
# interfaces, in one boot of the debug kernel (KASAN, UBSAN, lockdep,
# kmemleak) and one of bookworm's distro kernel.  Each test on each kernel
# is one result, and each boot's kernel log is one more.  Sourced.

# the tools, and the Windows-API test program against their staged
# "make install" (tests/vm/sspi_user_test.sh)
make -s -C "$SSPI_TOP/userspace-tools" all sspi-user-test >"$(t_log vm-build-tools)" 2>&1 ||
	{ t_result vm/build-tools fail; t_show_log vm-build-tools; }

for kind in debug distro; do
	log=$(t_log "vm-$kind")
	# the test modules (tests/modules) next to the module vm-run loads
	"$SSPI_TOP/scripts/build-module" "$kind" SSPI_TEST_MODULES=m >"$(t_log "vm-$kind-modules")" 2>&1 ||
		{ t_result "vm-$kind/build-test-modules" fail; t_show_log "vm-$kind-modules"; }
	"$SSPI_TOP/scripts/vm-run" --kernel "$kind" --timeout 3600 -- "$SSPI_TOP/tests/vm/run-all" >"$log" 2>&1
	rc=$?
	t_parse_tap "vm-$kind" "$log" || t_result "vm-$kind/run" fail "no results"
	# the interop matrix, as the test printed it
	grep -aE '^#   (not )?ok (openssl|ktls|krb5|krb5-ioctl|rc4|ntlm|ntlm-ioctl) ' "$log" | sed "s/^#   /  $kind interop: /"
	case $rc in
	0) t_result "vm-$kind/kernel-log-clean" pass ;;
	100) t_result "vm-$kind/kernel-log-clean" fail "kernel report"; t_show_log "vm-$kind" ;;
	*)
		# a failing test is reported above; the log is clean unless
		# vm-run found a report or the guest died
		if grep -aq '^not ok' "$log" && ! grep -aq 'kernel report\|guest stopped\|timed out' "$log"; then
			t_result "vm-$kind/kernel-log-clean" pass
		else
			t_result "vm-$kind/kernel-log-clean" fail "vm-run exit $rc"
		fi
		t_show_log "vm-$kind" ;;
	esac
done
