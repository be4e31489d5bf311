-- Search plans stay stable under write bursts: every trigram (gin_trgm_ops) search index writes
-- its entries straight into the index instead of GIN's pending list.
--
-- With fastupdate on (PostgreSQL's default) inserts append to an unsorted pending list of up to
-- gin_pending_list_limit (4 MB) per index, flushed by the insert that overflows it, VACUUM or
-- autoanalyze. Every search scans the whole list, and the planner adds its pages to the index's
-- cost: right after a burst of creates, `GET /crm/contacts?search=` switched to a sequential scan
-- (51 req/s, p99 1.6 s; the same query through the index took 3.7 ms). Inserts pay instead: each
-- row's trigrams go into the index's entry tree at once (measured in docs/BENCHMARKS.md).
--
-- SET (fastupdate = off) does not flush a list that is already pending, which would stay (scanned
-- and costed) until the next vacuum, so each index is cleaned here too: nothing to do on a new
-- database, at most 4 MB per index on a live one. ALTER INDEX … SET (fastupdate) holds an ACCESS
-- EXCLUSIVE lock on each index until this migration commits, so searches and writes of these
-- tables wait for it (briefly: no index is rebuilt).
ALTER INDEX accounts.users_search_idx SET (fastupdate = off);
ALTER INDEX crm.crm_users_search_idx SET (fastupdate = off);
ALTER INDEX crm.contacts_search_idx SET (fastupdate = off);
ALTER INDEX crm.accounts_search_idx SET (fastupdate = off);
ALTER INDEX crm.leads_search_idx SET (fastupdate = off);
ALTER INDEX crm.deals_search_idx SET (fastupdate = off);
ALTER INDEX desk.tickets_search_idx SET (fastupdate = off);
ALTER INDEX desk.work_orders_search_idx SET (fastupdate = off);
ALTER INDEX desk.estimates_search_idx SET (fastupdate = off);

SELECT gin_clean_pending_list(idx.name::regclass)
FROM unnest(ARRAY[
    'accounts.users_search_idx', 'crm.crm_users_search_idx', 'crm.contacts_search_idx',
    'crm.accounts_search_idx', 'crm.leads_search_idx', 'crm.deals_search_idx',
    'desk.tickets_search_idx', 'desk.work_orders_search_idx', 'desk.estimates_search_idx'
]) AS idx(name);
