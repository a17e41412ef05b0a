#!/usr/bin/env bash
# Runs inside tools/run-tests' private D-Bus session: unlocks a throwaway keyring, starts Xvfb and
# the standalone sandbox, then runs ctest. Not meant to be called directly.
set -euo pipefail

# Unlock the keyring before any display exists: a locked keyring under Xvfb waits forever for a prompt.
rm -rf "$XDG_DATA_HOME/keyrings"
printf 'throwaway-test-keyring' | gnome-keyring-daemon --unlock --components=secrets >/dev/null

# The services' own files (logs, port files) stay outside the folders the tests scan for secrets.
services="$(dirname "$TMPDIR")/services"
mkdir -p "$services"

pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_all EXIT

# Xvfb picks a free display number itself and writes it to fd 3.
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3>"$services/xvfb.display" 2>"$services/xvfb.log" &
pids+=($!)
wait_for_file() { for _ in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }
wait_for_file "$services/xvfb.display" || { echo "Xvfb did not start:" >&2; cat "$services/xvfb.log" >&2; exit 1; }
display=$(tr -d '[:space:]' <"$services/xvfb.display")
export DISPLAY=":$display"

# The standalone sandbox, for the tests that drive the command-line programs against it.
sandbox="$ACTIVITY_BUILD_DIR/app/activity-sandbox"
if [ -x "$sandbox" ]; then
    "$sandbox" --port 0 --seed demo --port-file "$services/sandbox.port" --token-file "$services/sandbox.token" \
        >"$services/sandbox.log" 2>&1 &
    pids+=($!)
    wait_for_file "$services/sandbox.port" || { echo "The sandbox did not start:" >&2; cat "$services/sandbox.log" >&2; exit 1; }
    export ACTIVITY_SANDBOX_URL="http://127.0.0.1:$(cat "$services/sandbox.port")"
    # The X-Sandbox-Token its /sandbox/ control endpoints require (written before the port file).
    ACTIVITY_SANDBOX_TOKEN="$(tr -d '[:space:]' <"$services/sandbox.token")"
    export ACTIVITY_SANDBOX_TOKEN
fi

# Everything a test may need is here now: a test that finds something missing fails instead of skipping.
export ACTIVITY_TEST_ENVIRONMENT=complete

ctest --test-dir "$ACTIVITY_BUILD_DIR" --output-on-failure --parallel "$(nproc)" "$@"
