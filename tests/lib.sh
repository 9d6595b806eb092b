# SPDX-License-Identifier: GPL-2.0
# Result bookkeeping for tests/run.  Sourced.

t_begin() {
	T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sspi-tests.XXXXXX")
	T_PASS=0 T_FAIL=0 T_SKIP=0 T_START=$SECONDS
	T_FAILED=()
}

# t_result NAME pass|fail|skip [DETAIL]
t_result() {
	case $2 in
	pass) T_PASS=$((T_PASS + 1)); echo "PASS $1${3:+ ($3)}" ;;
	fail) T_FAIL=$((T_FAIL + 1)); T_FAILED+=("$1"); echo "FAIL $1${3:+ ($3)}" ;;
	skip) T_SKIP=$((T_SKIP + 1)); echo "SKIP $1${3:+ ($3)}" ;;
	esac
}

# t_log NAME: the log file for a test's output
t_log() {
	echo "$T_DIR/$(echo "$1" | tr '/ ' '__').log"
}

# t_show_log NAME: print the end of a failed test's log
t_show_log() {
	local log
	log=$(t_log "$1")
	[ -s "$log" ] || return 0
	echo "---- $1: last lines of its log ----"
	tail -n 40 "$log"
	echo "----"
}

# t_cmd NAME CMD...: pass when CMD exits 0
t_cmd() {
	local name=$1 log
	shift
	log=$(t_log "$name")
	if "$@" >"$log" 2>&1; then
		t_result "$name" pass
	else
		t_result "$name" fail "exit $?"
		t_show_log "$name"
	fi
}

# t_expect_status NAME STATUS CMD...: pass when CMD exits with STATUS
t_expect_status() {
	local name=$1 want=$2 log rc
	shift 2
	log=$(t_log "$name")
	"$@" >"$log" 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then
		t_result "$name" pass
	else
		t_result "$name" fail "exit $rc, expected $want"
		t_show_log "$name"
	fi
}

# t_parse_tap PREFIX LOG: results from "ok N name" / "not ok N name" /
# "ok N name # SKIP why" lines
t_parse_tap() {
	local prefix=$1 log=$2 line name n=0
	while IFS= read -r line; do
		case $line in
		"ok "*"# SKIP"*)
			name=${line#ok * }; t_result "$prefix/${name%% # SKIP*}" skip "${name#* # SKIP }" ;;
		"ok "*)
			name=${line#ok * }; t_result "$prefix/$name" pass ;;
		"not ok "*)
			name=${line#not ok * }; t_result "$prefix/$name" fail ;;
		*) continue ;;
		esac
		n=$((n + 1))
	done < <(grep -aE '^(not )?ok [0-9]+ ' "$log")
	[ $n -gt 0 ]
}

t_end() {
	local m=$(((SECONDS - T_START) / 60)) s=$(((SECONDS - T_START) % 60))
	echo
	if [ ${#T_FAILED[@]} -gt 0 ]; then
		echo "Failed:"
		printf '  %s\n' "${T_FAILED[@]}"
	fi
	echo "Time: ${m}m${s}s; logs in $T_DIR"
	echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
	[ "$T_FAIL" = 0 ]
}
