-- Billing: payments against invoices (several per invoice: partial payments), voiding with a reason,
-- and the indexes the owner's dashboard, the invoice list and the day's close-out read by.
-- migrate:up
-- Columns with a default are added bare, then given their default, filled and made NOT NULL:
-- ADD COLUMN ... DEFAULT costs time in proportion to every clinic on the server (see
-- scripts/check-sql.js), these steps do not.
ALTER TABLE invoices
  ADD COLUMN paid_amount numeric(10, 2) CHECK (paid_amount >= 0),
  ALTER COLUMN paid_amount SET DEFAULT 0,
  ADD COLUMN void_reason text CHECK (length(void_reason) BETWEEN 1 AND 500),
  ADD COLUMN voided_at timestamptz,
  ADD COLUMN voided_by bigint REFERENCES users (id) ON DELETE SET NULL;
UPDATE invoices SET paid_amount = 0;
ALTER TABLE invoices ALTER COLUMN paid_amount SET NOT NULL;
-- `partial` is an invoice with some payments and a balance left; `paid` has none left
ALTER TABLE invoices DROP CONSTRAINT invoices_status_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_status_check CHECK (status IN ('pending', 'partial', 'paid', 'void'));
ALTER TABLE invoices ADD CONSTRAINT invoices_paid_within_amount CHECK (paid_amount <= amount);
ALTER TABLE invoices ADD CONSTRAINT invoices_void_has_reason CHECK ((status = 'void') = (void_reason IS NOT NULL AND voided_at IS NOT NULL));
-- invoices created before this migration that were marked paid have paid in full
UPDATE invoices SET paid_amount = amount WHERE status = 'paid';

CREATE TABLE payments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  invoice_id bigint NOT NULL REFERENCES invoices (id) ON DELETE RESTRICT,
  amount numeric(10, 2) NOT NULL CHECK (amount > 0),
  method text NOT NULL CHECK (method IN ('cash', 'card', 'insurance', 'mobile_wallet')),
  -- the clinic-local day the money was received (the close-out's day)
  paid_on date NOT NULL,
  reference text NOT NULL DEFAULT '' CHECK (length(reference) <= 100),
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_invoice_idx ON payments (invoice_id);
CREATE INDEX payments_paid_on_idx ON payments (paid_on);

-- a payment is a record: corrected by voiding the invoice, never edited or deleted
CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION refuse_record_change();

-- migrate:down
DROP TABLE payments;
ALTER TABLE invoices DROP CONSTRAINT invoices_void_has_reason;
ALTER TABLE invoices DROP CONSTRAINT invoices_paid_within_amount;
ALTER TABLE invoices DROP CONSTRAINT invoices_status_check;
UPDATE invoices SET status = 'pending', paid_at = NULL WHERE status IN ('partial', 'void');
ALTER TABLE invoices ADD CONSTRAINT invoices_status_check CHECK (status IN ('pending', 'paid', 'void'));
ALTER TABLE invoices DROP COLUMN voided_by, DROP COLUMN voided_at, DROP COLUMN void_reason, DROP COLUMN paid_amount;
