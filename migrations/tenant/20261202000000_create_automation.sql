-- Automation: the no-show sweep and its penalties, the outbox of notices to patients (booking
-- confirmations, cancellations, no-show notices, 24-hour reminders, waitlist offers), the signed
-- single-use links those notices carry, and the waitlist.
-- migrate:up

-- The clinic's rules for the sweep: how long after its end an unclosed appointment becomes a
-- no-show, and what a no-show costs (0: recorded, not charged).
-- (Columns with a default: added bare, given the default, filled, then NOT NULL; see scripts/check-sql.js.)
ALTER TABLE clinic_settings
  ADD COLUMN no_show_grace_minutes smallint CHECK (no_show_grace_minutes BETWEEN 0 AND 1440),
  ALTER COLUMN no_show_grace_minutes SET DEFAULT 30,
  ADD COLUMN no_show_penalty numeric(10, 2) CHECK (no_show_penalty >= 0 AND no_show_penalty <= 99999999.99),
  ALTER COLUMN no_show_penalty SET DEFAULT 0,
  ADD COLUMN reminders_enabled boolean,
  ALTER COLUMN reminders_enabled SET DEFAULT true;
UPDATE clinic_settings SET no_show_grace_minutes = 30, no_show_penalty = 0, reminders_enabled = true;
ALTER TABLE clinic_settings
  ALTER COLUMN no_show_grace_minutes SET NOT NULL,
  ALTER COLUMN no_show_penalty SET NOT NULL,
  ALTER COLUMN reminders_enabled SET NOT NULL;

-- Where notices reach a patient. Optional: a patient without one is told things at the desk.
ALTER TABLE patients
  ADD COLUMN email text CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(email) <= 254);

ALTER TABLE appointments
  -- cancelled inside the portal's cut-off (by phone, at the desk): recorded, never a no-show
  ADD COLUMN late_cancellation boolean,
  ALTER COLUMN late_cancellation SET DEFAULT false,
  -- when it became a no-show and whether by the sweep (null actor) or by a person
  ADD COLUMN no_show_at timestamptz,
  ADD COLUMN no_show_by bigint REFERENCES users (id) ON DELETE SET NULL,
  -- the patient confirmed from the reminder's link
  ADD COLUMN confirmed_at timestamptz,
  -- the start time the 24-hour reminder was queued for: a moved appointment is reminded again
  ADD COLUMN reminder_queued_for timestamptz;
-- no-shows marked before this migration: their last change is when
UPDATE appointments SET late_cancellation = false, no_show_at = CASE WHEN status = 'no_show' THEN updated_at END;
ALTER TABLE appointments ALTER COLUMN late_cancellation SET NOT NULL;
ALTER TABLE appointments
  ADD CONSTRAINT appointments_late_cancellation_check CHECK (NOT late_cancellation OR status = 'cancelled'),
  ADD CONSTRAINT appointments_no_show_at_check CHECK ((status = 'no_show') = (no_show_at IS NOT NULL));
-- the sweep's two questions, both over open appointments only
CREATE INDEX appointments_open_ends_idx ON appointments (ends_at) WHERE status = 'scheduled';
CREATE INDEX appointments_open_starts_idx ON appointments (starts_at) WHERE status = 'scheduled';

ALTER TABLE penalties
  ADD COLUMN settled_by bigint REFERENCES users (id) ON DELETE SET NULL;

