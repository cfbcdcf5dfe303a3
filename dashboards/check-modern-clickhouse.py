#!/usr/bin/env python3
"""Replay the dashboards' queries on a current ClickHouse engine (chdb), to back the claim that
they run on 24.8+ as well as on Debian's 18.16 (which `npm test` checks for real).

    python3 -m venv /tmp/chdb && /tmp/chdb/bin/pip install chdb
    EPICENTER_DASHBOARD_SQL_DUMP=/tmp/dash.json npx mocha --timeout 300000 test/integration/dashboards.test.ts
    /tmp/chdb/bin/python dashboards/check-modern-clickhouse.py /tmp/dash.json

The dump holds the schema as the project's migrations create it on a modern server
(LowCardinality, TTL), the rows the test seeded, and every expanded query with the columns its
panel needs. Exit status 0 when every query runs and returns those columns.
"""
import json
import sys
import tempfile

from chdb import session

dump = json.load(open(sys.argv[1]))
db = dump["database"]
s = session.Session(tempfile.mkdtemp(prefix="chdb-dash-"))
print("engine", s.query("SELECT version()", "CSV").bytes().decode().strip())
s.query(f"CREATE DATABASE IF NOT EXISTS {db}")
for stmt in dump["ddl"]:
    s.query(stmt)
for table, rows in dump["rows"].items():
    if rows.strip():
        s.query(f"INSERT INTO {db}.{table} FORMAT JSONEachRow {rows}")

problems = 0
for q in dump["queries"]:
    try:
        res = json.loads(s.query(q["sql"], "JSON").bytes() or b"{}")
    except Exception as e:  # noqa: BLE001 - report every failing query
        problems += 1
        print("FAIL", q["where"], str(e).splitlines()[0][:300])
        continue
    names = [m["name"] for m in res.get("meta", [])]
    if q.get("columns") and names != q["columns"]:
        problems += 1
        print("COLUMNS", q["where"], names, "!=", q["columns"])
    elif q["kind"] == "timeseries" and (not names or names[0] != "time"):
        problems += 1
        print("TIME", q["where"], names)
print(f"{len(dump['queries']) - problems} ok, {problems} failed")
sys.exit(1 if problems else 0)
