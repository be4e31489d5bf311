-- pgbench script (scripts/bench-crm.sh): the statement behind GET /crm/contacts/{id}
-- (store::find_visible: the contact joined to its owner's role). -D id=<contact uuid>.
SELECT c.*, u.role_id FROM crm.contacts c JOIN crm.users u ON u.id = c.owner_id WHERE c.id = :id LIMIT 1;
