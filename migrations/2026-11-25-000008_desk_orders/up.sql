-- Desk commerce: a catalog (services, parts, taxes), work orders and estimates with priced lines.
-- Amounts are exact numerics; line figures and document totals are computed by the node
-- (desk/totals.rs) and stored with the currency's minor-unit scale.

CREATE TABLE desk.services (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    net_price   numeric NOT NULL CHECK (net_price >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX services_name_key ON desk.services (lower(name));

CREATE TABLE desk.parts (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    price       numeric NOT NULL CHECK (price >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX parts_name_key ON desk.parts (lower(name));

CREATE TABLE desk.taxes (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    percentage  numeric NOT NULL CHECK (percentage BETWEEN 0 AND 100),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX taxes_name_key ON desk.taxes (lower(name));

CREATE TABLE desk.work_orders (
    id                    uuid PRIMARY KEY,
    title                 text NOT NULL,
    summary               text,
    priority              text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
    status                text NOT NULL DEFAULT 'new'
                          CHECK (status IN ('new', 'scheduled', 'inProgress', 'completed', 'cancelled')),
    billing_status        text NOT NULL DEFAULT 'pending' CHECK (billing_status IN ('pending', 'paid', 'overdue', 'cancelled')),
    due_date              timestamptz,
    contact_id            uuid,
    account_id            uuid,
    ticket_id             uuid REFERENCES desk.tickets (id),
    -- {street, city, state, zip, country}
    service_address       jsonb,
    billing_address       jsonb,
    terms_and_conditions  text,
    currency              text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    subtotal              numeric NOT NULL DEFAULT 0,
    discount              numeric NOT NULL DEFAULT 0,
    tax                   numeric NOT NULL DEFAULT 0,
    grand_total           numeric NOT NULL DEFAULT 0,
    owner_id              uuid NOT NULL,
    created_by            uuid NOT NULL,
    modified_by           uuid NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    deleted_at            timestamptz
);
CREATE INDEX work_orders_owner_idx ON desk.work_orders (owner_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX work_orders_created_idx ON desk.work_orders (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX work_orders_ticket_idx ON desk.work_orders (ticket_id) WHERE deleted_at IS NULL;
CREATE INDEX work_orders_search_idx ON desk.work_orders USING gin ((title || ' ' || coalesce(summary, '')) gin_trgm_ops);

CREATE TABLE desk.estimates (
    id                      uuid PRIMARY KEY,
    title                   text NOT NULL,
    summary                 text,
    status                  text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'accepted', 'rejected')),
    valid_until             date,
    contact_id              uuid,
    account_id              uuid,
    ticket_id               uuid REFERENCES desk.tickets (id),
    service_address         jsonb,
    billing_address         jsonb,
    terms_and_conditions    text,
    currency                text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    subtotal                numeric NOT NULL DEFAULT 0,
    discount                numeric NOT NULL DEFAULT 0,
    tax                     numeric NOT NULL DEFAULT 0,
    grand_total             numeric NOT NULL DEFAULT 0,
    -- The work order this estimate was converted into (at most one).
    converted_work_order_id uuid UNIQUE REFERENCES desk.work_orders (id),
    owner_id                uuid NOT NULL,
    created_by              uuid NOT NULL,
    modified_by             uuid NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz
);
CREATE INDEX estimates_owner_idx ON desk.estimates (owner_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX estimates_created_idx ON desk.estimates (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX estimates_ticket_idx ON desk.estimates (ticket_id) WHERE deleted_at IS NULL;
CREATE INDEX estimates_search_idx ON desk.estimates USING gin ((title || ' ' || coalesce(summary, '')) gin_trgm_ops);

-- The lines of work orders and estimates (exactly one of the two). The catalog references
-- restrict deletion: a service, part or tax still on a line cannot be deleted.
CREATE TABLE desk.order_lines (
    id              uuid PRIMARY KEY,
    work_order_id   uuid REFERENCES desk.work_orders (id),
    estimate_id     uuid REFERENCES desk.estimates (id),
    position        integer NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('service', 'part')),
    service_id      uuid REFERENCES desk.services (id),
    part_id         uuid REFERENCES desk.parts (id),
    quantity        numeric NOT NULL,
    unit_price      numeric NOT NULL,
    -- The discount amount as given; line_discount is it rounded to the minor unit.
    discount        numeric NOT NULL,
    tax_id          uuid REFERENCES desk.taxes (id),
    -- The tax's percentage when the line was written.
    tax_percentage  numeric,
    line_subtotal   numeric NOT NULL,
    line_discount   numeric NOT NULL,
    line_tax        numeric NOT NULL,
    line_total      numeric NOT NULL,
    CHECK (num_nonnulls(work_order_id, estimate_id) = 1),
    CHECK ((kind = 'service') = (service_id IS NOT NULL) AND (kind = 'part') = (part_id IS NOT NULL))
);
CREATE INDEX order_lines_work_order_idx ON desk.order_lines (work_order_id, position) WHERE work_order_id IS NOT NULL;
CREATE INDEX order_lines_estimate_idx ON desk.order_lines (estimate_id, position) WHERE estimate_id IS NOT NULL;
CREATE INDEX order_lines_service_idx ON desk.order_lines (service_id);
CREATE INDEX order_lines_part_idx ON desk.order_lines (part_id);
CREATE INDEX order_lines_tax_idx ON desk.order_lines (tax_id);
