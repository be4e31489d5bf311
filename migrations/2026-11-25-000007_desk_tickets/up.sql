-- The desk domain's own schema. Contacts, accounts and owners are CRM records referred to by
-- plain uuids, checked through messages to the CRM (no foreign key crosses a schema).
CREATE SCHEMA IF NOT EXISTS desk;

CREATE TABLE desk.tickets (
    id              uuid PRIMARY KEY,
    subject         text NOT NULL,
    description     text NOT NULL,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'onHold', 'escalated', 'closed')),
    priority        text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
    classification  text CHECK (classification IN ('question', 'problem', 'request', 'feature', 'others')),
    channel         text CHECK (channel IN ('email', 'phone', 'web', 'chat')),
    category        text,
    subcategory     text,
    language        text,
    product_name    text,
    contact_id      uuid,
    account_id      uuid,
    email           text,
    phone           text,
    owner_id        uuid NOT NULL,
    -- When the resolution is due; moved later by the time spent on hold.
    due_date        timestamptz,
    -- Set while the ticket is on hold: the SLA clock is stopped since then.
    on_hold_since   timestamptz,
    closed_at       timestamptz,
    created_by      uuid NOT NULL,
    modified_by     uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz
);
CREATE INDEX tickets_owner_idx ON desk.tickets (owner_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX tickets_created_idx ON desk.tickets (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX tickets_contact_idx ON desk.tickets (contact_id) WHERE deleted_at IS NULL;
CREATE INDEX tickets_account_idx ON desk.tickets (account_id) WHERE deleted_at IS NULL;
CREATE INDEX tickets_open_due_idx ON desk.tickets (due_date) WHERE deleted_at IS NULL AND status <> 'closed';
CREATE INDEX tickets_search_idx ON desk.tickets USING gin ((subject || ' ' || description) gin_trgm_ops);

CREATE TABLE desk.ticket_comments (
    id          uuid PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES desk.tickets (id),
    body        text NOT NULL,
    public      boolean NOT NULL,
    author_id   uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ticket_comments_ticket_idx ON desk.ticket_comments (ticket_id, created_at, id);

-- Every change of a ticket, written in the change's transaction.
CREATE TABLE desk.ticket_activity (
    id          uuid PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES desk.tickets (id),
    kind        text NOT NULL CHECK (kind IN ('created', 'updated', 'statusChanged', 'commented', 'deleted')),
    actor_id    uuid NOT NULL,
    -- {field: {"before": …, "after": …}} for updates and status changes; the comment id for comments.
    details     jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ticket_activity_ticket_idx ON desk.ticket_activity (ticket_id, created_at, id);
