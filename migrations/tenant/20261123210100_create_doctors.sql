-- Doctors: the staff users who see patients, with their specialty and fee.
-- migrate:up
CREATE TABLE specialties (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name citext NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 100)
);

CREATE TABLE doctors (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
  specialty_id bigint REFERENCES specialties (id) ON DELETE RESTRICT,
  consultation_fee numeric(10, 2) NOT NULL CHECK (consultation_fee >= 0),
  slot_minutes integer NOT NULL DEFAULT 15 CHECK (slot_minutes BETWEEN 5 AND 240),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX doctors_specialty_idx ON doctors (specialty_id);

-- migrate:down
DROP TABLE doctors;
DROP TABLE specialties;
