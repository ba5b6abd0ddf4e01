// PostgreSQL's schema migrations: the same versions as SQLite's (migrations.ts), in PostgreSQL's DDL. Append
// only: a migration that has shipped is never edited. Columns hold what SQLite's hold (ISO-8601 text, JSON text)
// so both stores run the same statements; COLLATE "C" orders and compares text byte-wise, as SQLite does.
import type { Migration } from "./migrations.js";

export const pgMigrations: readonly Migration[] = [
  {
    version: 1,
    description: "resources, their email index, and delete tombstones",
    sql: `
      CREATE TABLE resources (
        tenant        TEXT COLLATE "C" NOT NULL,
        kind          TEXT COLLATE "C" NOT NULL CHECK (kind IN ('User', 'Group')),
        id            TEXT COLLATE "C" NOT NULL,
        external_id   TEXT COLLATE "C",
        attributes    TEXT NOT NULL DEFAULT '{}',
        email         TEXT COLLATE "C",
        created       TEXT COLLATE "C" NOT NULL,
        last_modified TEXT COLLATE "C" NOT NULL,
        version       INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (tenant, kind, id)
      );
      CREATE INDEX resources_external_id ON resources (tenant, kind, external_id);
      CREATE INDEX resources_email ON resources (tenant, email);

      CREATE TABLE resource_emails (
        tenant TEXT COLLATE "C" NOT NULL,
        id     TEXT COLLATE "C" NOT NULL,
        email  TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (tenant, id, email)
      );
      CREATE INDEX resource_emails_email ON resource_emails (tenant, email);

      CREATE TABLE tombstones (
        tenant     TEXT COLLATE "C" NOT NULL,
        kind       TEXT COLLATE "C" NOT NULL,
        id         TEXT COLLATE "C" NOT NULL,
        email      TEXT COLLATE "C",
        deleted_at TEXT COLLATE "C" NOT NULL,
        mode       TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (tenant, kind, id)
      );
      CREATE INDEX tombstones_email ON tombstones (tenant, email);
    `,
  },
  {
    // SQLite's version 2 also moves version 1's attributes.deferred into deferred_changes: no PostgreSQL store
    // ever kept them, so there is nothing to move here.
    version: 2,
    description: "the pending-user lifecycle: invitations, deferred changes (an ordered outbox), user id aliases",
    sql: `
      CREATE TABLE user_invitations (
        tenant     TEXT COLLATE "C" NOT NULL,
        id         TEXT COLLATE "C" NOT NULL,
        state      TEXT COLLATE "C" NOT NULL CHECK (state IN ('pending', 'expired', 'cancelled')),
        email      TEXT COLLATE "C" NOT NULL,
        zoom_user  TEXT NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (tenant, id)
      );
      CREATE INDEX user_invitations_email ON user_invitations (tenant, email);

      CREATE TABLE deferred_changes (
        seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant          TEXT COLLATE "C" NOT NULL,
        user_id         TEXT COLLATE "C" NOT NULL,
        change          TEXT NOT NULL,
        created_at      TEXT COLLATE "C" NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        next_attempt_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX deferred_changes_user ON deferred_changes (tenant, user_id, seq);

      CREATE TABLE user_aliases (
        tenant  TEXT COLLATE "C" NOT NULL,
        id      TEXT COLLATE "C" NOT NULL,
        zoom_id TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (tenant, id)
      );
      CREATE UNIQUE INDEX user_aliases_zoom_id ON user_aliases (tenant, zoom_id);
    `,
  },
  {
    version: 3,
    description: "create intents: a user create sent to Zoom whose store record is not yet written",
    sql: `
      CREATE TABLE create_intents (
        tenant     TEXT COLLATE "C" NOT NULL,
        email      TEXT COLLATE "C" NOT NULL,
        request    TEXT NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (tenant, email)
      );
      CREATE INDEX create_intents_created_at ON create_intents (created_at);
    `,
  },
  {
    version: 4,
    description: "replica coordination: the shared OAuth token, rate budgets, webhook deliveries seen, user snapshot events",
    sql: `
      CREATE TABLE oauth_tokens (
        app_key    TEXT COLLATE "C" PRIMARY KEY,
        sealed     TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        renew_at   BIGINT NOT NULL
      );
      CREATE TABLE rate_budgets (
        budget_key   TEXT COLLATE "C" PRIMARY KEY,
        tat          DOUBLE PRECISION NOT NULL,
        paused_until DOUBLE PRECISION NOT NULL
      );
      CREATE TABLE webhook_deliveries (
        tenant    TEXT COLLATE "C" NOT NULL,
        signature TEXT COLLATE "C" NOT NULL,
        seen_at   BIGINT NOT NULL,
        PRIMARY KEY (tenant, signature)
      );
      CREATE INDEX webhook_deliveries_seen_at ON webhook_deliveries (seen_at);
      CREATE TABLE user_events (
        seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant  TEXT COLLATE "C" NOT NULL,
        origin  TEXT COLLATE "C" NOT NULL,
        user_id TEXT COLLATE "C" NOT NULL,
        state   TEXT,
        at      BIGINT NOT NULL
      );
      CREATE INDEX user_events_tenant ON user_events (tenant, seq);
    `,
  },
  {
    version: 5,
    description: "userName index for users whose userName is not their email; desired group memberships",
    sql: `
      ALTER TABLE resources ADD COLUMN user_name TEXT COLLATE "C";
      UPDATE resources SET user_name = lower(trim(attributes::json #>> '{sent,userName,value}'))
        WHERE kind = 'User' AND json_typeof(attributes::json #> '{sent,userName,value}') = 'string';
      CREATE INDEX resources_user_name ON resources (tenant, kind, user_name);

      CREATE TABLE group_desired_members (
        tenant   TEXT COLLATE "C" NOT NULL,
        group_id TEXT COLLATE "C" NOT NULL,
        user_id  TEXT COLLATE "C" NOT NULL,
        added_at TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (tenant, group_id, user_id)
      );
      CREATE INDEX group_desired_members_user ON group_desired_members (tenant, user_id);
    `,
  },
  {
    version: 7,
    description: "the circuit breaker for destructive changes: its recent changes and its state, shared by replicas",
    sql: `
      CREATE TABLE breaker_changes (
        tenant TEXT COLLATE "C" NOT NULL,
        at     BIGINT NOT NULL,
        kind   TEXT COLLATE "C" NOT NULL,
        count  INTEGER NOT NULL,
        ticket TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX breaker_changes_tenant_at ON breaker_changes (tenant, at);
      CREATE TABLE breaker_state (
        tenant      TEXT COLLATE "C" PRIMARY KEY,
        opened_at   BIGINT,
        detail      TEXT,
        released_at BIGINT,
        released_by TEXT
      );
    `,
  },
  {
    version: 8,
    description: "the audit trail: one entry per provisioning action; deferred changes remember the request behind them",
    sql: `
      CREATE TABLE audit_entries (
        seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at          TEXT COLLATE "C" NOT NULL,
        tenant      TEXT COLLATE "C" NOT NULL,
        resource_id TEXT COLLATE "C",
        user_name   TEXT COLLATE "C",
        request_id  TEXT COLLATE "C",
        entry       TEXT NOT NULL
      );
      CREATE INDEX audit_entries_tenant ON audit_entries (tenant, seq);
      CREATE INDEX audit_entries_resource ON audit_entries (tenant, resource_id);
      CREATE INDEX audit_entries_user_name ON audit_entries (tenant, user_name);
      CREATE INDEX audit_entries_at ON audit_entries (at);
      ALTER TABLE deferred_changes ADD COLUMN origin_request_id TEXT COLLATE "C";
      ALTER TABLE deferred_changes ADD COLUMN origin_actor TEXT COLLATE "C";
    `,
  },
  {
    version: 9,
    description: "what the IdPs set of each group's membership, for the drift report",
    sql: `
      CREATE TABLE idp_groups (
        tenant   TEXT COLLATE "C" NOT NULL,
        group_id TEXT COLLATE "C" NOT NULL,
        complete INTEGER NOT NULL,
        PRIMARY KEY (tenant, group_id)
      );
      CREATE TABLE idp_group_members (
        tenant   TEXT COLLATE "C" NOT NULL,
        group_id TEXT COLLATE "C" NOT NULL,
        user_id  TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (tenant, group_id, user_id)
      );
      CREATE INDEX idp_group_members_user ON idp_group_members (tenant, user_id);
    `,
  },
  {
    version: 10,
    description:
      "preview mode: the plan of Zoom calls, the state it leaves each resource in, ids of planned groups, the apply lease, alias generations",
    sql: `
      -- One Zoom call zoom-scim would make, in the order it would make it; applied in that order.
      CREATE TABLE plan_steps (
        seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant        TEXT COLLATE "C" NOT NULL,
        resource_type TEXT COLLATE "C" NOT NULL,
        resource_id   TEXT COLLATE "C" NOT NULL,
        zoom_call     TEXT NOT NULL,
        destructive   TEXT COLLATE "C",
        category      TEXT COLLATE "C" NOT NULL,
        touched       INTEGER NOT NULL,
        state         TEXT COLLATE "C" NOT NULL CHECK (state IN ('planned', 'sending', 'done', 'failed', 'skipped')),
        planned_at    TEXT COLLATE "C" NOT NULL,
        applied_at    TEXT COLLATE "C",
        result        TEXT,
        error         TEXT
      );
      CREATE INDEX plan_steps_tenant ON plan_steps (tenant, state, seq);
      -- What Zoom would hold after the planned calls, per object the plan touches (body NULL: gone). A group
      -- member's parent is its group; other objects have none ('').
      CREATE TABLE preview_state (
        tenant   TEXT COLLATE "C" NOT NULL,
        kind     TEXT COLLATE "C" NOT NULL,
        object_key TEXT COLLATE "C" NOT NULL,
        parent   TEXT COLLATE "C" NOT NULL,
        email    TEXT COLLATE "C",
        body     TEXT,
        planned  INTEGER NOT NULL,
        upto_seq BIGINT NOT NULL,
        PRIMARY KEY (tenant, kind, parent, object_key)
      );
      CREATE INDEX preview_state_email ON preview_state (tenant, kind, email);
      CREATE INDEX preview_state_key ON preview_state (tenant, object_key);
      -- A group created by applying a plan keeps the id the IdP was told.
      CREATE TABLE group_aliases (
        tenant  TEXT COLLATE "C" NOT NULL,
        id      TEXT COLLATE "C" NOT NULL,
        zoom_id TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (tenant, id)
      );
      -- Bumped by every change of a tenant's user or group aliases: a replica re-reads its aliases only when it moved.
      CREATE TABLE alias_generations (
        tenant     TEXT COLLATE "C" PRIMARY KEY,
        generation BIGINT NOT NULL
      );
      CREATE FUNCTION bump_alias_generation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO alias_generations (tenant, generation) VALUES (COALESCE(NEW.tenant, OLD.tenant), 1)
          ON CONFLICT (tenant) DO UPDATE SET generation = alias_generations.generation + 1;
        RETURN NULL;
      END $$;
      CREATE TRIGGER user_aliases_generation AFTER INSERT OR UPDATE OR DELETE ON user_aliases
        FOR EACH ROW EXECUTE FUNCTION bump_alias_generation();
      CREATE TRIGGER group_aliases_generation AFTER INSERT OR UPDATE OR DELETE ON group_aliases
        FOR EACH ROW EXECUTE FUNCTION bump_alias_generation();
      -- The one apply of a tenant's plan under way, in any process: renewed while it runs, taken over once expired.
      CREATE TABLE plan_leases (
        tenant     TEXT COLLATE "C" PRIMARY KEY,
        holder     TEXT COLLATE "C" NOT NULL,
        expires_at BIGINT NOT NULL
      );
    `,
  },
];
