#!/usr/bin/env bash
# The example deployment files installed under share/doc/jvap/examples: the systemd unit passes
# `systemd-analyze verify` (with the built binary standing in for /usr/bin/jvap) and its command
# line is one `jvap serve` accepts; the nginx site passes `nginx -t` inside a minimal nginx.conf
# (with a throw-away certificate standing in for the real one).
set -u
jvap=$(realpath "$1")
examples=$(cd "$(dirname "$0")/../../packaging/examples" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# systemd: the unit with the binary under test, checked offline.
command -v systemd-analyze >/dev/null || fail "systemd-analyze is not installed (tools/test installs systemd)"
sed "s#/usr/bin/jvap#$jvap#" "$examples/jvap.service" > "$work/jvap.service"
"$jvap" init "$work/srv" >/dev/null || fail "jvap init"
sed -i "s#/srv/jvap#$work/srv#g" "$work/jvap.service"
SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$work/jvap.service" > "$work/verify.txt" 2>&1
if grep -i "jvap.service" "$work/verify.txt" | grep -v "Failed to put bus name" | grep -q .; then
  cat "$work/verify.txt"
  fail "systemd-analyze verify reports problems with the unit"
fi
for key in User= Restart=on-failure NoNewPrivileges=yes ProtectSystem=strict ReadWritePaths= WorkingDirectory=; do
  grep -q "^$key" "$examples/jvap.service" || fail "the unit has no $key"
done
# Its ExecStart is a command line jvap serve accepts.
exec_start=$(sed -n 's/^ExecStart=//p' "$work/jvap.service")
read -r -a argv <<< "$exec_start"
(cd "$work/srv" && "${argv[@]}" --check-config) >/dev/null 2>"$work/serve.err" || { cat "$work/serve.err"; fail "jvap serve refuses the unit's command line"; }

# nginx: the site inside a minimal main configuration, with a self-signed certificate.
command -v nginx >/dev/null || fail "nginx is not installed (tools/test installs nginx-light)"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=jvap.example.org \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1 || fail "openssl could not make a test certificate"
sed -e "s#/etc/ssl/certs/jvap.example.org.pem#$work/cert.pem#" \
    -e "s#/etc/ssl/private/jvap.example.org.key#$work/key.pem#" \
    -e "s#/var/log/nginx/#$work/#g" "$examples/jvap-nginx.conf" > "$work/site.conf"
cat > "$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
  access_log $work/access.log;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  include $work/site.conf;
}
CONF
nginx -t -q -e "$work/error.log" -c "$work/nginx.conf" -p "$work" > "$work/nginx.txt" 2>&1 || {
  cat "$work/nginx.txt"; fail "nginx -t refuses the site"; }
for key in client_max_body_size limit_req_zone "ssl_protocols TLSv1.2 TLSv1.3" proxy_request_buffering; do
  grep -q "$key" "$examples/jvap-nginx.conf" || fail "the site has no $key"
done
echo "ok: the systemd unit verifies and jvap serve accepts its command line; nginx -t accepts the site"
