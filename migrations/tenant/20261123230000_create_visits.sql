-- The visit record: consultation, prescriptions, requirements, amendments; the invoice a completed
-- visit raises; follow-ups the doctor asks for. A completed visit's record is immutable: corrections
-- are amendments, and the database itself refuses to change or delete the original.
-- migrate:up
CREATE TABLE consultations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appointment_id bigint NOT NULL UNIQUE REFERENCES appointments (id) ON DELETE RESTRICT,
  symptoms text NOT NULL DEFAULT '' CHECK (length(symptoms) <= 4000),
  diagnosis text NOT NULL CHECK (length(diagnosis) BETWEEN 1 AND 2000),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE prescriptions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE RESTRICT,
  position smallint NOT NULL CHECK (position BETWEEN 1 AND 50),
  medication_name text NOT NULL CHECK (length(medication_name) BETWEEN 1 AND 200),
  dosage text NOT NULL DEFAULT '' CHECK (length(dosage) <= 200),
  duration text NOT NULL DEFAULT '' CHECK (length(duration) <= 100),
  instructions text NOT NULL DEFAULT '' CHECK (length(instructions) <= 500),
  UNIQUE (consultation_id, position)
);
-- medication autocomplete: names the clinic has prescribed, by prefix in any letter case
CREATE INDEX prescriptions_medication_prefix_idx ON prescriptions (lower(medication_name) text_pattern_ops);

CREATE TABLE requirements (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE RESTRICT,
  position smallint NOT NULL CHECK (position BETWEEN 1 AND 50),
  kind text NOT NULL CHECK (kind IN ('lab', 'imaging', 'treatment', 'other')),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
  UNIQUE (consultation_id, position)
);

-- A dated correction to a completed visit: who, when, what. Appended, never changed.
CREATE TABLE consultation_amendments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE RESTRICT,
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consultation_amendments_consultation_idx ON consultation_amendments (consultation_id, created_at);

CREATE FUNCTION refuse_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a completed visit''s record is immutable (%): add an amendment instead', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER consultations_immutable BEFORE UPDATE OR DELETE ON consultations FOR EACH ROW EXECUTE FUNCTION refuse_record_change();
CREATE TRIGGER prescriptions_immutable BEFORE UPDATE OR DELETE ON prescriptions FOR EACH ROW EXECUTE FUNCTION refuse_record_change();
CREATE TRIGGER requirements_immutable BEFORE UPDATE OR DELETE ON requirements FOR EACH ROW EXECUTE FUNCTION refuse_record_change();
CREATE TRIGGER consultation_amendments_immutable BEFORE UPDATE OR DELETE ON consultation_amendments FOR EACH ROW EXECUTE FUNCTION refuse_record_change();

-- Invoice numbers are sequential per clinic without gaps: taken from this one-row counter inside the
-- transaction that creates the invoice (a rolled-back invoice gives its number back).
CREATE TABLE invoice_counter (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_number bigint NOT NULL DEFAULT 0
);
INSERT INTO invoice_counter DEFAULT VALUES;

CREATE TABLE invoices (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number bigint NOT NULL UNIQUE,
  appointment_id bigint NOT NULL UNIQUE REFERENCES appointments (id) ON DELETE RESTRICT,
  amount numeric(10, 2) NOT NULL CHECK (amount >= 0),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'void')),
  payment_method text CHECK (payment_method IN ('cash', 'card', 'insurance', 'mobile_wallet')),
  paid_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);
CREATE INDEX invoices_status_idx ON invoices (status, created_at);

-- "See me again in 2 weeks": open until reception books it or dismisses it.
CREATE TABLE follow_ups (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consultation_id bigint NOT NULL UNIQUE REFERENCES consultations (id) ON DELETE RESTRICT,
  patient_id bigint NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
  doctor_id bigint NOT NULL REFERENCES doctors (id) ON DELETE RESTRICT,
  due_on date NOT NULL,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'booked', 'dismissed')),
  appointment_id bigint REFERENCES appointments (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'booked') = (appointment_id IS NOT NULL))
);
CREATE INDEX follow_ups_open_idx ON follow_ups (due_on) WHERE status = 'open';
CREATE INDEX follow_ups_patient_idx ON follow_ups (patient_id, created_at DESC);

-- migrate:down
DROP TABLE follow_ups;
DROP TABLE invoices;
DROP TABLE invoice_counter;
DROP TABLE consultation_amendments;
DROP TABLE requirements;
DROP TABLE prescriptions;
DROP TABLE consultations;
DROP FUNCTION refuse_record_change();
