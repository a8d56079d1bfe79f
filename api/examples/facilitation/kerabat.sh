#!/usr/bin/env bash
# EXAMPLE DATA, not from the source articles: how a facilitation request
# flows in Berguru, modelled on Sumatera Barat's KERABAT (agencies ask the
# province's cooperation bureau, the TKKSD, for help at any time). The
# agency, the subject and the answers below are invented for the example.
#
# With the server running (`cargo run`), from the project folder:
#   bash api/examples/facilitation/kerabat.sh
# (BERGURU_DATA_DIR or --data-dir as the server uses; API to point elsewhere.)
set -euo pipefail
API="${API:-http://127.0.0.1:8080/graphql}"
berguru() { cargo run -q -- "$@"; }
PADANG=$(berguru token create --role editor --region 13.71 --name "contoh: Setda Kota Padang")
SUMBAR=$(berguru token create --role admin --region 13 --name "contoh: TKKSD Sumatera Barat")
gql() {
  curl -fsS "$API" -H 'content-type: application/json' -H "authorization: Bearer $1" -d "$2"
  echo
}
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }

echo "1. Kota Padang asks its province's bureau for help drafting an agreement"
R=$(gql "$PADANG" '{"query":"mutation { submitFacilitationRequest(input: { regionCode: \"13.71\", agency: \"Bagian Kerja Sama Setda Kota Padang (contoh)\", kind: DRAFTING, subject: \"Contoh: kerja sama pengelolaan sampah dengan Kota Bukittinggi\" }) { request { id status version allowedNext } } }"}')
echo "$R"
ID=$(echo "$R" | field '["data"]["submitFacilitationRequest"]["request"]["id"]')

echo "2. The bureau's queue"
gql "$SUMBAR" '{"query":"{ facilitationRequests(filter: { provinceCode: \"13\" }) { id subject status region { name } } }"}'

echo "3. Assigned, answered, closed: every step kept"
gql "$SUMBAR" "{\"query\":\"mutation { advanceFacilitationRequest(input: { id: \\\"$ID\\\", version: 1, to: ASSIGNED, assignee: \\\"Kabag Kerja Sama (contoh)\\\" }) { request { status version } } }\"}"
gql "$SUMBAR" "{\"query\":\"mutation { advanceFacilitationRequest(input: { id: \\\"$ID\\\", version: 2, to: ANSWERED, answer: \\\"Contoh: rancangan KB terlampir\\\" }) { request { status version } } }\"}"
gql "$SUMBAR" "{\"query\":\"mutation { advanceFacilitationRequest(input: { id: \\\"$ID\\\", version: 3, to: CLOSED, note: \\\"Contoh: KB ditandatangani\\\" }) { request { status closedOn steps { on status actor note } } } }\"}"

echo "4. The province's statistics"
gql "$SUMBAR" '{"query":"{ cooperationStats(region: \"13\") { facilitation { submitted assigned answered closed withdrawn } funnel { frameworksSigned reachedImplementingAgreement reachedImplementation } } }"}'
