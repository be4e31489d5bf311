DROP TABLE accounts.outbox;
