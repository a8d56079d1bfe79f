// The fault drill's load (run by tests/faults/run.sh; Node's own fetch, no
// packages). 32 clients, round robin over two replicas, reading, searching
// and creating practices. Five seconds in, PostgreSQL is restarted for
// real (DRILL_RESTART); fifteen seconds later replica 0 gets SIGTERM while
// requests are in flight. It then checks:
//   - every answer is data or a coded refusal; while the database is away
//     the code is SERVICE_UNAVAILABLE (HTTP 503 with Retry-After), never
//     INTERNAL_SERVER_ERROR, never a reset connection;
//   - each replica serves again by itself within 10 s of the database;
//   - every create answered with data is there, whole (its sector too);
//   - every request in flight at the SIGTERM gets its complete answer, and
//     the replica exits within its grace period.
import { execSync } from "node:child_process";

const urls = process.env.DRILL_URLS.split(",");
const token = process.env.DRILL_TOKEN;
const restart = process.env.DRILL_RESTART || "";
const pids = process.env.DRILL_PIDS.split(" ").map(Number);
const CONCURRENCY = Number(process.env.DRILL_CONCURRENCY || 32);

const ops = [
  ["list", `{ practices(first: 20) { totalCount nodes { id title owner { code name } sectors } } }`],
  ["search", `{ searchPractices(query: "layanan pengaduan", first: 5) { totalCount } }`],
  ["region", `{ region(code: "32.11") { name } }`],
];
let seq = 0;
const createOp = () =>
  `mutation { createPractice(input: { title: "Latihan Gangguan ${process.pid}-${++seq}", summary: "Ditulis selama latihan gangguan", ownerRegionCode: "32.11", sectors: [HEALTH], form: OTHER }) { practice { id title } } }`;

const t0 = Date.now();
const now = () => (Date.now() - t0) / 1000;
const counts = {};
const unexpected = [];
const created = [];
let dbDown = null; // [start, end] seconds of the restart
let sigtermAt = null;
const lastOk = [0, 0];
const firstOkAfterRestart = [null, null];
const inFlightAtSigterm = new Set();
let inFlightAtSigtermDone = 0;
const inFlightAtSigtermFailed = [];
const inFlightSet = new Set();
const latencies = [];

function count(k) {
  counts[k] = (counts[k] || 0) + 1;
}

