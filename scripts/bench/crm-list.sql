-- pgbench script (scripts/bench-crm.sh): the two statements behind
-- GET /crm/contacts?search=…&page=2&limit=20 (store::list with visibility::readable):
-- the total, then the page. -D me=<caller uuid> -D roles={<visible role uuids>} -D pattern=%term%
SELECT count(*) FROM crm.contacts
WHERE (owner_id = :me OR owner_id IN (SELECT id FROM crm.users WHERE role_id = ANY(:roles)))
  AND (first_name || ' ' || last_name || ' ' || email) ILIKE :pattern;
SELECT * FROM crm.contacts
WHERE (owner_id = :me OR owner_id IN (SELECT id FROM crm.users WHERE role_id = ANY(:roles)))
  AND (first_name || ' ' || last_name || ' ' || email) ILIKE :pattern
ORDER BY created_at ASC, id LIMIT 20 OFFSET 20;
