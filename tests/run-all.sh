#!/usr/bin/env bash
# Runs every Failover.Sdk test: the README's test command, and what .ci/run calls.
#
# On a fresh Debian machine, as root, it first installs the system tools the integration
# suites use when they are missing (iproute2, net-tools, iputils-ping, etcd-server).
# Suites that need root, network namespaces or a server skip with a reason when they
# cannot run; with FAILOVER_REQUIRE_ALL=1 (set by .ci/run) such a skip is a failure.
# The last line is "tests: N passed, N failed" (", N skipped" when any were skipped).
set -uo pipefail
cd "$(dirname "$0")/.."

install_prerequisites() {
  local missing=()
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v ifconfig >/dev/null 2>&1 || missing+=(net-tools)
  command -v ping >/dev/null 2>&1 || missing+=(iputils-ping)
  command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "note: not root or no apt-get; not installing ${missing[*]} (suites that need them will skip)" >&2
    return 0
  fi
  echo "installing ${missing[*]}" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || echo "warning: could not install ${missing[*]}" >&2
}

install_prerequisites

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test Failover.Sdk.sln -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
# ("Skipped!" when every test of an assembly was skipped).
read -r failed passed skipped < <(awk '
  /^(Passed|Failed|Skipped)! +- Failed:/ {
    gsub(",", ""); f += $4; p += $6; s += $8
  }
  END { printf "%d %d %d\n", f, p, s }' "$log")

if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "no tests ran" >&2
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the build or the runner failed before any test could
fi

# In CI a skip hides a suite that could not run: it counts as a failure.
if [ "${FAILOVER_REQUIRE_ALL:-0}" = "1" ] && [ "$skipped" -gt 0 ]; then
  echo "FAILOVER_REQUIRE_ALL=1: $skipped skipped test(s) count as failures" >&2
  failed=$((failed + skipped))
fi

summary="tests: $passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then summary="$summary, $skipped skipped"; fi
echo "$summary"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
