using System.Globalization;
using System.Threading.Channels;
using Npgsql;
using WebhookPortal.Common;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Inbox;

namespace WebhookPortal.Features.Operations;

/// <summary>
/// Carries wake-ups and page refreshes between the portal instances that share one PostgreSQL database, with
/// <c>LISTEN</c>/<c>NOTIFY</c>: every <see cref="DeliverySignal.Wake"/>, <see cref="DeliverySignal.WakeAt"/> and publish of
/// <see cref="DeliveryFeed"/> or <see cref="InboxFeed"/> here is also sent with <c>pg_notify</c> (in the background; a burst
/// sends at most one notification per channel while one is on its way), and what the other instances send is told to this
/// instance's dispatcher and pages. Its own notifications come back to it and are ignored (the payload names the sender).
/// Registered on PostgreSQL only (<see cref="NotificationsExtensions.AddPostgreSqlNotifications"/>).
/// </summary>
/// <remarks>
/// Polling stays the fallback: while the listening connection is down (a restart of the server, a network cut) the
/// dispatcher still finds work at its poll interval and pages show it on reload. The connection is opened again after
/// 1 s, doubling up to 30 s; once it is back the local dispatcher is woken and every local feed published once, so nothing
/// waits for a notification missed meanwhile. A notification that cannot be sent is dropped with a warning (the other
/// instances poll); a transaction is never held for one, since the call sites send after their commit.
/// </remarks>
public sealed class PostgreSqlNotifications(
    string connectionString, DeliverySignal signal, DeliveryFeed deliveries, InboxFeed inbox, TimeProvider time,
    ILogger<PostgreSqlNotifications> logger) : BackgroundService
{
    /// <summary>
    /// Wakes the dispatchers. Payload: the sender's key (32 hex digits), then for a <see cref="DeliverySignal.WakeAt"/> a
    /// space and the due time in UTC ticks.
    /// </summary>
    public const string WakeChannel = "webhookportal_wake";

    /// <summary>Refreshes the delivery pages (<see cref="DeliveryFeed"/>). Payload: the sender's key.</summary>
    public const string DeliveriesChannel = "webhookportal_deliveries";

    /// <summary>Refreshes the Inbox page (<see cref="InboxFeed"/>). Payload: the sender's key.</summary>
    public const string InboxChannel = "webhookportal_inbox";

    private const int Wake = 0;
    private const int Deliveries = 1;
    private const int Inbox = 2;
    private static readonly string[] Channels = [WakeChannel, DeliveriesChannel, InboxChannel];

    // A pending notification per channel: Nothing, Now, or the earliest due time asked for (UTC ticks).
    private const long Nothing = long.MaxValue;
    private const long Now = 0;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    // How long stopping waits to send what the last moments queued (the dispatcher's final records).
    private static readonly TimeSpan FinalSend = TimeSpan.FromSeconds(2);

    private readonly long[] pending = [Nothing, Nothing, Nothing];
    private readonly Channel<bool> outbox = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // Random per process, not the configured instance id: two processes configured alike must still hear each other.
    private readonly string key = Guid.NewGuid().ToString("N");
    private readonly NpgsqlDataSource sending = NpgsqlDataSource.Create(connectionString);
    private readonly NpgsqlDataSource listening = NpgsqlDataSource.Create(ListeningConnectionString(connectionString));
    private bool sendFailing;
    private int listenerProcessId;

    /// <summary>
    /// The PostgreSQL server process (<c>pg_stat_activity.pid</c>) of the connection that listens, or null while it is down.
    /// Set once the connection listens and has caught up after a reconnection.
    /// </summary>
    public int? ListenerProcessId => Volatile.Read(ref listenerProcessId) is var pid and > 0 ? pid : null;

    /// <summary>Starts passing this instance's wakes and publishes on, then listens for the other instances'.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        signal.Relay = due => Queue(Wake, due?.Ticks ?? Now);
        deliveries.Relay = () => Queue(Deliveries, Now);
        inbox.Relay = () => Queue(Inbox, Now);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        base.Dispose();
        sending.Dispose();
        listening.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));
    }

    // A connection of its own, never pooled (a pooled one would be reset, and so stop listening, when returned). The
    // keepalive notices a connection that died without a word while it waits.
    private static string ListeningConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        if (builder.KeepAlive == 0)
        {
            builder.KeepAlive = 30;
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "WebhookPortal notifications";
        }

        return builder.ConnectionString;
    }

    private void Queue(int channel, long due)
    {
        var known = Volatile.Read(ref pending[channel]);
        while (due < known)
        {
            var seen = Interlocked.CompareExchange(ref pending[channel], due, known);
            if (seen == known)
            {
                outbox.Writer.TryWrite(true);
                return;
            }

            known = seen;
        }
    }

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await outbox.Reader.WaitToReadAsync(stoppingToken))
            {
                outbox.Reader.TryRead(out _);
                await SendPendingAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        using var last = new CancellationTokenSource(FinalSend, time);
        await SendPendingAsync(last.Token);
    }

    // One statement for every channel with something pending. Taken before sending, so a wake during the send is sent after it.
    private async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        var batch = new List<(string Channel, string Payload)>(Channels.Length);
        for (var i = 0; i < Channels.Length; i++)
        {
            var due = Interlocked.Exchange(ref pending[i], Nothing);
            if (due != Nothing)
            {
                batch.Add((Channels[i], due == Now ? key : $"{key} {due.ToString(CultureInfo.InvariantCulture)}"));
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await using var command = sending.CreateCommand(
                "SELECT " + string.Join(", ", batch.Select((_, i) => $"pg_notify(${(2 * i) + 1}, ${(2 * i) + 2})")));
            foreach (var (channel, payload) in batch)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = channel });
                command.Parameters.Add(new NpgsqlParameter { Value = payload });
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
            if (sendFailing)
            {
                sendFailing = false;
                logger.LogInformation("Notifying the other instances works again");
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested || ex is not OperationCanceledException)
        {
            // Once per outage: every wake of the dispatcher would repeat it.
            if (!sendFailing)
            {
                sendFailing = true;
                logger.LogWarning(ex, "Notifying the other instances on {Channels} failed; they find the change at their next poll",
                    string.Join(", ", batch.Select(b => b.Channel)));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping, or the final send ran out of time: the other instances poll.
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await listening.OpenConnectionAsync(stoppingToken);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand(string.Join(" ", Channels.Select(c => $"LISTEN {c};")), connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (failures > 0)
                {
                    // Whatever the others sent while this was down is lost: look and reload once instead.
                    signal.WakeHere();
                    deliveries.PublishHere();
                    inbox.PublishHere();
                    logger.LogInformation("Listening for the other instances' notifications again after {Failures} failed attempt(s) (server process {ProcessId})",
                        failures, connection.ProcessID);
                }
                else
                {
                    logger.LogDebug("Listening for the other instances' notifications (server process {ProcessId})", connection.ProcessID);
                }

                failures = 0;
                Volatile.Write(ref listenerProcessId, connection.ProcessID);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: a wait cut short may surface as a broken connection rather than a cancellation.
                Volatile.Write(ref listenerProcessId, 0);
                return;
            }
            catch (Exception ex)
            {
                Volatile.Write(ref listenerProcessId, 0);
                failures++;
                var delay = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(failures - 1, 5)));
                logger.LogWarning(ex, "Listening for the other instances' notifications failed (attempt {Failures}); connecting again in {DelayMs} ms, polling meanwhile",
                    failures, (int)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        var payload = e.Payload.AsSpan();
        var space = payload.IndexOf(' ');
        var from = space < 0 ? payload : payload[..space];
        if (from.SequenceEqual(key))
        {
            return;
        }

        ChangeFeed? feed = null;
        switch (e.Channel)
        {
            case WakeChannel when space >= 0 && long.TryParse(payload[(space + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var due)
                    && due <= DateTime.MaxValue.Ticks:
                signal.WakeAtHere(new DateTime(due, DateTimeKind.Utc));
                break;
            case WakeChannel:
                signal.WakeHere();
                break;
            case DeliveriesChannel:
                feed = deliveries;
                break;
            case InboxChannel:
                feed = inbox;
                break;
        }

        feed?.PublishHere();
        logger.LogDebug("Notified on {Channel} by another instance (server process {SenderProcessId})", e.Channel, e.PID);
    }
}
