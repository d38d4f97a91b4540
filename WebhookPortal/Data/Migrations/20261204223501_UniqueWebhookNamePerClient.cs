using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class UniqueWebhookNamePerClient : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Webhooks_ClientKey",
                table: "Webhooks");

            // Requests that arrived together could save two webhooks of one name in a client before this index; the later
            // ones get their id appended (within the 100-character limit), so nothing is lost and the index can be built.
            migrationBuilder.Sql("""
                UPDATE "Webhooks" SET "Name" = substr("Name", 1, 90) || ' (' || "Id" || ')'
                WHERE "Id" NOT IN (SELECT MIN("Id") FROM "Webhooks" GROUP BY "ClientKey", "Name");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Webhooks_ClientKey_Name",
                table: "Webhooks",
                columns: new[] { "ClientKey", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Webhooks_ClientKey_Name",
                table: "Webhooks");

            migrationBuilder.CreateIndex(
                name: "IX_Webhooks_ClientKey",
                table: "Webhooks",
                column: "ClientKey");
        }
    }
}
