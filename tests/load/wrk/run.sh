#!/usr/bin/env bash
# Loads the portal's queue and case pages with wrk (Debian package `wrk`), one page at a time:
#   [PAGES="/Queue /Reviews"] tests/load/wrk/run.sh BASE_URL DATA_FOLDER [CLIENTS] [SECONDS]
# e.g. tests/load/wrk/run.sh http://127.0.0.1:5199 /tmp/pp100k 32 60
# Signs in as the demo handler with curl, takes 2,000 random complaint ids from the database with sqlite3,
# then runs wrk against /Queue and /Complaints/Case?id=<random id>. Loopback only (docs/performance.md).
# With PORTAL_PID set, also prints the portal's CPU time per request (less sensitive to other load on the machine
# than the latencies) and wrk's own CPU time.
set -euo pipefail
base=${1:?BASE_URL}; data=${2:?DATA_FOLDER}; clients=${3:-32}; seconds=${4:-60}
user=${LOAD_USER:-handler@demo.local}; password=${LOAD_PASSWORD:-Demo!2026}
case "$base" in http://127.0.0.1:*|http://localhost:*|http://\[::1\]:*) ;; *) echo "loopback only: $base" >&2; exit 2;; esac
[ "$seconds" -le 600 ] || { echo "at most 600 s" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

curl -sf -c "$work/jar" -b "$work/jar" "$base/Account/Login" -o "$work/login.html"
token=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$work/login.html" | head -1 | sed 's/.*value="//; s/"$//')
status=$(curl -s -c "$work/jar" -b "$work/jar" -o /dev/null -w '%{http_code}' \
  --data-urlencode "Input.Email=$user" --data-urlencode "Input.Password=$password" \
  --data-urlencode "__RequestVerificationToken=$token" "$base/Account/Login")
[ "$status" = 302 ] || { echo "login as $user failed (HTTP $status)" >&2; exit 1; }
# curl writes HttpOnly cookies as "#HttpOnly_host"; every cookie of the jar goes into one Cookie header.
sed 's/^#HttpOnly_//' "$work/jar" | awk -F'\t' 'NF == 7 && $1 !~ /^#/ { printf "%s%s=%s", sep, $6, $7; sep="; " } END { print "" }' > "$work/cookie"
sqlite3 "file:$data/remediation.db?mode=ro" "SELECT lower(Id) FROM Complaints ORDER BY random() LIMIT 2000;" > "$work/ids"
# EF stores Guids as upper-case text; the page binds either case.
if [[ -z "${PAGES:-}" || "$PAGES" == *"{id}"* ]]; then
  curl -sf -b "$work/jar" "$base/Complaints/Case?id=$(head -1 "$work/ids")" -o /dev/null || { echo "case page failed" >&2; exit 1; }
fi

# utime + stime of the portal process, in clock ticks.
cpu_ticks() { if [ -n "${PORTAL_PID:-}" ]; then awk '{ print $14 + $15 }' "/proc/$PORTAL_PID/stat"; else echo 0; fi; }

echo "$(date -u +%FT%TZ) $(uptime)"
# PAGES (space-separated) replaces the two default pages, e.g. PAGES="/Reviews /Complaints?q=13900001234".
default_pages='/Queue /Complaints/Case?id={id}'
read -r -a pages <<< "${PAGES:-$default_pages}"
for page in "${pages[@]}"; do
  # Warm-up (JIT tiers, SQLite page cache), not measured: WARMUP seconds of the same load, default 5.
  wrk -t2 -c"$clients" -d"${WARMUP:-5}s" -s "$here/portal.lua" "$base" -- "$page" "$work/cookie" "$work/ids" > /dev/null
  echo "== $page: $clients clients, $seconds s"
  before=$(cpu_ticks)
  /usr/bin/time -f "wrk cpu: %U s user, %S s system" -o "$work/time" \
    wrk -t2 -c"$clients" -d"${seconds}s" --timeout 30s -s "$here/portal.lua" "$base" -- "$page" "$work/cookie" "$work/ids" > "$work/out"
  grep -E 'RESULT|Non-2xx|Socket errors' "$work/out"; cat "$work/time"
  if [ -n "${PORTAL_PID:-}" ]; then
    requests=$(grep -o 'RESULT requests=[0-9]*' "$work/out" | cut -d= -f2)
    awk -v t=$(( $(cpu_ticks) - before )) -v n="$requests" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "portal cpu: %.1f s, %.2f ms per request\n", t / hz, 1000 * t / hz / n }'
  fi
  echo "$(uptime)"
done
