#!/usr/bin/env bats
# seclude learn, end to end: nginx from Debian's package learned while curl
# drives it, then served under the learned profile with other requests.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	command -v nginx >/dev/null || skip "nginx is not installed (scripts/install-deps installs nginx-light)"
	# the sandbox sees the host's tree read-only, with its own /tmp: the site lives here
	mkdir -p "$SRC/tests/cli/.work"
	W=$(mktemp -d -p "$SRC/tests/cli/.work" nginx.XXXXXX)
	PORT=$((20000 + RANDOM % 20000))
	mkdir -p "$W/www/sub"
	echo hello >"$W/www/index.html"
	echo other >"$W/www/other.html"
	echo subindex >"$W/www/sub/index.html"
	head -c 3000000 /dev/urandom >"$W/www/big.bin"
	chmod -R a+rX "$W"    # the workers run as www-data
	cat >"$W/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes 2;
pid /run/nginx-learn.pid;
error_log stderr notice;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path /tmp/nginx-body;
  proxy_temp_path /tmp/nginx-proxy;
  fastcgi_temp_path /tmp/nginx-fastcgi;
  uwsgi_temp_path /tmp/nginx-uwsgi;
  scgi_temp_path /tmp/nginx-scgi;
  sendfile on;
  keepalive_timeout 5;
  server {
    listen 127.0.0.1:$PORT;
    root $W/www;
  }
}
CONF
	NGINX=(nginx -e stderr -c "$W/nginx.conf")
}

teardown() {
	[ -n "${W:-}" ] && rm -rf "$W"
	pkill -KILL -f "nginx -e stderr -c $W/" 2>/dev/null || true
}

url() { echo "http://127.0.0.1:$PORT$1"; }

wait_up() {
	curl -s --retry 50 --retry-delay 0 --retry-connrefused --max-time 20 -o /dev/null "$(url /)"
}

names() {
	python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["syscalls"][0]["names"]))' "$1" | sort
}

@test "nginx: learned under load, reloaded, stopped; then served other requests under its profile, zero denials" {
	# 1. learn (eBPF) while curl drives it; a distinctive errno makes any later denial visible in its log
	"$SECLUDE" learn -v "$W:$W" --network host --default-errno 199 --counts -o "$W/nginx.json" -- "${NGINX[@]}" \
		>"$W/learn.out" 2>&1 &
	local learn=$!
	wait_up
	[ "$(curl -s "$(url /)")" = hello ]
	[ "$(curl -s "$(url /big.bin)" | cmp - "$W/www/big.bin" && echo same)" = same ]   # sendfile
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$(url /missing)")" = 404 ]
	[ "$(curl -s "$(url /index.html)" "$(url /index.html)")" = "$(printf 'hello\nhello')" ]  # keep-alive
	# reload: SIGHUP to learn reaches nginx, which starts two new workers
	kill -HUP $learn
	for _ in $(seq 100); do
		[ "$(grep -c "start worker process" "$W/learn.out")" -ge 4 ] && break
		sleep 0.1
	done
	[ "$(grep -c "start worker process" "$W/learn.out")" -ge 4 ]
	grep -q "reconfiguring" "$W/learn.out"
	[ "$(curl -s "$(url /)")" = hello ]
	# graceful stop: SIGQUIT
	kill -QUIT $learn
	local status=0
	wait $learn || status=$?
	[ "$status" -eq 0 ] || { cat "$W/learn.out"; false; }
	grep -q "gracefully shutting down" "$W/learn.out"
	grep -q "seen by the ebpf recorder" "$W/learn.out"

	# 2. the learned profile against Docker's default
	local learned docker
	learned=$(names "$W/nginx.json" | wc -l)
	docker=$(python3 -c 'import json,sys; print(len({n for r in json.load(open(sys.argv[1]))["syscalls"] if r["action"] == "SCMP_ACT_ALLOW" for n in r["names"]}))' "$SRC/lib/profile/default.json")
	echo "# nginx: $learned syscalls learned; Docker's default names $docker in its ALLOW rules" >&3
	[ "$learned" -lt $((docker / 4)) ]

	# 3. run under it, other requests: every answer right, nothing refused
	"$SECLUDE" run -v "$W:$W" --network host --security-opt seccomp="$W/nginx.json" -- "${NGINX[@]}" >"$W/run.out" 2>&1 &
	local runner=$!
	wait_up
	[ "$(curl -s "$(url /other.html)")" = other ]
	[ "$(curl -s "$(url /sub/)")" = subindex ]
	[ "$(curl -sI "$(url /)" | head -1 | tr -d '\r')" = "HTTP/1.1 200 OK" ]
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$(url /nope/x)")" = 404 ]
	[ "$(curl -s -r 100-199 "$(url /big.bin)" | wc -c)" -eq 100 ]
	[ "$(curl -s "$(url /other.html)" "$(url /index.html)")" = "$(printf 'other\nhello')" ]
	kill -QUIT $runner
	status=0
	wait $runner || status=$?
	[ "$status" -eq 0 ] || { cat "$W/run.out"; false; }
	grep -q "exit$" "$W/run.out"
	# (a bare "! grep" would not fail a bats test unless it came last)
	grep -E "Unknown error 199|\(199:|Operation not permitted|\[(alert|emerg|crit)\]" "$W/run.out" && {
		echo "refused under the learned profile:"; cat "$W/run.out"; false; }

	# 4. and the same second workload, recorded (ptrace this time): nothing outside the profile
	"$SECLUDE" learn -v "$W:$W" --recorder ptrace --network host -o "$W/second.json" -- "${NGINX[@]}" >"$W/second.out" 2>&1 &
	local second=$!
	wait_up
	curl -s -o /dev/null "$(url /other.html)" "$(url /sub/)" "$(url /nope/x)"
	curl -s -o /dev/null -r 100-199 "$(url /big.bin)"
	curl -s -o /dev/null -I "$(url /)"
	kill -QUIT $second
	wait $second
	[ -z "$(comm -23 <(names "$W/second.json") <(names "$W/nginx.json"))" ] || {
		echo "outside the learned profile: $(comm -23 <(names "$W/second.json") <(names "$W/nginx.json"))"; false; }
}
