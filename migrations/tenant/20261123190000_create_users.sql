-- Everyone who signs in to the clinic: staff with a password, patients with phone + username.
-- migrate:up
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username citext NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 64),
  phone text UNIQUE CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  role text NOT NULL CHECK (role IN ('admin', 'doctor', 'reception', 'patient')),
  password_hash text,
  is_active boolean NOT NULL DEFAULT true,
  failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- staff never sign in without a password; patients never have one
  CONSTRAINT users_password_by_role CHECK ((role = 'patient') = (password_hash IS NULL))
);
CREATE INDEX users_active_role_name_idx ON users (role, full_name) WHERE is_active;

-- migrate:down
DROP TABLE users;
