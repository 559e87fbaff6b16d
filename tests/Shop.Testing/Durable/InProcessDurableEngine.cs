using System.Net;
using System.Net.Sockets;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.Testing.Durable;

/// <summary>
/// The real Durable Task engine in process, assembled from the same parts as the package's
/// <c>DurableTaskTestHost.StartAsync</c> (a Kestrel gRPC sidecar over the in-memory backend, a worker host and a client on
/// one channel), which hard-codes two things this needs otherwise: the backend's work-item limit, raised here (see
/// <see cref="WideInMemoryOrchestrationService"/>), and the sidecar's logging, which went to its own console logger at
/// Information, a line for every gRPC call.
/// </summary>
public static class InProcessDurableEngine
{
    /// <summary>Far above the orders any test or benchmark keeps in flight: the sidecar never reaches its 500 ms poll.</summary>
    public const int WideWorkItemLimit = 1000;

    /// <param name="maxConcurrentWorkItems">The backend's limit; <see cref="Environment.ProcessorCount"/> is the package's own.</param>
    public static async Task<DurableTaskTestHost> StartAsync(
        Action<DurableTaskRegistry> registry, ILoggerFactory logs, int port, int maxConcurrentWorkItems = WideWorkItemLimit)
    {
        var (sidecar, orchestrations) = await StartSidecarAsync(logs, port, maxConcurrentWorkItems);
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        try
        {
            var worker = await StartWorkerAsync(channel, registry, logs, orchestrations);
            return new DurableTaskTestHost(sidecar, worker, channel, worker.Services.GetRequiredService<DurableTaskClient>());
        }
        catch
        {
            channel.Dispose();
            await sidecar.StopAsync();
            sidecar.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The backend alone (the in-memory store behind a gRPC sidecar on <c>http://127.0.0.1:{port}</c>): it outlives the
    /// workers started against it, as a task hub outlives a deployment, so a test can stop one build's worker with
    /// orchestrations in flight and let another build's worker finish them.
    /// </summary>
    /// <returns>The sidecar's host, and its backend (which keeps the histories <see cref="OrchestrationHistory"/> reads).</returns>
    public static async Task<(IHost Sidecar, WideInMemoryOrchestrationService Orchestrations)> StartSidecarAsync(
        ILoggerFactory logs, int port, int maxConcurrentWorkItems = WideWorkItemLimit)
    {
        var backend = new InMemoryOrchestrationService(logs);
        var orchestrations = new WideInMemoryOrchestrationService(backend, maxConcurrentWorkItems);
        var sidecar = await StartHostAsync(Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => UseLogs(logging, logs))
            .ConfigureWebHostDefaults(web => web
                .UseUrls($"http://127.0.0.1:{port}")
                .ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2))
                .ConfigureServices(services =>
                {
                    services.AddGrpc();
                    services.AddSingleton<IOrchestrationService>(orchestrations);
                    services.AddSingleton<IOrchestrationServiceClient>(backend);
                    services.AddSingleton<TaskHubGrpcServer>();
                })
                .Configure(app => app.UseRouting().UseEndpoints(endpoints => endpoints.MapGrpcService<TaskHubGrpcServer>())))
            .Build());
        return (sidecar, orchestrations);
    }

    /// <summary>
    /// A worker (running the orchestrations and activities of <paramref name="registry"/>) and a client on one channel;
    /// its services also hold the sidecar's backend, for the histories (<see cref="OrchestrationHistory"/>).
    /// </summary>
    public static Task<IHost> StartWorkerAsync(
        GrpcChannel channel, Action<DurableTaskRegistry> registry, ILoggerFactory logs, WideInMemoryOrchestrationService orchestrations) =>
        StartHostAsync(Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => UseLogs(logging, logs))
            .ConfigureServices(services =>
            {
                services.AddSingleton(orchestrations);
                services.AddDurableTaskWorker(builder => builder.UseGrpc(channel).AddTasks(registry));
                services.AddDurableTaskClient(builder =>
                {
                    builder.UseGrpc(channel);
                    builder.RegisterDirectly();
                });
            })
            .Build());

    /// <summary>
    /// The package's own port choice is random in 30000-40000 and collides when many hosts start at once, so the port
    /// comes from the operating system; the rare race between releasing it and the sidecar binding it is retried.
    /// </summary>
    public static async Task<DurableTaskTestHost> StartOnFreePortAsync(
        Action<DurableTaskRegistry> registry, ILoggerFactory logs, int maxConcurrentWorkItems = WideWorkItemLimit)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartAsync(registry, logs, FreePort(), maxConcurrentWorkItems);
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void UseLogs(ILoggingBuilder logging, ILoggerFactory logs)
    {
        logging.ClearProviders();
        logging.Services.AddSingleton(logs);
    }

    private static async Task<IHost> StartHostAsync(IHost host)
    {
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
