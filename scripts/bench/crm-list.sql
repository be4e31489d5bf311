-- pgbench script (scripts/bench-crm.sh): the one statement behind
-- GET /crm/contacts?search=…&page=2&limit=20 (RecordStore::page with Contacts::readable; a search
-- sorts by a row value, see records::list): the page,
-- each row carrying the total. -D me=<caller uuid> -D users={<users of the visible roles>} -D pattern=%term%
SELECT *, count(*) OVER () FROM crm.contacts
WHERE (owner_id = :me OR owner_id = ANY(:users))
  AND (first_name || ' ' || last_name || ' ' || email) ILIKE :pattern
ORDER BY ROW(created_at, id) ASC LIMIT 20 OFFSET 20;
