#!/bin/sh
# The go toolchain (flavors go, polyglot): Debian trixie's Go 1.24
# (golang-go), gopls and delve (dlv); gcc and libc6-dev for cgo. Go's module
# proxy is not reachable: GOTOOLCHAIN=local (set by the Dockerfile) keeps a
# go.mod asking for a newer Go from trying to download one. /tmp is mounted
# noexec at run time, and `go run`/`go test` execute what they build in their
# work directory: GOTMPDIR moves that to the home volume (the directory ships
# in the image, so a new volume gets it).
set -eux
arcx-apt-install golang-go gopls delve gcc libc6-dev pkg-config
export HOME=/tmp/check GOTOOLCHAIN=local
go version; gopls version; dlv version
rm -rf /tmp/* /root/.cache /root/.config /root/go
install -d -o 1000 -g 1000 /home/developer/.cache/go-tmp
