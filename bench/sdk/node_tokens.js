// Times the official Node SDK (npm `opentok`) minting client tokens on one
// core: HS256 JWT (the default) and legacy T1 (third argument `true`).
// Usage: node node_tokens.js [jwt_iterations] [t1_iterations]; prints one
// JSON object of tokens per second.
'use strict';

const OpenTok = require('opentok');

const API_KEY = '123456';
const API_SECRET = '1234567890abcdef1234567890abcdef1234567890';
const SESSION_ID = '1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4';
const OPTIONS = { role: 'publisher', data: 'name=Alice' };

const jwtIterations = Number(process.argv[2] || 6000);
const t1Iterations = Number(process.argv[3] || 120000);
const opentok = new OpenTok(API_KEY, API_SECRET);

function rate(useT1, iterations) {
  for (let i = 0; i < 1000; i += 1) opentok.generateToken(SESSION_ID, OPTIONS, useT1); // warm-up
  const start = process.hrtime.bigint();
  let bytes = 0;
  for (let i = 0; i < iterations; i += 1) {
    bytes += opentok.generateToken(SESSION_ID, OPTIONS, useT1).length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (bytes === 0) throw new Error('no tokens generated');
  return iterations / seconds;
}

console.log(JSON.stringify({ jwt: rate(false, jwtIterations), t1: rate(true, t1Iterations) }));
