/*
 * SQLite's own instructions for a page's insert in three shapes, with the SQLite that SQLiteNIO vendors, so the
 * store's statement shape can be chosen by a count this machine's neighbours cannot move. Rows are the import
 * benchmark's (HaloPSA clients, about 350 bytes of raw JSON), 500 to a statement, 1,000 to a transaction;
 * schema and PRAGMAs as the store's. Shapes: 0 every column in every VALUES row (the store before stop 16),
 * 1 `INSERT ... SELECT shared columns, column1 ... FROM (VALUES (own columns))` (the store since), 2 one
 * prepared single-row statement reused (which SQLiteNIO cannot do). Run (about 2 minutes):
 *
 *   Benchmarks/Reference/sqlite_insert_shapes.sh
 */
#include "sqlite3.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define S(x) sqlite_nio_sqlite3_##x
static void ex(sqlite3 *db, const char *sql) { char *e = 0; if (S(exec)(db, sql, 0, 0, &e) != SQLITE_OK) { fprintf(stderr, "%s: %s\n", sql, e); exit(1); } }
static char raw[1024], hash[65];
static void mk(int n) {
  snprintf(raw, sizeof raw, "{\"accountsemailaddress\":\"accounts@client%d.example\",\"client_to_invoice\":0,\"colour\":\"#2f6fde\",\"id\":%d,\"inactive\":%s,\"main_site_id\":%d,\"main_site_name\":\"Head Office\",\"name\":\"Client %d Logistics Holdings\",\"notes\":\"\",\"phonenumber\":\"020 7946 0099\",\"toplevel_id\":1,\"toplevel_name\":\"Managed Service Customers\",\"website\":\"https://www.client%d.example\"}", n, n, n % 7 ? "false" : "true", n, n, n);
  unsigned h = n * 2654435761u; for (int i = 0; i < 64; i++) { h = h * 1103515245u + 12345u; hash[i] = "0123456789abcdef"[(h >> 16) & 15]; } hash[64] = 0;
}
int main(int argc, char **argv) {
  int mode = atoi(argv[1]), clients = atoi(argv[2]); const char *path = argv[3];
  int tenantfk = argc > 4 ? atoi(argv[4]) : 1;
  sqlite3 *db; remove(path); if (S(open)(path, &db)) return 1;
  ex(db, "PRAGMA page_size = 16384"); ex(db, "PRAGMA journal_mode = WAL"); ex(db, "PRAGMA synchronous = NORMAL"); ex(db, "PRAGMA foreign_keys = ON");
  ex(db, "CREATE TABLE tenants (id TEXT PRIMARY KEY); CREATE TABLE connections (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE);");
  char ddl[2048]; snprintf(ddl, sizeof ddl, "CREATE TABLE records (tenant_id TEXT NOT NULL %s, connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE, entity_type TEXT NOT NULL, external_id TEXT NOT NULL, content_hash TEXT NOT NULL, raw TEXT NOT NULL, mapped TEXT, seq BIGINT NOT NULL, created_seq BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, model TEXT, PRIMARY KEY (connection_id, entity_type, external_id)); CREATE UNIQUE INDEX records_feed ON records (connection_id, seq); CREATE INDEX records_model ON records (tenant_id, model, connection_id, seq);", tenantfk ? "REFERENCES tenants (id) ON DELETE CASCADE" : "");
  ex(db, ddl);
  ex(db, "INSERT INTO tenants VALUES ('ten_01JDZQ3V9K2M8X4N6P0R7S5T1W'); INSERT INTO connections VALUES ('con_01JDZQ3V9K2M8X4N6P0R7S5T1X', 'ten_01JDZQ3V9K2M8X4N6P0R7S5T1W');");
  const char *T = "'ten_01JDZQ3V9K2M8X4N6P0R7S5T1W'", *C = "'con_01JDZQ3V9K2M8X4N6P0R7S5T1X'";
  char *sql = malloc(1 << 20); char ids[500][16]; static char raws[500][1024];
  sqlite3_stmt *one = 0;
  if (mode == 2) S(prepare_v3)(db, "INSERT INTO records (tenant_id, connection_id, entity_type, external_id, content_hash, raw, mapped, seq, created_seq, deleted, created_at, updated_at, model) VALUES ('ten_01JDZQ3V9K2M8X4N6P0R7S5T1W','con_01JDZQ3V9K2M8X4N6P0R7S5T1X','clients',?1,?2,?3,NULL,?4,?4,0,1,1,NULL) ON CONFLICT (connection_id, entity_type, external_id) DO NOTHING", -1, SQLITE_PREPARE_PERSISTENT, &one, 0);
  for (int start = 1; start <= clients; start += 1000) {
    ex(db, "BEGIN IMMEDIATE");
    for (int half = 0; half < 2; half++) {
      int base = start + half * 500;
      if (mode == 2) {
        for (int i = 0; i < 500; i++) { int n = base + i; mk(n); char id[16]; snprintf(id, 16, "%d", n);
          S(bind_text)(one, 1, id, -1, SQLITE_TRANSIENT); S(bind_text)(one, 2, hash, 64, SQLITE_TRANSIENT); S(bind_text)(one, 3, raw, -1, SQLITE_TRANSIENT); S(bind_int64)(one, 4, n);
          if (S(step)(one) != SQLITE_DONE) { fprintf(stderr, "step\n"); return 1; } S(reset)(one); }
        continue;
      }
      char *p = sql;
      if (mode == 0) p += sprintf(p, "INSERT INTO records (tenant_id, connection_id, entity_type, external_id, content_hash, raw, mapped, seq, created_seq, deleted, created_at, updated_at, model) VALUES ");
      else p += sprintf(p, "INSERT INTO records (tenant_id, connection_id, entity_type, external_id, content_hash, raw, mapped, seq, created_seq, deleted, created_at, updated_at, model) SELECT %s, %s, 'clients', column1, column2, column3, column4, column5, column5, 0, 1, 1, NULL FROM (VALUES ", T, C);
      for (int i = 0; i < 500; i++) { int n = base + i; mk(n); snprintf(ids[i], 16, "%d", n); strcpy(raws[i], raw);
        if (mode == 0) p += sprintf(p, "%s(%s, %s, 'clients', ?%d, '%s', ?%d, NULL, %d, %d, 0, 1, 1, NULL)", i ? ", " : "", T, C, 2 * i + 1, hash, 2 * i + 2, n, n);
        else p += sprintf(p, "%s(?%d, '%s', ?%d, NULL, %d)", i ? ", " : "", 2 * i + 1, hash, 2 * i + 2, n); }
      p += sprintf(p, "%s ON CONFLICT (connection_id, entity_type, external_id) DO NOTHING", mode == 0 ? "" : ") WHERE true");
      sqlite3_stmt *st; if (S(prepare_v3)(db, sql, -1, 0, &st, 0)) { fprintf(stderr, "prep %s\n", S(errmsg)(db)); return 1; }
      for (int i = 0; i < 500; i++) { S(bind_text)(st, 2 * i + 1, ids[i], -1, SQLITE_TRANSIENT); S(bind_text)(st, 2 * i + 2, raws[i], -1, SQLITE_TRANSIENT); }
      if (S(step)(st) != SQLITE_DONE) { fprintf(stderr, "step %s\n", S(errmsg)(db)); return 1; }
      S(finalize)(st);
    }
    ex(db, "COMMIT");
  }
  sqlite3_stmt *q; S(prepare_v2)(db, "SELECT count(*), sum(seq), sum(length(raw)) FROM records", -1, &q, 0); S(step)(q);
  printf("mode %d: %lld rows, seq sum %lld, raw bytes %lld\n", mode, S(column_int64)(q, 0), S(column_int64)(q, 1), S(column_int64)(q, 2));
  return 0;
}
