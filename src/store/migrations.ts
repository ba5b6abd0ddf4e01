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
  {
    version: 2,
    description: "the pending-user lifecycle: invitations, deferred changes (an ordered outbox), user id aliases",
    sql: `
      -- Users whose Zoom invitation is open, expired, or cancelled by a deactivation, with Zoom's user as last
      -- seen: what zoom-scim shows while Zoom itself cannot (1120 for expired, nothing at all once cancelled).
      CREATE TABLE user_invitations (
        tenant     TEXT NOT NULL,
        id         TEXT NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('pending', 'expired', 'cancelled')),
        email      TEXT NOT NULL,
        zoom_user  TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant, id)
      );
      CREATE INDEX user_invitations_email ON user_invitations (tenant, email);

      -- Changes accepted for a pending user, applied to Zoom in seq order once it is active.
      CREATE TABLE deferred_changes (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant          TEXT NOT NULL,
        user_id         TEXT NOT NULL,
        change          TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        next_attempt_at TEXT NOT NULL
      );
      CREATE INDEX deferred_changes_user ON deferred_changes (tenant, user_id, seq);

      -- A re-sent invitation makes a new Zoom user: the SCIM id stays the first one, mapped to the current Zoom id.
      CREATE TABLE user_aliases (
        tenant  TEXT NOT NULL,
        id      TEXT NOT NULL,
        zoom_id TEXT NOT NULL,
        PRIMARY KEY (tenant, id)
      );
      CREATE UNIQUE INDEX user_aliases_zoom_id ON user_aliases (tenant, zoom_id);

      -- Version 1 kept a pending user's Zoom-only POST attributes under attributes.deferred: they become the
      -- user's first deferred change, so nothing kept before the upgrade is lost.
      INSERT INTO deferred_changes (tenant, user_id, change, created_at, next_attempt_at)
        SELECT tenant, id, json_extract(attributes, '$.deferred'), last_modified, last_modified FROM resources
        WHERE kind = 'User' AND json_type(attributes, '$.deferred') = 'object';
      UPDATE resources SET attributes = json_remove(attributes, '$.deferred')
        WHERE kind = 'User' AND json_type(attributes, '$.deferred') IS NOT NULL;
    `,
  },
  {
    version: 3,
    description: "create intents: a user create sent to Zoom whose store record is not yet written",
    sql: `
      -- Written before Zoom's create, removed with the record's write: one left behind marks a create whose answer
      -- was lost, which the client's repeated POST completes instead of answering 409.
      CREATE TABLE create_intents (
        tenant     TEXT NOT NULL,
        email      TEXT NOT NULL,
        request    TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant, email)
      );
      CREATE INDEX create_intents_created_at ON create_intents (created_at);
    `,
  },
  {
    version: 4,
    description: "replica coordination: the shared OAuth token, rate budgets, webhook deliveries seen, user snapshot events",
    sql: `
      -- The Zoom access token every replica uses (sealed with a key derived from the app's secret).
      CREATE TABLE oauth_tokens (
        app_key    TEXT PRIMARY KEY,
        sealed     TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        renew_at   INTEGER NOT NULL
      );
      -- One GCRA state per Zoom account and rate category: the theoretical arrival time and a 429's pause (epoch ms, fractional).
      CREATE TABLE rate_budgets (
        budget_key   TEXT PRIMARY KEY,
        tat          REAL NOT NULL,
        paused_until REAL NOT NULL
      );
      -- Webhook signatures already handled, by any replica (a replay changes nothing).
      CREATE TABLE webhook_deliveries (
        tenant    TEXT NOT NULL,
        signature TEXT NOT NULL,
        seen_at   INTEGER NOT NULL,
        PRIMARY KEY (tenant, signature)
      );
      CREATE INDEX webhook_deliveries_seen_at ON webhook_deliveries (seen_at);
      -- What a write left a Zoom user as, for the other replicas' user snapshots (state NULL: removed).
      CREATE TABLE user_events (
        seq     INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant  TEXT NOT NULL,
        origin  TEXT NOT NULL,
        user_id TEXT NOT NULL,
        state   TEXT,
        at      INTEGER NOT NULL
      );
      CREATE INDEX user_events_tenant ON user_events (tenant, seq);
    `,
  },
  {
    version: 5,
    description: "userName index for users whose userName is not their email; desired group memberships",
    sql: `
      -- The userName as sent, lower-cased: a userName that is not an email (Zoom's email then comes from emails)
      -- is found by filter and kept unique through it. Rows written before take it from what was sent.
      ALTER TABLE resources ADD COLUMN user_name TEXT;
      UPDATE resources SET user_name = lower(trim(json_extract(attributes, '$.sent.userName.value')))
        WHERE kind = 'User' AND json_type(attributes, '$.sent.userName.value') = 'text';
      CREATE INDEX resources_user_name ON resources (tenant, kind, user_name);

      -- Members asked for of users Zoom does not hold right now (a cancelled or expired invitation): applied when
      -- the user is invited again, shown as members meanwhile.
      CREATE TABLE group_desired_members (
        tenant   TEXT NOT NULL,
        group_id TEXT NOT NULL,
        user_id  TEXT NOT NULL,
        added_at TEXT NOT NULL,
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
        tenant TEXT NOT NULL,
        at     INTEGER NOT NULL,
        kind   TEXT NOT NULL,
        count  INTEGER NOT NULL,
        ticket TEXT NOT NULL
      );
      CREATE INDEX breaker_changes_tenant_at ON breaker_changes (tenant, at);
      CREATE TABLE breaker_state (
        tenant      TEXT PRIMARY KEY,
        opened_at   INTEGER,
        detail      TEXT,
        released_at INTEGER,
        released_by TEXT
      );
    `,
  },
  {
    version: 8,
    description: "the audit trail: one entry per provisioning action; deferred changes remember the request behind them",
    sql: `
      -- The entry itself is JSON text; the columns beside it are what readers filter on.
      CREATE TABLE audit_entries (
        seq               INTEGER PRIMARY KEY AUTOINCREMENT,
        at                TEXT NOT NULL,
        tenant            TEXT NOT NULL,
        resource_id       TEXT,
        user_name         TEXT,
        request_id        TEXT,
        entry             TEXT NOT NULL
      );
      CREATE INDEX audit_entries_tenant ON audit_entries (tenant, seq);
      CREATE INDEX audit_entries_resource ON audit_entries (tenant, resource_id);
      CREATE INDEX audit_entries_user_name ON audit_entries (tenant, user_name);
      CREATE INDEX audit_entries_at ON audit_entries (at);
      ALTER TABLE deferred_changes ADD COLUMN origin_request_id TEXT;
      ALTER TABLE deferred_changes ADD COLUMN origin_actor TEXT;
    `,
  },
  {
    version: 9,
    description: "what the IdPs set of each group's membership, for the drift report",
    sql: `
      CREATE TABLE idp_groups (
        tenant   TEXT NOT NULL,
        group_id TEXT NOT NULL,
        complete INTEGER NOT NULL,
        PRIMARY KEY (tenant, group_id)
      );
      CREATE TABLE idp_group_members (
        tenant   TEXT NOT NULL,
        group_id TEXT NOT NULL,
        user_id  TEXT NOT NULL,
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
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant        TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        resource_id   TEXT NOT NULL,
        zoom_call     TEXT NOT NULL,
        destructive   TEXT,
        category      TEXT NOT NULL,
        touched       INTEGER NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'done', 'failed', 'skipped')),
        planned_at    TEXT NOT NULL,
        applied_at    TEXT,
        result        TEXT,
        error         TEXT
      );
      CREATE INDEX plan_steps_tenant ON plan_steps (tenant, state, seq);
      -- What Zoom would hold after the planned calls, per object the plan touches (body NULL: gone). A group
      -- member's parent is its group; other objects have none ('').
      CREATE TABLE preview_state (
        tenant   TEXT NOT NULL,
        kind     TEXT NOT NULL,
        object_key TEXT NOT NULL,
        parent   TEXT NOT NULL,
        email    TEXT,
        body     TEXT,
        planned  INTEGER NOT NULL,
        upto_seq INTEGER NOT NULL,
        PRIMARY KEY (tenant, kind, parent, object_key)
      );
      CREATE INDEX preview_state_email ON preview_state (tenant, kind, email);
      CREATE INDEX preview_state_key ON preview_state (tenant, object_key);
      -- A group created by applying a plan keeps the id the IdP was told.
      CREATE TABLE group_aliases (
        tenant  TEXT NOT NULL,
        id      TEXT NOT NULL,
        zoom_id TEXT NOT NULL,
        PRIMARY KEY (tenant, id)
      );
      -- Bumped by every change of a tenant's user or group aliases: a replica re-reads its aliases only when it moved.
      -- (No OR IGNORE in the triggers: an outer statement's conflict clause would override it.)
      CREATE TABLE alias_generations (
        tenant     TEXT PRIMARY KEY,
        generation INTEGER NOT NULL
      );
      CREATE TRIGGER user_aliases_insert AFTER INSERT ON user_aliases BEGIN
        INSERT INTO alias_generations (tenant, generation) SELECT NEW.tenant, 0
          WHERE NOT EXISTS (SELECT 1 FROM alias_generations WHERE tenant = NEW.tenant);
        UPDATE alias_generations SET generation = generation + 1 WHERE tenant = NEW.tenant;
      END;
      CREATE TRIGGER user_aliases_update AFTER UPDATE ON user_aliases BEGIN
        INSERT INTO alias_generations (tenant, generation) SELECT NEW.tenant, 0
          WHERE NOT EXISTS (SELECT 1 FROM alias_generations WHERE tenant = NEW.tenant);
        UPDATE alias_generations SET generation = generation + 1 WHERE tenant = NEW.tenant;
      END;
      CREATE TRIGGER user_aliases_delete AFTER DELETE ON user_aliases BEGIN
        INSERT INTO alias_generations (tenant, generation) SELECT OLD.tenant, 0
          WHERE NOT EXISTS (SELECT 1 FROM alias_generations WHERE tenant = OLD.tenant);
        UPDATE alias_generations SET generation = generation + 1 WHERE tenant = OLD.tenant;
      END;
      CREATE TRIGGER group_aliases_insert AFTER INSERT ON group_aliases BEGIN
        INSERT INTO alias_generations (tenant, generation) SELECT NEW.tenant, 0
          WHERE NOT EXISTS (SELECT 1 FROM alias_generations WHERE tenant = NEW.tenant);
        UPDATE alias_generations SET generation = generation + 1 WHERE tenant = NEW.tenant;
      END;
      CREATE TRIGGER group_aliases_update AFTER UPDATE ON group_aliases BEGIN
        INSERT INTO alias_generations (tenant, generation) SELECT NEW.tenant, 0
          WHERE NOT EXISTS (SELECT 1 FROM alias_generations WHERE tenant = NEW.tenant);
        UPDATE alias_generations SET generation = generation + 1 WHERE tenant = NEW.tenant;
      END;
      CREATE TRIGGER group_aliases_delete AFTER DELETE ON group_aliases BEGIN
        INSERT INTO alias_generations (tenant, generation) SELECT OLD.tenant, 0
          WHERE NOT EXISTS (SELECT 1 FROM alias_generations WHERE tenant = OLD.tenant);
        UPDATE alias_generations SET generation = generation + 1 WHERE tenant = OLD.tenant;
      END;
      -- The one apply of a tenant's plan under way, in any process: renewed while it runs, taken over once expired.
      CREATE TABLE plan_leases (
        tenant     TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );
    `,
  },
];
