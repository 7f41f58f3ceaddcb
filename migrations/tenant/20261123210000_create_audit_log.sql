-- What happened in the clinic and who did it: sign-ins, lockouts, sign-outs, staff changes.
-- Append-only by convention; the app never updates or deletes rows.
-- migrate:up
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id bigint REFERENCES users (id) ON DELETE SET NULL,
  action text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)*$'),
  entity text,
  entity_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip inet
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at DESC);

-- migrate:down
DROP TABLE audit_log;
