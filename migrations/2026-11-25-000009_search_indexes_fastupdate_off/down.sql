-- Back to GIN's default: inserts go through the pending list.
ALTER INDEX accounts.users_search_idx SET (fastupdate = on);
ALTER INDEX crm.crm_users_search_idx SET (fastupdate = on);
ALTER INDEX crm.contacts_search_idx SET (fastupdate = on);
ALTER INDEX crm.accounts_search_idx SET (fastupdate = on);
ALTER INDEX crm.leads_search_idx SET (fastupdate = on);
ALTER INDEX crm.deals_search_idx SET (fastupdate = on);
ALTER INDEX desk.tickets_search_idx SET (fastupdate = on);
ALTER INDEX desk.work_orders_search_idx SET (fastupdate = on);
ALTER INDEX desk.estimates_search_idx SET (fastupdate = on);
