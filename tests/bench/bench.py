#!/usr/bin/env python3
"""The Berguru benchmark (run it through tests/bench/run.sh, which builds and
installs what it needs).

On one machine and in one run: generates the national-scale data set into
PostgreSQL and SQLite, drives a fixed query mix against Berguru with wrk at
several concurrencies (every response is checked for GraphQL errors), and the
same work against the reference points on the same data: PostgreSQL itself
running the very statements Berguru issued (captured from the database log,
replayed with pgbench), a bare axum handler returning a body of the same
size, PostGraphile v4 on the same schema, and Meilisearch queried directly
when MEILI_URL is set. Prints one table and writes it as JSON and Markdown.

Only the Python standard library is used.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BERGURU = os.path.join(ROOT, "target", "release", "berguru")
BARE = os.path.join(ROOT, "target", "release", "bare-axum")
LUA = os.path.join(HERE, "graphql.lua")

BERGURU_PORT = 18080
BARE_PORT = 18081
PEER_PORT = 18082
BENCH_DB = "berguru_bench"
SCALE_DB = "berguru_bench_scale"


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def fail(msg):
    log("FAILED: " + msg)
    sys.exit(1)


# --------------------------------------------------------------------------
# The query mix. Berguru's queries and PostGraphile's equivalents (the same
# fields, through PostGraphile's generated relations).

def berguru_queries(practice_id):
    return {
        "practice_by_id": {
            "query": "query($id: ID!) { practice(id: $id) { id title summary status "
            "owner { code name } outcomes { metric unit baselineValue achievedValue } } }",
            "variables": {"id": practice_id},
        },
        "list_50_nested": {
            "query": "{ practices(first: 50, orderBy: TITLE) { nodes { title "
            "owner { name } outcomes { metric baselineValue achievedValue } "
            "agreements { title stage parties { region { name } } } } } }",
        },
        "region_stats": {
            "query": '{ region(code: "32.11") { name population stats { practicesOwned '
            "agreementsTotal transfersGiven transfersReceived visitsHosted visitsMade "
            "agreementsByPartnerCategory { withinProvince otherProvinces outsideProvince "
            "thirdParties } } } }",
        },
        "search_filtered": {
            "query": '{ searchPractices(query: "pelayanan perizinan", '
            "filter: { sectors: [PUBLIC_SERVICE], statuses: [ACTIVE] }, first: 10) "
            "{ totalCount edges { score node { title owner { name } } } } }",
        },
        "find_gurus": {
            "query": '{ findGurus(seeker: "36.02", topic: "e-office", first: 5) '
            "{ region { name } score reasons { factor contribution text } } }",
        },
    }


def peer_queries(practice_id):
    return {
        "practice_by_id": {
            "query": "query($id: UUID!) { practiceById(id: $id) { id title summary status "
            "regionByOwnerRegionCode { code name } "
            "outcomesByPracticeId { nodes { metric unit baselineValue achievedValue } } } }",
            "variables": {"id": practice_id},
        },
        "list_50_nested": {
            "query": "{ allPractices(first: 50, orderBy: [TITLE_ASC, ID_ASC]) { "
            "nodes { title regionByOwnerRegionCode { name } "
            "outcomesByPracticeId { nodes { metric baselineValue achievedValue } } "
            "agreementPracticesByPracticeId { nodes { agreementByAgreementId { title stage "
            "agreementPartiesByAgreementId { nodes { regionByRegionCode { name } } } } } } } } }",
        },
    }


SQL_QUERIES = ["practice_by_id", "list_50_nested", "region_stats"]


# --------------------------------------------------------------------------
# Helpers: processes, HTTP, PostgreSQL.

class Proc:
    """A server process in its own process group, stopped on exit."""

    def __init__(self, name, argv, env=None, logfile=None):
        self.name = name
        self.log = open(logfile or os.devnull, "w")
        self.p = subprocess.Popen(
            argv, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def pids(self):
        """The process and its descendants (PostGraphile's cluster workers)."""
        out = subprocess.run(["pgrep", "-g", str(self.p.pid)], capture_output=True, text=True)
        pids = [int(x) for x in out.stdout.split()] or [self.p.pid]
        return pids

    def reset_peak(self):
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/clear_refs", "w") as f:
                    f.write("5")
            except OSError:
                pass

    def peak_rss_mb(self):
        total = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            total += int(line.split()[1])
            except OSError:
                pass
        return round(total / 1024, 1)

    def stop(self):
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, signal.SIGTERM)
                self.p.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.log.close()