-- Every notice is a row here first, written in the transaction of the change that caused it, and
-- `dedupe_key` makes the same notice impossible to queue twice. Delivery claims rows with
-- FOR UPDATE SKIP LOCKED and records the attempt (status 'sending') before it sends; a row left in
-- 'sending' by a crash is 'uncertain' and is not sent again without a person deciding to.
CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('booking_confirmation', 'cancellation', 'no_show', 'reminder', 'waitlist_offer')),
  dedupe_key text NOT NULL UNIQUE CHECK (length(dedupe_key) BETWEEN 1 AND 200),
  patient_id bigint REFERENCES patients (id) ON DELETE SET NULL,
  appointment_id bigint REFERENCES appointments (id) ON DELETE SET NULL,
  -- an e-mail address, or null: the notice is kept (and shown to staff) but there is nobody to send it to
  recipient text CHECK (length(recipient) <= 254),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain', 'skipped')),
  attempts smallint NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_at timestamptz,
  sent_at timestamptz,
  last_error text CHECK (length(last_error) <= 1000),
  -- where it went: the development mailbox's file, or the SMTP server's message id
  delivered_to text CHECK (length(delivered_to) <= 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CHECK (status <> 'sending' OR claimed_at IS NOT NULL)
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_sending_idx ON outbox (claimed_at) WHERE status = 'sending';
CREATE INDEX outbox_created_idx ON outbox (created_at DESC, id DESC);

-- Waiting for a doctor's free time on some days (both ends included, the clinic's dates).
CREATE TABLE waitlist (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id bigint NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
  doctor_id bigint NOT NULL REFERENCES doctors (id) ON DELETE CASCADE,
  from_date date NOT NULL,
  to_date date NOT NULL,
  status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'booked', 'removed')),
  notes text CHECK (length(notes) <= 500),
  appointment_id bigint REFERENCES appointments (id) ON DELETE SET NULL,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  CHECK (to_date >= from_date AND to_date - from_date <= 92),
  CHECK ((status = 'booked') = (appointment_id IS NOT NULL)),
  CHECK ((status = 'waiting') = (closed_at IS NULL))
);
-- one open wait per patient and doctor: a second request widens nothing silently
CREATE UNIQUE INDEX waitlist_one_open_idx ON waitlist (patient_id, doctor_id) WHERE status = 'waiting';
CREATE INDEX waitlist_doctor_idx ON waitlist (doctor_id, created_at, id) WHERE status = 'waiting';

-- The single-use links that notices carry (confirm or cancel from a reminder, accept a waitlist
-- offer). The link itself is signed (it names the clinic, this row and its expiry); this row makes it
-- single-use and says what it may do.
CREATE TABLE action_links (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('reminder', 'waitlist_offer')),
  appointment_id bigint REFERENCES appointments (id) ON DELETE CASCADE,
  waitlist_id bigint REFERENCES waitlist (id) ON DELETE CASCADE,
  -- an offer's time: the doctor and the freed slot
  doctor_id bigint REFERENCES doctors (id) ON DELETE CASCADE,
  starts_at timestamptz,
  ends_at timestamptz,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  -- what using it did: 'confirmed', 'cancelled', 'booked', or 'gone' (the offer was taken first)
  outcome text CHECK (outcome IN ('confirmed', 'cancelled', 'booked', 'gone')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((used_at IS NULL) = (outcome IS NULL)),
  CHECK (purpose <> 'reminder' OR appointment_id IS NOT NULL),
  CHECK (purpose <> 'waitlist_offer' OR (waitlist_id IS NOT NULL AND doctor_id IS NOT NULL AND starts_at IS NOT NULL AND ends_at > starts_at))
);
CREATE INDEX action_links_appointment_idx ON action_links (appointment_id);
CREATE INDEX action_links_waitlist_idx ON action_links (waitlist_id);

-- migrate:down
DROP TABLE action_links;
DROP TABLE waitlist;
DROP TABLE outbox;
ALTER TABLE penalties DROP COLUMN settled_by;
DROP INDEX appointments_open_starts_idx;
DROP INDEX appointments_open_ends_idx;
ALTER TABLE appointments
  DROP CONSTRAINT appointments_no_show_at_check,
  DROP CONSTRAINT appointments_late_cancellation_check,
  DROP COLUMN reminder_queued_for,
  DROP COLUMN confirmed_at,
  DROP COLUMN no_show_by,
  DROP COLUMN no_show_at,
  DROP COLUMN late_cancellation;
ALTER TABLE patients DROP COLUMN email;
ALTER TABLE clinic_settings
  DROP COLUMN reminders_enabled,
  DROP COLUMN no_show_penalty,
  DROP COLUMN no_show_grace_minutes;
