#!/usr/bin/env node
// Stripe-Signature headers made by the official `stripe` package (a devDependency
// of web/), so the tests check sw-billing against Stripe's own signing code.
//
//   node stripe_sign.mjs SECRET [TIMESTAMP] < payload
//       prints the header for the payload (the exact bytes on stdin, UTF-8)
//   node stripe_sign.mjs --batch SECRET < '[{"payload": "...", "timestamp": 123}, ...]'
//       prints a JSON array of headers, one per item (timestamp optional: now)
//   node stripe_sign.mjs --verify SECRET HEADER [TOLERANCE] < payload
//       checks a header with stripe.webhooks.constructEvent; prints "ok" (exit 0)
//       or the library's message (exit 1)
//
// The package is resolved from <repo>/web (or $SW_WEB_DIR); run `npm ci` there first.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = process.env.SW_WEB_DIR || path.resolve(here, '..', '..', 'web');
const require = createRequire(path.join(webDir, 'package.json'));

let Stripe;
try {
  Stripe = require('stripe');
} catch (err) {
  process.stderr.write(`stripe_sign: cannot load the stripe package from ${webDir}/node_modules ` +
    `(run npm ci in ${webDir}): ${err.message}\n`);
  process.exit(2);
}
const stripe = new Stripe('sk_test_signing_only_never_used');

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function usage() {
  process.stderr.write('usage: stripe_sign.mjs SECRET [TIMESTAMP] < payload\n' +
    '       stripe_sign.mjs --batch SECRET < json-array\n' +
    '       stripe_sign.mjs --verify SECRET HEADER [TOLERANCE] < payload\n');
  process.exit(2);
}

function header(payload, secret, timestamp) {
  const opts = { payload, secret };
  if (timestamp !== undefined && timestamp !== null) {
    const t = Number(timestamp);
    if (!Number.isInteger(t) || t <= 0) throw new Error(`bad timestamp: ${timestamp}`);
    opts.timestamp = t;
  }
  return stripe.webhooks.generateTestHeaderString(opts);
}

const args = process.argv.slice(2);
if (args.length === 0) usage();
const input = await readStdin();

if (args[0] === '--batch') {
  if (args.length !== 2) usage();
  const items = JSON.parse(input.toString('utf8'));
  const out = items.map((item) => header(item.payload, args[1], item.timestamp));
  process.stdout.write(JSON.stringify(out) + '\n');
} else if (args[0] === '--verify') {
  if (args.length < 3 || args.length > 4) usage();
  const tolerance = args[3] !== undefined ? Number(args[3]) : undefined;
  try {
    stripe.webhooks.constructEvent(input, args[2], args[1], tolerance);
    process.stdout.write('ok\n');
  } catch (err) {
    process.stdout.write(`${err.message}\n`);
    process.exit(1);
  }
} else {
  if (args.length > 2) usage();
  process.stdout.write(header(input.toString('utf8'), args[0], args[1]) + '\n');
}
