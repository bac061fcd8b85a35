#!/bin/sh
# The python toolchain (flavors python, fullstack, polyglot): Debian trixie's
# Python 3.13 (PyPI is not reachable, at build or run time, so everything comes
# from Debian; Python 3.12 as in the seed is not packaged). Debian marks the
# system Python as externally managed: `pip install` wants a venv
# (python3 -m venv --system-site-packages .venv sees the packages below).
# build-essential and python3-dev build C extensions of local packages;
# pyright (type checker / language server) comes from npm.
set -eux
arcx-apt-install \
  python3 python3-dev python3-pip python3-venv python-is-python3 pipx \
  build-essential pkg-config \
  ipython3 python3-poetry black mypy python3-pytest \
  python3-requests python3-numpy \
  python3-django python3-flask python3-fastapi python3-uvicorn
npm install -g pyright@latest
npm cache clean --force
export HOME=/tmp/check
python3 --version; pip --version; ipython3 --version; poetry --version; pipx --version
black --version; mypy --version; pytest --version; pyright --version
python3 -c 'import django, flask, fastapi, uvicorn, numpy, requests'
rm -rf /tmp/* /root/.npm /root/.cache /root/.config /root/.local
