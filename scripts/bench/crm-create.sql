-- pgbench script (scripts/bench-crm.sh): the statement behind POST /crm/contacts
-- (store::insert, owner = creator = the caller, RETURNING the row). -D owner=<crm user uuid>.
INSERT INTO crm.contacts (id, first_name, last_name, email, owner_id, created_by, modified_by)
VALUES (gen_random_uuid(), 'Pg', 'Bench', md5(random()::text) || '@pgbench.example', :owner, :owner, :owner)
RETURNING *;
