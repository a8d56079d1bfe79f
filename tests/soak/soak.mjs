// The soak's load (run by tests/soak/run.sh; Node's own fetch and
// WebSocket, no packages). SOAK_CONCURRENCY clients, round robin over the
// replicas (a stand-in for a load balancer), for SOAK_MINUTES: nested
// practice lists, a practice by id with owner and outcomes, a region with
// its stats, searches (Indonesian, English, typos), guru questions, and
// updates with the version just read (a CONFLICT on a stale version is
// expected and counted). Two subscriptions stay open on each replica for
// the whole run. Every 10 s it samples each replica's resident memory and
// /readyz. At the end it waits for the outbox to empty and checks:
// 0 unexpected errors, RSS growth after warm-up under 10%, backlog 0, and
// that subscribers on each replica heard writes made through the other.
import { readFileSync, writeFileSync } from "node:fs";

const urls = process.env.SOAK_URLS.split(",");
const pids = process.env.SOAK_PIDS.split(" ").map(Number);
const token = process.env.SOAK_TOKEN;
const minutes = Number(process.env.SOAK_MINUTES || 10);
const concurrency = Number(process.env.SOAK_CONCURRENCY || 32);
const out = process.env.SOAK_OUT;
const engine = process.env.SOAK_ENGINE;
const durationMs = minutes * 60_000;

async function gql(replica, query, variables = {}) {
  const res = await fetch(`${urls[replica]}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.json() };
}

// Practices of the soak's own, owned by Sumedang (the token's region), that
// the clients update concurrently.
const own = [];
for (let i = 0; i < 8; i++) {
  const r = await gql(
    i % 2,
    `mutation ($t: String!) { createPractice(input: { title: $t, summary: "Praktik uji ketahanan: layanan pengaduan warga", ownerRegionCode: "32.11", sectors: [PUBLIC_SERVICE], form: PUBLIC_SERVICE }) { practice { id } } }`,
    { t: `Uji Ketahanan Layanan ${i} ${Date.now()}` },
  );
  const id = r.body.data?.createPractice?.practice?.id;
  if (!id) throw new Error(`cannot create the soak's practices: ${JSON.stringify(r.body)}`);
  own.push(id);
}
const demo = await gql(0, `{ practices(first: 50) { nodes { id } } }`);
const demoIds = demo.body.data.practices.nodes.map((n) => n.id);

const searches = [
  "e-office", "e-ofice sumedang", "pelaporan pengaduan", "kepegawaian", "desa digital",
  "citizen complaint app", "village fund transparency", "one-stop permit service", "smart city bandung",
  "layanan kesehatan keliling", "PTSP", "penanganan stunting",
];
const topics = ["e-office", "pengaduan masyarakat", "one-stop permit service", "desa digital", "smart city"];
const seekers = ["36.02", "13.71", "63.72", "52.03", "18.08"];

const LIST = `query ($first: Int) { practices(first: $first) { totalCount nodes { id title owner { code name } outcomes { metric baselineValue achievedValue } agreements { id title stage parties { region { code name } } } } } }`;
const BY_ID = `query ($id: ID!) { practice(id: $id) { id title version owner { code name province { name } } outcomes { metric achievedValue } } }`;
const REGION = `query ($code: ID!) { region(code: $code) { name population stats { practicesOwned agreementsTotal transfersGiven visitsHosted agreementsByPartnerCategory { withinProvince otherProvinces outsideProvince thirdParties } } } }`;
const SEARCH = `query ($q: String!) { searchPractices(query: $q, first: 10) { totalCount edges { score node { slug title owner { name } } } } }`;
const GURUS = `query ($s: ID!, $t: String!) { findGurus(seeker: $s, topic: $t, first: 5) { region { code name } score reasons { factor text } } }`;
const VERSION = `query ($id: ID!) { practice(id: $id) { version } }`;
const UPDATE = `mutation ($id: ID!, $v: Int!, $s: String!) { updatePractice(input: { id: $id, version: $v, summary: $s }) { practice { id version } } }`;

const stats = {}; // op -> { n, errors: {code: n}, lat: [] }
const unexpected = [];
let conflicts = 0;
function record(op, ms, codes) {
  const s = (stats[op] ||= { n: 0, errors: {}, lat: [] });
  s.n++;
  s.lat.push(ms);
  for (const c of codes) s.errors[c] = (s.errors[c] || 0) + 1;
}

async function call(op, replica, query, variables) {
  const t = performance.now();
  let r;
  try {
    r = await gql(replica, query, variables);
  } catch (e) {
    record(op, performance.now() - t, ["TRANSPORT"]);
    unexpected.push(`${op} on replica ${replica}: ${e.cause?.code || e.message}`);
    return null;
  }
  const codes = (r.body.errors || []).map((e) => e.extensions?.code || "UNCODED");
  record(op, performance.now() - t, codes);
  if (op === "update" && codes.length === 1 && codes[0] === "CONFLICT") {
    conflicts++;
    return null;
  }
  if (r.status !== 200 || codes.length) {
    unexpected.push(`${op} on replica ${replica}: HTTP ${r.status} ${JSON.stringify(r.body.errors).slice(0, 300)}`);
    return null;
  }
  return r.body.data;
}

// Subscriptions: two on each replica for the whole run.
const subs = [];
function subscribe(replica, regionCode) {
  const sub = { replica, regionCode, events: 0, fromOther: 0, closed: null, acked: false };
  const ws = new WebSocket(`${urls[replica].replace("http", "ws")}/graphql/ws`, "graphql-transport-ws");
  ws.onopen = () => ws.send(JSON.stringify({ type: "connection_init", payload: { Authorization: `Bearer ${token}` } }));
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type === "connection_ack") {
      sub.acked = true;
      ws.send(JSON.stringify({
        id: "1", type: "subscribe",
        payload: { query: `subscription ($r: ID) { practiceChanged(regionCode: $r) { created ownerRegionCode practice { id summary } } }`, variables: { r: regionCode } },
      }));
    } else if (msg.type === "ping") {
      ws.send(JSON.stringify({ type: "pong" }));
    } else if (msg.type === "next") {
      sub.events++;
      const summary = msg.payload?.data?.practiceChanged?.practice?.summary || "";
      if (summary.includes(`via replica ${1 - replica}`)) sub.fromOther++;
    } else if (msg.type === "error") {
      unexpected.push(`subscription on replica ${replica}: ${JSON.stringify(msg.payload)}`);
    }
  };
  ws.onclose = (e) => { if (!stopping) sub.closed = `${e.code} ${e.reason}`; };
  sub.ws = ws;
  subs.push(sub);
}
let stopping = false;
for (const r of urls.keys()) {
  subscribe(r, "32.11");
  subscribe(r, null);
}

