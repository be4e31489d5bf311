-- CRM contacts. `owner_id` decides visibility (the owner's role in the tree).
CREATE TABLE crm.contacts (
    id                uuid PRIMARY KEY,
    salutation        text,
    first_name        text NOT NULL,
    last_name         text NOT NULL,
    email             text NOT NULL CHECK (email = lower(email)),
    phone             text,
    mobile_phone      text,
    department        text,
    territory         text,
    secondary_phone   text,
    assistant_name    text,
    currency_code     text,
    mailing_street    text,
    mailing_city      text,
    mailing_state     text,
    mailing_zip       text,
    mailing_country   text,
    owner_id          uuid NOT NULL REFERENCES crm.users (id),
    created_by        uuid NOT NULL REFERENCES crm.users (id),
    modified_by       uuid NOT NULL REFERENCES crm.users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX contacts_email_key ON crm.contacts (email);
CREATE INDEX contacts_owner_idx ON crm.contacts (owner_id, created_at, id);
CREATE INDEX contacts_created_idx ON crm.contacts (created_at, id);
CREATE INDEX contacts_search_idx ON crm.contacts
    USING gin ((first_name || ' ' || last_name || ' ' || email) gin_trgm_ops);
