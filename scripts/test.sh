#!/usr/bin/env bash
# Builds everything and runs every test: the README's "run all tests" command and what CI runs.
# Works on a fresh Debian 12 machine with the .NET 10 SDK and Node 20 (as root or with sudo, no stdin).
# Ends with a line "Tests: N passed, N failed, N skipped"; exits non-zero if a step fails,
# a test fails, or no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Nothing may download browsers: e2e tests drive Debian's Chromium at /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# CI must not leave MSBuild worker nodes running after the script ends.
export MSBUILDDISABLENODEREUSE=1

results=artifacts/test-results
started=$SECONDS
phase_started=$SECONDS
timings=()

phase() { echo; echo "=== $1"; phase_started=$SECONDS; }
phase_done() {
  local elapsed=$((SECONDS - phase_started))
  timings+=("$1 ${elapsed}s")
  echo "=== $1 took ${elapsed}s"
}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

phase "prerequisites"
# Chromium for the e2e tests; CJK fonts so Chinese pages render as text, not boxes, in their screenshots.
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  echo "Installing Chromium and fonts-noto-cjk from Debian"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or later is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
dotnet --version
phase_done prerequisites

phase "restore"
dotnet tool restore
dotnet restore Remediation.sln
# A clean install from the lock file. The marker tells Frontend.targets that node_modules is current,
# so the build does not run npm ci a second time.
(cd src/Portal && npm ci --no-audit --no-fund && touch node_modules/.remediation-npm-ci)
phase_done restore

phase "build"
dotnet build Remediation.sln -c Release --no-restore
phase_done build

phase "sqlserver-migrations"
# SQL Server cannot run here; generating the idempotent script proves its migrations compile and apply in order.
mkdir -p artifacts
dotnet ef migrations script --idempotent --context SqlServerRemediationDbContext \
  --project src/Portal --configuration Release --no-build -o artifacts/sqlserver-migrations.sql
echo "Wrote artifacts/sqlserver-migrations.sql ($(wc -l < artifacts/sqlserver-migrations.sql) lines)"
phase_done sqlserver-migrations

shopt -s nullglob
diagrams=(src/Portal/Workflows/*.bpmn)
shopt -u nullglob
if [ ${#diagrams[@]} -gt 0 ]; then
  phase "bpmn-validate"
  # The portal's "bpmn validate FILE" verb; its usage text or argument pattern names it.
  if grep -rqsE --include='*.cs' 'bpmn validate|"bpmn"' src/Portal; then
    for diagram in "${diagrams[@]}"; do
      echo "Validating $diagram"
      # Absolute path: dotnet run starts the portal in its project folder. The timeout stops a portal
      # that does not know the verb from starting its web server and blocking CI.
      timeout 300 dotnet run --project src/Portal --no-build -c Release -- bpmn validate "$PWD/$diagram"
    done
  else
    echo "The portal has no 'bpmn validate' command yet; skipping ${#diagrams[@]} diagram(s)."
  fi
  phase_done bpmn-validate
fi

rm -rf "$results"
mkdir -p "$results"
passed=0 failed=0 skipped=0 test_run_failed=0

# Runs one test project and adds the counts from dotnet test's summary lines, e.g.
#   "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 3 s - X.dll (net10.0)"
run_tests() {
  local name=$1 project=$2 rc=0 counts p f s
  phase "$name tests"
  dotnet test "$project" --no-build -c Release \
    --results-directory "$results/$name" --logger "trx;LogFileName=$name.trx" \
    --blame-hang-timeout 20m --blame-hang-dump-type none 2>&1 | tee "$results/$name.log" || rc=$?
  counts=$(sum_summaries < "$results/$name.log")
  read -r p f s <<< "$counts"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$rc" -ne 0 ]; then
    echo "dotnet test for $project exited with $rc"
    test_run_failed=1
  fi
  phase_done "$name"
}

# Prints "passed failed skipped" summed over every summary line on stdin.
sum_summaries() {
  sed -nE 's/.*(Passed|Failed)! +- +Failed: +([0-9]+), +Passed: +([0-9]+), +Skipped: +([0-9]+), +Total: +([0-9]+).*/\3 \2 \4/p' \
    | awk '{ p += $1; f += $2; s += $3 } END { printf "%d %d %d\n", p, f, s }'
}

run_tests unit tests/unit
run_tests e2e tests/e2e

# The crash test (docs/crash-safety.md): the real portal process killed with SIGKILL while timers fall due.
# Counted as one test.
phase "crash test"
if dotnet run --project tests/chaos -c Release --no-build -- --short --folder "$results/chaos" 2>&1 | tee "$results/chaos.log"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
phase_done "crash test"

echo
printf 'Timings:'; printf ' %s,' "${timings[@]}"; echo " total $((SECONDS - started))s"
echo "Test results (trx, logs): $results"
echo "Tests: $passed passed, $failed failed, $skipped skipped"

if [ "$failed" -gt 0 ] || [ "$test_run_failed" -ne 0 ]; then
  echo "FAILED: see the output above and $results" >&2
  exit 1
fi
if [ $((passed + failed)) -eq 0 ]; then
  echo "FAILED: no test ran" >&2
  exit 1
fi
