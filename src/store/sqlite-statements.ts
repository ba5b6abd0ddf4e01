// Prepared statements kept per SQL text: preparing one costs more than running it (a GET /Users/{id} runs six).
import type Database from "better-sqlite3";

/** SQL texts are a fixed set, save getMany's placeholder lists: past this many the cache starts over. */
const MAX_STATEMENTS = 256;

export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
