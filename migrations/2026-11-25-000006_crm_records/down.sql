ALTER TABLE crm.leads DROP CONSTRAINT leads_converted_deal_id_fkey;
DROP TABLE crm.deals;
DROP TABLE crm.leads;
ALTER TABLE crm.contacts DROP COLUMN account_id;
DROP TABLE crm.accounts;
