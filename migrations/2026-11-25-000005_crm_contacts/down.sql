DROP TABLE crm.contacts;