// Resident memory from /proc: the total, and its two halves. Anonymous
// pages are the heap (a leak shows there); file-backed pages are mapped
// files, here the embedded search index, which the kernel can drop at will.
function rss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name) => {
    const m = status.match(new RegExp(`${name}:\\s+(\\d+) kB`));
    return m ? Number(m[1]) / 1024 : null;
  };
  return { total: kb("VmRSS"), anon: kb("RssAnon"), file: kb("RssFile") };
}
async function readyz(replica) {
  try {
    const r = await fetch(`${urls[replica]}/readyz`, { signal: AbortSignal.timeout(5000) });
    return await r.json();
  } catch (e) {
    return { status: `unreachable: ${e.message}` };
  }
}
const samples = [];
const t0 = Date.now();
async function sample() {
  const mem = pids.map(rss);
  const s = { t: (Date.now() - t0) / 1000, rssMb: mem.map((m) => m.total), anonMb: mem.map((m) => m.anon), fileMb: mem.map((m) => m.file), ready: [] };
  for (const r of urls.keys()) {
    const z = await readyz(r);
    s.ready.push({ status: z.status, backlog: z.searchOutboxBacklog, events: z.events });
    if (z.status !== "ready") unexpected.push(`${s.t}s: replica ${r} /readyz ${JSON.stringify(z)}`);
  }
  samples.push(s);
}
await sample();
const sampler = setInterval(sample, 5_000);

