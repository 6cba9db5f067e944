using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Remediation.UnitTests.Portal.Complaints;

/// <summary>
/// Just enough SMTP on 127.0.0.1 (a real socket) to record what a client delivers: EHLO, AUTH LOGIN, MAIL, RCPT, DATA, QUIT.
/// <see cref="RefuseRecipients"/> answers RCPT with 550, as a relay refusing an address would.
/// </summary>
public sealed class TinySmtpServer : IAsyncDisposable
{
    public sealed record Received(string MailFrom, IReadOnlyList<string> RcptTo, string Data, string? User, string? Password);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TinySmtpServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }
    public bool RefuseRecipients { get; set; }
    public ConcurrentQueue<Received> Messages { get; } = new();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        string? from = null, user = null, password = null;
        var to = new List<string>();
        await writer.WriteLineAsync("220 tiny ESMTP");
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            var command = line.ToUpperInvariant();
            if (command.StartsWith("EHLO") || command.StartsWith("HELO"))
            {
                await writer.WriteLineAsync("250-tiny");
                await writer.WriteLineAsync("250 AUTH LOGIN");
            }
            else if (command.StartsWith("AUTH LOGIN"))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 3)
                {
                    await writer.WriteLineAsync("334 VXNlcm5hbWU6");
                    parts = [.. parts, (await reader.ReadLineAsync())!];
                }
                user = Decode(parts[2]);
                await writer.WriteLineAsync("334 UGFzc3dvcmQ6");
                password = Decode((await reader.ReadLineAsync())!);
                await writer.WriteLineAsync("235 2.7.0 Authentication successful");
            }
            else if (command.StartsWith("MAIL FROM:"))
            {
                from = line["MAIL FROM:".Length..].Trim();
                await writer.WriteLineAsync("250 OK");
            }
            else if (command.StartsWith("RCPT TO:"))
            {
                if (RefuseRecipients)
                {
                    await writer.WriteLineAsync("550 5.1.1 No such user");
                    continue;
                }
                to.Add(line["RCPT TO:".Length..].Trim());
                await writer.WriteLineAsync("250 OK");
            }
            else if (command == "DATA")
            {
                await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                var data = new StringBuilder();
                while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".") data.Append(dataLine).Append("\r\n");
                Messages.Enqueue(new Received(from ?? "", [.. to], data.ToString(), user, password));
                to.Clear();
                await writer.WriteLineAsync("250 OK queued");
            }
            else if (command == "QUIT")
            {
                await writer.WriteLineAsync("221 Bye");
                return;
            }
            else if (command is "RSET" or "NOOP")
            {
                await writer.WriteLineAsync("250 OK");
            }
            else
            {
                await writer.WriteLineAsync("502 Command not implemented");
            }
        }
    }

    private static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