def post_json(url, body, headers=None, timeout=60):
    data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="POST")
    req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read()


def wait_http(url, what, seconds=120):
    for _ in range(seconds * 4):
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    fail(f"{what} did not answer at {url}")


def wait_graphql(url, what, seconds=120):
    for _ in range(seconds * 4):
        try:
            post_json(url, {"query": "{ __typename }"}, timeout=2)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    fail(f"{what} did not answer at {url}")


def pg_url(db):
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    u = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + db, u.query, ""))


def psql(db, sql):
    out = subprocess.run(
        ["psql", pg_url(db), "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
        capture_output=True, text=True,
    )
    if out.returncode != 0:
        fail(f"psql: {out.stderr.strip()}")
    return out.stdout.strip()


def admin_db():
    return urllib.parse.urlsplit(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    ).path.lstrip("/") or "postgres"


def fresh_pg_database(name):
    psql(admin_db(), f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(admin_db(), f"CREATE DATABASE {name}")


def drop_pg_database(name):
    psql(admin_db(), f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def berguru_env(database_url=None, extra=None):
    env = dict(os.environ)
    for k in ["DATABASE_URL", "MEILI_URL", "MEILI_MASTER_KEY", "MEILI_API_KEY", "MEILI_SEARCH_KEY"]:
        env.pop(k, None)
    env["BERGURU_SEED_DEMO"] = "false"
    env["BERGURU_LOG"] = "warn"
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra or {})
    return env


def generate(data_dir, database_url, practices, agreements, seed, env_extra=None, index=True):
    argv = [BERGURU, "generate", "--data-dir", data_dir, "--practices", str(practices),
            "--agreements", str(agreements), "--seed", str(seed), "--replace", "--with-demo"]
    if not index:
        argv.append("--no-index")
    started = time.monotonic()
    out = subprocess.run(argv, env=berguru_env(database_url, env_extra), capture_output=True, text=True)
    wall = time.monotonic() - started
    if out.returncode != 0:
        fail(f"generate: {out.stderr.strip()}")
    lines = out.stdout.strip().splitlines()
    gen = re.search(r"rows in ([\d.]+) s", out.stdout)
    idx = re.search(r"indexed (\d+) documents into (\S+) in ([\d.]+) s", out.stdout)
    return {
        "summary": lines[0] if lines else "",
        "generate_s": float(gen.group(1)) if gen else None,
        "index_s": float(idx.group(3)) if idx else None,
        "indexed_documents": int(idx.group(1)) if idx else None,
        "wall_s": round(wall, 1),
    }


# The response cache off: what every request costs when it runs (SQL
# capture, the scale check, search against Meilisearch, the no-cache rows).
NO_CACHE = {"BERGURU_RESPONSE_CACHE_MB": "0"}


def start_berguru(name, data_dir, database_url, logdir, extra=None):
    proc = Proc(
        name,
        [BERGURU, "serve", "--listen", f"127.0.0.1:{BERGURU_PORT}", "--data-dir", data_dir],
        env=berguru_env(database_url, extra),
        logfile=os.path.join(logdir, f"{name}.log"),
    )
    wait_http(f"http://127.0.0.1:{BERGURU_PORT}/healthz", name)
    return proc


# --------------------------------------------------------------------------
# Load: wrk with the checking Lua script; pgbench for the SQL limit.

def wrk(url, bodies, concurrency, duration, headers=None):
    """Runs wrk against url with the JSON body files (rotating between them)."""
    threads = max(1, min(concurrency, 2))
    env = dict(os.environ)
    env["BENCH_BODY"] = ":".join(bodies)
    env["BENCH_AUTH"] = (headers or {}).get("Authorization", "")
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{duration}s",
         "--timeout", "10s", "-s", LUA, url],
        env=env, capture_output=True, text=True,
    )
    m = re.search(r"^BENCH_JSON (.*)$", out.stdout, re.M)
    if not m:
        fail(f"wrk printed no result: {out.stdout} {out.stderr}")
    r = json.loads(m.group(1))
    seconds = r["duration_us"] / 1e6
    return {
        "rps": round(r["requests"] / seconds, 1),
        "p50_ms": r["p50_us"] / 1000,
        "p95_ms": r["p95_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
        "requests": r["requests"],
        "failures": r["failures"] + r["socket_errors"],
        "first_failure": r["first_failure"],
    }


def pgbench(db, script, concurrency, duration, workdir):
    logdir = tempfile.mkdtemp(dir=workdir, prefix="pgbench-")
    out = subprocess.run(
        ["pgbench", "-n", "-M", "prepared", "-c", str(concurrency),
         "-j", str(max(1, min(concurrency, 2))), "-T", str(duration), "-f", script,
         "--log", "--log-prefix", os.path.join(logdir, "tx"), pg_url(db)],
        capture_output=True, text=True, cwd=logdir,
    )
    if out.returncode != 0:
        fail(f"pgbench: {out.stderr.strip()}")
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", out.stdout)
    lat = []
    for f in os.listdir(logdir):
        with open(os.path.join(logdir, f)) as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 3:
                    lat.append(int(parts[2]))
    shutil.rmtree(logdir, ignore_errors=True)
    lat.sort()

    def pct(p):
        return lat[min(len(lat) - 1, int(len(lat) * p / 100))] / 1000 if lat else None

    return {
        "rps": float(tps.group(1)) if tps else None,
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "requests": len(lat),
        "failures": int(failed.group(1)) if failed else 0,
    }


# --------------------------------------------------------------------------
# SQL capture from the PostgreSQL log.

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[\d+\] (\S*)@(\S*) (\w+):  (.*)$")


def pg_log_path():
    if os.environ.get("PG_LOG"):
        return os.environ["PG_LOG"]
    version = psql(admin_db(), "SHOW server_version_num")[:2]
    return f"/var/log/postgresql/postgresql-{version}-main.log"


def parse_log(text, db):
    """(sql, params) of every statement logged for db, in order."""
    entries = []
    for line in text.splitlines():
        m = LOG_LINE.match(line)
        if m:
            entries.append([m.group(2), m.group(3), m.group(4)])
        elif line.startswith("\t") and entries:
            entries[-1][2] += " " + line.strip()
    out = []
    for dbname, level, msg in entries:
        if dbname != db:
            continue
        if level == "LOG":
            m = re.match(r"(?:execute [^:]+|statement): (.*)$", msg)
            if m:
                out.append([m.group(1), None])
        elif level == "DETAIL" and msg.startswith("parameters: ") and out:
            out[-1][1] = msg[len("parameters: "):]
    return out


def substitute(sql, params):
    if not params:
        return sql
    values = {}
    for m in re.finditer(r"\$(\d+) = (NULL|'(?:[^']|'')*')", params):
        values[int(m.group(1))] = m.group(2)
    return re.sub(r"\$(\d+)\b", lambda m: values.get(int(m.group(1)), m.group(0)), sql)


def capture_sql(data_dir, logdir, bodies):
    """One request per query through a Berguru whose sessions log every
    statement; returns the statements (parameters filled in) per query."""
    psql(admin_db(), f"ALTER DATABASE {BENCH_DB} SET log_statement = 'all'")
    path = pg_log_path()
    if not os.access(path, os.R_OK):
        fail(f"cannot read the PostgreSQL log {path} (set PG_LOG)")
    captured = {}
    server = start_berguru("berguru-capture", data_dir, pg_url(BENCH_DB), logdir, NO_CACHE)
    try:
        for name, body in bodies.items():
            post_json(f"http://127.0.0.1:{BERGURU_PORT}/graphql", body)  # warm the pool
            time.sleep(0.3)
            start = os.path.getsize(path)
            post_json(f"http://127.0.0.1:{BERGURU_PORT}/graphql", body)
            time.sleep(0.5)
            with open(path, errors="replace") as f:
                f.seek(start)
                text = f.read()
            stmts = [
                substitute(sql, params)
                for sql, params in parse_log(text, BENCH_DB)
                if "search_outbox" not in sql
                and sql.strip().upper() not in ("BEGIN", "COMMIT", "ROLLBACK")
            ]
            captured[name] = stmts
    finally:
        server.stop()
        psql(admin_db(), f"ALTER DATABASE {BENCH_DB} RESET log_statement")
    return captured


# --------------------------------------------------------------------------


def write_body(workdir, name, body):
    path = os.path.join(workdir, f"{name}.json")
    with open(path, "w") as f:
        json.dump(body, f)
    return path


def check_once(url, body, what):
    raw = post_json(url, body)
    doc = json.loads(raw)
    if doc.get("errors") or not doc.get("data"):
        fail(f"{what} answered with errors: {raw[:400]!r}")
    return raw


def run_matrix(target, url, bodies, concurrencies, duration, proc=None, sql=None, headers=None):
    rows = []
    for name, path in bodies.items():
        for c in concurrencies:
            if proc:
                proc.reset_peak()
            r = wrk(url, [path], c, duration, headers)
            r.update({"target": target, "query": name, "concurrency": c})
            if proc:
                r["peak_rss_mb"] = proc.peak_rss_mb()
            if sql is not None and name in sql:
                r["sql_per_request"] = len(sql[name])
            log(f"{target:<22} {name:<16} c={c:<3} {r['rps']:>8} req/s  p50 {r['p50_ms']:.2f} ms  "
                f"p99 {r['p99_ms']:.2f} ms  failures {r['failures']}")
            if r["failures"]:
                log(f"   first failure: {r['first_failure']}")
            rows.append(r)
    return rows


def find(rows, target, query, c):
    for r in rows:
        if r["target"] == target and r["query"] == query and r["concurrency"] == c:
            return r
    return None


def ratio(a, b, key="rps"):
    if not a or not b or not b.get(key):
        return None
    return round(a[key] / b[key], 2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--practices", type=int, default=100_000)
    ap.add_argument("--agreements", type=int, default=30_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--duration", type=int, default=10, help="seconds per load run")
    ap.add_argument("--concurrency", default="1,8,32")
    ap.add_argument("--scale", default="10000,1000000",
                    help="practice counts for the list-query scale check ('' to skip)")
    ap.add_argument("--peer", default=os.path.join(ROOT, "target", "bench", "peer"),
                    help="folder with PostGraphile installed (run.sh installs it)")
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "bench"))
    args = ap.parse_args()
    concurrencies = [int(x) for x in args.concurrency.split(",") if x]
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="berguru-bench-")
    logdir = os.path.join(args.out, "logs")
    os.makedirs(logdir, exist_ok=True)
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True).stdout.strip(),
        "machine": machine(),
        "settings": {"practices": args.practices, "agreements": args.agreements, "seed": args.seed,
                     "duration_s": args.duration, "concurrency": concurrencies},
        "generate": {}, "rows": [], "scale": [], "search": {},
    }
    procs = []
    try:
        # 1. The data set, into PostgreSQL and SQLite.
        fresh_pg_database(BENCH_DB)
        pg_dir = os.path.join(work, "pg")
        sqlite_dir = os.path.join(work, "sqlite")
        log(f"generating {args.practices} practices and {args.agreements} agreements into PostgreSQL")
        results["generate"]["postgres"] = generate(pg_dir, pg_url(BENCH_DB), args.practices,
                                                   args.agreements, args.seed)
        log(f"  {results['generate']['postgres']}")
        log("generating the same into SQLite")
        results["generate"]["sqlite"] = generate(sqlite_dir, None, args.practices, args.agreements, args.seed)
        log(f"  {results['generate']['sqlite']}")

        practice_id = psql(
            BENCH_DB,
            "SELECT p.id FROM practices p WHERE EXISTS (SELECT 1 FROM outcomes o WHERE "
            "o.practice_id = p.id) ORDER BY p.id LIMIT 1",
        )
        queries = berguru_queries(practice_id)
        bodies = {n: write_body(work, n, b) for n, b in queries.items()}

        # 2. The statements Berguru issues, from the PostgreSQL log.
        log("capturing Berguru's SQL from the PostgreSQL log")
        sql = capture_sql(pg_dir, logdir, {n: queries[n] for n in queries})
        results["sql"] = sql
        for n, s in sql.items():
            log(f"  {n}: {len(s)} statements")

        # 3. Berguru on PostgreSQL, then on SQLite.
        url = f"http://127.0.0.1:{BERGURU_PORT}/graphql"
        # With the response cache (the default) and without it: the bench
        # repeats one request per query, so cached rows measure cache hits.
        for backend, data_dir, db_url, extra in [
            ("postgres", pg_dir, pg_url(BENCH_DB), None),
            ("postgres-nocache", pg_dir, pg_url(BENCH_DB), NO_CACHE),
            ("sqlite", sqlite_dir, None, None),
            ("sqlite-nocache", sqlite_dir, None, NO_CACHE),
        ]:
            server = start_berguru(f"berguru-{backend}", data_dir, db_url, logdir, extra)
            procs.append(server)
            responses = {n: check_once(url, queries[n], f"berguru on {backend} ({n})") for n in queries}
            if backend == "postgres":
                by_id_response = responses["practice_by_id"]
            results["rows"] += run_matrix(f"berguru-{backend}", url, bodies, concurrencies, args.duration,
                                          proc=server, sql=sql if extra else None)
            # The whole mix, round robin: the memory figure.
            server.reset_peak()
            r = wrk(url, list(bodies.values()), max(concurrencies), args.duration * 2)
            r.update({"target": f"berguru-{backend}", "query": "mix", "concurrency": max(concurrencies),
                      "peak_rss_mb": server.peak_rss_mb()})
            log(f"berguru-{backend} mix: {r['rps']} req/s, peak RSS {r['peak_rss_mb']} MB, failures {r['failures']}")
            results["rows"].append(r)
            server.stop()
            procs.remove(server)

        # 4a. The SQL limit: PostgreSQL running Berguru's statements.
        for n in SQL_QUERIES:
            script = os.path.join(work, f"{n}.sql")
            with open(script, "w") as f:
                for s in sql[n]:
                    f.write(" ".join(s.split()).rstrip(";") + ";\n")
            for c in concurrencies:
                r = pgbench(BENCH_DB, script, c, args.duration, work)
                r.update({"target": "postgres-limit", "query": n, "concurrency": c,
                          "sql_per_request": len(sql[n])})
                log(f"postgres-limit         {n:<16} c={c:<3} {r['rps']:>8} tx/s  p50 {r['p50_ms']:.2f} ms  "
                    f"p99 {r['p99_ms']:.2f} ms")
                results["rows"].append(r)

        # 4b. The HTTP limit: bare axum sending Berguru's practice-by-id body.
        body_file = os.path.join(work, "practice_by_id.response.json")
        with open(body_file, "wb") as f:
            f.write(by_id_response)
        bare = Proc("bare-axum", [BARE, f"127.0.0.1:{BARE_PORT}", body_file],
                    logfile=os.path.join(logdir, "bare-axum.log"))
        procs.append(bare)
        wait_graphql(f"http://127.0.0.1:{BARE_PORT}/graphql", "bare axum")
        results["rows"] += run_matrix("bare-axum", f"http://127.0.0.1:{BARE_PORT}/graphql",
                                      {"practice_by_id": bodies["practice_by_id"]}, concurrencies,
                                      args.duration, proc=bare)
        bare.stop()
        procs.remove(bare)

        # 4c. The peer: PostGraphile v4 on the same PostgreSQL schema.
        pgl = os.path.join(args.peer, "node_modules", ".bin", "postgraphile")
        if os.path.exists(pgl):
            peer = Proc("postgraphile", [pgl, "-c", pg_url(BENCH_DB), "-s", "public", "-n", "127.0.0.1",
                                         "-p", str(PEER_PORT), "--disable-query-log", "-b",
                                         "--cluster-workers", "2"],
                        logfile=os.path.join(logdir, "postgraphile.log"))
            procs.append(peer)
            peer_url = f"http://127.0.0.1:{PEER_PORT}/graphql"
            wait_graphql(peer_url, "PostGraphile")
            pq = peer_queries(practice_id)
            for n in pq:
                check_once(peer_url, pq[n], f"PostGraphile ({n})")
            pbodies = {n: write_body(work, "peer-" + n, b) for n, b in pq.items()}
            results["rows"] += run_matrix("postgraphile", peer_url, pbodies, concurrencies,
                                          args.duration, proc=peer)
            peer.stop()
            procs.remove(peer)
        else:
            log(f"skipped: PostGraphile is not installed in {args.peer} (run.sh installs it)")

        # 5. Search: Meilisearch directly and through Berguru.
        results["search"] = search_bench(work, logdir, pg_dir, queries, concurrencies, args.duration, procs)

        # 6. Scale: the list query at other sizes (PostgreSQL).
        if args.scale:
            for n in [int(x) for x in args.scale.split(",") if x]:
                results["scale"].append(scale_point(work, logdir, n, args.seed, bodies, args.duration, procs))
            base = find(results["rows"], "berguru-postgres-nocache", "list_50_nested", 1)
            if base:
                results["scale"].append({"practices": args.practices, "p50_ms": base["p50_ms"],
                                         "rps": base["rps"], "from": "main run"})
            results["scale"].sort(key=lambda s: s["practices"])
    finally:
        for p in procs:
            p.stop()
        drop_pg_database(BENCH_DB)
        drop_pg_database(SCALE_DB)
        shutil.rmtree(work, ignore_errors=True)

    report(results, args.out)


