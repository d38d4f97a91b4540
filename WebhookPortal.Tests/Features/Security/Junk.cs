using System.Text;

namespace WebhookPortal.Tests.Features.Security;

/// <summary>
/// Generated hostile input for form models (issue 5 §5): fixed nasties (NUL, control characters, lone surrogates, SQL- and
/// script-looking text, template syntax, 100 KB strings) and random strings from a fixed seed, so every run feeds the same.
/// </summary>
internal static class Junk
{
    public const int Seed = 20261129;

    public static readonly string[] Fixed =
    [
        "", " ", "\t", "\0", "a\0b", "\u0001\u0002\u0003", "bell\u0007", "del\u007f", "nel\u0085", "line\nbreak", "cr\rlf\r\n",
        "\ud800", "lone \udc00 low", "\udc00\ud800", "end high\ud83d", "🎉 pair ok", "张伟", "Ωmega", "\ufeffbom", "\ufffe\uffff",
        "'; DROP TABLE Clients; --", "\" OR 1=1 --", "admin'--", "%", "_", "\\", "%_\\%",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "{{$$.Name$$}}", "{{$$", "$$}}",
        "{{$$.Nope$$}}", "{\"a\":1}", "http://example.com/", "http://127.0.0.1/", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        "POST", "get", "Authorization", "Content-Length", "webhook-id", "x-ok", "SEC" + new string('a', 64),
        new string('a', 101), new string('a', 257), new string('a', 2049), new string('a', 100_000), new string('€', 100_000),
        new string('\0', 1000), "a@b.c", "a\0@b.c", "\ud800@b.c", "x@y", "+86 138 0000 0000", "Passw0rd!", "Pa\0ss0rd!",
    ];

    /// <summary><paramref name="count"/> random strings: mostly short, some long, from pools meant to break things.</summary>
    public static IEnumerable<string> Random(int count, int seed = Seed)
    {
        var random = new Random(seed);
        string[] pools =
        [
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
            " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
            "\0\u0001\u0007\b\t\n\u000b\f\r\u001b\u007f\u0085\u2028\u2029",
            "张伟李娜中文字符测试🎉😀",
            "{}$$.",
        ];
        for (var i = 0; i < count; i++)
        {
            var length = random.Next(10) == 0 ? random.Next(1_000, 110_000) : random.Next(0, 80);
            var text = new StringBuilder(length);
            while (text.Length < length)
            {
                switch (random.Next(12))
                {
                    case 0:
                        text.Append((char)random.Next(0xD800, 0xE000)); // a surrogate half, alone
                        break;
                    case 1:
                        text.Append((char)random.Next(0, 0x10000)); // any UTF-16 unit
                        break;
                    case 2:
                        text.Append(char.ConvertFromUtf32(random.Next(0x1F300, 0x1F650))); // a valid pair
                        break;
                    default:
                        var pool = pools[random.Next(pools.Length)];
                        text.Append(pool[random.Next(pool.Length)]);
                        break;
                }
            }

            yield return text.ToString();
        }
    }

    /// <summary>The fixed nasties then <paramref name="randomCount"/> random strings.</summary>
    public static IReadOnlyList<string> All(int randomCount = 300) => [.. Fixed, .. Random(randomCount)];

    /// <summary>A short, printable description of <paramref name="text"/> for failure messages.</summary>
    public static string Describe(string text)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Take(60))
        {
            shown.Append(c is >= ' ' and < '\u007f' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return $"\"{shown}{(text.Length > 60 ? "…" : "")}\" ({text.Length} chars)";
    }
}
