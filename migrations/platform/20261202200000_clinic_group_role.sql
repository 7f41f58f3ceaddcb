-- One group role holds the clinics' rights on platform objects, and every clinic role is a member.
-- Granting to each clinic role put one ACL entry per clinic on `platform` and on the columns of
-- platform.tenants; pg_attribute rows cannot be TOASTed, so the 1,01x-th clinic failed with "row is
-- too big". Memberships are rows of their own (pg_auth_members) and do not grow any one row.
-- The group's name cannot be a clinic's: clinic roles are `c<platform id>_<slug>` and a slug starts
-- with a letter, the group is `c<platform id>__clinics`.
-- migrate:up
DO $$
DECLARE
  grp text := (SELECT 'c' || left(replace(id::text, '-', ''), 12) || '__clinics' FROM platform.instance);
  clinic record;
BEGIN
  EXECUTE format('CREATE ROLE %I NOLOGIN', grp);
  EXECUTE format('GRANT USAGE ON SCHEMA platform TO %I', grp);
  EXECUTE format('GRANT SELECT (id, role_name, language), UPDATE (language, updated_at) ON platform.tenants TO %I', grp);
  FOR clinic IN SELECT role_name FROM platform.tenants LOOP
    EXECUTE format('GRANT %I TO %I', grp, clinic.role_name);
    EXECUTE format('REVOKE ALL ON platform.tenants FROM %I', clinic.role_name);
    EXECUTE format('REVOKE USAGE ON SCHEMA platform FROM %I', clinic.role_name);
  END LOOP;
END $$;

-- migrate:down
DO $$
DECLARE
  grp text := (SELECT 'c' || left(replace(id::text, '-', ''), 12) || '__clinics' FROM platform.instance);
  clinic record;
BEGIN
  FOR clinic IN SELECT role_name FROM platform.tenants LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA platform TO %I', clinic.role_name);
    EXECUTE format('GRANT SELECT (id, role_name, language), UPDATE (language, updated_at) ON platform.tenants TO %I', clinic.role_name);
  END LOOP;
  EXECUTE format('REVOKE ALL ON platform.tenants FROM %I', grp);
  EXECUTE format('REVOKE USAGE ON SCHEMA platform FROM %I', grp);
  EXECUTE format('DROP ROLE %I', grp);
END $$;
