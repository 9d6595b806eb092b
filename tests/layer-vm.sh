# SPDX-License-Identifier: GPL-2.0
# tests/run layer "vm": tests/vm/*_test.sh in one boot of the debug kernel;
# each is one test, and the boot's kernel log (KASAN, UBSAN, lockdep,
# kmemleak) is one more.  Sourced.

log=$(t_log vm-debug)
make -s -C "$SSPI_TOP/userspace-tools" >"$log.build" 2>&1 ||
	{ t_result vm/build-tools fail; cat "$log.build"; }
"$SSPI_TOP/scripts/vm-run" --kernel debug -- "$SSPI_TOP/tests/vm/run-all" >"$log" 2>&1
rc=$?
t_parse_tap vm "$log" || t_result vm/run fail "no results"
case $rc in
0) t_result vm/kernel-log-clean pass ;;
100) t_result vm/kernel-log-clean fail "kernel report"; t_show_log vm-debug ;;
*)
	if grep -aq '^not ok' "$log"; then
		t_result vm/kernel-log-clean pass
	else
		t_result vm/kernel-log-clean fail "vm-run exit $rc"
	fi
	t_show_log vm-debug ;;
esac
