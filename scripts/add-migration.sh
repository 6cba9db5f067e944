#!/usr/bin/env bash
# Adds a migration with the same name to both providers' migration folders.
# Usage: scripts/add-migration.sh NAME
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/add-migration.sh NAME}
dotnet tool restore >/dev/null
dotnet ef migrations add "$name" --project src/Portal --context SqliteRemediationDbContext --output-dir Data/Migrations/Sqlite
dotnet ef migrations add "$name" --project src/Portal --context SqlServerRemediationDbContext --output-dir Data/Migrations/SqlServer
