"""ClickHouse 26.9's engine (chdb-core) behind stdin/stdout JSON lines, for test/compat/chdb-connection.ts.

Request, one per line:  {"sql": "...", "format": "JSONEachRow"}   (format optional: none for DDL/INSERT)
Answer, one per line:   {"text": "<the output, in the format asked>"}  or  {"error": "Code: 46. ..."}
The output is passed on as text, not parsed here: the caller parses it as @clickhouse/client parses an
HTTP response (Python's json would turn a -0 into 0 and lose nothing else, but why risk it).
The first line written is {"version": "<engine version>"} once the session is open.

Every statement runs in ONE chdb session on a temporary data path (removed at exit), so databases and
tables persist across statements like on a server. The bridge changes no setting: the engine's
defaults are a 26.9 server's with a default profile, and the caller SETs what our HTTP connection sends.
"""
import json
import shutil
import sys
import tempfile

import chdb
from chdb import session


def main() -> None:
    path = tempfile.mkdtemp(prefix="epicenter-chdb-")
    s = session.Session(path)
    try:
        out = sys.stdout
        version = s.query("SELECT version()", "TSV").bytes().decode().strip()
        out.write(json.dumps({"version": version, "engine": chdb.engine_version}) + "\n")
        out.flush()
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                req = json.loads(line)
                fmt = req.get("format")
                res = s.query(req["sql"], fmt) if fmt else s.query(req["sql"])
                text = res.bytes().decode("utf-8") if fmt else ""
                answer = {"text": text}
            except Exception as e:  # noqa: BLE001 - every failure goes back to the caller as a value
                answer = {"error": str(e)}
            out.write(json.dumps(answer, ensure_ascii=False) + "\n")
            out.flush()
    finally:
        s.close()
        shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    main()
