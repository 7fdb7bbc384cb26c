#!/usr/bin/env bash
# Cargo's target runner for x86_64-pc-windows-gnu: runs a cross-built .exe under Wine, headless.
#
#   CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=.ci/wine/runner.sh cargo test --target x86_64-pc-windows-gnu
#
# The Wine prefix is a private one in the temp directory (CWSETUP_WINEPREFIX overrides it),
# created on first use with the ProcessPrng shim (bcryptprimitives.c, built here with mingw when
# missing) in its system32. No display is used: console programs need none.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

export WINEPREFIX="${CWSETUP_WINEPREFIX:-${TMPDIR:-/tmp}/cwsetup-wine-$(id -u)}"
export WINEDEBUG=-all
export WINEARCH=win64
export DISPLAY=
# No Mono or Gecko installer prompts; the shim is the native bcryptprimitives.
export WINEDLLOVERRIDES="mscoree=;mshtml=;bcryptprimitives=n"

shim_src="$here/bcryptprimitives.c"
system32="$WINEPREFIX/drive_c/windows/system32"
if [[ ! -f "$system32/bcryptprimitives.dll" || "$shim_src" -nt "$system32/bcryptprimitives.dll" ]]; then
    # One setup at a time (cargo runs test binaries one by one, but be safe).
    mkdir -p "$(dirname "$WINEPREFIX")"
    exec 9>"$WINEPREFIX.lock"
    flock 9
    if [[ ! -f "$system32/bcryptprimitives.dll" || "$shim_src" -nt "$system32/bcryptprimitives.dll" ]]; then
        if [[ ! -d "$system32" ]]; then
            wineboot --init >/dev/null 2>&1 || true
            wineserver --wait
        fi
        [[ -d "$system32" ]] || { echo "runner.sh: could not create the Wine prefix $WINEPREFIX" >&2; exit 1; }
        built="$(mktemp -d)"
        x86_64-w64-mingw32-gcc -shared -O2 -s -o "$built/bcryptprimitives.dll" \
            "$shim_src" "$here/bcryptprimitives.def" -ladvapi32
        mv "$built/bcryptprimitives.dll" "$system32/bcryptprimitives.dll"
        rmdir "$built"
    fi
    exec 9>&-
fi

exec wine "$@"
