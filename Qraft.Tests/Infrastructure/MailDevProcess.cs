using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Qraft.Tests.Infrastructure;

/// <summary>
/// A real SMTP server: maildev from the repository's <c>node_modules</c>, on free loopback ports (SMTP and its web
/// view/REST API) with a private mail folder. Tests read what the app sent through <c>GET /api/email</c>. Disposing
/// kills the process tree by PID and deletes the folder.
/// </summary>
public sealed class MailDevProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _mailFolder;

    private MailDevProcess(Process process, string mailFolder, int smtpPort, int webPort)
    {
        _process = process;
        _mailFolder = mailFolder;
        SmtpPort = smtpPort;
        Api = new MailDevApi(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{webPort}/")));
    }

    public int SmtpPort { get; }

    /// <summary>The app settings that send mail here, links pointing at <paramref name="linkBaseUrl"/>.</summary>
    public Dictionary<string, string?> Settings(string linkBaseUrl = "http://qraft.test") => new()
    {
        ["Qraft:Mail:SmtpHost"] = "127.0.0.1",
        ["Qraft:Mail:SmtpPort"] = SmtpPort.ToString(CultureInfo.InvariantCulture),
        ["Qraft:Mail:Security"] = "None",
        ["Qraft:Mail:From"] = "qraft@qraft.test",
        ["Qraft:Mail:LinkBaseUrl"] = linkBaseUrl,
    };

    public static async Task<MailDevProcess> StartNewAsync()
    {
        var executable = RepoPaths.Of("node_modules", ".bin", "maildev");
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"maildev is not installed; run 'npm ci' in {RepoPaths.Root} (local/test does).", executable);
        }

        var folder = Directory.CreateTempSubdirectory("qraft-maildev-").FullName;
        var (smtp, web) = (AppProcess.FreePort(), AppProcess.FreePort());
        var startInfo = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--smtp", smtp.ToString(CultureInfo.InvariantCulture), "--web", web.ToString(CultureInfo.InvariantCulture),
            "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--mail-directory", folder, "--silent",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var maildev = new MailDevProcess(process, folder, smtp, web);
        try
        {
            await maildev.WaitUntilServingAsync();
            return maildev;
        }
        catch
        {
            await maildev.DisposeAsync();
            throw;
        }
    }

    /// <summary>What maildev received, from its REST API.</summary>
    public MailDevApi Api { get; }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        using (_process)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }

        Directory.Delete(_mailFolder, recursive: true);
    }

    private async Task WaitUntilServingAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"maildev exited with code {_process.ExitCode} before serving.");
            }

            try
            {
                await Api.AllAsync(deadline.Token);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
        }
    }
}

/// <summary>maildev's REST API (<c>GET /api/email</c>): the mail it received, for tests that follow the links in it.</summary>
public sealed partial class MailDevApi(Uri webView) : IDisposable
{
    private static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new() { BaseAddress = webView };

    /// <summary>Waits for a mail to <paramref name="to"/> whose subject contains <paramref name="subject"/>; the newest.</summary>
    public async Task<ReceivedMail> WaitForMailAsync(string to, string subject) => (await WaitForMailsAsync(to, subject, 1))[^1];

    /// <summary>Waits until at least <paramref name="count"/> such mails are there; all of them, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForMailsAsync(string to, string subject, int count)
    {
        using var deadline = new CancellationTokenSource(MailTimeout);
        while (true)
        {
            var found = (await AllAsync(deadline.Token))
                .Where(m => m.Subject.Contains(subject, StringComparison.Ordinal)
                    && m.To.Any(address => string.Equals(address.Address, to, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            if (found.Count >= count)
            {
                return found;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    public async Task<IReadOnlyList<ReceivedMail>> AllAsync(CancellationToken cancellationToken = default) =>
        await _http.GetFromJsonAsync<List<ReceivedMail>>("api/email", cancellationToken) ?? [];

    public void Dispose() => _http.Dispose();

    public sealed record MailAddress([property: JsonPropertyName("address")] string Address);

    public sealed partial record ReceivedMail(
        [property: JsonPropertyName("subject")] string Subject,
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("to")] IReadOnlyList<MailAddress> To)
    {
        /// <summary>The link's token: what following it hands to the mutation it names.</summary>
        public string LinkToken(string mutation)
        {
            var link = LinkPattern().Match(Text);
            Assert.True(link.Success, $"no link in mail: {Text}");
            Assert.Equal(mutation, link.Groups["mutation"].Value);
            return link.Groups["token"].Value;
        }

        public Uri Link => new(LinkPattern().Match(Text).Value);

        [GeneratedRegex(@"https?://\S+/graphql/#(?<mutation>\w+)=(?<token>[A-Za-z0-9_-]+)")]
        private static partial Regex LinkPattern();
    }
}

/// <summary>One maildev per test class (<c>IClassFixture</c>); tests tell their mail apart by unique recipients.</summary>
public sealed class MailFixture : IAsyncLifetime
{
    private MailDevProcess? _maildev;

    public MailDevProcess MailDev => _maildev ?? throw new InvalidOperationException("maildev has not started.");

    public async Task InitializeAsync() => _maildev = await MailDevProcess.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_maildev is not null)
        {
            await _maildev.DisposeAsync();
        }
    }
}
