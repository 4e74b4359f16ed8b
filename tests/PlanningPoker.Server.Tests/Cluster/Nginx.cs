using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using PlanningPoker.Testing;

namespace PlanningPoker.Server.Tests.Cluster;

/// <summary>
/// A real nginx (Debian's package) in front of several server nodes, in a process of its own with its configuration
/// and files in a temporary folder: round robin over the nodes (fewest connections first), WebSockets proxied, a node
/// that refuses connections skipped. The configuration is the one docs/operations.md shows ("Behind a load balancer").
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    private const string Binary = "/usr/sbin/nginx";
    private readonly Process _process;
    private readonly string _folder;

    private Nginx(Process process, string folder, Uri baseAddress)
    {
        _process = process;
        _folder = folder;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Skips the test, with the reason, when nginx is not installed (.ci/run installs it).</summary>
    public static void Require()
    {
        if (!File.Exists(Binary))
        {
            Assert.Skip($"nginx is not installed ({Binary}): apt-get install nginx (.ci/run does)");
        }
    }

    /// <summary>Starts nginx on a free port in front of <paramref name="nodes"/> and waits until it accepts connections.</summary>
    public static async Task<Nginx> StartAsync(IEnumerable<Uri> nodes)
    {
        Require();
        var folder = Directory.CreateTempSubdirectory("poker-nginx-").FullName;
        var port = ServerProcess.FreePort();
        var upstream = string.Concat(nodes.Select(n => $"        server {n.Host}:{n.Port} max_fails=1 fail_timeout=2s;\n"));
        var config = Configuration(port, upstream).Replace("{folder}", folder, StringComparison.Ordinal);
        var file = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(file, config, TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo(Binary, ["-p", folder, "-c", file, "-e", Path.Combine(folder, "error.log")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        var nginx = new Nginx(process, folder, new Uri($"http://127.0.0.1:{port}"));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
                return nginx;
            }
            catch (SocketException) when (attempt < 100 && !process.HasExited)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
            catch (SocketException)
            {
                var log = File.Exists(Path.Combine(folder, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "error.log")) : "";
                await nginx.DisposeAsync();
                throw new InvalidOperationException($"nginx did not listen on {port}: {await process.StandardError.ReadToEndAsync()} {log}");
            }
        }
    }

    /// <summary>The configuration: one worker, files in {folder}, WebSockets upgraded, no buffering of the hub's stream.</summary>
    public static string Configuration(int port, string upstream)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            worker_processes 1;
            daemon off;
            pid {folder}/nginx.pid;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {folder}/body;
                proxy_temp_path {folder}/proxy;
                fastcgi_temp_path {folder}/fastcgi;
                uwsgi_temp_path {folder}/uwsgi;
                scgi_temp_path {folder}/scgi;

                map $http_upgrade $connection_upgrade {
                    default upgrade;
                    ''      close;
                }

                upstream planning_poker {
                    least_conn;
            {{upstream}}    }

                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://planning_poker;
                        proxy_http_version 1.1;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_buffering off;
                        proxy_read_timeout 1h;
                        proxy_connect_timeout 2s;
                        proxy_next_upstream error timeout http_502 http_503;
                    }
                }
            }

            """);
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temporary folder's cleanup.
            }
        }
    }
}
