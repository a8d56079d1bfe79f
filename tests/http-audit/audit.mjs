// Runs graphql-http's serverAudits against a running Berguru and prints every
// result; exits non-zero on any error or warning.
import { serverAudits } from 'graphql-http';

const url = process.argv[2] ?? 'http://127.0.0.1:18090/graphql';
const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  results.push({ audit, result: await audit.fn() });
}
let ok = 0, warn = 0, err = 0;
for (const { audit, result } of results) {
  if (result.status === 'ok') { ok++; continue; }
  if (result.status === 'warn') warn++; else err++;
  console.log(`${result.status.toUpperCase()} ${audit.id} ${audit.name}: ${result.reason}`);
  if (result.response) {
    const body = await result.response.text().catch(() => '');
    console.log(`  -> ${result.response.status} ${result.response.headers.get('content-type')} ${body.slice(0, 200)}`);
  }
}
console.log(`${results.length} audits: ${ok} ok, ${warn} warnings, ${err} errors`);
process.exit(warn + err === 0 ? 0 : 1);
