-- The platform's own tables: which clinics exist and which hosts reach them.
-- Extensions live in `public` and are created once for every clinic schema to use.
-- migrate:up
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- One row naming this platform: tenant role names derive from it, so two databases on one
-- cluster (production and a test run, say) never collide on the cluster-wide role names.
CREATE TABLE platform.instance (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  singleton boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO platform.instance DEFAULT VALUES;

CREATE TABLE platform.tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z][a-z0-9-]{1,30}$'),
  schema_name text NOT NULL UNIQUE,
  role_name text NOT NULL UNIQUE,
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  time_zone text NOT NULL DEFAULT 'Africa/Cairo',
  currency text NOT NULL DEFAULT 'EGP' CHECK (currency ~ '^[A-Z]{3}$'),
  phone_region text NOT NULL DEFAULT 'EG' CHECK (phone_region ~ '^[A-Z]{2}$'),
  -- newest tenant migration applied in the clinic's schema; written in the same transaction
  -- as the migration itself, so `migrate --all` finds the outdated clinics with one query
  schema_version text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenants_schema_version_idx ON platform.tenants (schema_version);

-- Custom domains. `<slug>.<BASE_DOMAIN>` needs no row: it resolves by slug.
CREATE TABLE platform.domains (
  host text PRIMARY KEY CHECK (host = lower(host) AND host !~ '[/:\s]'),
  tenant_id uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  is_primary boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX domains_tenant_idx ON platform.domains (tenant_id);
CREATE UNIQUE INDEX domains_one_primary_idx ON platform.domains (tenant_id) WHERE is_primary;

-- migrate:down
DROP TABLE platform.domains;
DROP TABLE platform.tenants;
DROP TABLE platform.instance;
