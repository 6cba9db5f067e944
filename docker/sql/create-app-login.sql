-- Creates the portal's database and its own least-privilege login; run by the db-init service (sqlcmd variables
-- Database and AppPassword). Idempotent: a second run only resets the password to the one in docker/.env.
IF DB_ID(N'$(Database)') IS NULL EXEC(N'CREATE DATABASE [$(Database)]');
GO
IF SUSER_ID(N'remediation_app') IS NULL
    CREATE LOGIN remediation_app WITH PASSWORD = N'$(AppPassword)', CHECK_POLICY = ON, DEFAULT_DATABASE = [$(Database)];
ELSE
    ALTER LOGIN remediation_app WITH PASSWORD = N'$(AppPassword)';
GO
USE [$(Database)];
GO
IF USER_ID(N'remediation_app') IS NULL CREATE USER remediation_app FOR LOGIN remediation_app;
-- Rows, plus the DDL the portal runs at start-up (EF Core migrations, Hangfire's HangFire schema). No server role,
-- no db_owner: it cannot create logins, change permissions, back up, or touch other databases.
ALTER ROLE db_datareader ADD MEMBER remediation_app;
ALTER ROLE db_datawriter ADD MEMBER remediation_app;
ALTER ROLE db_ddladmin ADD MEMBER remediation_app;
GRANT EXECUTE TO remediation_app;
GO
