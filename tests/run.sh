#!/usr/bin/env bash
# The test command: installs what is missing, builds with warnings as errors
# and ASan+UBSan, runs the unit tests under valgrind in a plain build, the
# tftpd and ftpd tests under ThreadSanitizer, then every test under ctest in
# a build with ASan+UBSan.
#   tests/run.sh [-L label] [--no-valgrind]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
ctest_args=()
valgrind=1
while [ $# -gt 0 ]; do
	case "$1" in
	--no-valgrind) valgrind=0 ;;
	*) ctest_args+=("$1") ;;
	esac
	shift
done

[ "$(id -u)" = 0 ] && bash "$src/.ci/deps.sh"

if [ $valgrind = 1 ] && command -v valgrind >/dev/null; then
	vg=$src/build-valgrind
	cmake -S "$src" -B "$vg" -DCMAKE_BUILD_TYPE=Debug -DPXE_WERROR=ON >/dev/null
	cmake --build "$vg" -j"$(nproc)"
	ctest --test-dir "$vg" --output-on-failure -L unit -T memcheck
fi

# The loop threads of tftpd and ftpd under ThreadSanitizer (a report ends
# the daemon with 66, which netns_cleanup fails the test on).
if [ ${#ctest_args[@]} = 0 ]; then
	ts=$src/build-tsan
	cmake -S "$src" -B "$ts" -DCMAKE_BUILD_TYPE=Debug -DPXE_WERROR=ON -DPXE_TSAN=ON >/dev/null
	cmake --build "$ts" -j"$(nproc)"
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:atexit_sleep_ms=0 \
		ctest --test-dir "$ts" --output-on-failure -j2 -L 'tftpd|ftpd'
fi

# Last, so that its summary closes the output.
build=${PXE_BUILD_DIR:-$src/build-test}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DPXE_WERROR=ON -DPXE_SANITIZE=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build" --output-on-failure -j2 "${ctest_args[@]}"
