#!/bin/sh
# The js toolchain (flavors js, fullstack, polyglot run it with the same
# instruction, so Docker shares the layer): global CLIs from npm on the base's
# Node 24 + npm 11. esbuild and pnpm pick their native binary in an install
# script and yarn's preinstall tidies old shims; npm 11 is told to run them.
# yarn is Yarn 1 ("classic"), the global launcher; a project that pins Yarn 2+
# (yarnPath in .yarnrc.yml) keeps working. "latest" is frozen by Docker's cache
# until the script changes or a build runs without cache.
set -eux
npm install -g --allow-scripts=pnpm,esbuild,yarn \
  pnpm@latest yarn@1 tsx@latest esbuild@latest vite@latest turbo@latest typescript@latest
npm cache clean --force
export HOME=/tmp/check
pnpm --version; yarn --version; tsx --version; esbuild --version; vite --version
turbo --version; tsc --version
rm -rf /tmp/* /root/.npm /root/.cache /root/.config /root/.local