def search_bench(work, logdir, pg_dir, queries, concurrencies, duration, procs):
    meili = os.environ.get("MEILI_URL")
    out = {}
    if not meili:
        log("skipped: MEILI_URL is not set, Meilisearch direct-versus-Berguru not run")
        out["meilisearch"] = "skipped: MEILI_URL not set"
        return out
    key = os.environ.get("MEILI_MASTER_KEY", "")
    prefix = f"bench_{os.getpid()}_"
    extra = {"MEILI_URL": meili, "MEILI_API_KEY": key, "BERGURU_MEILI_INDEX_PREFIX": prefix, **NO_CACHE}
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        log("indexing the PostgreSQL data set into Meilisearch")
        started = time.monotonic()
        idx = subprocess.run([BERGURU, "reindex", "--data-dir", pg_dir],
                             env=berguru_env(pg_url(BENCH_DB), extra), capture_output=True, text=True)
        if idx.returncode != 0:
            fail(f"reindex into Meilisearch: {idx.stderr}")
        out["meili_index_s"] = round(time.monotonic() - started, 1)
        server = start_berguru("berguru-meili", pg_dir, pg_url(BENCH_DB), logdir, extra)
        procs.append(server)
        url = f"http://127.0.0.1:{BERGURU_PORT}/graphql"
        q = queries["search_filtered"]
        check_once(url, q, "berguru on Meilisearch")
        body = write_body(work, "meili-search", q)
        rows = run_matrix("berguru-meilisearch", url, {"search_filtered": body}, concurrencies, duration, proc=server)
        server.stop()
        procs.remove(server)
        # The same multi-search request Berguru sends (search/src/meili.rs).
        uid = prefix + "practices"
        direct = {
            "federation": {"offset": 0, "limit": 10,
                           "facetsByIndex": {uid: ["sector", "province", "regionKind", "status"]},
                           "mergeFacets": {"maxValuesPerFacet": 100}},
            "queries": [{"indexUid": uid, "q": "pelayanan perizinan",
                         "attributesToHighlight": ["title", "summary"],
                         "highlightPreTag": "\u0001", "highlightPostTag": "\u0002",
                         "attributesToCrop": ["summary:30"], "showRankingScore": True,
                         "filter": 'sector IN ["PUBLIC_SERVICE"] AND status IN ["ACTIVE"]'}],
        }
        dbody = write_body(work, "meili-direct", direct)
        direct_url = meili.rstrip("/") + "/multi-search"
        raw = post_json(direct_url, direct, headers)
        if b'"hits"' not in raw:
            fail(f"Meilisearch direct answered {raw[:300]!r}")
        rows += run_matrix("meilisearch-direct", direct_url, {"search_filtered": dbody}, concurrencies,
                           duration, headers=headers)
        out["rows"] = rows
    finally:
        for suffix in ["practices", "agreements", "regions"]:
            req = urllib.request.Request(f"{meili.rstrip('/')}/indexes/{prefix}{suffix}", method="DELETE")
            for k, v in headers.items():
                req.add_header(k, v)
            try:
                urllib.request.urlopen(req, timeout=10).read()
            except (urllib.error.URLError, OSError):
                pass
    return out


