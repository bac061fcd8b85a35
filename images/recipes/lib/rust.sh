#!/bin/sh
# The rust toolchain (flavors rust, polyglot): Debian trixie's Rust 1.85:
# rustc, cargo, clippy, rustfmt, rust-analyzer and rust-src (the standard
# library source rust-analyzer reads); gcc is the linker; pkg-config and
# libssl-dev for the common openssl-sys crate. No rustup (its server is not
# reachable).
set -eux
arcx-apt-install rustc cargo rust-clippy rustfmt rust-analyzer rust-src gcc libc6-dev pkg-config libssl-dev
export HOME=/tmp/check
rustc --version; cargo --version; cargo clippy --version; rustfmt --version; rust-analyzer --version
rm -rf /tmp/* /root/.cache /root/.cargo
