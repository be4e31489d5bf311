-- CRM accounts, leads and deals; contacts gain their account. Every record has an `owner_id`
-- that decides visibility (the owner's role in the tree), and the same audit columns.
CREATE TABLE crm.accounts (
    id                 uuid PRIMARY KEY,
    name               text NOT NULL,
    account_number     text,
    phone              text,
    website            text,
    billing_street     text NOT NULL,
    billing_city       text NOT NULL,
    billing_state      text,
    billing_zip        text,
    billing_country    text,
    shipping_street    text,
    shipping_city      text,
    shipping_state     text,
    shipping_zip       text,
    shipping_country   text,
    parent_account_id  uuid REFERENCES crm.accounts (id) ON DELETE SET NULL,
    owner_id           uuid NOT NULL REFERENCES crm.users (id),
    created_by         uuid NOT NULL REFERENCES crm.users (id),
    modified_by        uuid NOT NULL REFERENCES crm.users (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_account_id <> id)
);
CREATE UNIQUE INDEX accounts_name_key ON crm.accounts (name);
CREATE UNIQUE INDEX accounts_account_number_key ON crm.accounts (account_number);
CREATE INDEX accounts_owner_idx ON crm.accounts (owner_id, created_at, id);
CREATE INDEX accounts_created_idx ON crm.accounts (created_at, id);
CREATE INDEX accounts_parent_idx ON crm.accounts (parent_account_id);
CREATE INDEX accounts_search_idx ON crm.accounts
    USING gin ((name || ' ' || coalesce(account_number, '')) gin_trgm_ops);

ALTER TABLE crm.contacts ADD COLUMN account_id uuid REFERENCES crm.accounts (id);
CREATE INDEX contacts_account_idx ON crm.contacts (account_id);

CREATE TABLE crm.leads (
    id                    uuid PRIMARY KEY,
    salutation            text,
    first_name            text NOT NULL,
    last_name             text NOT NULL,
    phone                 text NOT NULL,
    email                 text NOT NULL CHECK (email = lower(email)),
    company               text,
    product_name          text,
    currency_code         text,
    employee_count        integer CHECK (employee_count >= 0),
    hq_code               text,
    billing_amount        numeric(18, 2),
    exchange_rate         numeric(18, 6) CHECK (exchange_rate > 0),
    billing_street        text,
    billing_city          text,
    billing_state         text,
    billing_zip           text,
    billing_country       text,
    shipping_street       text,
    shipping_city         text,
    shipping_state        text,
    shipping_zip          text,
    shipping_country      text,
    lead_source           text,
    status                text NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'contacted', 'qualified', 'unqualified', 'converted')),
    converted_contact_id  uuid REFERENCES crm.contacts (id) ON DELETE SET NULL,
    converted_account_id  uuid REFERENCES crm.accounts (id) ON DELETE SET NULL,
    converted_deal_id     uuid,
    converted_at          timestamptz,
    owner_id              uuid NOT NULL REFERENCES crm.users (id),
    created_by            uuid NOT NULL REFERENCES crm.users (id),
    modified_by           uuid NOT NULL REFERENCES crm.users (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX leads_email_key ON crm.leads (email);
CREATE INDEX leads_owner_idx ON crm.leads (owner_id, created_at, id);
CREATE INDEX leads_created_idx ON crm.leads (created_at, id);
CREATE INDEX leads_status_idx ON crm.leads (status);
CREATE INDEX leads_search_idx ON crm.leads
    USING gin ((first_name || ' ' || last_name || ' ' || email || ' ' || coalesce(company, '')) gin_trgm_ops);

CREATE TABLE crm.deals (
    id               uuid PRIMARY KEY,
    name             text NOT NULL,
    amount           numeric(18, 2) CHECK (amount >= 0),
    closing_date     date,
    currency         text,
    type             text,
    stage            text NOT NULL,
    probability      integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
    lead_source      text,
    description      text,
    campaign_source  text,
    account_id       uuid NOT NULL REFERENCES crm.accounts (id),
    lead_id          uuid REFERENCES crm.leads (id),
    contact_id       uuid REFERENCES crm.contacts (id),
    owner_id         uuid NOT NULL REFERENCES crm.users (id),
    created_by       uuid NOT NULL REFERENCES crm.users (id),
    modified_by      uuid NOT NULL REFERENCES crm.users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((lead_id IS NULL) <> (contact_id IS NULL))
);
CREATE INDEX deals_owner_idx ON crm.deals (owner_id, created_at, id);
CREATE INDEX deals_created_idx ON crm.deals (created_at, id);
CREATE INDEX deals_account_idx ON crm.deals (account_id);
CREATE INDEX deals_lead_idx ON crm.deals (lead_id);
CREATE INDEX deals_contact_idx ON crm.deals (contact_id);
CREATE INDEX deals_stage_idx ON crm.deals (stage);
CREATE INDEX deals_search_idx ON crm.deals USING gin (name gin_trgm_ops);
ALTER TABLE crm.leads ADD FOREIGN KEY (converted_deal_id) REFERENCES crm.deals (id) ON DELETE SET NULL;
