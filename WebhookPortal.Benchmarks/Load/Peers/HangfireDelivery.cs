using System.Net.Http.Headers;
using System.Text;

namespace WebhookPortal.Benchmarks.Load.Peers;

/// <summary>
/// The job of the Hangfire peer scenarios (h, h-pg): one POST of a stored JSON body to a stored URL through a shared
/// <see cref="HttpClient"/>, throwing on any answer but 2xx so that Hangfire's automatic retry takes over, as a webhook
/// sender written on Hangfire would. Each success is counted in <paramref name="successes"/> when the answer has come.
/// </summary>
public sealed class HangfireDelivery(HttpClient http, SuccessCounter successes)
{
    /// <summary>Posts <paramref name="body"/> (UTF-8, <c>application/json</c>) to <paramref name="url"/>; throws on non-2xx.</summary>
    public async Task SendAsync(string url, string body)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var response = await http.PostAsync(new Uri(url), content);
        response.EnsureSuccessStatusCode();
        successes.Add(1);
    }
}
