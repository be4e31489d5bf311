-- pgbench script (scripts/bench-crm.sh): the statement behind GET /crm/contacts/{id}
-- (records::store::find_visible with Contacts::readable for a caller with roles below them).
-- -D id=<contact uuid> -D me=<caller uuid> -D users={<users of the visible roles>}
SELECT * FROM crm.contacts
WHERE id = :id
  AND (owner_id = :me OR owner_id = ANY(:users))
LIMIT 1;
