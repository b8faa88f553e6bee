#!/usr/bin/env python3
"""SQLite's own cost of an import page, without Syncline: the rows a 100,000-client HaloPSA import writes (same
schema, same row sizes, pages of 1,000 in one transaction each, records upserted and their listing rows renewed),
bound through prepared statements by Python's sqlite3 module. It answers "how fast could any client write this
schema here?", so the import benchmark's figure can be read against it.

    python3 Benchmarks/Reference/sqlite_floor.py [--without-index NAME ...]

Rows are prepared before the clock starts; what is timed is SQLite: inserts, listings, commits (with the WAL
checkpoints they trigger). PRAGMAs are the store's: WAL, synchronous=NORMAL, foreign_keys=ON.
"""
import argparse, hashlib, json, os, sqlite3, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("--clients", type=int, default=100_000)
parser.add_argument("--without-index", action="append", default=[],
                    help="leave out a secondary index of records (records_feed, records_model, records_tenant_entity)")
args = parser.parse_args()

INDEXES = {
    "records_feed": "CREATE UNIQUE INDEX records_feed ON records (connection_id, seq)",
    "records_model": "CREATE INDEX records_model ON records (tenant_id, model, connection_id, seq)",
    "records_tenant_entity": "CREATE INDEX records_tenant_entity ON records (tenant_id, entity_type)",
}
directory = tempfile.mkdtemp()
db = sqlite3.connect(os.path.join(directory, "floor.sqlite"), isolation_level=None)
for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
    db.execute("PRAGMA " + pragma)
db.executescript("""
CREATE TABLE tenants (id TEXT PRIMARY KEY);
CREATE TABLE connections (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants (id));
CREATE TABLE records (
    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL, external_id TEXT NOT NULL, content_hash TEXT NOT NULL, raw TEXT NOT NULL,
    mapped TEXT, seq BIGINT NOT NULL, created_seq BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, model TEXT,
    PRIMARY KEY (connection_id, entity_type, external_id));
CREATE TABLE record_listings (
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL, external_id TEXT NOT NULL, seen_run TEXT NOT NULL,
    PRIMARY KEY (connection_id, entity_type, external_id)) WITHOUT ROWID;
""")
for name, statement in INDEXES.items():
    if name not in args.without_index:
        db.execute(statement)
tenant, connection, run = "ten_01JDZQ3V9K2M8X4N6P0R7S5T1W", "con_01JDZQ3V9K2M8X4N6P0R7S5T1X", "run_01JDZQ3V9K2M8X4N6P0R7S5T1Y"
db.execute("INSERT INTO tenants VALUES (?)", (tenant,))
db.execute("INSERT INTO connections VALUES (?, ?)", (connection, tenant))

def client(number):
    # The emulator's client record: 13 members, about 345 bytes of canonical JSON.
    return json.dumps({
        "accountsemailaddress": f"accounts@client{number}.example", "client_to_invoice": 0, "colour": "#2f6fde",
        "id": number, "inactive": number % 7 == 0, "main_site_id": number, "main_site_name": "Head Office",
        "name": f"Client {number} Logistics Holdings", "notes": "", "phonenumber": "020 7946 0099",
        "toplevel_id": 1, "toplevel_name": "Managed Service Customers",
        "website": f"https://www.client{number}.example",
    }, separators=(",", ":"), sort_keys=True)

pages = []
for start in range(1, args.clients + 1, 1000):
    rows, listings = [], []
    for number in range(start, min(start + 1000, args.clients + 1)):
        raw = client(number)
        rows.append((tenant, connection, "clients", str(number), hashlib.sha256(raw.encode()).hexdigest(), raw,
                     None, number, number, 0, 1, 1, None))
        listings.append((connection, "clients", str(number), run))
    pages.append((rows, listings))

insert = ("INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (connection_id, entity_type, "
          "external_id) DO UPDATE SET raw = excluded.raw, content_hash = excluded.content_hash")
renew = ("INSERT INTO record_listings VALUES (?,?,?,?) ON CONFLICT (connection_id, entity_type, external_id) "
         "DO UPDATE SET seen_run = excluded.seen_run")
timed = {"records": 0.0, "listings": 0.0, "commits": 0.0}
for rows, listings in pages:
    db.execute("BEGIN IMMEDIATE")
    started = time.perf_counter()
    db.executemany(insert, rows)
    inserted = time.perf_counter()
    db.executemany(renew, listings)
    listed = time.perf_counter()
    db.execute("COMMIT")
    timed["records"] += inserted - started
    timed["listings"] += listed - inserted
    timed["commits"] += time.perf_counter() - listed
total = sum(timed.values())
print(f"SQLite {sqlite3.sqlite_version}, {args.clients} clients, without {args.without_index or 'nothing'}: "
      + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timed.items())
      + f"; {args.clients / total:,.0f} records/s")
