// What a frontend team does first with a GraphQL URL, run against a real
// Berguru (started by ../node-check.sh on a fresh data folder):
//
// 1. graphql-js's full introspection query (every option on), turned into a
//    client schema: the documentation GraphiQL, Apollo and Relay tooling read.
// 2. GraphQL Code Generator (CLI API, typescript + typescript-operations
//    plugins) generating types from the server's URL for a set of
//    operations, then the TypeScript compiler type-checking code that uses
//    them (`--strict`): types that exist but do not compile are no help.
// 3. Apollo Client with automatic persisted queries (the first request sends
//    only the hash, is told PERSISTED_QUERY_NOT_FOUND and sends the query;
//    the next sends the hash alone) and a subscription over graphql-ws that
//    hears a practice verified through a mutation made with an admin token.
//
// Usage: node check.mjs http://127.0.0.1:PORT/
// Environment (set by node-check.sh): BERGURU_BIN, BERGURU_DATA_DIR (to
// create the admin token with the binary's own CLI).

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import {
  buildClientSchema,
  getIntrospectionQuery,
  printSchema,
} from "graphql";

const base = (process.argv[2] || "http://127.0.0.1:8080/").replace(/\/?$/, "/");
const url = `${base}graphql`;
const wsUrl = url.replace(/^http/, "ws") + "/ws";
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

// ---------------------------------------------------------------- 1
async function introspection() {
  const query = getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
    oneOf: true,
  });
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = await res.json();
  check(res.status === 200 && !body.errors, `getIntrospectionQuery (all options): HTTP ${res.status}, ${body.errors ? JSON.stringify(body.errors) : "no errors"}`);
  if (body.errors) return;
  const schema = buildClientSchema(body.data);
  const practice = schema.getType("Practice");
  check(!!practice?.description, `buildClientSchema: Practice documented ("${practice?.description?.slice(0, 50)}")`);
  const undocumented = Object.values(practice.getFields()).filter((f) => !f.description).map((f) => f.name);
  check(undocumented.length === 0, `every Practice field documented (${undocumented.join(", ") || "none missing"})`);
  const types = Object.keys(schema.getTypeMap()).filter((n) => !n.startsWith("__"));
  console.log(`     ${types.length} types, SDL ${printSchema(schema).length} chars`);
}

// ---------------------------------------------------------------- 2
const operations = `
query PracticeBySlug($slug: String!) {
  practice(slug: $slug) { id version slug title owner { code name } outcomes { metric baselineValue achievedValue } }
}
query Gurus($seeker: ID!, $topic: String!) {
  findGurus(seeker: $seeker, topic: $topic, first: 3) { score region { code name } reasons { factor text } }
}
mutation Verify($input: PracticeVersionInput!) {
  verifyPractice(input: $input) { practice { id version lastVerifiedOn } }
}
subscription PracticeChanged($region: ID) {
  practiceChanged(regionCode: $region) { created ownerRegionCode practice { slug version } }
}
`;

const usage = `
import type { PracticeBySlugQuery, GurusQuery, VerifyMutationVariables, PracticeChangedSubscription, Practice } from "./generated/types";

export function ownerName(q: PracticeBySlugQuery): string | undefined {
  return q.practice?.owner.name;
}
export function firstGuru(q: GurusQuery): string | undefined {
  return q.findGurus[0]?.region.code;
}
export const verify: VerifyMutationVariables = { input: { id: "x", version: 1 } };
export function slugOf(e: PracticeChangedSubscription): string | undefined {
  return e.practiceChanged.practice?.slug;
}
export type T = Practice["title"];
`;

