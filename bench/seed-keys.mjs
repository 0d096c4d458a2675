// Fills a Keyplane SQLite store with N project keys (digests of random values) so the bench can show
// that throughput does not depend on store size. Raw prepared statements: Kysely would take minutes.
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";

export const seedKeys = async (dbFile, n) => {
  const db = new Database(dbFile);
  const project = db.prepare("select id, org_id from projects order by seq limit 1").get();
  const user = db.prepare("select id from users where org_id = ? order by seq limit 1").get(project.org_id);
  const key = db.prepare(
    `insert into api_keys (id, org_id, project_id, kind, name, redacted_value, owner_user_id, scopes, instance_admin, created_at)
     values (?, ?, ?, 'project', ?, ?, ?, '[]', 0, ?)`,
  );
  const secret = db.prepare("insert into api_key_secrets (digest, key_id, created_at) values (?, ?, ?)");
  const now = Math.floor(Date.now() / 1000);
  const batch = db.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const id = `key_seed${i.toString(36).padStart(10, "0")}`;
      key.run(id, project.org_id, project.id, `seed ${i}`, "sk-proj-...seed", user.id, now);
      secret.run(randomBytes(32).toString("hex"), id, now);
    }
  });
  for (let i = 0; i < n; i += 50_000) batch(i, Math.min(n, i + 50_000));
  db.close();
};
