-- A person's own language, chosen with the switch while signed in: it follows them to any device
-- they sign in on. NULL: no choice made (the clinic's default applies).
-- migrate:up
ALTER TABLE users ADD COLUMN language text CHECK (language IN ('en', 'ar'));

-- migrate:down
ALTER TABLE users DROP COLUMN language;
