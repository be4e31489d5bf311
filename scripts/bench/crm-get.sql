-- pgbench script (scripts/bench-crm.sh): the statement behind GET /crm/contacts/{id}
-- (records::store::find_visible with Contacts::readable for a caller with roles below them).
-- -D id=<contact uuid> -D me=<caller uuid> -D roles={<visible role uuids>}
SELECT * FROM crm.contacts
WHERE id = :id
  AND (owner_id = :me OR owner_id IN (SELECT id FROM crm.users WHERE role_id = ANY(:roles)))
LIMIT 1;
