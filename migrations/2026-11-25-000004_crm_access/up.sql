-- CRM authorization: profiles (per-module create/read/update/delete grants) and roles (a tree,
-- optionally sharing data with peers), assigned to the synced users.
CREATE TABLE crm.profiles (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    description text,
    -- {module: {create, read, update, delete}}, each grant true, false or "own".
    permissions jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX profiles_name_key ON crm.profiles (lower(name));

INSERT INTO crm.profiles (id, name, description, permissions)
SELECT '00000000-0000-4000-8000-000000000001', 'Administrator', 'Sees and does everything; bypasses all checks',
       jsonb_object_agg(module, '{"create": true, "read": true, "update": true, "delete": true}'::jsonb)
FROM unnest(ARRAY['contacts', 'accounts', 'leads', 'deals', 'tickets', 'workOrders', 'estimates']) AS module;
INSERT INTO crm.profiles (id, name, description, permissions)
SELECT '00000000-0000-4000-8000-000000000002', 'Standard', 'Creates and reads; updates and deletes own records',
       jsonb_object_agg(module, '{"create": true, "read": true, "update": "own", "delete": "own"}'::jsonb)
FROM unnest(ARRAY['contacts', 'accounts', 'leads', 'deals', 'tickets', 'workOrders', 'estimates']) AS module;

CREATE TABLE crm.roles (
    id                    uuid PRIMARY KEY,
    name                  text NOT NULL,
    description           text,
    parent_id             uuid REFERENCES crm.roles (id),
    share_data_with_peers boolean NOT NULL DEFAULT false,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX roles_name_key ON crm.roles (lower(name));
CREATE INDEX roles_parent_idx ON crm.roles (parent_id);

ALTER TABLE crm.users
    ADD CONSTRAINT users_role_fk FOREIGN KEY (role_id) REFERENCES crm.roles (id),
    ADD CONSTRAINT users_profile_fk FOREIGN KEY (profile_id) REFERENCES crm.profiles (id);
CREATE INDEX crm_users_role_idx ON crm.users (role_id);
CREATE INDEX crm_users_profile_idx ON crm.users (profile_id);
