# Sourced by scripts/production-test.sh and scripts/bench.sh: Debian's nginx running
# deploy/nginx/quill.conf on loopback, with its ports and paths substituted and nothing else
# changed, behind a self-signed certificate for blog.example.org made with openssl.

# Installs nginx and its brotli module from Debian's packages when they are missing.
ensure_nginx() {
  if command -v nginx >/dev/null && [ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; then
    return 0
  fi
  echo "[nginx] installing nginx and libnginx-mod-http-brotli-static from Debian"
  if command -v apt-get >/dev/null &&
    { apt-get install -y -qq nginx libnginx-mod-http-brotli-static >/dev/null 2>&1 ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
          nginx libnginx-mod-http-brotli-static >/dev/null; }; }; then
    return 0
  fi
  printf '\n\033[1;31m!!! nginx could not be installed: the production test cannot run !!!\033[0m\n' >&2
  return 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# nginx_start DIR SITE_ROOT UPSTREAM_A UPSTREAM_B: nginx under DIR, serving SITE_ROOT and
# proxying to the two Quill addresses (host:port). Sets NGINX_HTTP, NGINX_HTTPS (ports) and
# NGINX_CERT (the certificate, to trust).
nginx_start() {
  local dir=$1 site=$2 upstream_a=$3 upstream_b=$4 v6=""
  mkdir -p "$dir/tmp" "$dir/cache" "$dir/acme/.well-known/acme-challenge"
  chmod 755 "$dir"
  NGINX_HTTP=$(free_port)
  NGINX_HTTPS=$(free_port)
  NGINX_CERT="$dir/cert.pem"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=blog.example.org" \
    -addext "subjectAltName=DNS:blog.example.org,IP:127.0.0.1" \
    -keyout "$dir/key.pem" -out "$NGINX_CERT" 2>/dev/null
  python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null && v6=1
  sed -e "s|listen 80;|listen 127.0.0.1:$NGINX_HTTP;|" \
    -e "s|listen \[::\]:80;|listen [::1]:$NGINX_HTTP;|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$NGINX_HTTPS ssl http2;|" \
    -e "s|listen \[::\]:443 ssl http2;|listen [::1]:$NGINX_HTTPS ssl http2;|" \
    -e "s|/etc/letsencrypt/live/blog.example.org/fullchain.pem|$NGINX_CERT|" \
    -e "s|/etc/letsencrypt/live/blog.example.org/privkey.pem|$dir/key.pem|" \
    -e "s|/var/www/letsencrypt|$dir/acme|" \
    -e "s|/var/cache/nginx/quill|$dir/cache|" \
    -e "s|/opt/quill/site|$site|" \
    -e "s|127.0.0.1:3000|$upstream_a|" \
    -e "s|127.0.0.1:3001|$upstream_b|" \
    deploy/nginx/quill.conf >"$dir/quill.conf"
  if [ -z "$v6" ]; then
    echo "[nginx] no IPv6 loopback here: the [::] listen lines are left out"
    sed -i '/listen \[::1\]/d' "$dir/quill.conf"
  fi
  if grep -nE 'listen (80|443)|[[:space:]](/opt/quill|/etc/letsencrypt|/var/www|/var/cache)|127\.0\.0\.1:300[01][^0-9]' "$dir/quill.conf"; then
    echo "[nginx] deploy/nginx/quill.conf has a port or path the test does not substitute" >&2
    return 1
  fi
  {
    [ "$(id -u)" = 0 ] && echo "user root;"
    echo "worker_processes auto;"
    echo "pid $dir/nginx.pid;"
    echo "error_log $dir/error.log warn;"
    echo "load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "  include /etc/nginx/mime.types;"
    echo "  default_type application/octet-stream;"
    echo "  access_log $dir/access.log;"
    for kind in client_body proxy fastcgi uwsgi scgi; do echo "  ${kind}_temp_path $dir/tmp/$kind;"; done
    echo "  include $dir/quill.conf;"
    echo "}"
  } >"$dir/nginx.conf"
  nginx -t -q -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log"
  nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log"
}

nginx_stop() {
  local dir=$1
  [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
}
