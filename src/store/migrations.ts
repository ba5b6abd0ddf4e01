// Versioned schema migrations. Append only: a migration that has shipped is never edited.

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: "resources, their email index, and delete tombstones",
    sql: `
      CREATE TABLE resources (
        tenant        TEXT NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('User', 'Group')),
        id            TEXT NOT NULL,
        external_id   TEXT,
        attributes    TEXT NOT NULL DEFAULT '{}',
        email         TEXT,
        created       TEXT NOT NULL,
        last_modified TEXT NOT NULL,
        version       INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (tenant, kind, id)
      );
      CREATE INDEX resources_external_id ON resources (tenant, kind, external_id);
      CREATE INDEX resources_email ON resources (tenant, email);

      CREATE TABLE resource_emails (
        tenant TEXT NOT NULL,
        id     TEXT NOT NULL,
        email  TEXT NOT NULL,
        PRIMARY KEY (tenant, id, email)
      );
      CREATE INDEX resource_emails_email ON resource_emails (tenant, email);

      CREATE TABLE tombstones (
        tenant     TEXT NOT NULL,
        kind       TEXT NOT NULL,
        id         TEXT NOT NULL,
        email      TEXT,
        deleted_at TEXT NOT NULL,
        mode       TEXT NOT NULL,
        PRIMARY KEY (tenant, kind, id)
      );
      CREATE INDEX tombstones_email ON tombstones (tenant, email);
    `,
  },
];
