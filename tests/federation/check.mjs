// Federation check: a second subgraph in JavaScript (census figures, standing
// for another government graph) extends Berguru's Region by `code` and
// references Berguru's Practice by `id`. Both are composed with
// @apollo/composition and served through Apollo Gateway and Hive Gateway;
// queries crossing the subgraphs in both directions must return the same,
// expected data through both.
import http from 'node:http';
import { parse } from 'graphql';
import gql from 'graphql-tag';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

const berguru = process.argv[2] ?? 'http://127.0.0.1:18092/graphql';
const post = async (url, query, variables = {}) => {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return r.json();
};
const fail = (msg) => { console.error('FAIL ' + msg); process.exit(1); };

// Berguru's subgraph SDL and the id of Sumedang's e-Office.
const service = await post(berguru, '{ _service { sdl } practice(slug: "sumedang-e-office") { id } }');
if (service.errors) fail(JSON.stringify(service.errors));
const berguruSdl = service.data._service.sdl;
const eOffice = service.data.practice.id;

// The census subgraph (figures: BPS, Sensus Penduduk 2020).
const censusSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  "Census figures from another government graph."
  type Census { population2020: Int!, source: String! }
  type Region @key(fields: "code") { code: ID!, census: Census }
  type Practice @key(fields: "id", resolvable: false) { id: ID! }
  "A statistician's note about a region, pointing at a practice in Berguru."
  type StatisticsNote { id: ID!, text: String!, region: Region!, practice: Practice }
  type Query { statisticsNotes: [StatisticsNote!]! }
`;
const census = {
  '32': 48274162,
  '32.11': 1152507,
  '36.02': 1386793,
};
const notes = [
  { id: 'n1', text: 'Sumedang: SPBE index leader', region: '32.11', practice: eOffice },
  { id: 'n2', text: 'Lebak adopts from Sumedang', region: '36.02', practice: eOffice },
  { id: 'n3', text: 'Jawa Barat: no practice linked', region: '32', practice: null },
];
const subgraph = new ApolloServer({
  schema: buildSubgraphSchema({
    typeDefs: gql(censusSdl),
    resolvers: {
      Region: {
        __resolveReference: (ref) => ({ code: ref.code }),
        census: (r) => census[r.code] ? { population2020: census[r.code], source: 'BPS, Sensus Penduduk 2020' } : null,
      },
      StatisticsNote: {
        region: (n) => ({ code: n.region }),
        practice: (n) => (n.practice ? { __typename: 'Practice', id: n.practice } : null),
      },
      Query: { statisticsNotes: () => notes },
    },
  }),
});
const { url: censusUrl } = await startStandaloneServer(subgraph, { listen: { port: 0 } });

// Composition.
const composed = composeServices([
  { name: 'berguru', typeDefs: parse(berguruSdl), url: berguru },
  { name: 'census', typeDefs: parse(censusSdl), url: censusUrl },
]);
if (composed.errors) fail('composition: ' + composed.errors.map((e) => e.message).join('; '));
const supergraphSdl = composed.supergraphSdl;
console.log(`composed a supergraph of berguru and census (${supergraphSdl.length} characters)`);
if (/apiTokens|createToken/.test(composed.schema.toAPISchema().toGraphQLJSSchema().getQueryType().toString())) {
  fail('inaccessible fields leaked into the API schema');
}

// Gateway 1: Apollo Gateway with Apollo Server.
const apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
const { url: apolloUrl } = await startStandaloneServer(apollo, { listen: { port: 0 } });

// Gateway 2: Hive Gateway runtime on a Node HTTP server.
const hive = createGatewayRuntime({ supergraph: supergraphSdl, logging: false, maskedErrors: false });
const hiveServer = http.createServer(hive);
await new Promise((ok) => hiveServer.listen(0, '127.0.0.1', ok));
const hiveUrl = `http://127.0.0.1:${hiveServer.address().port}/graphql`;

const queries = {
  'Berguru Region -> census field': `{
    region(code: "32.11") { code name kind census { population2020 source }
      practices { slug } } }`,
  'census note -> Berguru Practice and Region': `{
    statisticsNotes { id text region { code name census { population2020 } }
      practice { slug title owner { name } } } }`,
  'search in Berguru -> census of each owner': `{
    searchPractices(query: "e-office", first: 3) { edges { node { slug owner { code name census { population2020 } } } } } }`,
  'guru finder in Berguru -> census of each guru': `{
    findGurus(seeker: "36.02", topic: "e-office", first: 2) { region { code name census { population2020 } } score reasons { factor } } }`,
};
let failures = 0;
for (const [name, query] of Object.entries(queries)) {
  const a = await post(apolloUrl, query);
  const h = await post(hiveUrl, query);
  const same = JSON.stringify(a) === JSON.stringify(h);
  const ok = same && !a.errors && !h.errors;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: Apollo Gateway ${a.errors ? 'errors' : 'data'}, Hive Gateway ${h.errors ? 'errors' : 'data'}, ${same ? 'identical' : 'DIFFERENT'}`);
  if (!ok) { console.log(JSON.stringify({ apollo: a, hive: h }, null, 1).slice(0, 2000)); failures++; }
  if (name.startsWith('Berguru Region')) {
    const r = a.data?.region;
    if (r?.name !== 'Kabupaten Sumedang' || r?.census?.population2020 !== 1152507 || !r.practices.some((p) => p.slug === 'sumedang-e-office')) {
      console.log('FAIL unexpected data ' + JSON.stringify(r)); failures++;
    } else console.log('     ' + JSON.stringify(r));
  }
  if (name.startsWith('guru finder')) {
    const g = a.data?.findGurus ?? [];
    if (g[0]?.region?.code !== '32.11' || g[0]?.region?.census?.population2020 !== 1152507) {
      console.log('FAIL unexpected data ' + JSON.stringify(g)); failures++;
    } else console.log('     ' + JSON.stringify(g[0].region));
  }
  if (name.startsWith('census note')) {
    const n = a.data?.statisticsNotes ?? [];
    if (n.length !== 3 || n[0].practice?.slug !== 'sumedang-e-office' || n[1].region.name !== 'Kabupaten Lebak' || n[2].practice !== null || n[0].region.census.population2020 !== 1152507) {
      console.log('FAIL unexpected data ' + JSON.stringify(n)); failures++;
    } else console.log('     ' + JSON.stringify(n[1]));
  }
}
await apollo.stop(); await subgraph.stop(); hiveServer.close(); await hive.dispose?.();
if (failures) fail(`${failures} federation checks failed`);
console.log('federation: both gateways agree on every cross-subgraph query');
process.exit(0);