let stop = false;
let seq = 0;
async function client(i) {
  let n = i * 7;
  while (!stop) {
    const replica = n % urls.length;
    const k = n % 20;
    n++;
    if (k < 5) await call("list", replica, LIST, { first: 50 });
    else if (k < 8) await call("practice", replica, BY_ID, { id: demoIds[n % demoIds.length] });
    else if (k < 10) await call("region", replica, REGION, { code: seekers[n % seekers.length] });
    else if (k < 14) await call("search", replica, SEARCH, { q: searches[n % searches.length] });
    else if (k < 16) await call("gurus", replica, GURUS, { s: seekers[n % seekers.length], t: topics[n % topics.length] });
    else {
      const id = own[n % own.length];
      const v = await call("version", replica, VERSION, { id });
      if (v?.practice) {
        await call("update", replica, UPDATE, {
          id, v: v.practice.version,
          s: `Praktik uji ketahanan: layanan pengaduan warga, perubahan ${++seq} via replica ${replica}`,
        });
      }
    }
  }
}
const clients = Array.from({ length: concurrency }, (_, i) => client(i));
await new Promise((r) => setTimeout(r, durationMs));
stop = true;
const loadEndT = (Date.now() - t0) / 1000;
await Promise.all(clients);
clearInterval(sampler);
await sample();

// The outbox drains to 0 once the load stops.
let backlogAtEnd = null;
const drainStart = Date.now();
for (;;) {
  const z = await readyz(0);
  backlogAtEnd = z.searchOutboxBacklog;
  if (backlogAtEnd === 0 || Date.now() - drainStart > 60_000) break;
  await new Promise((r) => setTimeout(r, 500));
}
const drainedInS = (Date.now() - drainStart) / 1000;
await new Promise((r) => setTimeout(r, 1000));
stopping = true;
for (const s of subs) s.ws.close();

// Memory. A single RSS reading swings by a quarter between samples 5 s
// apart (the allocator takes and returns arenas as requests come and go),
// so "flat" compares levels, not points: the median of a window right after
// warm-up (warm-up = 20% of the run, at least 60 s) with the median of the
// last window of the load (each 20% of the run, 30 s to 120 s), and the
// least-squares slope over everything after warm-up.
const warmT = Math.max(60, durationMs / 1000 / 5);
const windowS = Math.max(30, Math.min(120, durationMs / 1000 / 5));
const median = (a) => {
  const b = [...a].sort((x, y) => x - y);
  return b.length ? (b[(b.length - 1) >> 1] + b[b.length >> 1]) / 2 : NaN;
};
const memory = pids.map((_, r) => {
  const after = samples.filter((s) => s.t >= warmT && s.t <= loadEndT);
  const warmWin = after.filter((s) => s.t < warmT + windowS).map((s) => s.rssMb[r]);
  const endWin = after.filter((s) => s.t > loadEndT - windowS).map((s) => s.rssMb[r]);
  const n = after.length;
  const mt = after.reduce((a, s) => a + s.t, 0) / n;
  const mv = after.reduce((a, s) => a + s.rssMb[r], 0) / n;
  const cov = after.reduce((a, s) => a + (s.t - mt) * (s.rssMb[r] - mv), 0);
  const vt = after.reduce((a, s) => a + (s.t - mt) ** 2, 0);
  const warmMb = median(warmWin);
  const endMb = median(endWin);
  const level = (key, win) => median(after.filter(win).map((s) => s[key][r]));
  const atWarm = (s) => s.t < warmT + windowS;
  const atEnd = (s) => s.t > loadEndT - windowS;
  return {
    replica: r,
    warmMb,
    endMb,
    anonWarmMb: level("anonMb", atWarm),
    anonEndMb: level("anonMb", atEnd),
    fileWarmMb: level("fileMb", atWarm),
    fileEndMb: level("fileMb", atEnd),
    minMb: Math.min(...after.map((s) => s.rssMb[r])),
    maxMb: Math.max(...after.map((s) => s.rssMb[r])),
    slopeMbPerMin: vt > 0 ? (cov / vt) * 60 : NaN,
    growthPct: ((endMb - warmMb) / warmMb) * 100,
  };
});
const pct = (a, p) => a[Math.min(a.length - 1, Math.floor(a.length * p))];
const ops = {};
let total = 0;
for (const [op, s] of Object.entries(stats)) {
  s.lat.sort((a, b) => a - b);
  total += s.n;
  ops[op] = { requests: s.n, errors: s.errors, p50Ms: +pct(s.lat, 0.5).toFixed(1), p99Ms: +pct(s.lat, 0.99).toFixed(1) };
}
const seconds = (Date.now() - t0) / 1000;
const result = {
  minutes, concurrency, engine, replicas: urls.length, requests: total,
  requestsPerSecond: +(total / (durationMs / 1000)).toFixed(1),
  unexpectedErrors: unexpected.length, conflicts, ops, memory,
  backlogAtEnd, drainedInS,
  subscriptions: subs.map((s) => ({ replica: s.replica, regionCode: s.regionCode, events: s.events, fromOtherReplica: s.fromOther, closed: s.closed })),
  samples, seconds,
};
const failures = [];
if (unexpected.length) failures.push(`${unexpected.length} unexpected errors`);
for (const m of memory) if (!(m.growthPct < 10)) failures.push(`replica ${m.replica} RSS grew ${m.growthPct.toFixed(1)}% after warm-up`);
if (backlogAtEnd !== 0) failures.push(`outbox backlog ${backlogAtEnd} at the end`);
for (const s of subs) {
  if (s.closed) failures.push(`a subscription on replica ${s.replica} closed: ${s.closed}`);
  if (s.regionCode && s.fromOther === 0) failures.push(`the subscriber on replica ${s.replica} heard nothing written through the other replica`);
}
result.failures = failures;
writeFileSync(`${out}/results.json`, JSON.stringify(result, null, 2));

