#!/usr/bin/env bash
# Portal load benchmark: `saylau serve` (release build) against nginx serving the same
# bytes from files, on loopback, with wrk, for (a) the national results JSON, (b) a
# station's HTML page, (c) a revalidation of the results that gets 304.
#
#   bash bench/web/run.sh        (from any directory)
#
# The store is the demo's synthetic country (STATIONS, default 10000). wrk runs one thread
# (it shares the 2 cores with the server) with CONNECTIONS connections (default 64) for
# DURATION (default 10s) per target. Reports req/s, p50 and p99 of each; the last line is
# portal_vs_nginx=<portal req/s / nginx req/s on the results JSON>, whose target is at
# least 0.5 with the portal's p99 under 20 ms.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
stations="${STATIONS:-10000}"
connections="${CONNECTIONS:-64}"
duration="${DURATION:-10s}"
portal_port="${PORTAL_PORT:-18081}"
nginx_port="${NGINX_PORT:-18080}"

if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
    echo "installing Debian's nginx-light and wrk" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light wrk >/dev/null
fi

# SAYLAU_BIN: another build of the binary (to compare two builds), not rebuilt.
if [[ -z "${SAYLAU_BIN:-}" ]]; then (cd "$root" && cargo build --release -q -p saylau-cli); fi
saylau="${SAYLAU_BIN:-$root/target/release/saylau}"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [[ -f "$work/nginx.pid" ]]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$saylau" demo --stations "$stations" --store "$work/demo.sqlite" --json >/dev/null
"$saylau" --db "$work/demo.sqlite" serve --addr "127.0.0.1:$portal_port" 2>"$work/serve.log" &
pids+=("$!")
portal="http://127.0.0.1:$portal_port"
for _ in $(seq 600); do
    curl -sf -o /dev/null "$portal/api/v1/checkpoint" && break
    sleep 0.1
done

# The exact bytes the portal serves, as files for nginx.
station="01-01-0001"
mkdir -p "$work/www/api/v1" "$work/www/kk/s"
curl -sf "$portal/api/v1/results" -o "$work/www/api/v1/results"
curl -sf "$portal/kk/s/$station" -o "$work/www/kk/s/$station"
portal_etag="$(curl -sfI "$portal/api/v1/results" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }')"

# nginx's workers run as nobody: the files must be readable by all.
chmod a+x "$work"
chmod -R a+rX "$work/www"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/tmp-body;
    proxy_temp_path $work/tmp-proxy;
    fastcgi_temp_path $work/tmp-fastcgi;
    uwsgi_temp_path $work/tmp-uwsgi;
    scgi_temp_path $work/tmp-scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/www;
        etag on;
        location /api/ { default_type application/json; }
        location /kk/ { default_type "text/html; charset=utf-8"; }
    }
}
CONF
nginx -c "$work/nginx.conf"
nginx="http://127.0.0.1:$nginx_port"
for _ in $(seq 50); do
    curl -sf -o /dev/null "$nginx/api/v1/results" && break
    sleep 0.1
done
nginx_etag="$(curl -sfI "$nginx/api/v1/results" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }')"
cmp <(curl -sf "$portal/api/v1/results") <(curl -sf "$nginx/api/v1/results")
cmp <(curl -sf "$portal/kk/s/$station") <(curl -sf "$nginx/kk/s/$station")
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $portal_etag" "$portal/api/v1/results")" == 304 ]]
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $nginx_etag" "$nginx/api/v1/results")" == 304 ]]

# Milliseconds of a wrk latency such as 812.00us, 3.21ms or 1.02s.
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

# Runs wrk on URL (with optional header) and prints "req/s p50_ms p99_ms".
load() {
    local url="$1" header="${2:-}" out
    if [[ -n "$header" ]]; then
        out="$(wrk -t1 -c"$connections" -d"$duration" --latency -H "$header" "$url")"
    else
        out="$(wrk -t1 -c"$connections" -d"$duration" --latency "$url")"
    fi
    if grep -q "Non-2xx or 3xx" <<<"$out"; then
        echo "error responses from $url" >&2
        exit 1
    fi
    local rps p50 p99
    rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
    p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
    p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
    echo "$rps $(ms "$p50") $(ms "$p99")"
}

printf '%-22s %-7s %12s %9s %9s\n' target server req/s p50_ms p99_ms
declare -A rps
for target in results station revalidate; do
    for server in portal nginx; do
        base="$portal"; etag="$portal_etag"
        if [[ $server == nginx ]]; then base="$nginx"; etag="$nginx_etag"; fi
        case $target in
            results) read -r r p50 p99 < <(load "$base/api/v1/results") ;;
            station) read -r r p50 p99 < <(load "$base/kk/s/$station") ;;
            revalidate) read -r r p50 p99 < <(load "$base/api/v1/results" "If-None-Match: $etag") ;;
        esac
        rps[$target-$server]="$r"
        printf '%-22s %-7s %12s %9s %9s\n' "$target" "$server" "$r" "$p50" "$p99"
    done
done
echo "stations=$stations connections=$connections duration=$duration results_bytes=$(wc -c < "$work/www/api/v1/results") station_bytes=$(wc -c < "$work/www/kk/s/$station")"
awk -v p="${rps[results-portal]}" -v n="${rps[results-nginx]}" 'BEGIN { printf "portal_vs_nginx=%.3f\n", p / n }'
