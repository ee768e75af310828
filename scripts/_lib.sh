# Shared by scripts/demo and scripts/test: a progress line per step with the elapsed time, and venvs that are
# (re)installed only when what they are built from changed. pip's own output goes to .logs/, never the terminal.
export SCRIPT_T0=${SCRIPT_T0:-$(date +%s)}  # epoch seconds when the script started (the demo's Python reads it)
mkdir -p .logs

step() {
  printf '==> [%3ds] %s\n' "$(($(date +%s) - SCRIPT_T0))" "$*"
}

# ensure_venv DIR STAMP-INPUT... -- PIP-ARGS...: DIR holds what PIP-ARGS install, unless STAMP-INPUT changed.
ensure_venv() {
  local dir=$1 inputs=() stamp
  shift
  while [ "$1" != "--" ]; do inputs+=("$1"); shift; done
  shift
  stamp=$( (python3 --version; cat "${inputs[@]}"; echo "$@") | sha256sum | cut -c1-16)  # what pip installs too
  if [ -f "$dir/.installed" ] && [ "$(cat "$dir/.installed")" = "$stamp" ]; then
    step "$dir is up to date"
    return
  fi
  step "Installing $dir (pip's output: .logs/pip-${dir#.}.log; a first install takes a minute or two)"
  [ -x "$dir/bin/python" ] || python3 -m venv "$dir"
  # pip compiles modules one at a time; compileall afterwards uses every core (and spares each process that
  # starts later the compiling of what it imports).
  if ! "$dir/bin/python" -m pip install --disable-pip-version-check --no-compile "$@" >".logs/pip-${dir#.}.log" 2>&1; then
    echo "pip could not install $dir: see .logs/pip-${dir#.}.log" >&2
    exit 1
  fi
  "$dir/bin/python" -m compileall -q -j 0 "$dir/lib" >/dev/null 2>&1 || true
  echo "$stamp" >"$dir/.installed"
}
