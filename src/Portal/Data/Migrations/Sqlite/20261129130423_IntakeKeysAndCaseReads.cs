using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Remediation.Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IntakeKeysAndCaseReads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CaseReference",
                table: "AuditEntries",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "CustomerId",
                table: "AuditEntries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ComplaintReferenceCounters",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ComplaintReferenceCounters", x => x.Year);
                });

            migrationBuilder.CreateTable(
                name: "IntakeDuplicateKeys",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 89, nullable: false),
                    ComplaintId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntakeDuplicateKeys", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_CaseReference",
                table: "AuditEntries",
                column: "CaseReference");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Event",
                table: "AuditEntries",
                column: "Event");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_UserName",
                table: "AuditEntries",
                column: "UserName");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ComplaintReferenceCounters");

            migrationBuilder.DropTable(
                name: "IntakeDuplicateKeys");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_CaseReference",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Event",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_UserName",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "CaseReference",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "CustomerId",
                table: "AuditEntries");
        }
    }
}
