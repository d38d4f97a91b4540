using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookPortal.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class UniqueAttemptNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Attempts numbered twice by writers that raced before this index existed: numbered again in the order they were
            // stored, and their delivery's count raised to match, so the unique index can be created.
            migrationBuilder.Sql("""
                UPDATE "Deliveries" SET "AttemptCount" = (SELECT COUNT(*) FROM "DeliveryAttempts" AS a WHERE a."DeliveryId" = "Deliveries"."Id")
                WHERE "Id" IN (SELECT "DeliveryId" FROM "DeliveryAttempts" GROUP BY "DeliveryId", "Number" HAVING COUNT(*) > 1)
                  AND "AttemptCount" < (SELECT COUNT(*) FROM "DeliveryAttempts" AS a WHERE a."DeliveryId" = "Deliveries"."Id");
                UPDATE "DeliveryAttempts" SET "Number" = (
                    SELECT COUNT(*) FROM "DeliveryAttempts" AS b WHERE b."DeliveryId" = "DeliveryAttempts"."DeliveryId" AND b."Id" <= "DeliveryAttempts"."Id")
                WHERE "DeliveryId" IN (SELECT "DeliveryId" FROM "DeliveryAttempts" GROUP BY "DeliveryId", "Number" HAVING COUNT(*) > 1);
                """);

            migrationBuilder.DropIndex(
                name: "IX_DeliveryAttempts_DeliveryId",
                table: "DeliveryAttempts");

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryAttempts_DeliveryId_Number",
                table: "DeliveryAttempts",
                columns: new[] { "DeliveryId", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DeliveryAttempts_DeliveryId_Number",
                table: "DeliveryAttempts");

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryAttempts_DeliveryId",
                table: "DeliveryAttempts",
                column: "DeliveryId");
        }
    }
}
