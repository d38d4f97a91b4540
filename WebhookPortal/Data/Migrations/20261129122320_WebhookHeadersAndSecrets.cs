using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class WebhookHeadersAndSecrets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Headers",
                table: "Webhooks",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "PreviousSigningSecret",
                table: "Webhooks",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PreviousSigningSecretExpiresAt",
                table: "Webhooks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RobotSecret",
                table: "Webhooks",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Headers",
                table: "Deliveries",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Headers",
                table: "Webhooks");

            migrationBuilder.DropColumn(
                name: "PreviousSigningSecret",
                table: "Webhooks");

            migrationBuilder.DropColumn(
                name: "PreviousSigningSecretExpiresAt",
                table: "Webhooks");

            migrationBuilder.DropColumn(
                name: "RobotSecret",
                table: "Webhooks");

            migrationBuilder.DropColumn(
                name: "Headers",
                table: "Deliveries");
        }
    }
}
