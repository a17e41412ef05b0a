# Shared by tools/run-console and tools/run-tests: install what is missing, configure, build.
# Sourced, not run.

ACTIVITY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ACTIVITY_BUILD_DIR=${ACTIVITY_BUILD_DIR:-$ACTIVITY_ROOT/build}
ACTIVITY_BUILD_TYPE=${ACTIVITY_BUILD_TYPE:-RelWithDebInfo}
# Warnings as errors: ON in CI (.ci/run sets it), OFF for a person's build unless asked for.
ACTIVITY_WERROR=${ACTIVITY_WERROR:-OFF}

# Debian 12 packages: build tools, Qt 6.4 modules, and what the tests run against
# (Xvfb, D-Bus, gnome-keyring, libsecret) and check with (desktop-file-utils, appstream, dpkg-dev).
ACTIVITY_PACKAGES=(
    build-essential cmake ninja-build ccache pkg-config git
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-webengine-dev qt6-webengine-dev-tools qt6-networkauth-dev qt6-httpserver-dev qt6-websockets-dev
    qt6-svg-dev libqt6sql6-sqlite libsqlite3-dev libqt6svg6 qt6-qpa-plugins qtkeychain-qt6-dev libsecret-1-0
    xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
    desktop-file-utils appstream dpkg-dev file curl
    clang libclang-rt-14-dev openssl
)

# The clang build of the libFuzzer targets (fuzz/), run briefly by the test suite.
ACTIVITY_FUZZ_BUILD_DIR=${ACTIVITY_FUZZ_BUILD_DIR:-$ACTIVITY_ROOT/build-fuzz}

# ccache: paths relative to the checkout, so two clones (a developer's, CI's) share cached objects.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ACTIVITY_ROOT}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

activity_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

activity_as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

activity_install_packages() {
    local missing=() pkg
    for pkg in "${ACTIVITY_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        activity_log "All ${#ACTIVITY_PACKAGES[@]} Debian packages are present"
        return 0
    fi
    activity_log "Installing ${#missing[@]} Debian packages: ${missing[*]}"
    activity_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    activity_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

activity_build() {
    local launcher=()
    command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    activity_log "Configuring $ACTIVITY_BUILD_DIR ($ACTIVITY_BUILD_TYPE)"
    cmake -S "$ACTIVITY_ROOT" -B "$ACTIVITY_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$ACTIVITY_BUILD_TYPE" \
        -DACTIVITY_WERROR="$ACTIVITY_WERROR" "${launcher[@]}" "$@" >/dev/null
    activity_log "Building"
    cmake --build "$ACTIVITY_BUILD_DIR" --parallel "$(nproc)"
}

# The fuzz targets named in fuzz/targets.cmake, space-separated.
activity_fuzz_targets() {
    sed -n '/ACTIVITY_FUZZ_TARGETS/,/)/p' "$ACTIVITY_ROOT/fuzz/targets.cmake" | tr -d '()' |
        sed 's/set\|ACTIVITY_FUZZ_TARGETS//g' | tr -s ' \n' ' ' | sed 's/^ *//;s/ *$//'
}

# Configures and builds fuzz/ with clang (-DACTIVITY_FUZZ=ON): only the network library and the targets.
activity_build_fuzz() {
    local launcher=()
    command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    activity_log "Configuring $ACTIVITY_FUZZ_BUILD_DIR (clang, libFuzzer + ASan + UBSan)"
    cmake -S "$ACTIVITY_ROOT" -B "$ACTIVITY_FUZZ_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER=clang++ -DACTIVITY_FUZZ=ON -DACTIVITY_BUILD_TESTS=OFF \
        -DACTIVITY_WERROR="$ACTIVITY_WERROR" "${launcher[@]}" >/dev/null
    activity_log "Building the fuzz targets"
    cmake --build "$ACTIVITY_FUZZ_BUILD_DIR" --target fuzz_all --parallel "$(nproc)"
}