def scale_point(work, logdir, practices, seed, bodies, duration, procs):
    fresh_pg_database(SCALE_DB)
    data_dir = os.path.join(work, f"scale-{practices}")
    agreements = practices * 3 // 10
    log(f"scale: generating {practices} practices and {agreements} agreements into PostgreSQL")
    # No search index: the list query does not use it. The server is pointed
    # at a closed port for Meilisearch so it does not rebuild an embedded
    # index in the background while it is measured.
    gen = generate(data_dir, pg_url(SCALE_DB), practices, agreements, seed, index=False)
    log(f"  {gen}")
    extra = {"MEILI_URL": "http://127.0.0.1:9", **NO_CACHE}
    server = start_berguru(f"berguru-scale-{practices}", data_dir, pg_url(SCALE_DB), logdir, extra)
    procs.append(server)
    url = f"http://127.0.0.1:{BERGURU_PORT}/graphql"
    with open(bodies["list_50_nested"]) as f:
        check_once(url, json.load(f), f"berguru at {practices} practices")
    r = wrk(url, [bodies["list_50_nested"]], 1, duration)
    server.stop()
    procs.remove(server)
    drop_pg_database(SCALE_DB)
    log(f"scale {practices}: list p50 {r['p50_ms']:.2f} ms, {r['rps']} req/s, failures {r['failures']}")
    return {"practices": practices, "agreements": agreements, "p50_ms": r["p50_ms"], "rps": r["rps"],
            "failures": r["failures"], "generate_s": gen["generate_s"]}


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory": mem, "os": platform.platform(),
            "postgres_client": pg}


