#!/usr/bin/env bash
# Installs what is missing: Debian packages (when root) and the virtualenv.
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
libfontconfig1 fonts-noto-cjk poppler-utils chromium postgresql"

missing_system() {
  command -v chromium >/dev/null 2>&1 || return 0
  command -v pdftoppm >/dev/null 2>&1 || return 0
  command -v pdffonts >/dev/null 2>&1 || return 0
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || return 0
  [ -n "$(fc-list :lang=zh 2>/dev/null | head -1)" ] || return 0
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || return 0
  return 1
}

if missing_system; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> 安装系统依赖 (apt): $APT_PACKAGES"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $APT_PACKAGES >/dev/null
  else
    echo "!! 缺少系统依赖，请以 root 运行或手动安装: $APT_PACKAGES" >&2
  fi
fi

stamp=.venv/.requirements.sha
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -x .venv/bin/python ]; then
  echo "==> 创建虚拟环境 .venv"
  python3 -m venv .venv
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> 安装 Python 依赖"
  if [ ! -x .venv/bin/uv ]; then
    .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip >/dev/null
    .venv/bin/python -m pip install -q --disable-pip-version-check uv
  fi
  UV_PYTHON_DOWNLOADS=never .venv/bin/uv pip install -q --python .venv/bin/python -r requirements.txt
  echo "$want" > "$stamp"
fi