async function request(replica, name, query) {
  const started = now();
  const ticket = {};
  if (replica === 0 && sigtermAt === null) inFlightSet.add(ticket);
  let res, body;
  try {
    res = await fetch(`${urls[replica]}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(30000),
    });
    body = await res.json();
  } catch (e) {
    inFlightSet.delete(ticket);
    if (inFlightAtSigterm.has(ticket)) {
      inFlightAtSigtermFailed.push(`${name}: ${e.cause?.code || e.message}`);
    }
    if (replica === 0 && sigtermAt !== null && started >= sigtermAt) {
      count("refused after SIGTERM (expected: the replica stopped listening)");
      return;
    }
    unexpected.push(`${started.toFixed(1)}s replica ${replica} ${name}: transport ${e.cause?.code || e.message}`);
    return;
  }
  inFlightSet.delete(ticket);
  if (inFlightAtSigterm.has(ticket)) inFlightAtSigtermDone++;
  latencies.push(now() - started);
  const codes = (body.errors || []).map((e) => e.extensions?.code || "UNCODED");
  if (codes.length === 0 && res.status === 200) {
    count(`${name} ok`);
    lastOk[replica] = now();
    if (dbDown && dbDown[1] !== null && started >= dbDown[1] && firstOkAfterRestart[replica] === null) {
      firstOkAfterRestart[replica] = now() - dbDown[1];
    }
    if (name === "create") created.push(body.data.createPractice.practice.id);
    return;
  }
  for (const c of codes) count(`${name} ${c}`);
  const ok503 =
    codes.every((c) => c === "SERVICE_UNAVAILABLE") &&
    (res.status === 503 ? res.headers.get("retry-after") !== null : true);
  if (!ok503 || !dbDown) {
    unexpected.push(`${started.toFixed(1)}s replica ${replica} ${name}: HTTP ${res.status} ${JSON.stringify(body.errors).slice(0, 300)}`);
  }
}

let stop = false;
async function client(i) {
  let n = i;
  while (!stop) {
    let replica = n % 2;
    n++;
    if (replica === 0 && sigtermAt !== null && n % 50 !== 1) {
      // A load balancer has taken replica 0 out (its /readyz is 503): an
      // occasional probe shows it refuses; the rest go to replica 1.
      replica = 1;
    }
    const k = n % 5;
    if (k === 4) await request(replica, "create", createOp());
    else await request(replica, ops[k % 3][0], ops[k % 3][1]);
  }
}

const clients = Array.from({ length: CONCURRENCY }, (_, i) => client(i));

await new Promise((r) => setTimeout(r, 5000));
if (restart) {
  dbDown = [now(), null];
  console.log(`${now().toFixed(1)}s: ${restart}`);
  execSync(restart, { stdio: "inherit" });
  dbDown[1] = now();
  console.log(`${now().toFixed(1)}s: PostgreSQL is back (restart took ${(dbDown[1] - dbDown[0]).toFixed(1)} s)`);
} else {
  console.log("DRILL_RESTART empty: PostgreSQL not restarted (FAULTS_SKIP_RESTART=1 or no cluster found)");
}
await new Promise((r) => setTimeout(r, 15000));

// SIGTERM replica 0 with requests in flight.
for (const t of inFlightSet) inFlightAtSigterm.add(t);
sigtermAt = now();
const inFlightCount = inFlightAtSigterm.size;
process.kill(pids[0], "SIGTERM");
console.log(`${now().toFixed(1)}s: SIGTERM to replica 0 with ${inFlightCount} of its requests in flight`);
let exitedAfter = null;
for (let i = 0; i < 250; i++) {
  await new Promise((r) => setTimeout(r, 100));
  try {
    process.kill(pids[0], 0);
  } catch {
    exitedAfter = now() - sigtermAt;
    break;
  }
}
await new Promise((r) => setTimeout(r, 3000));
stop = true;
await Promise.all(clients);

// Every create answered with data is there, whole, on the other replica.
let missing = 0;
for (const id of created) {
  const res = await fetch(`${urls[1]}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: `{ practice(id: "${id}") { id sectors } }` }),
  });
  const body = await res.json();
  const p = body.data?.practice;
  if (!p || !p.sectors?.includes("HEALTH")) {
    missing++;
    unexpected.push(`created ${id} is missing or not whole: ${JSON.stringify(body)}`);
  }
}

const failures = [];
if (unexpected.length) failures.push(`${unexpected.length} unexpected answers`);
if (restart) {
  for (const r of [0, 1]) {
    if (firstOkAfterRestart[r] === null || firstOkAfterRestart[r] > 10) {
      failures.push(`replica ${r} did not serve again within 10 s of the database (${firstOkAfterRestart[r]})`);
    }
  }
}
if (inFlightAtSigtermFailed.length) failures.push(`${inFlightAtSigtermFailed.length} requests in flight at SIGTERM failed`);
if (exitedAfter === null) failures.push("replica 0 did not exit within 25 s of SIGTERM");

console.log("\ncounts:");
for (const [k, v] of Object.entries(counts).sort()) console.log(`  ${k}: ${v}`);
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 1000).toFixed(0);
console.log(`latency: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${pct(1)} ms over ${latencies.length} answers`);
console.log(`creates answered with data: ${created.length}, all found whole: ${missing === 0}`);
if (restart) {
  console.log(
    `PostgreSQL restart: ${(dbDown[1] - dbDown[0]).toFixed(1)} s; first success after it: replica 0 ${firstOkAfterRestart[0]?.toFixed(2)} s, replica 1 ${firstOkAfterRestart[1]?.toFixed(2)} s`,
  );
}
console.log(
  `SIGTERM: ${inFlightCount} requests in flight on replica 0, ${inFlightAtSigtermDone} answered complete, ${inFlightAtSigtermFailed.length} failed; replica 0 exited ${exitedAfter === null ? "not at all" : `after ${exitedAfter.toFixed(2)} s`}`,
);
for (const u of unexpected.slice(0, 20)) console.log(`  unexpected: ${u}`);
for (const u of inFlightAtSigtermFailed.slice(0, 10)) console.log(`  in flight at SIGTERM, failed: ${u}`);
if (failures.length) {
  console.log(`\nDRILL FAILED: ${failures.join("; ")}`);
  process.exit(1);
}
console.log("\ndrill passed");
