// The node launcher: the pool starts it in a fresh container before the code
// exists (node's start is paid before the run); cold and session runs start it
// directly. The run's files, code first, arrive on stdin as a length-prefixed
// tar stream, read and written here by the rules of unpack.py (only regular
// files and directories, relative names of plain segments taken literally,
// nothing written through a link); the caller's input after it stays unread
// for the code's process.stdin.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const ROOT = '/sandbox';
const SCRIPT = '/sandbox/main.js';
const BLOCK = 512;
const EXIT_REFUSED = 126;
const READY = Buffer.from([0x06]);

class Refused extends Error {}

function pause(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Ends whatever an earlier run in this container left running: kill(-1)
// reaches every process but this one and the container's init.
function endLeftovers() {
  const giveUp = Date.now() + 2000;
  while (Date.now() < giveUp) {
    try {
      process.kill(-1, 'SIGKILL');
    } catch (error) {
      if (error.code === 'ESRCH') return;
      throw error;
    }
    pause(1);
  }
}

function readInto(buffer, offset, length) {
  for (;;) {
    try {
      return fs.readSync(0, buffer, offset, length, null);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
      pause(1);
    }
  }
}

function readLength() {
  const byte = Buffer.alloc(1);
  let line = '';
  for (;;) {
    if (readInto(byte, 0, 1) === 0) throw new Refused('the input ended before the files');
    if (byte[0] === 0x0a) break;
    if (byte[0] < 0x30 || byte[0] > 0x39 || line.length >= 20) throw new Refused("the files' header is not a length");
    line += String.fromCharCode(byte[0]);
  }
  if (line === '') throw new Refused("the files' header is empty");
  return Number(line);
}

function readExactly(count) {
  const buffer = Buffer.alloc(count);
  for (let offset = 0; offset < count;) {
    const read = readInto(buffer, offset, count - offset);
    if (read === 0) throw new Refused('the input ended before the files did');
    offset += read;
  }
  return buffer;
}

function field(header, start, length) {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return end < 0 ? raw : raw.subarray(0, end);
}

function paxPath(data) {
  let found = null;
  for (let pos = 0; pos < data.length;) {
    const space = data.indexOf(0x20, pos);
    const length = Number(data.subarray(pos, space).toString('ascii'));
    if (space < 0 || !(length > 0)) throw new Refused('a pax header is malformed');
    const record = data.subarray(space + 1, pos + length).toString('utf8').replace(/\n$/, '');
    const equals = record.indexOf('=');
    if (record.slice(0, equals) === 'path') found = record.slice(equals + 1);
    pos += length;
  }
  return found;
}

function* entries(data) {
  let longName = null;
  for (let pos = 0; pos + BLOCK <= data.length;) {
    const header = data.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) return;
    if (header.subarray(257, 262).toString('ascii') !== 'ustar') throw new Refused('the files are not a tar stream');
    const sizeField = field(header, 124, 12).toString('ascii').trim();
    const size = sizeField ? parseInt(sizeField, 8) : 0;
    const kind = header[156] ? String.fromCharCode(header[156]) : '0';
    let name = field(header, 0, 100).toString('utf8');
    const prefix = field(header, 345, 155).toString('utf8');
    if (prefix) name = prefix + '/' + name;
    const content = data.subarray(pos + BLOCK, pos + BLOCK + size);
    pos += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (kind === 'x') {
      longName = paxPath(content);
      continue;
    }
    if (longName !== null) {
      name = longName;
      longName = null;
    }
    yield { name, kind, content };
  }
}

function checked(name, kind) {
  if (kind === '5') name = name.replace(/\/+$/, '');
  if (!name || name.startsWith('/') || name.includes('\\')) throw new Refused(`'${name}' is not a relative path`);
  const parts = name.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new Refused(`'${name}' has an empty, '.' or '..' segment`);
  }
  if (/[\x00-\x1f\x7f]/.test(name)) throw new Refused('a file name has a control character');
  return parts;
}

// The directory /sandbox/<parts>, made where missing; a link on the way is refused.
function makeDirs(parts) {
  let dir = ROOT;
  for (const part of parts) {
    dir = path.join(dir, part);
    try {
      fs.mkdirSync(dir, 0o755);
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (!fs.lstatSync(dir).isDirectory()) throw new Refused(`'${parts.join('/')}' is not a directory`);
  }
  return dir;
}

function writeFile(parts, content) {
  const file = path.join(makeDirs(parts.slice(0, -1)), parts[parts.length - 1]);
  const { O_WRONLY, O_CREAT, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
  // No link followed; non-blocking so a FIFO left in the way refuses instead of waiting for a reader.
  const fd = fs.openSync(file, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o644);
  try {
    if (!fs.fstatSync(fd).isFile()) throw new Refused(`'${parts.join('/')}' exists and is not a regular file`);
    fs.ftruncateSync(fd, 0);
    for (let offset = 0; offset < content.length;) {
      offset += fs.writeSync(fd, content, offset, content.length - offset);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function receive() {
  endLeftovers();
  // The first byte on stderr tells the orchestrator this launcher is up and reading; it is not the code's output.
  fs.writeSync(2, READY);
  try {
    for (const { name, kind, content } of entries(readExactly(readLength()))) {
      const parts = checked(name, kind);
      if (kind === '5') makeDirs(parts);
      else if (kind === '0') writeFile(parts, content);
      else throw new Refused(`'${name}' is neither a file nor a directory`);
    }
  } catch (error) {
    fs.writeSync(2, `arcx: the files were not written: ${error.message}\n`);
    process.exit(EXIT_REFUSED);
  }
}

receive();
// What `node main.js` would give the code: argv[1] is the script, and it runs
// as the main module (require.main === module).
process.argv[1] = SCRIPT;
Module.runMain(SCRIPT);
