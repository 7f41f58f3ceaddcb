-- The front desk: patients with their file numbers, doctors' weekly hours and leave, appointments.
-- migrate:up

-- A portal identity is phone + username; a phone alone may be shared (a family's line).
ALTER TABLE users DROP CONSTRAINT users_phone_key;
CREATE INDEX users_phone_idx ON users (phone) WHERE phone IS NOT NULL;

CREATE SEQUENCE patient_file_number_seq;

CREATE TABLE patients (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- the number on the paper file: sequential per clinic, never reused
  file_number text NOT NULL UNIQUE DEFAULT lpad(nextval('patient_file_number_seq')::text, 6, '0'),
  user_id bigint UNIQUE REFERENCES users (id) ON DELETE SET NULL,
  first_name text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
  last_name text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
  date_of_birth date NOT NULL CHECK (date_of_birth >= DATE '1900-01-01'),
  gender text NOT NULL CHECK (gender IN ('male', 'female')),
  phone text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  address text CHECK (length(address) <= 500),
  national_id text UNIQUE CHECK (length(national_id) BETWEEN 4 AND 32),
  search_name text GENERATED ALWAYS AS (public.clinic_search_text(first_name || ' ' || last_name)) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patients_search_name_trgm_idx ON patients USING gin (search_name public.gin_trgm_ops);
CREATE INDEX patients_phone_idx ON patients (phone);
CREATE INDEX patients_duplicate_idx ON patients (phone, date_of_birth);
CREATE INDEX patients_name_idx ON patients (last_name, first_name, id);

-- Weekly hours: several ranges a day (ISO weekday, 1 = Monday … 7 = Sunday), in the clinic's time zone.
CREATE TABLE working_hours (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  doctor_id bigint NOT NULL REFERENCES doctors (id) ON DELETE CASCADE,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  starts time NOT NULL,
  ends time NOT NULL,
  CHECK (ends > starts),
  CONSTRAINT working_hours_no_overlap EXCLUDE USING gist (
    doctor_id WITH =, weekday WITH =, tsrange(DATE '2000-01-03' + starts, DATE '2000-01-03' + ends) WITH &&)
);

-- Days off and leave, whole days in the clinic's time zone, both ends included.
CREATE TABLE doctor_leaves (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  doctor_id bigint NOT NULL REFERENCES doctors (id) ON DELETE CASCADE,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  reason text CHECK (length(reason) <= 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on >= starts_on),
  CONSTRAINT doctor_leaves_no_overlap EXCLUDE USING gist (doctor_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)
);

CREATE TABLE appointments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id bigint NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
  doctor_id bigint NOT NULL REFERENCES doctors (id) ON DELETE RESTRICT,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'checked_in', 'completed', 'cancelled', 'no_show')),
  is_priority boolean NOT NULL DEFAULT false,
  cost numeric(10, 2) CHECK (cost >= 0),
  notes text CHECK (length(notes) <= 2000),
  cancel_reason text CHECK (length(cancel_reason) <= 500),
  checked_in_at timestamptz,
  cancelled_at timestamptz,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
  -- the database, not an if-statement, forbids double booking
  CONSTRAINT appointments_no_double_booking EXCLUDE USING gist (
    doctor_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled')
);
CREATE INDEX appointments_starts_at_idx ON appointments (starts_at);
CREATE INDEX appointments_doctor_day_idx ON appointments (doctor_id, starts_at);
CREATE INDEX appointments_patient_idx ON appointments (patient_id, starts_at DESC);

-- migrate:down
DROP TABLE appointments;
DROP TABLE doctor_leaves;
DROP TABLE working_hours;
DROP TABLE patients;
DROP SEQUENCE patient_file_number_seq;
DROP INDEX users_phone_idx;
ALTER TABLE users ADD CONSTRAINT users_phone_key UNIQUE (phone);