async function codegen(dir) {
  const { generate } = await import("@graphql-codegen/cli");
  mkdirSync(join(dir, "generated"), { recursive: true });
  writeFileSync(join(dir, "operations.graphql"), operations);
  writeFileSync(join(dir, "usage.ts"), usage);
  await generate(
    {
      schema: url,
      documents: [join(dir, "operations.graphql")],
      generates: {
        [join(dir, "generated", "types.ts")]: {
          plugins: ["typescript", "typescript-operations"],
        },
      },
      silent: true,
    },
    true,
  );
  const types = readFileSync(join(dir, "generated", "types.ts"), "utf8");
  check(/export type Practice = \{/.test(types), "codegen: type Practice generated from the URL");
  check(/export type PracticeBySlugQuery = /.test(types), "codegen: operation types generated");
  console.log(`     generated/types.ts: ${types.split("\n").length} lines`);
  const tsc = join(dir, "node_modules", "typescript", "bin", "tsc");
  try {
    execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--moduleResolution", "bundler", "--module", "esnext", join(dir, "usage.ts")], { stdio: "pipe" });
    check(true, "tsc --strict type-checks code using the generated types");
  } catch (e) {
    check(false, `tsc --strict: ${e.stdout?.toString() || e.message}`);
  }
}

// ---------------------------------------------------------------- 3
async function apollo() {
  const { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } = await import("@apollo/client");
  const { PersistedQueryLink } = await import("@apollo/client/link/persisted-queries");
  const { GraphQLWsLink } = await import("@apollo/client/link/subscriptions");
  const { createClient } = await import("graphql-ws");
  const { default: WebSocket } = await import("ws");
  const { getMainDefinition } = await import("@apollo/client/utilities");

  const token = execFileSync(process.env.BERGURU_BIN, ["token", "create", "--role", "admin", "--data-dir", process.env.BERGURU_DATA_DIR], { encoding: "utf8" })
    .trim().split(/\s+/).pop();
  check(/^\S{16,}$/.test(token), "admin token created with the binary's CLI");

  // Every body the HTTP link sends, to see what APQ really did.
  const sent = [];
  const recordingFetch = async (input, init) => {
    sent.push(JSON.parse(init.body));
    return fetch(input, init);
  };
  const sha256 = (s) => createHash("sha256").update(s).digest("hex");
  const http = new PersistedQueryLink({ sha256 }).concat(
    new HttpLink({ uri: url, fetch: recordingFetch, headers: { authorization: `Bearer ${token}` } }),
  );
  const wsClient = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
  const link = ApolloLink.split(
    ({ query }) => {
      const d = getMainDefinition(query);
      return d.kind === "OperationDefinition" && d.operation === "subscription";
    },
    new GraphQLWsLink(wsClient),
    http,
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });

  const doc = gql`query PracticeBySlug($slug: String!) { practice(slug: $slug) { id version slug title owner { code name } } }`;
  const first = await client.query({ query: doc, variables: { slug: "sumedang-e-office" }, fetchPolicy: "network-only" });
  check(first.data?.practice?.owner?.code === "32.11", `Apollo query: ${first.data?.practice?.title} of ${first.data?.practice?.owner?.name}`);
  const hashOnly = (b) => !b.query && b.extensions?.persistedQuery?.sha256Hash;
  check(sent.length === 2 && hashOnly(sent[0]) && sent[1].query, `APQ first use: hash alone, told not found, then hash + query (${sent.length} requests)`);
  sent.length = 0;
  const again = await client.query({ query: doc, variables: { slug: "sumedang-e-office" }, fetchPolicy: "network-only" });
  check(sent.length === 1 && hashOnly(sent[0]) && again.data?.practice?.slug === "sumedang-e-office", `APQ next use: one request with the hash alone (${sent.length} request(s))`);

  // Subscription, then a mutation through the same client that it must hear.
  const sub = gql`subscription PracticeChanged($region: ID) { practiceChanged(regionCode: $region) { created ownerRegionCode practice { slug version } } }`;
  const heard = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no event within 10 s")), 10000);
    const s = client.subscribe({ query: sub, variables: { region: "32.11" } }).subscribe({
      next: (r) => { clearTimeout(timer); s.unsubscribe(); resolve(r.data); },
      error: (e) => { clearTimeout(timer); reject(e); },
    });
  });
  // Let the subscription reach the server before the write.
  await new Promise((r) => setTimeout(r, 500));
  const verify = gql`mutation Verify($input: PracticeVersionInput!) { verifyPractice(input: $input) { practice { id version lastVerifiedOn } } }`;
  const p = first.data.practice;
  const done = await client.mutate({ mutation: verify, variables: { input: { id: p.id, version: p.version } } });
  check(done.data?.verifyPractice?.practice?.version === p.version + 1, `Apollo mutation verifyPractice: version ${p.version} -> ${done.data?.verifyPractice?.practice?.version}`);
  try {
    const event = await heard;
    check(event?.practiceChanged?.practice?.slug === "sumedang-e-office" && event.practiceChanged.created === false,
      `Apollo subscription over graphql-ws heard the change: ${JSON.stringify(event?.practiceChanged)}`);
  } catch (e) {
    check(false, `Apollo subscription: ${e.message}`);
  }
  await wsClient.dispose();
  client.stop();
}

await introspection();
await codegen(process.cwd());
await apollo();
if (failures.length) {
  console.error(`\n${failures.length} client tooling check(s) failed`);
  process.exit(1);
}
console.log("\nclient tooling: all checks passed");
process.exit(0);
