// Mounts GraphiQL on Berguru's endpoint, with subscriptions over the
// graphql-transport-ws route. Everything loads from this server.
(function () {
  var loc = window.location;
  var fetcher = GraphiQL.createFetcher({
    url: loc.origin + '/graphql',
    subscriptionUrl: (loc.protocol === 'https:' ? 'wss://' : 'ws://') + loc.host + '/graphql/ws',
  });
  var defaultQuery = '# Berguru: find a guru practice to adopt\n' +
    '{\n  searchPractices(query: "desa digital", first: 3) {\n    totalCount\n' +
    '    edges { node { title owner { name } } }\n  }\n}\n';
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery })
  );
})();
