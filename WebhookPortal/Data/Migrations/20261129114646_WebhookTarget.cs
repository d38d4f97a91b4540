using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class WebhookTarget : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Target",
                table: "Webhooks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Target",
                table: "Deliveries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Webhooks saved before targets existed: recognise the chat robots by host, as WebhookTargets.Detect does.
            migrationBuilder.Sql("""
                UPDATE Webhooks SET Target = CASE
                    WHEN lower(Url) LIKE 'https://qyapi.weixin.qq.com/%' THEN 1
                    WHEN lower(Url) LIKE 'https://oapi.dingtalk.com/%' THEN 2
                    WHEN lower(Url) LIKE 'https://open.feishu.cn/%' OR lower(Url) LIKE 'https://open.larksuite.com/%' THEN 3
                    WHEN lower(Url) LIKE 'https://hooks.slack.com/%' THEN 4
                    WHEN lower(Url) LIKE 'https://discord.com/api/webhooks/%' OR lower(Url) LIKE 'https://discordapp.com/api/webhooks/%' THEN 6
                    ELSE 0 END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Target",
                table: "Webhooks");

            migrationBuilder.DropColumn(
                name: "Target",
                table: "Deliveries");
        }
    }
}