def fmt(x, digits=2):
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def report(results, out):
    rows = results["rows"] + results.get("search", {}).get("rows", [])
    lines = []
    m = results["machine"]
    lines.append(f"Berguru benchmark, {results['date']}, commit {results['commit']}: "
                 f"{m['cpus']} cores ({m['cpu']}), {m['memory']}; "
                 f"{results['settings']['practices']} practices, {results['settings']['agreements']} agreements, "
                 f"{results['settings']['duration_s']} s per run.")
    lines.append("")
    for backend, g in results["generate"].items():
        lines.append(f"- generate on {backend}: {fmt(g['generate_s'], 1)} s to write, "
                     f"{fmt(g['index_s'], 1)} s to index, {g['wall_s']} s in all ({g['summary']})")
    lines.append("")
    lines.append("| target | query | conc. | req/s | p50 ms | p95 ms | p99 ms | peak RSS MB | SQL/req | failures |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        lines.append(f"| {r['target']} | {r['query']} | {r['concurrency']} | {fmt(r['rps'], 0)} | "
                     f"{fmt(r['p50_ms'])} | {fmt(r.get('p95_ms'))} | {fmt(r['p99_ms'])} | {fmt(r.get('peak_rss_mb'), 0)} | "
                     f"{fmt(r.get('sql_per_request'))} | {r['failures']} |")
    lines.append("")
    lines.append("Ratios of throughput (req/s over req/s; PostgreSQL-limit counts one pgbench transaction "
                 "of the captured statements as one request):")
    lines.append("")
    lines.append("| query | conc. | response cache | Berguru PG / PostgreSQL-limit | Berguru PG / bare axum | "
                 "Berguru PG / PostGraphile | Berguru SQLite / PostGraphile |")
    lines.append("|---|---:|---|---:|---:|---:|---:|")
    ratios = []
    for q in ["practice_by_id", "list_50_nested", "region_stats"]:
        for c in results["settings"]["concurrency"]:
            for cache, suffix in [("off", "-nocache"), ("on", "")]:
                b = find(rows, "berguru-postgres" + suffix, q, c)
                s = find(rows, "berguru-sqlite" + suffix, q, c)
                entry = {
                    "query": q, "concurrency": c, "response_cache": cache,
                    "berguru_pg_over_pg_limit": ratio(b, find(rows, "postgres-limit", q, c)),
                    "berguru_pg_over_bare_axum": ratio(b, find(rows, "bare-axum", q, c)),
                    "berguru_pg_over_postgraphile": ratio(b, find(rows, "postgraphile", q, c)),
                    "berguru_sqlite_over_postgraphile": ratio(s, find(rows, "postgraphile", q, c)),
                }
                ratios.append(entry)
                lines.append(f"| {q} | {c} | {cache} | {fmt(entry['berguru_pg_over_pg_limit'])} | "
                             f"{fmt(entry['berguru_pg_over_bare_axum'])} | {fmt(entry['berguru_pg_over_postgraphile'])} | "
                             f"{fmt(entry['berguru_sqlite_over_postgraphile'])} |")
    results["ratios"] = ratios
    if results["scale"]:
        lines.append("")
        lines.append("List query (50 nested practices) at concurrency 1, on PostgreSQL, by data size:")
        lines.append("")
        lines.append("| practices | p50 ms | req/s |")
        lines.append("|---:|---:|---:|")
        for s in results["scale"]:
            lines.append(f"| {s['practices']} | {fmt(s['p50_ms'])} | {fmt(s['rps'], 0)} |")
    search = results.get("search", {})
    if isinstance(search.get("meilisearch"), str):
        lines.append("")
        lines.append(f"Meilisearch: {search['meilisearch']}.")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    log(f"wrote {os.path.join(out, 'results.json')} and results.md")


if __name__ == "__main__":
    main()
