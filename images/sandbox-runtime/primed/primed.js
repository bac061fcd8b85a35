// A node process started before the code exists: the pool starts it in a
// fresh container, then the orchestrator writes /sandbox/main.js through the
// archive API and sends one newline on stdin to release it. Node's start is
// paid before the run, not during it.
//
// Only the release line is read, a byte at a time, straight from fd 0: the
// rest of stdin (the caller's input) stays for the code's process.stdin.
'use strict';
const fs = require('fs');
const Module = require('module');

const SCRIPT = '/sandbox/main.js';

function awaitRelease() {
  const byte = Buffer.alloc(1);
  for (;;) {
    let read;
    try {
      read = fs.readSync(0, byte, 0, 1, null);
    } catch (error) {
      if (error.code === 'EAGAIN') continue;
      throw error;
    }
    if (read === 0 || byte[0] === 0x0a) return;
  }
}

awaitRelease();
// What `node main.js` would give the code: argv[1] is the script, and it runs
// as the main module (require.main === module).
process.argv[1] = SCRIPT;
Module.runMain(SCRIPT);
