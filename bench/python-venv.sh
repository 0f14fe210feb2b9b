# shellcheck shell=bash
# Sourced by the benchmark scripts that time Python peers:
#   python_venv DIR WHAT
# makes the venv DIR/.venv if it is missing (with $PYTHON, default python3) and installs
# DIR/requirements.txt into it (saying it installs WHAT) unless every pinned
# "name==version" line is already in the venv's `pip freeze`; then sets `py` to the
# venv's python.
python_venv() {
    local dir="$1" what="$2"
    local venv="$dir/.venv"
    py="$venv/bin/python"
    if [[ ! -x "$py" ]]; then
        echo "creating $venv" >&2
        "${PYTHON:-python3}" -m venv "$venv"
    fi
    local installed missing=0 req
    installed="$("$py" -m pip freeze --disable-pip-version-check 2>/dev/null || true)"
    while read -r req; do
        [[ -z "$req" || "$req" == \#* ]] && continue
        grep -qixF "$req" <<< "$installed" || missing=1
    done < "$dir/requirements.txt"
    if (( missing )); then
        echo "installing $what into $venv" >&2
        "$py" -m pip install --quiet --disable-pip-version-check -r "$dir/requirements.txt"
    fi
}
