# Shared by the service's integration tests: a project with the bundled plan and the demo's
# 2025-H1 uploads as of 2026-07-20, a token per role, and `jvap serve` on a free port.
# Source it after setting jvap, src and work; it sets JVAP (the address), the tokens and
# serve_pid, and stops the service at exit.
export TZ=UTC
C=(--plans "$src/plans" --db "$work/jvap.db" --as-of 2026-07-20)
while IFS=, read -r file org received; do
  case "$file" in 2025-H1/*) ;; *) continue ;; esac
  "$jvap" ingest "$src/plans/demo/uploads/$file" --org "$org" --received-on "$received" "${C[@]}" -q >/dev/null \
    || { echo "FAIL: setup: ingest $file"; exit 1; }
done < <(tail -n +2 "$src/plans/demo/uploads/manifest.csv")
token() { "$jvap" token create --org "$1" --role "$2" "${C[@]}" -q; }
TOKEN=$(token IOM focal-point) && UNHCR=$(token UNHCR contributor) && SECRETARIAT=$(token ICMPD secretariat) &&
  VIEWER=$(token ICMPD viewer) && UNHCR_FOCAL=$(token UNHCR focal-point) || { echo "FAIL: setup: tokens"; exit 1; }
export TOKEN UNHCR SECRETARIAT VIEWER UNHCR_FOCAL
"$jvap" serve --listen 127.0.0.1:0 "${C[@]}" --rules "$src/rules" --templates "$src/reports" ${SERVE_ARGS:-} \
  > "$work/serve.out" 2> "$work/serve.log" &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  port=$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$work/serve.out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log"; echo "FAIL: the service did not start"; exit 1; }
export JVAP="http://127.0.0.1:$port"
