ALTER TABLE crm.users DROP CONSTRAINT users_role_fk, DROP CONSTRAINT users_profile_fk;
DROP TABLE crm.roles;
DROP TABLE crm.profiles;
