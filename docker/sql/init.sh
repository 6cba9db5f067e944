#!/bin/bash
# The db-init service: waits for SQL Server, then creates the database and the portal's login (sql/create-app-login.sql).
set -euo pipefail
sqlcmd=/opt/mssql-tools18/bin/sqlcmd
for attempt in $(seq 1 60); do
  if "$sqlcmd" -C -S sqlserver -U sa -P "$MSSQL_SA_PASSWORD" -Q "SELECT 1" -b -o /dev/null; then break; fi
  [ "$attempt" -eq 60 ] && { echo "SQL Server did not answer within 2 minutes" >&2; exit 1; }
  sleep 2
done
"$sqlcmd" -C -S sqlserver -U sa -P "$MSSQL_SA_PASSWORD" -b -i /init/create-app-login.sql \
  -v Database="$REMEDIATION_DATABASE" AppPassword="$APP_DB_PASSWORD"
echo "Database $REMEDIATION_DATABASE and login remediation_app are ready."
