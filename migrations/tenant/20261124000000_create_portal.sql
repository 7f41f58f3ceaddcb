-- The patient portal: the clinic's own settings (how patients reach it, the rules of online booking)
-- and no-show penalties, which stop a patient from booking online until settled or waived.
-- migrate:up
CREATE TABLE clinic_settings (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  -- E.164, shown to patients ("call the clinic"); null until the owner sets it
  contact_phone text CHECK (contact_phone ~ '^\+[1-9][0-9]{6,14}$'),
  address text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
  -- online booking: 0 future appointments turns it off
  portal_max_future smallint NOT NULL DEFAULT 2 CHECK (portal_max_future BETWEEN 0 AND 20),
  portal_min_hours_ahead smallint NOT NULL DEFAULT 1 CHECK (portal_min_hours_ahead BETWEEN 0 AND 168),
  portal_max_days_ahead smallint NOT NULL DEFAULT 60 CHECK (portal_max_days_ahead BETWEEN 1 AND 365),
  portal_cancel_cutoff_hours smallint NOT NULL DEFAULT 2 CHECK (portal_cancel_cutoff_hours BETWEEN 0 AND 168),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO clinic_settings DEFAULT VALUES;

-- One penalty per no-show. Unsettled (neither paid nor waived) with an amount above zero, it stops
-- online booking; an amount of zero only records the no-show.
CREATE TABLE penalties (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appointment_id bigint NOT NULL UNIQUE REFERENCES appointments (id) ON DELETE RESTRICT,
  patient_id bigint NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
  amount numeric(10, 2) NOT NULL CHECK (amount >= 0),
  status text NOT NULL DEFAULT 'unpaid' CHECK (status IN ('unpaid', 'paid', 'waived')),
  settled_at timestamptz,
  waive_reason text CHECK (length(waive_reason) BETWEEN 1 AND 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'unpaid') = (settled_at IS NULL)),
  CHECK ((status = 'waived') = (waive_reason IS NOT NULL))
);
CREATE INDEX penalties_unpaid_idx ON penalties (patient_id) WHERE status = 'unpaid';

-- migrate:down
DROP TABLE penalties;
DROP TABLE clinic_settings;
