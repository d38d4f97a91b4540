using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class OrderedPerUser : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "OrderedPerUser",
                table: "Webhooks",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "Deliveries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "UserSequences",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Last = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserSequences", x => x.UserId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_WebhookId_UserId_Status_Sequence_LeaseUntil",
                table: "Deliveries",
                columns: new[] { "WebhookId", "UserId", "Status", "Sequence", "LeaseUntil" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UserSequences");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_WebhookId_UserId_Status_Sequence_LeaseUntil",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "OrderedPerUser",
                table: "Webhooks");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "Deliveries");
        }
    }
}
