-- The clinic's default language (pages, messages, PDFs and notices), chosen by the operator
-- (`tenant create --language`, `tenant set-language`) or by the clinic's owner (/admin/settings).
-- migrate:up
ALTER TABLE platform.tenants ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ar'));

-- The owner changes it from inside the clinic's own transaction, as the clinic's role. That role may
-- read three columns and write two, of its own row only: row-level security keys the row to the
-- role itself, so no clinic can see or change another's (the platform's owner bypasses the policy).
ALTER TABLE platform.tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenants_own_row ON platform.tenants USING (role_name = current_user) WITH CHECK (role_name = current_user);

-- The clinics that exist already (a new clinic's role gets the same grants at `create`).
DO $$
DECLARE
  clinic record;
BEGIN
  FOR clinic IN SELECT role_name FROM platform.tenants LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA platform TO %I', clinic.role_name);
    EXECUTE format('GRANT SELECT (id, role_name, language), UPDATE (language, updated_at) ON platform.tenants TO %I', clinic.role_name);
  END LOOP;
END $$;

-- migrate:down
DO $$
DECLARE
  clinic record;
BEGIN
  FOR clinic IN SELECT role_name FROM platform.tenants LOOP
    EXECUTE format('REVOKE ALL ON platform.tenants FROM %I', clinic.role_name);
    EXECUTE format('REVOKE USAGE ON SCHEMA platform FROM %I', clinic.role_name);
  END LOOP;
END $$;
DROP POLICY tenants_own_row ON platform.tenants;
ALTER TABLE platform.tenants DISABLE ROW LEVEL SECURITY;
ALTER TABLE platform.tenants DROP COLUMN language;
