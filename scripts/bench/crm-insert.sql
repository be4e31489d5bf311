-- pgbench script (scripts/bench-desk.sh): a plain single-row INSERT of the columns POST /crm/contacts
-- writes (owner = creator = the caller), the baseline of the write-path target. -D owner=<crm user uuid>.
INSERT INTO crm.contacts (id, first_name, last_name, email, owner_id, created_by, modified_by)
VALUES (gen_random_uuid(), 'Pg', 'Insert', md5(random()::text) || '@pgbench.example', :owner, :owner, :owner);
