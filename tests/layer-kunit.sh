# SPDX-License-Identifier: GPL-2.0
# tests/run layer "kunit": every KUnit case (and parameter) on UML, on
# x86_64 under QEMU, inside the debug kernel and inside sid's 7.2 kernel is
# one test.  Sourced.

for arch in um x86_64 debug-vm 7.2-vm; do
	log=$(t_log "kunit-$arch")
	json="$SSPI_CACHE/results/kunit-$arch.json"
	"$SSPI_TOP/scripts/kunit" "$arch" >"$log" 2>&1
	rc=$?
	if [ -s "$json" ] &&
	   /usr/bin/python3 "$SSPI_TOP/tests/kunit-results.py" "$json" >"$log.tap" &&
	   t_parse_tap "kunit-$arch" "$log.tap"; then
		if [ $rc != 0 ] && ! grep -q '^not ok' "$log.tap"; then
			t_result "kunit-$arch/run" fail "kunit.py exit $rc"
			t_show_log "kunit-$arch"
		fi
	else
		t_result "kunit-$arch/run" fail "no results (kunit.py exit $rc)"
		t_show_log "kunit-$arch"
	fi
done