const lines = [
  `Soak: ${minutes} min, concurrency ${concurrency}, ${urls.length} replicas on one PostgreSQL database, search on ${engine}`,
  `${total} requests (${result.requestsPerSecond}/s), ${unexpected.length} unexpected errors, ${conflicts} CONFLICT on a stale version (expected)`,
  "",
  "| operation | requests | p50 ms | p99 ms | errors |",
  "| --- | ---: | ---: | ---: | --- |",
  ...Object.entries(ops).map(([op, o]) => `| ${op} | ${o.requests} | ${o.p50Ms} | ${o.p99Ms} | ${JSON.stringify(o.errors)} |`),
  "",
  `RSS, medians of ${windowS} s windows after warm-up (${warmT} s) and at the end of the load; single readings every 5 s:`,
  ...memory.map((m) => `replica ${m.replica}: RSS ${m.warmMb.toFixed(1)} MB after warm-up, ${m.endMb.toFixed(1)} MB at the end, growth ${m.growthPct.toFixed(1)}%, trend ${m.slopeMbPerMin.toFixed(2)} MB/min (readings ${m.minMb.toFixed(1)} to ${m.maxMb.toFixed(1)} MB); of it anonymous ${m.anonWarmMb.toFixed(1)} → ${m.anonEndMb.toFixed(1)} MB, file-backed ${m.fileWarmMb.toFixed(1)} → ${m.fileEndMb.toFixed(1)} MB`),
  `outbox backlog at the end: ${backlogAtEnd} (drained ${drainedInS.toFixed(1)} s after the load stopped)`,
  ...subs.map((s) => `subscription on replica ${s.replica} (${s.regionCode ?? "all regions"}): ${s.events} events, ${s.fromOther} of them written through the other replica${s.closed ? `, CLOSED ${s.closed}` : ""}`),
  ...unexpected.slice(0, 20).map((u) => `  unexpected: ${u}`),
  "",
  failures.length ? `SOAK FAILED: ${failures.join("; ")}` : "soak passed",
];
writeFileSync(`${out}/results.md`, lines.join("\n") + "\n");
console.log(lines.join("\n"));
process.exit(failures.length ? 1 : 0);
